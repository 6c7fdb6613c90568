import EnergyCore
import Testing

@testable import EnergyMessaging

@Suite struct ReadingMessageTests {
    let zp = "AT0030000000000000000000000000001"

    func body(_ fields: String) -> [UInt8] { Array("{\(fields)}".utf8) }

    @Test func roundTripKeepsEveryMilliwattHour() throws {
        let reading = Reading(
            point: PointKey(zaehlpunkt: try Zaehlpunkt(zp), direction: .generation),
            start: try QuarterHour(startSeconds: 1_790_812_800), milliwattHours: 1_000_001, quality: .estimated)
        let (community, back) = try ReadingMessage.decode(ReadingMessage.encode(reading, community: "eeg \"x\""))
        #expect(community == "eeg \"x\"")
        #expect(back == reading)
    }

    @Test func kwhIsReadFromItsTextNotThroughDouble() throws {
        // 0.1 + 0.2 style values and the largest allowed value survive exactly, as number or string.
        for (kwh, mwh) in [("0.000001", Int64(1)), ("\"0.3\"", 300_000), ("10000", 10_000_000_000), ("2.100000", 2_100_000)] {
            let (_, r) = try ReadingMessage.decode(
                body(
                    #""version":1,"community":"c","zaehlpunkt":"\#(zp)","start":"2026-10-01T00:15:00Z","direction":"consumption","kwh":\#(kwh)"#
                ))
            #expect(r.milliwattHours == mwh, "kwh \(kwh)")
        }
    }

    @Test(arguments: [
        (#"{"version":1,"#, ReadingRejection.Reason.malformedJSON),
        (#"{"version":2,"community":"c"}"#, .unknownVersion),
        (#"{"community":"c"}"#, .unknownVersion),
        (
            #"{"version":1,"community":"c","zaehlpunkt":"AT003","start":"2026-10-01T00:00:00Z","direction":"consumption","kwh":1}"#,
            .badZaehlpunkt
        ),
        (
            #"{"version":1,"community":"c","zaehlpunkt":"AT0030000000000000000000000000001","start":"2026-10-01T00:07:00Z","direction":"consumption","kwh":1}"#,
            .notOnQuarterHourGrid
        ),
        (
            #"{"version":1,"community":"c","zaehlpunkt":"AT0030000000000000000000000000001","start":"yesterday","direction":"consumption","kwh":1}"#,
            .badStart
        ),
        (
            #"{"version":1,"community":"c","zaehlpunkt":"AT0030000000000000000000000000001","start":"2026-10-01T00:00:00Z","direction":"consumption","kwh":-0.5}"#,
            .negativeEnergy
        ),
        (
            #"{"version":1,"community":"c","zaehlpunkt":"AT0030000000000000000000000000001","start":"2026-10-01T00:00:00Z","direction":"consumption","kwh":"NaN"}"#,
            .badEnergy
        ),
        (
            #"{"version":1,"community":"c","zaehlpunkt":"AT0030000000000000000000000000001","start":"2026-10-01T00:00:00Z","direction":"consumption","kwh":NaN}"#,
            .malformedJSON
        ),
        (
            #"{"version":1,"community":"c","zaehlpunkt":"AT0030000000000000000000000000001","start":"2026-10-01T00:00:00Z","direction":"consumption","kwh":1e3}"#,
            .badEnergy
        ),
        (
            #"{"version":1,"community":"c","zaehlpunkt":"AT0030000000000000000000000000001","start":"2026-10-01T00:00:00Z","direction":"consumption","kwh":250000}"#,
            .implausibleEnergy
        ),
        (
            #"{"version":1,"community":"c","zaehlpunkt":"AT0030000000000000000000000000001","start":"2026-10-01T00:00:00Z","direction":"up","kwh":1}"#,
            .badField
        ),
        (
            #"{"version":1,"community":"c","zaehlpunkt":"AT0030000000000000000000000000001","start":"2026-10-01T00:00:00Z","direction":"consumption"}"#,
            .missingField
        ),
        // Outside the plausible time of readings (2000 to ten years ahead): a wrong clock.
        (
            #"{"version":1,"community":"c","zaehlpunkt":"AT0030000000000000000000000000001","start":"9999-12-31T23:45:00Z","direction":"consumption","kwh":1}"#,
            .badStart
        ),
        (
            #"{"version":1,"community":"c","zaehlpunkt":"AT0030000000000000000000000000001","start":"1969-12-31T23:45:00Z","direction":"consumption","kwh":1}"#,
            .badStart
        ),
    ])
    func everyKindOfPoisonHasItsReason(json: String, reason: ReadingRejection.Reason) {
        #expect(throws: ReadingRejection.self) { try ReadingMessage.decode(Array(json.utf8)) }
        do {
            _ = try ReadingMessage.decode(Array(json.utf8))
        } catch {
            #expect(error.reason == reason, "\(json): \(error)")
        }
    }

    @Test func uriParsesAndNeverShowsThePassword() throws {
        let uri = try AMQPURI("amqp://energy:s%40cret@broker.example:5673/eeg%2Fone")
        #expect(uri.user == "energy" && uri.password == "s@cret" && uri.host == "broker.example" && uri.port == 5673)
        #expect(uri.virtualHost == "eeg/one")
        #expect(!"\(uri)".contains("cret"))
        #expect(try AMQPURI("amqp://127.0.0.1").virtualHost == "/")
        do {
            _ = try AMQPURI("amqp://u:topsecret@host:notaport/v")
            Issue.record("a bad port must not parse")
        } catch {
            #expect(!"\(error)".contains("topsecret"))
        }
    }
}

@Suite struct OversizedMessageTests {
    /// A value of any size is rejected with a detail short enough for a header and a log line.
    @Test(arguments: ["kwh", "zaehlpunkt", "start"])
    func anOversizedValueIsRejectedWithAShortDetail(field: String) throws {
        var fields: [String: String] = [
            "community": #""eeg-demo""#, "zaehlpunkt": #""AT0030000000000000000100000000002""#, "start": #""2026-10-05T00:00:00Z""#,
            "kwh": #""1.5""#,
        ]
        fields[field] = "\"" + String(repeating: "7", count: 140_000) + "\""
        let body = #"{"version":1,"direction":"consumption","# + fields.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
        let rejection = try #require(throws: ReadingRejection.self) { try ReadingMessage.decode(Array(body.utf8)) }
        #expect(rejection.shownDetail.utf8.count <= ReadingRejection.shownDetailBytes + 40)
        #expect(rejection.description.utf8.count <= ReadingRejection.shownDetailBytes + 80)
        if rejection.detail.utf8.count > ReadingRejection.shownDetailBytes {
            #expect(rejection.shownDetail.hasSuffix("(\(rejection.detail.utf8.count) bytes in all)"))
        }
    }

    /// The ingest's own rejections (a community of 140,000 characters is not ours) are cut the same way.
    @Test func aLongDetailIsCutWithItsSizeSaid() {
        let rejection = ReadingRejection(.notInCommunity, "community '" + String(repeating: "ü", count: 70_000) + "' is not eeg-demo")
        #expect(rejection.shownDetail.utf8.count < ReadingRejection.shownDetailBytes + 40)
        #expect(rejection.shownDetail.hasSuffix("… (140028 bytes in all)"))
        #expect(ReadingRejection(.badEnergy, "short").shownDetail == "short")
    }
}
