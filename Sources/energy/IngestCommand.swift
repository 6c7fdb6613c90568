import ArgumentParser
import Dispatch
import EnergyCore
import EnergyIngest
import EnergyMessaging
import EnergyStore
import Foundation

struct IngestCommand: ParsableCommand {
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
    @OptionGroup var storeOptions: StoreOptions

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

    func validate() throws {
        do { _ = try AMQPURI(amqp) } catch { throw ValidationError("--amqp: \(error)") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        guard (1...65535).contains(prefetch) else { throw ValidationError("--prefetch must be from 1 to 65535") }
    }

    func run() throws {
        try reportingErrors {
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
            try service.checkBroker()
            let metrics = service.metrics
            let server = try MetricsHTTPServer(host: host, port: port) { path in
                switch path {
                case "/metrics": return (200, metrics.prometheusText())
                case "/healthz": return metrics.isConnected ? (200, "ok\n") : (503, "not connected to the broker\n")
                default: return nil
                }
            }
            printError("ingest: /metrics and /healthz on http://\(host):\(server.port)")
            let stop = service.stop
            let signals = [SIGTERM, SIGINT].map { number -> DispatchSourceSignal in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { stop.request() }
                source.resume()
                return source
            }
            try service.run()
            withExtendedLifetime(signals) {}
            printError("ingest: \(metrics.storedReadings) readings stored")
        }
    }
}
