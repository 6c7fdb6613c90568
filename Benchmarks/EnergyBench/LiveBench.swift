import EnergyCore
import EnergyMessaging
import EnergySimulator
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The live path's figures: readings/s from `energy simulate --amqp` through the broker and
/// `energy ingest` into SQLite, against a bare rabbitmq-c consumer that only acks, on the same
/// broker in the same run; and the ingest process's peak memory.
func liveSection(_ o: Options, uri: String, metricsPort: Int = 19464) throws -> String {
    let broker = try AMQPURI(uri)
    var members = o.livePoints * 3 / 4
    var community = DemoCommunity.make(members: members, seed: 3, id: "eeg-bench-live")
    while community.meteringPoints.count < o.livePoints {
        members += 1
        community = DemoCommunity.make(members: members, seed: 3, id: "eeg-bench-live")
    }
    let communityPath = o.work + "/live-community.yaml"
    try CommunityFile.render(community).write(toFile: communityPath, atomically: true, encoding: .utf8)
    let month = try LocalMonth(o.month)
    let from = month.firstDay.description
    let to = month.firstDay.adding(days: o.liveDays).description
    let topology = Topology.standard
    let admin = try AMQPConnection(broker)
    try admin.declare(topology)
    try admin.purge(queue: topology.queue)
    let publishArgs = ["simulate", "--amqp", uri, "--community", communityPath, "--from", from, "--to", to]

    // Baseline: publish, then drain the queue with a consumer that only acks.
    let publish = measure(o.energy, publishArgs)
    let readings = Int(try admin.declareQueue(topology.queue, arguments: [("x-dead-letter-exchange", topology.deadLetterExchange)]))
    print("live: \(readings) readings published in \(String(format: "%.2f", publish.seconds)) s")
    let bareStart = Date()
    let consumer = try AMQPConnection(broker)
    try consumer.setPrefetch(2000)
    try consumer.consume(queue: topology.queue)
    var consumed = 0
    while consumed < readings {
        guard let delivery = try consumer.nextDelivery(timeoutMilliseconds: 10_000) else {
            fatalError("bare consumer: queue ran dry at \(consumed)")
        }
        consumed += 1
        if consumed % 500 == 0 || consumed == readings { try consumer.ack(delivery.deliveryTag, multiple: true) }
    }
    let bareSeconds = Date().timeIntervalSince(bareStart)
    consumer.close()

    // The ingest: publish the same again, then store it all into an empty SQLite file.
    _ = measure(o.energy, publishArgs)
    let store = "sqlite:" + o.work + "/live.sqlite"
    let ingestStart = Date()
    func startIngest(into store: String) -> pid_t {
        spawn(
            o.energy,
            [
                "ingest", "--amqp", uri, "--community", communityPath, "--store", store, "--host", "127.0.0.1", "--port",
                String(metricsPort),
            ],
            silencing: [2])
    }
    let pid = startIngest(into: store)
    awaitStored(readings, port: metricsPort, since: ingestStart, what: "ingest")
    let ingestSeconds = Date().timeIntervalSince(ingestStart)
    kill(pid, SIGTERM)
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let peak = Double(usage.ru_maxrss) / 1024

    // End to end: simulate and ingest at the same time.
    try admin.purge(queue: topology.queue)
    let endToEndStore = "sqlite:" + o.work + "/live-e2e.sqlite"
    let e2eStart = Date()
    let e2e = startIngest(into: endToEndStore)
    _ = measure(o.energy, publishArgs)
    awaitStored(readings, port: metricsPort, since: e2eStart, what: "end to end")
    let e2eSeconds = Date().timeIntervalSince(e2eStart)
    kill(e2e, SIGTERM)
    wait4(e2e, &status, 0, &usage)

    func f(_ v: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }
    let bareRate = Double(readings) / bareSeconds
    let ingestRate = Double(readings) / ingestSeconds
    let ratio = ingestRate / bareRate
    return """
        ## Live path (RabbitMQ)

        Measured on \(UTCTimestamp.format(Int64(Date().timeIntervalSince1970))), \(ProcessInfo.processInfo.activeProcessorCount) cores, \
        release build, Debian's RabbitMQ on loopback (`\(broker)`): \(community.meteringPoints.count) metering points \
        for \(o.liveDays) days of \(month), \(readings) readings (one persistent message each). Ingest defaults: batches of \
        1000, prefetch 2000.

        | what | figure | baseline (same run) | ratio | target |
        |---|---|---|---|---|
        | `energy ingest` from a full queue into an empty SQLite store (validate, upsert, ack after commit) | \(f(ingestRate, 0)) readings/s (\(f(ingestSeconds)) s), peak \(f(peak, 0)) MB | bare rabbitmq-c consumer that only acks (prefetch 2000, ack every 500): \(f(bareRate, 0)) readings/s | \(f(ratio)) x | ≥ 0.6 x: \(ratio >= 0.6 ? "met" : "**missed**") |
        | `energy simulate --amqp` (publisher confirms, window 2000) | \(f(Double(readings) / publish.seconds, 0)) readings/s (\(f(publish.seconds)) s) | | | |
        | simulate → broker → ingest → SQLite, both running at once | \(f(Double(readings) / e2eSeconds, 0)) readings/s (\(f(e2eSeconds)) s) | | | |

        Reproduce: `make bench` (live part alone: `.build/release/EnergyBench --energy .build/release/energy --amqp URI --live-only \
        --live-points \(o.livePoints) --live-days \(o.liveDays)`).

        """
}

/// Replaces the `## Live path` section of a BENCHMARKS.md text (or appends it).

/// `energy_ingest_readings_stored_total` summed over outcomes, from the ingest's /metrics.
private func storedReadings(port: Int) -> Int? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { return nil }
    let request = Array("GET /metrics HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".utf8)
    _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 8192)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        response.append(contentsOf: buffer[0..<n])
    }
    var total = 0
    for line in String(decoding: response, as: UTF8.self).split(separator: "\n")
    where line.hasPrefix("energy_ingest_readings_stored_total{") {
        total += Int(line.split(separator: " ").last ?? "") ?? 0
    }
    return total
}

/// Waits until the ingest's /metrics report `readings` stored; gives up after 600 s.
func awaitStored(_ readings: Int, port: Int, since start: Date, what: String) {
    var stored = 0
    while stored < readings {
        usleep(50_000)
        stored = storedReadings(port: port) ?? 0
        if Date().timeIntervalSince(start) > 600 { fatalError("\(what): only \(stored) of \(readings) readings stored in 600 s") }
    }
}
