import EnergyCore
import EnergyTestSupport
import Foundation
import Testing

/// The readings CSV and the community file under 20,000 mutated inputs each (`make fuzz`: many
/// more): every input ends in values or errors, never a crash, and what is accepted is valid.
@Suite struct FuzzTests {
    @Test func theReadingsCSVParserNeverCrashesAndAcceptsOnlyValidReadings() throws {
        let zp = ThreeMemberCommunity.pointA
        let csv = """
            zaehlpunkt,start,direction,kwh,quality
            \(zp),2026-10-01T00:00:00Z,consumption,1.25,measured
            \(zp),2026-10-01T00:15:00+02:00,consumption,0.000001,estimated
            \(ThreeMemberCommunity.plant),2026-10-01T00:30:00Z,generation,12,substituted

            """
        let community = try CommunityFile.parse(ThreeMemberCommunity.yaml(id: "eeg-fuzz", name: "Fuzz"), source: "fuzz.yaml")
        let plausible = PlausibleTimes(now: 1_796_000_000)
        var accepted = 0
        let tried = try Fuzzer(
            name: "readings-csv", seeds: [Data(csv.utf8)],
            tokens: [",", "\n", "\r\n", "\"", "-1", "1e3", "NaN", "9999-12-31T23:45:00Z", "+02:00", "\u{FEFF}", "consumption", zp]
        ).run { bytes in
            var parser = ReadingCSVParser(community: community)
            parser.plausible = plausible
            // In two chunks split anywhere, as files arrive.
            let cut = bytes.isEmpty ? 0 : Int(bytes.count / 2)
            let check = { (reading: Reading) in
                accepted += 1
                #expect(reading.milliwattHours >= 0 && reading.milliwattHours <= Reading.plausibleMaximumMilliwattHours)
                #expect(reading.start >= plausible.earliest && reading.start < plausible.end)
                #expect(community.pointIndex(of: reading.point) != nil)
            }
            bytes.withUnsafeBufferPointer { all in
                parser.feed(UnsafeBufferPointer(rebasing: all[0..<cut]), isLast: false, accept: check, reject: { _ in })
                parser.feed(UnsafeBufferPointer(rebasing: all[cut...]), isLast: true, accept: check, reject: { _ in })
            }
        }
        #expect(tried >= 1_000 && accepted > 0, "\(tried) inputs, \(accepted) readings accepted")
    }

    @Test func theCommunityFileParserNeverCrashesAndFailsWithItsOwnError() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("reports/community.example.yaml")
        let seed = try Data(contentsOf: example)
        var parsed = 0
        let tried = try Fuzzer(
            name: "community-file", seeds: [seed],
            tokens: [": ", "\n  - ", "{", "}", "[", "]", "&a", "*a", "!!binary", "validFrom: 2027-01-01", "'", "\"", "\t", "~"],
            defaultInputs: 5_000
        ).run { bytes in
            do {
                _ = try CommunityFile.parse(String(decoding: bytes, as: UTF8.self), source: "fuzz.yaml", today: try LocalDate("2026-12-04"))
                parsed += 1
            } catch let error as CommunityFileError {
                #expect(!error.description.isEmpty && error.description.hasPrefix("fuzz.yaml"))
            }
        }
        #expect(tried >= 1_000 && parsed > 0, "\(tried) inputs, \(parsed) parsed")
    }
}
