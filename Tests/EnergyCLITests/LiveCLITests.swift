import EnergyCore
import EnergyMessaging
import EnergySimulator
import EnergyTestSupport
import Foundation
import Testing

@testable import EnergyStore

/// One live-path scenario: a community file, an SQLite store and a vhost of its own on the test
/// RabbitMQ, and the readings the simulator makes for the days under test.
final class LiveFixture {
    let folder = TemporaryFolder()
    let community: Community
    let communityPath: String
    let storePath: String
    /// `--store` of the ingest: the SQLite file, or a MongoDB URI.
    let store: String
    let amqp: String
    let from = "2026-10-20", to: String

    init(vhost: Int, members: Int = 6, days: Int = 4, store: String? = nil) throws {
        community = DemoCommunity.make(members: members, id: "eeg-live-\(vhost)")
        communityPath = folder.path + "/community.yaml"
        storePath = folder.path + "/energy.sqlite"
        self.store = store ?? "sqlite:" + storePath
        try CommunityFile.render(community).write(toFile: communityPath, atomically: true, encoding: .utf8)
        amqp = try TestServers.amqpURI(vhost: vhost)
        to = try LocalDate(from).adding(days: days).description
        // The vhost may hold messages of an earlier run of `swift test`.
        let connection = try AMQPConnection(try AMQPURI(amqp))
        try connection.declare(Topology.standard)
        try connection.purge(queue: Topology.standard.queue)
        try connection.purge(queue: Topology.standard.deadLetterQueue)
    }

    typealias Key = (quarterHour: Int64, point: Int)

    /// What the simulator makes for the range: quarter hour and point → mWh.
    func expected() throws -> [Int64: Int64] {
        var result: [Int64: Int64] = [:]
        let index = Dictionary(uniqueKeysWithValues: community.pointKeys.enumerated().map { ($1, $0) })
        CommunitySimulator(community: community, seed: 42).simulate(from: try LocalDate(from), to: try LocalDate(to)) { readings in
            for r in readings { result[r.start.index * 1000 + Int64(index[r.point] ?? -1)] = r.milliwattHours }
        }
        return result
    }

    /// What the store holds for the range, in the same shape.
    func stored() throws -> [Int64: Int64] {
        if store.hasPrefix("sqlite:"), !FileManager.default.fileExists(atPath: storePath) { return [:] }
        let store = try StoreLocation.parse(store).open()
        var result: [Int64: Int64] = [:]
        let range = community.calendar.quarterHours(from: try LocalDate(from), to: try LocalDate(to))
        try store.scanReadings(community: community.id, points: community.pointKeys, in: range) { qh, point, mwh in
            result[qh.index * 1000 + Int64(point)] = mwh
        }
        return result
    }

    func storedCount() -> Int { (try? stored().count) ?? 0 }

    /// Corrections the store recorded (a changed value for a stored reading).
    func corrections() throws -> Int64 {
        // The store owns its connection (closed with it): keep it while the connection is used.
        let store = try SQLiteStore(path: storePath)
        return try withExtendedLifetime(store) { try store.db.scalarInt("SELECT count(*) FROM corrections") ?? -1 }
    }

    /// Ready messages in the ingest queue and the dead-letter queue.
    func queueCounts() throws -> (ingest: Int, dead: Int) {
        let connection = try AMQPConnection(try AMQPURI(amqp))
        let t = Topology.standard
        let ingest = try connection.declareQueue(t.queue, arguments: [("x-dead-letter-exchange", t.deadLetterExchange)])
        let dead = try connection.declareQueue(t.deadLetterQueue)
        return (Int(ingest), Int(dead))
    }

    func simulate() throws -> CLI.Result {
        try CLI.run(["simulate", "--amqp", amqp, "--community", communityPath, "--from", from, "--to", to], timeout: 300)
    }

    /// Starts `energy ingest` in the background; its standard error goes to `log`.
    func startIngest(_ extra: [String] = []) throws -> Process {
        let process = CLI.process(
            [
                "ingest", "--amqp", amqp, "--community", communityPath, "--store", store,
                "--host", "127.0.0.1", "--port", "0",
            ] + extra, environment: [:])
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try handle.seekToEnd()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = handle
        try process.run()
        return process
    }

    /// Starts `energy simulate --amqp` for the range in the background; its standard output and
    /// error go to `simulateLogPath`.
    func startPublisher(_ arguments: [String]? = nil) throws -> Process {
        let process = CLI.process(
            arguments ?? ["simulate", "--amqp", amqp, "--community", communityPath, "--from", from, "--to", to], environment: [:])
        _ = FileManager.default.createFile(atPath: simulateLogPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: simulateLogPath))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    var simulateLogPath: String { folder.path + "/simulate.log" }
    var simulateLog: String { (try? String(contentsOfFile: simulateLogPath, encoding: .utf8)) ?? "" }

    var logPath: String { folder.path + "/ingest.log" }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The ingest's answer to `GET path` (the port from its log) once `until` holds for it (for up
    /// to 30 s): a plain HTTP/1.1 request through bash's /dev/tcp, no HTTP client needed.
    func get(_ path: String, until: (String) -> Bool = { _ in true }) throws -> String {
        try self.await("the port in the log") { log.contains("on http://127.0.0.1:") }
        let port = log.components(separatedBy: "on http://127.0.0.1:").last?.prefix { $0.isNumber } ?? ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [
                "-c",
                "exec 3<>/dev/tcp/127.0.0.1/\(port); printf 'GET \(path) HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n' >&3; cat <&3",
            ]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let response = String(decoding: data, as: UTF8.self)
            if until(response) { return response }
            usleep(100_000)
        }
        throw TestSetupError("no answer from \(path) on port \(port)")
    }

    /// Polls `condition` until it holds; fails the test with `what` and the ingest log if it does not within `seconds`.
    func await(_ what: String, seconds: Double = 120, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            usleep(100_000)
        }
        throw TestSetupError("gave up waiting \(Int(seconds)) s for: \(what)\ningest log:\n\(log)")
    }
}

/// Stops a background `energy` process and waits for it: an ingest still shutting down would
/// otherwise consume the next test's messages from a shared vhost into its own store.
func stop(_ process: Process) {
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
}

func rabbitmqctl(_ arguments: String...) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/sbin/rabbitmqctl")
    process.arguments = ["-q"] + arguments
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw TestSetupError("rabbitmqctl \(arguments.joined(separator: " ")) failed") }
}

/// The live path against the real RabbitMQ that `make test` starts. Serialized: one test restarts
/// the broker.
@Suite(.serialized) struct LiveCLITests {
    @Test func everyPublishedReadingIsStoredOnceWithItsExactValue() throws {
        let live = try LiveFixture(vhost: 1)
        let expected = try live.expected()
        let published = try live.simulate()
        #expect(published.status == 0, "\(published.stderr)")
        #expect(published.stdout.contains("published \(expected.count) readings"), "\(published.stdout)")
        let ingest = try live.startIngest()
        defer { stop(ingest) }
        try live.await("\(expected.count) readings stored") { live.storedCount() >= expected.count }
        #expect(try live.stored() == expected)
        ingest.terminate()
        ingest.waitUntilExit()
        #expect(ingest.terminationStatus == 0, "\(live.log)")
        #expect(try live.queueCounts() == (0, 0))
    }

    @Test func aStoreOutageIsWaitedOutAndLosesNothing() throws {
        let live = try LiveFixture(vhost: 1)
        let expected = try live.expected()
        // Another writer holds the store's write lock: every write of the ingest fails until it lets go.
        let blocker = try SQLiteStore(path: live.storePath)
        try blocker.db.execute("BEGIN EXCLUSIVE")
        #expect(try live.simulate().status == 0)
        let ingest = try live.startIngest(["--batch-size", "100"])
        defer { stop(ingest) }
        try live.await("the ingest to report the failing store", seconds: 60) { live.log.contains("store write failed") }
        #expect(ingest.isRunning)
        try blocker.db.execute("COMMIT")
        try live.await("\(expected.count) readings stored after the outage") { live.storedCount() >= expected.count }
        #expect(try live.stored() == expected)
        ingest.terminate()
        ingest.waitUntilExit()
        #expect(ingest.terminationStatus == 0, "\(live.log)")
        #expect(try live.queueCounts() == (0, 0))
        #expect(try live.corrections() == 0)
    }

    @Test func killNineMidStreamThenRestartLosesAndDuplicatesNothing() throws {
        let live = try LiveFixture(vhost: 2, members: 10, days: 6)
        let expected = try live.expected()
        #expect(try live.simulate().status == 0)
        let first = try live.startIngest(["--batch-size", "100", "--prefetch", "300"])
        try live.await("some readings stored") { live.storedCount() >= 500 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal)
        let atKill = live.storedCount()
        try #require(atKill < expected.count, "ingest finished before it could be killed; publish more readings")
        let second = try live.startIngest()
        defer { stop(second) }
        try live.await("all \(expected.count) readings stored after the restart") { live.storedCount() >= expected.count }
        second.terminate()
        second.waitUntilExit()
        #expect(try live.stored() == expected)
        #expect(try live.queueCounts() == (0, 0))
        // A redelivered message holds the same value: nothing may have become a correction.
        #expect(try live.corrections() == 0)
    }

    @Test func aPublisherWhoseConnectionDropsRepublishesWhatWasNotConfirmed() throws {
        let live = try LiveFixture(vhost: 4, members: 20, days: 20)
        let expected = try live.expected()
        let publisher = try live.startPublisher()
        defer { stop(publisher) }
        try live.await("readings on the broker") { try live.queueCounts().ingest >= 2000 }
        try #require(publisher.isRunning, "the publisher finished before its connection could be dropped")
        // The broker drops the publisher's connection in the middle of the backfill.
        try rabbitmqctl("close_all_connections", "-p", "energy-test-4", "test: the publisher's connection drops")
        try live.await("the publisher to finish", seconds: 180) { !publisher.isRunning }
        let log = live.simulateLog
        #expect(publisher.terminationStatus == 0, "\(log)")
        #expect(log.contains("publishing again"), "the publisher never noticed the dropped connection: \(log)")
        let ingest = try live.startIngest()
        defer { stop(ingest) }
        try live.await("all \(expected.count) readings stored") { live.storedCount() >= expected.count }
        #expect(try live.stored() == expected)
    }

    @Test func nackedReadingsArePublishedAgainUntilTheBrokerTakesThem() throws {
        let live = try LiveFixture(vhost: 5, members: 6, days: 3)
        let expected = try live.expected()
        // A full queue that rejects publishes: the broker nacks every reading beyond 500.
        try rabbitmqctl(
            "set_policy", "-p", "energy-test-5", "--apply-to", "queues", "full", "^energy\\.ingest$",
            #"{"max-length": 500, "overflow": "reject-publish"}"#)
        var policySet = true
        defer { if policySet { try? rabbitmqctl("clear_policy", "-p", "energy-test-5", "full") } }
        let publisher = try live.startPublisher()
        defer { stop(publisher) }
        try live.await("the queue to fill up") { try live.queueCounts().ingest >= 500 }
        sleep(1)
        #expect(publisher.isRunning, "the publisher gave up or finished while the broker refused readings")
        try rabbitmqctl("clear_policy", "-p", "energy-test-5", "full")
        policySet = false
        let ingest = try live.startIngest()
        defer { stop(ingest) }
        try live.await("the publisher to finish", seconds: 180) { !publisher.isRunning }
        let out = live.simulateLog
        #expect(publisher.terminationStatus == 0, "\(out)")
        let again = out.components(separatedBy: " published again").first?.split(separator: " ").last.flatMap { Int($0) } ?? 0
        #expect(again > 0, "no reading was published again: \(out)")
        try live.await("all \(expected.count) readings stored") { live.storedCount() >= expected.count }
        #expect(try live.stored() == expected)
    }

    @Test func brokerRestartMidStreamLosesNothing() throws {
        let live = try LiveFixture(vhost: 3, members: 10, days: 6)
        let expected = try live.expected()
        let ingest = try live.startIngest(["--batch-size", "100", "--prefetch", "300"])
        defer { stop(ingest) }
        let publisher = try live.startPublisher()
        try live.await("readings flowing before the broker restart") { live.storedCount() >= 300 }
        try rabbitmqctl("stop_app")
        sleep(1)
        try rabbitmqctl("start_app")
        try rabbitmqctl("await_startup", "--timeout", "60")
        try live.await("the publisher to finish", seconds: 180) { !publisher.isRunning }
        #expect(publisher.terminationStatus == 0)
        try live.await("all \(expected.count) readings stored after the broker restart", seconds: 180) {
            live.storedCount() >= expected.count
        }
        #expect(try live.stored() == expected)
        #expect(live.log.contains("retrying"), "the ingest never saw the broker go away: \(live.log)")
        ingest.terminate()
        ingest.waitUntilExit()
        #expect(ingest.terminationStatus == 0)
    }

    @Test func aBatchEndingWithATooLargeMessageIsCommittedNotRetriedForever() throws {
        let live = try LiveFixture(vhost: 4, members: 3, days: 1)
        let point = live.community.pointKeys[0]
        let t = Topology.standard
        let connection = try AMQPConnection(try AMQPURI(live.amqp))
        let tooLarge = Array(String(repeating: "7", count: 100_000).utf8)
        let start = live.community.calendar.quarterHours(of: try LocalDate(live.from)).lowerBound
        // A batch of one rejected message, then one whose last delivery is the rejected one:
        // acking that delivery (the broker no longer knows it) closed the channel, and the batch
        // came back to fail the same way, forever.
        try connection.publish(exchange: t.exchange, routingKey: "reading.x", body: tooLarge, messageID: "large-1")
        let ingest = try live.startIngest()
        defer { stop(ingest) }
        try live.await("the first dead letter") { try live.queueCounts().dead >= 1 }
        let reading = Reading(point: point, start: start, milliwattHours: 4242)
        try connection.publish(
            exchange: t.exchange, routingKey: "reading.x", body: ReadingMessage.encode(reading, community: live.community.id))
        try connection.publish(exchange: t.exchange, routingKey: "reading.x", body: tooLarge, messageID: "large-2")
        try live.await("the second dead letter and the reading stored") { try live.queueCounts().dead >= 2 && live.storedCount() >= 1 }
        try live.await("the queue drained") { try live.queueCounts().ingest == 0 }
        #expect(!live.log.contains("retrying in"), "no channel closed, no reconnect: \(live.log)")
        #expect(try live.stored() == [start.index * 1000: 4242])
    }

    @Test func poisonGoesToTheDeadLetterQueueWithItsReasonAndTheRestIsStored() throws {
        let live = try LiveFixture(vhost: 4, members: 3, days: 1)
        let points = live.community.pointKeys
        let zp = points[0].zaehlpunkt.description
        let direction = points[0].direction.rawValue
        let c = live.community.id
        func message(_ fields: String) -> String { #"{"version":1,"community":"\#(c)",\#(fields)}"# }
        let poison: [(String, ReadingRejection.Reason)] = [
            ("{not json", .malformedJSON),
            (#"{"version":7,"community":"\#(c)"}"#, .unknownVersion),
            (
                message(
                    #""zaehlpunkt":"AT00300000000000000000000000000X","start":"2026-10-20T00:00:00Z","direction":"\#(direction)","kwh":1"#),
                .badZaehlpunkt
            ),
            (
                message(
                    #""zaehlpunkt":"AT0030000000000000000000099999999","start":"2026-10-20T00:00:00Z","direction":"\#(direction)","kwh":1"#),
                .notInCommunity
            ),
            (message(#""zaehlpunkt":"\#(zp)","start":"2026-10-20T00:05:00Z","direction":"\#(direction)","kwh":1"#), .notOnQuarterHourGrid),
            (message(#""zaehlpunkt":"\#(zp)","start":"2026-10-20T00:00:00Z","direction":"\#(direction)","kwh":-1.5"#), .negativeEnergy),
            (message(#""zaehlpunkt":"\#(zp)","start":"2026-10-20T00:00:00Z","direction":"\#(direction)","kwh":"NaN""#), .badEnergy),
            (
                message(#""zaehlpunkt":"\#(zp)","start":"2026-10-20T00:00:00Z","direction":"\#(direction)","kwh":99999999"#),
                .implausibleEnergy
            ),
            // A kilobyte of garbage, and a long value under the size limit: its detail must not go
            // whole into the dead letter's header (rabbitmq-c refuses the frame, the connection
            // drops and the queue never drains).
            ("{not json" + String(repeating: " ", count: 1_000), .malformedJSON),
            (
                message(
                    #""zaehlpunkt":"\#(zp)","start":"2026-10-20T00:00:00Z","direction":"\#(direction)","kwh":"\#(String(repeating: "7", count: 60_000))""#
                ),
                .badEnergy
            ),
            // 140 KB and 30 MB: over --max-message-bytes (64 KB), dead-lettered unread by the broker.
            (
                message(
                    #""zaehlpunkt":"\#(zp)","start":"2026-10-20T00:00:00Z","direction":"\#(direction)","kwh":"\#(String(repeating: "7", count: 140_000))""#
                ),
                .tooLarge
            ),
            (message(#""zaehlpunkt":"\#(String(repeating: "Z", count: 30_000_000))""#), .tooLarge),
        ]
        // Valid readings before, between and after the poison.
        let connection = try AMQPConnection(try AMQPURI(live.amqp))
        let t = Topology.standard
        var valid: [Int64: Int64] = [:]
        let firstQuarterHour = live.community.calendar.quarterHours(of: try LocalDate(live.from)).lowerBound
        var n = 0
        func publishValid() throws {
            for (i, point) in points.enumerated() {
                let reading = Reading(point: point, start: firstQuarterHour.advanced(by: Int64(n)), milliwattHours: 1000 + Int64(n))
                valid[reading.start.index * 1000 + Int64(i)] = reading.milliwattHours
                try connection.publish(exchange: t.exchange, routingKey: "reading.x", body: ReadingMessage.encode(reading, community: c))
            }
            n += 1
        }
        try publishValid()
        for (i, (body, _)) in poison.enumerated() {
            try connection.publish(
                exchange: t.exchange, routingKey: "reading.x", body: Array(body.utf8), messageID: "poison-\(i)",
                headers: [("x-source", "sensor-\(i)")])
            try publishValid()
        }
        let ingest = try live.startIngest()
        defer { stop(ingest) }
        try live.await("\(poison.count) dead letters") { try live.queueCounts().dead >= poison.count }
        try live.await("\(valid.count) valid readings stored") { live.storedCount() >= valid.count }
        ingest.terminate()
        ingest.waitUntilExit()
        var reasons: [String: String] = [:]
        var letters = 0
        while let letter = try connection.get(queue: t.deadLetterQueue) {
            letters += 1
            let id = letter.messageID ?? "?"
            // The publisher's own headers stay on every dead letter.
            #expect(letter.headers["x-source"] == "sensor-" + id.dropFirst("poison-".count), "\(id)")
            guard let reason = letter.headers["x-energy-reason"] else { continue }  // dead-lettered by the broker
            reasons[id] = reason
            #expect(letter.headers["x-energy-detail"]?.isEmpty == false)
            #expect((letter.headers["x-energy-detail"]?.utf8.count ?? 0) <= ReadingRejection.shownDetailBytes + 40)
        }
        #expect(letters == poison.count)
        for (i, (_, reason)) in poison.enumerated() {
            if reason == .tooLarge {
                #expect(reasons["poison-\(i)"] == nil)
                #expect(live.log.contains("dead letter poison-\(i) (by the broker, unread): too-large"), "poison-\(i)")
            } else {
                #expect(reasons["poison-\(i)"] == reason.rawValue, "poison-\(i)")
            }
        }
        #expect(!live.log.contains("retrying in"), "no reconnect: \(live.log)")
        let range = live.community.calendar.quarterHours(from: try LocalDate(live.from), to: try LocalDate(live.to))
        #expect(valid.keys.allSatisfy { range.contains(QuarterHour(index: $0 / 1000)) })
        #expect(try live.stored() == valid)
        #expect(try live.queueCounts().ingest == 0)
        #expect(live.log.contains("dead letter poison-0: malformed-json"), "the ingest logs each dead letter with its reason")
    }

    @Test func sigtermStoresAndAcksTheBatchInFlightThenExitsZero() throws {
        let live = try LiveFixture(vhost: 5, members: 10, days: 6)
        let expected = try live.expected()
        #expect(try live.simulate().status == 0)
        let ingest = try live.startIngest(["--batch-size", "100", "--prefetch", "300"])
        try live.await("some readings stored") { live.storedCount() >= 500 }
        kill(ingest.processIdentifier, SIGTERM)
        ingest.waitUntilExit()
        #expect(ingest.terminationReason == .exit && ingest.terminationStatus == 0, "\(live.log)")
        let stored = live.storedCount()
        try #require(stored < expected.count, "ingest finished before SIGTERM; publish more readings")
        // Acked exactly what it stored: what it stored is gone from the queue, the rest is back in it.
        try live.await("stored + queued = published (stored \(stored))", seconds: 30) {
            try live.queueCounts().ingest + stored == expected.count
        }
        #expect(live.log.contains("stopped; every stored reading is acknowledged"))
        // Its log is JSON lines (standard error is a file), from the ingest's own logger and the HTTP server's.
        let lines = try jsonLogLines(live.log)
        #expect(lines.contains { $0["label"] as? String == "energy.ingest" && $0["level"] as? String == "info" })
        #expect(lines.allSatisfy { $0["timestamp"] is String && $0["message"] is String })
    }

    @Test func logLevelWarningLeavesOutTheIngestsInfoLines() throws {
        let live = try LiveFixture(vhost: 8, members: 3, days: 1)
        let expected = try live.expected()
        #expect(try live.simulate().status == 0)
        let ingest = try live.startIngest(["--log-level", "warning"])
        defer { stop(ingest) }
        try live.await("\(expected.count) readings stored") { live.storedCount() >= expected.count }
        ingest.terminate()
        ingest.waitUntilExit()
        #expect(ingest.terminationStatus == 0, "\(live.log)")
        #expect(try jsonLogLines(live.log).allSatisfy { ["warning", "error", "critical"].contains($0["level"] as? String) }, "\(live.log)")
        #expect(!live.log.contains("stopped; every stored reading is acknowledged"))
    }

    @Test func mongoDBStoreGetsEveryReadingToo() throws {
        let database = try TestDatabase()
        let live = try LiveFixture(vhost: 7, members: 3, days: 2, store: database.uri)
        let expected = try live.expected()
        #expect(try live.simulate().status == 0)
        let ingest = try live.startIngest()
        defer { stop(ingest) }
        try live.await("\(expected.count) readings stored in MongoDB") { live.storedCount() >= expected.count }
        #expect(try live.stored() == expected)
    }

    @Test func wrongCredentialsFailAtOnceWithoutShowingThePassword() throws {
        let live = try LiveFixture(vhost: 8, members: 3, days: 1)
        let wrong = live.amqp.replacingOccurrences(of: "energy-test@", with: "not-the-password@")
        let ingest = try CLI.run(
            [
                "ingest", "--amqp", wrong, "--community", live.communityPath, "--store", live.store, "--port", "0",
                "--host", "127.0.0.1",
            ], timeout: 60)
        #expect(ingest.status == 1 && ingest.stderr.contains("login as energy to vhost energy-test-8 failed"), "\(ingest.stderr)")
        let simulate = try CLI.run(
            ["simulate", "--amqp", wrong, "--community", live.communityPath, "--from", live.from, "--to", live.to],
            timeout: 60)
        #expect(
            simulate.status == 1 && simulate.stderr.contains("cannot connect to amqp://energy@127.0.0.1:5672/energy-test-8"),
            "\(simulate.stderr)")
        #expect(!(ingest.stderr + simulate.stderr).contains("not-the-password"))
    }

    @Test func realtimeAtHighSpeedPublishesEveryQuarterHourOfTheRange() throws {
        // vhost 6 is shared with the metrics test; the suite is serialized and each fixture purges.
        let live = try LiveFixture(vhost: 6, members: 3, days: 1)
        let expected = try live.expected()
        // 100,000 x: the day's 96 quarter hours end within a second of wall time.
        let published = try CLI.run(
            [
                "simulate", "--amqp", live.amqp, "--community", live.communityPath, "--realtime",
                "--from", live.from, "--to", live.to, "--speed", "100000",
            ], timeout: 120)
        #expect(published.status == 0, "\(published.stderr)")
        #expect(published.stderr.components(separatedBy: "readings confirmed").count - 1 == 96)
        let ingest = try live.startIngest()
        defer { stop(ingest) }
        try live.await("\(expected.count) readings stored") { live.storedCount() >= expected.count }
        #expect(try live.stored() == expected)
    }

    @Test func realtimeKilledAndRestartedWithAResumeFileLeavesNoGap() throws {
        let live = try LiveFixture(vhost: 6, members: 3, days: 1)
        let expected = try live.expected()
        let resume = live.folder.path + "/resume"
        let arguments = [
            "simulate", "--amqp", live.amqp, "--community", live.communityPath, "--realtime",
            "--from", live.from, "--to", live.to, "--speed", "9000", "--resume-file", resume,
        ]
        // 9,000 x: a quarter hour every 0.1 s, the day in about 10 s; killed after a few.
        let first = CLI.process(arguments, environment: [:])
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        try live.await("a few quarter hours published") {
            ((try? String(contentsOfFile: resume, encoding: .utf8)) ?? "") >= live.from + "T01:00"
        }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let stoppedAt = try String(contentsOfFile: resume, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(stoppedAt < live.to, "the first run finished before it could be killed")
        let second = try CLI.run(arguments, timeout: 120)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("from \(stoppedAt)"), "the restart must go on from \(stoppedAt): \(second.stderr)")
        let ingest = try live.startIngest()
        defer { stop(ingest) }
        try live.await("\(expected.count) readings stored") { live.storedCount() >= expected.count }
        #expect(try live.stored() == expected)
    }

    @Test func liveOptionsAreCheckedBeforeAnythingRuns() throws {
        let live = try LiveFixture(vhost: 8, members: 3, days: 1)
        let c = live.communityPath
        for (arguments, message) in [
            (["simulate", "--community", c, "--realtime"], "--realtime publishes to a broker: give --amqp"),
            (["simulate", "--community", c, "--amqp", live.amqp, "--out", "x.csv", "--from", live.from, "--to", live.to], "give one of"),
            (["simulate", "--community", c, "--amqp", live.amqp, "--realtime", "--speed", "0"], "--speed must be a positive number"),
            (["simulate", "--community", c, "--amqp", "http://broker", "--from", live.from, "--to", live.to], "must start with amqp://"),
            (["ingest", "--community", c, "--amqp", live.amqp, "--port", "70000"], "--port must be from 0 to 65535"),
        ] {
            let result = try CLI.run(arguments, timeout: 60)
            #expect(result.status == 64 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test func metricsAndHealthAreServed() throws {
        let live = try LiveFixture(vhost: 6, members: 3, days: 1)
        let expected = try live.expected()
        #expect(try live.simulate().status == 0)
        let ingest = try live.startIngest()
        defer { stop(ingest) }
        try live.await("\(expected.count) readings stored") { live.storedCount() >= expected.count }
        try live.await("the port in the log") { live.log.contains("on http://127.0.0.1:") }
        func get(_ path: String) throws -> String {
            try live.get(path) { path != "/metrics" || $0.contains("inserted\"} \(expected.count)") }
        }
        let metrics = try get("/metrics")
        #expect(metrics.contains("energy_ingest_readings_stored_total{outcome=\"inserted\"} \(expected.count)"))
        #expect(metrics.contains("energy_ingest_readings_rejected_total{reason=\"malformed-json\"} 0"))
        #expect(metrics.contains("energy_ingest_batch_seconds_count"))
        #expect(metrics.contains("energy_ingest_lag_seconds"))
        let health = try get("/healthz")
        #expect(health.hasPrefix("HTTP/1.1 200 OK\r\n") && health.hasSuffix("\r\n\r\nok\n"), "\(health)")
        #expect(try get("/nothing").hasPrefix("HTTP/1.1 404"))
    }
}
