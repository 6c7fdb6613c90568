import EnergyCore
import EnergyMessaging
import EnergyTestSupport
import Foundation
import Testing

/// The AMQP reading message under 20,000 mutated inputs: a reading or a `ReadingRejection`, never a crash.
@Suite struct FuzzMessageTests {
    @Test func theReadingMessageDecoderNeverCrashes() throws {
        let reading = Reading(
            point: PointKey(zaehlpunkt: try Zaehlpunkt(ThreeMemberCommunity.pointA), direction: .consumption),
            start: QuarterHour(index: 1_790_812_800 / 900), milliwattHours: 1_250_000, quality: .substituted)
        let plausible = PlausibleTimes(now: 1_796_000_000)
        var decoded = 0
        let tried = try Fuzzer(
            name: "reading-message", seeds: [Data(ReadingMessage.encode(reading, community: "eeg-fuzz"))],
            tokens: ["\"", "\\", "\\u0000", ":", ",", "{", "}", "[", "null", "true", "-0", "1e309", "NaN", "\"version\":1"]
        ).run { bytes in
            do {
                let (_, back) = try ReadingMessage.decode(bytes, plausible: plausible)
                decoded += 1
                #expect(back.milliwattHours >= 0 && back.start >= plausible.earliest && back.start < plausible.end)
            } catch let rejection as ReadingRejection {
                #expect(!rejection.detail.isEmpty)
            }
        }
        #expect(tried >= 1_000 && decoded > 0, "\(tried) inputs, \(decoded) decoded")
    }
}
