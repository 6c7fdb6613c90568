import EnergyCore
import EnergyReports
import EnergyTestSupport
import Testing

@testable import EnergyAPI

/// The rollups answer's rows are written straight into bytes: the text must stay exactly what
/// rendering a `JSONText` object per row gives (the API's answers must not change).
@Suite struct RollupRowsJSONTests {
    @Test func bytesMatchTheRowObjectsRendered() throws {
        let vienna = try LocalCalendar(timeZoneIdentifier: "Europe/Vienna")
        let point = try Zaehlpunkt("AT0030000000000000000100000000002")
        var random = SplitMix64(seed: 16)
        func value() -> Int64 {
            // Zero, small, large and negative values: every shape of the six decimals.
            switch random.next() % 4 {
            case 0: return 0
            case 1: return Int64(random.next() % 1_000)
            case 2: return Int64(random.next() % 10_000_000_000)
            default: return -Int64(random.next() % 5_000_000)
            }
        }
        var rows: [ReportRow] = []
        // A year of hours (both daylight-saving changes) of the community and of each direction.
        var start = try UTCTimestamp.parse("2025-12-31T22:00:00Z")
        for i in 0..<9_000 {
            let key: PointKey? =
                switch i % 3 {
                case 0: nil
                case 1: PointKey(zaehlpunkt: point, direction: .consumption)
                default: PointKey(zaehlpunkt: point, direction: .generation)
                }
            let totals = EnergyTotals(
                consumed: value(), produced: value(), shared: value(), grid: value(), surplus: value(),
                intervals: Int(random.next() % 200), expectedIntervals: Int(random.next() % 200) - 4, dsoIntervals: Int(random.next() % 3))
            rows.append(ReportRow(bucketStart: start, point: key, totals: totals))
            start += 3_600
        }
        var offsets = vienna.offsetCache()
        let bytes = RollupRowsJSON.render(rows, offsets: &offsets)
        var reference = vienna.offsetCache()
        let expected = JSONText.array(rows.map { RollupRowsJSON.object($0, offsets: &reference) }).rendered
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        var none = vienna.offsetCache()
        #expect(RollupRowsJSON.render([], offsets: &none) == Array("[]".utf8))
    }

    @Test func renderedTextIsCopiedAsItIsInEitherStyle() {
        let value = JSONText.object([("a", .int(1)), ("rows", .rendered(Array(#"[{"x":1},{"y":2}]"#.utf8)))])
        #expect(value.rendered == #"{"a":1,"rows":[{"x":1},{"y":2}]}"#)
        var spaced: [UInt8] = []
        value.render(into: &spaced, style: .spaced)
        #expect(String(decoding: spaced, as: UTF8.self) == #"{"a": 1, "rows": [{"x":1},{"y":2}]}"#)
    }
}
