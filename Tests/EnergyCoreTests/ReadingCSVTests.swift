import EnergyCore
import Foundation
import Testing

@Suite struct ReadingCSVTests {
    let community = try! CommunityFile.parse(
        CommunityFileTests.valid.replacingOccurrences(of: "static", with: "dynamic")
            .replacingOccurrences(of: ", share: 20", with: "").replacingOccurrences(of: ", share: 12.5", with: ""), source: "t")

    func parse(_ text: String, chunk: Int = 1 << 20) -> ([Reading], [RowRejection]) {
        var parser = ReadingCSVParser(community: community)
        var accepted: [Reading] = []
        var rejected: [RowRejection] = []
        let bytes = Array(text.utf8)
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + chunk)
            bytes[offset..<end].withUnsafeBufferPointer { buffer in
                parser.feed(buffer, isLast: end == bytes.count, accept: { accepted.append($0) }, reject: { rejected.append($0) })
            }
            offset = end
        } while offset < bytes.count
        return (accepted, rejected)
    }

    static let sample = """
        zaehlpunkt,start,direction,kwh,quality
        AT0030000000000000000000000000001,2026-10-01T00:00:00Z,consumption,0.250,measured
        AT0030000000000000000000000000001,2026-10-01T02:15:00+02:00,consumption,0.000244,
        AT0030000000000000000000000000002,2026-10-01T00:00:00Z,generation,1.5,estimated
        AT003000000000000000000000000000,2026-10-01T00:00:00Z,consumption,1,measured
        AT0030000000000000000000000000001,2026-10-01T00:07:00Z,consumption,1,measured
        AT0030000000000000000000000000001,2026-10-01T00:30:00Z,consumption,-1,measured
        AT0030000000000000000000000000001,2026-10-01T00:45:00Z,consumption,nan,measured
        AT0030000000000000000000000000009,2026-10-01T00:45:00Z,consumption,1,measured
        AT0030000000000000000000000000002,2026-10-01T00:45:00Z,consumption,1,measured
        AT0030000000000000000000000000001,2026-10-01T01:00:00Z,consumption,1,guessed
        AT0030000000000000000000000000001,2026-10-01T01:00:00Z,consumption
        AT0030000000000000000000000000001,2026-10-01T01:15:00,consumption,1,measured
        AT0030000000000000000000000000001,2026-10-01T01:30:00Z,consumption,20000,measured
        AT0030000000000000000000000000003,2026-10-01T01:45:00Z,consumption,0.1234567,measured

        """

    @Test func acceptsValidRowsAndRejectsEachBadOneWithItsLine() {
        let (accepted, rejected) = parse(Self.sample)
        #expect(accepted.count == 3)
        #expect(accepted[1].milliwattHours == 244 && accepted[1].start.startSeconds == 1_790_813_700)
        #expect(accepted[2].quality == .estimated && accepted[2].point.direction == .generation)
        #expect(rejected.map(\.line) == Array(5...15))
        let reasons = rejected.map(\.reason)
        #expect(reasons[0].contains("32 characters"))
        #expect(reasons[1].contains("quarter-hour grid"))
        #expect(reasons[2].contains("negative"))
        #expect(reasons[3].contains("not a decimal"))
        #expect(reasons[4].contains("not a metering point of community"))
        #expect(reasons[5].contains("is a generation point"))
        #expect(reasons[6].contains("quality 'guessed'"))
        #expect(reasons[7].contains("fields"))
        #expect(reasons[8].contains("no UTC offset"))
        #expect(reasons[9].contains("implausible"))
        #expect(reasons[10].contains("more than 6 decimals"))
    }

    @Test func chunkBoundariesDoNotChangeTheResult() {
        let whole = parse(Self.sample)
        for chunk in [1, 2, 7, 33, 64, 100] {
            let pieces = parse(Self.sample, chunk: chunk)
            #expect(pieces.0 == whole.0, "chunk \(chunk)")
            #expect(pieces.1 == whole.1, "chunk \(chunk)")
        }
    }

    @Test func handlesCRLFByteOrderMarkQuotesAndColumnOrder() {
        let text =
            "\u{FEFF}kwh,direction,\"zaehlpunkt\",start\r\n\"0.5\",consumption,\"AT0030000000000000000000000000001\",2026-10-01T00:00:00Z\r\n"
        let (accepted, rejected) = parse(text)
        #expect(rejected.isEmpty)
        #expect(accepted.count == 1 && accepted[0].milliwattHours == 500_000 && accepted[0].quality == .measured)
    }

    @Test func aWrongHeaderIsFatal() {
        let (accepted, rejected) = parse("zp,when,kwh\nAT0030000000000000000000000000001,2026-10-01T00:00:00Z,1\n")
        #expect(accepted.isEmpty)
        #expect(rejected.first?.fatal == true && rejected.first?.reason.contains("lacks zaehlpunkt") == true)
    }

    @Test func writerOutputParsesBackToTheSameReadings() {
        let (accepted, _) = parse(Self.sample)
        let text = ReadingCSVWriter.header + "\n" + String(decoding: ReadingCSVWriter.data(accepted), as: UTF8.self)
        #expect(parse(text).0 == accepted)
    }
}
