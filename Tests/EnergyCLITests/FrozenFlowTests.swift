import EnergyCore
import EnergyMessaging
import EnergyTestSupport
import Foundation
import Testing

/// A flow to the broker that stops carrying packets without a FIN or RST (a load balancer's idle
/// timeout, a dead node): heartbeats find it, the connection is made anew, nothing is lost.
@Suite(.serialized) struct FrozenFlowTests {
    /// `uri` with its host and port replaced by the proxy's.
    func viaProxy(_ uri: String, port: Int) -> String {
        guard let at = uri.lastIndex(of: "@"), let slash = uri[at...].firstIndex(of: "/") else { return uri }
        return String(uri[...at]) + "127.0.0.1:\(port)" + String(uri[slash...])
    }

    func brokerPort(_ uri: String) -> Int {
        guard let at = uri.lastIndex(of: "@"), let slash = uri[at...].firstIndex(of: "/") else { return 5672 }
        return Int(uri[at..<slash].split(separator: ":").last ?? "") ?? 5672
    }

    @Test func theIngestFindsAFrozenFlowByItsHeartbeatsAndStoresWhatComesAfter() throws {
        let live = try LiveFixture(vhost: 9, members: 3, days: 1)
        let proxy = try FreezableProxy(targetPort: brokerPort(live.amqp))
        defer { proxy.stop() }
        let ingest = try live.startIngest(["--amqp", viaProxy(live.amqp, port: proxy.port), "--heartbeat", "2"])
        defer { stop(ingest) }
        try live.await("the ingest consuming") { live.log.contains("consuming") }
        proxy.freezeExistingFlows()
        // Published after the freeze, straight to the broker: the ingest's frozen flow cannot
        // carry them; its heartbeats find it dead, it connects anew (a new flow) and stores them.
        let expected = try live.expected()
        #expect(try live.simulate().status == 0)
        try live.await("\(expected.count) readings stored after the freeze", seconds: 90) { live.storedCount() >= expected.count }
        #expect(try live.stored() == expected)
        #expect(live.log.contains("retrying in"), "the lost connection is said and made anew: \(live.log)")
        // Counted, and connected again.
        let metrics = try live.get("/metrics") { $0.contains("energy_ingest_broker_connected 1") }
        let reconnects = metrics.split(separator: "\n").first { $0.hasPrefix("energy_ingest_reconnects_total ") }
        #expect((reconnects?.split(separator: " ").last.flatMap { Int($0) } ?? 0) >= 1, "\(metrics)")
    }

    @Test func theRealtimePublisherFindsAFrozenFlowAndPublishesEveryQuarterHour() throws {
        let live = try LiveFixture(vhost: 9, members: 3, days: 1)
        let proxy = try FreezableProxy(targetPort: brokerPort(live.amqp))
        defer { proxy.stop() }
        // The ingest goes straight to the broker; only the publisher's flow is frozen.
        let ingest = try live.startIngest()
        defer { stop(ingest) }
        try live.await("the ingest consuming") { live.log.contains("consuming") }
        // A simulated day in real time, a quarter hour every 0.25 s, heartbeats every second.
        let publisher = try live.startPublisher([
            "simulate", "--amqp", viaProxy(live.amqp, port: proxy.port), "--community", live.communityPath,
            "--realtime", "--speed", "3600", "--from", live.from, "--to", live.to, "--heartbeat", "1", "--log-level", "info",
        ])
        defer { stop(publisher) }
        try live.await("ten quarter hours confirmed before the freeze") {
            live.simulateLog.components(separatedBy: "readings confirmed").count > 10
        }
        proxy.freezeExistingFlows()
        publisher.waitUntilExit()
        #expect(publisher.terminationStatus == 0, "the publisher ends at --to: \(live.simulateLog)")
        let confirmed = live.simulateLog.components(separatedBy: "readings confirmed").count - 1
        #expect(confirmed == 96, "every quarter hour of the day is confirmed once: \(live.simulateLog)")
        #expect(live.simulateLog.contains("heartbeat timeout"), "the frozen flow is found by its heartbeats: \(live.simulateLog)")
        let expected = try live.expected()
        try live.await("\(expected.count) readings stored", seconds: 90) { live.storedCount() >= expected.count }
        #expect(try live.stored() == expected)
    }
}
