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
    }
}
