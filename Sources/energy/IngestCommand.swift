import ArgumentParser
import EnergyCore
import EnergyIngest
import EnergyMessaging
import EnergyService
import EnergyStore
import Foundation
import Logging

struct IngestCommand: AsyncParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Store the readings published to RabbitMQ, each exactly once.",
        discussion: """
            Consumes the ingest queue (declaring the topology if needed), writes batches to the \\
            store and acknowledges them only after the commit. Messages that can never be valid go \\
            to the dead-letter queue with their reason in the x-energy-reason header. Broker and \\
            store outages are retried with backoff. SIGTERM or SIGINT: the batch in flight is \\
            stored and acknowledged, then the command exits 0. /metrics (Prometheus) and /healthz \\
            are served on --port.
            """
    )

    @OptionGroup var communityOptions: CommunityOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var plausibleTimes: PlausibleTimeOptions

    @Option(help: ArgumentHelp("The broker: amqp://USER:PASSWORD@HOST:5672/VHOST.", valueName: "uri"))
    var amqp: String

    @Option(help: ArgumentHelp("Serve /metrics and /healthz on this port (0: any free port, printed at start).", valueName: "port"))
    var port: Int = 9464

    @Option(help: ArgumentHelp("Address to serve /metrics and /healthz on.", valueName: "ipv4"))
    var host = "0.0.0.0"

    @Option(help: "Readings per store transaction.")
    var batchSize = 1000

    @Option(help: "Messages the broker may send ahead of the acknowledgements.")
    var prefetch = 2000

    @Option(help: ArgumentHelp("Heartbeats with the broker: a silent connection is found dead after two (0: off).", valueName: "seconds"))
    var heartbeat = 30

    @Option(help: ArgumentHelp("Dead-letter larger messages unread (a reading is about 200 bytes).", valueName: "bytes"))
    var maxMessageBytes = 64 * 1024

    func validate() throws {
        do { _ = try AMQPURI(amqp) } catch { throw ValidationError("--amqp: \(error)") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        guard (1...65535).contains(prefetch) else { throw ValidationError("--prefetch must be from 1 to 65535") }
        guard (0...3600).contains(heartbeat) else { throw ValidationError("--heartbeat must be from 0 (off) to 3600 seconds") }
        guard maxMessageBytes >= 256 else {
            throw ValidationError("--max-message-bytes must be at least 256 (a reading is about 200 bytes)")
        }
    }

    func run() async throws {
        let service = try reportingErrors {
            let community = try communityOptions.load()
            let location = try storeOptions.location()
            // Open once up front, so a wrong store fails now rather than at the first batch.
            let store = try location.open()
            var opened: (any ReadingStore)? = store
            let service = IngestService(
                amqp: try AMQPURI(amqp), community: community,
                openStore: {
                    if let first = opened {
                        opened = nil
                        return first
                    }
                    return try location.open()
                })
            service.storeName = store.location
            service.batchSize = batchSize
            service.prefetch = UInt16(prefetch)
            service.maxMessageBytes = maxMessageBytes
            service.heartbeatSeconds = heartbeat
            service.plausible = try plausibleTimes.times(now: SystemClock().unixSeconds)
            try service.checkBroker()
            return service
        }
        let metrics = service.metrics
        let logger = Logger(label: "energy.ingest")
        let router = operationsRouter(registry: metrics.registry) {
            metrics.isConnected ? .ok : Health(isHealthy: false, message: "not connected to the broker")
        }
        let host = self.host
        let http = httpService(router: router, host: host, port: port, logger: logger) { port in
            logger.info("ingest: /metrics and /healthz on http://\(host):\(port)")
        }
        let ingest = ThreadService(name: "ingest", body: { try service.run() }, stop: { service.requestStop() })
        do {
            // Shut down in reverse order: the ingest drains its batch first, /healthz and /metrics go last.
            try await runServices(
                [
                    .init(service: http),
                    .init(
                        service: ingest, successTerminationBehavior: .gracefullyShutdownGroup,
                        failureTerminationBehavior: .gracefullyShutdownGroup),
                ], logger: logger)
        } catch {
            throw fail(error)
        }
        logger.info("ingest: \(metrics.storedReadings) readings stored")
    }
}
