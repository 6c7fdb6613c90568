import EnergyCore
import EnergyEDA
import EnergyTestSupport
import Foundation
import Testing

/// The same grid-operator data through every format `energy import` reads, into stores of their
/// own: the two EDA formats give byte-identical reports, and the canonical CSV of the readings the
/// same consumed and produced figures. Both clock changes are in it (92 and 100 quarter hours, the
/// repeated hour kept apart), and L2 and L3 values.
@Suite struct ThreeFormatsTests {
    static let spring = ["2026-03-28", "2026-03-29", "2026-03-30"]
    static let autumn = ["2026-10-24", "2026-10-25", "2026-10-26"]

    struct Setup {
        let folder = TemporaryFolder()
        let community: Community
        let communityPath: String
        let fixture: GridOperatorFixture

        init() throws {
            let yaml = ThreeMemberCommunity.yaml(id: "eeg-formats", name: "EEG Formats", participationB: 50)
            communityPath = folder.path + "/c.yaml"
            try yaml.write(toFile: communityPath, atomically: true, encoding: .utf8)
            community = try CommunityFile.parse(yaml, source: communityPath)
            var fixture = GridOperatorFixture(community: community, days: try (spring + autumn).map(LocalDate.init))
            // Substitute values: B's night of the autumn day is L2, one of A's spring quarter hours L3.
            let autumnDay = community.calendar.quarterHours(of: try LocalDate("2026-10-25")).lowerBound
            for q in 8..<16 { fixture.qualities[.init(point: 2, start: autumnDay.advanced(by: Int64(q)))] = .substituted }
            fixture.qualities[.init(point: 1, start: community.calendar.quarterHours(of: try LocalDate("2026-03-29")).lowerBound)] =
                .estimated
            self.fixture = fixture
        }

        func store(_ name: String) -> String { "sqlite:\(folder.path)/\(name).sqlite" }

        /// Imports `files` into a new store, rolls both spans up and returns the reports that must agree.
        func importAndReport(_ files: [String], into name: String) throws -> [String] {
            let store = store(name)
            let imported = try CLI.run(["import", "--community", communityPath, "--store", store] + files)
            #expect(imported.status == 0, "\(name): \(imported.stderr)")
            var reports: [String] = []
            for (from, to) in [("2026-03-28", "2026-03-31"), ("2026-10-24", "2026-10-27")] {
                let rollup = try CLI.run(["rollup", "--community", communityPath, "--store", store, "--from", from, "--to", to])
                #expect(rollup.status == 0, "\(rollup.stderr)")
                for arguments in [
                    ["--scope", "meter", "--granularity", "15m"], ["--scope", "community", "--granularity", "day"],
                ] {
                    let report = try CLI.run(
                        ["report", "--community", communityPath, "--store", store, "--from", from, "--to", to, "--format", "csv"]
                            + arguments)
                    #expect(report.status == 0, "\(report.stderr)")
                    reports.append(report.stdout)
                }
            }
            return reports
        }

        /// One CR_MSG per point and day, alternating schema versions 01.30 and 01.41.
        func writeCRMSG() throws -> String {
            let out = folder.path + "/crmsg"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let figures = fixture.figures()
            for (d, day) in fixture.days.enumerated() {
                let range = community.calendar.quarterHours(of: day)
                let writer = CRMSGWriter(version: d % 2 == 0 ? .v01p30 : .v01p41, calendar: community.calendar)
                for point in community.meteringPoints {
                    let mine = figures.filter { $0.zaehlpunkt == point.zaehlpunkt && range.contains($0.start) }
                    let bytes = try writer.write(mine, created: range.upperBound.startSeconds, sequence: d + 1)
                    try Data(bytes).write(to: URL(fileURLWithPath: "\(out)/\(point.zaehlpunkt)_\(day).xml"))
                }
            }
            return out
        }

        /// The EDA portal's workbooks of both spans, written by openpyxl in `spelling`.
        func writeWorkbooks(_ spelling: EDAWorkbookFixture.Spelling) throws -> [String] {
            let points = community.meteringPoints.map {
                EDAWorkbookFixture.Point(zaehlpunkt: $0.zaehlpunkt, direction: $0.direction, name: $0.memberID)
            }
            var paths: [String] = []
            for span in [spring, autumn] {
                let from = try LocalDate(span[0])
                let to = try LocalDate(span[span.count - 1]).adding(days: 1)
                let figures = fixture.figures().filter { community.calendar.quarterHours(from: from, to: to).contains($0.start) }
                let workbook = EDAWorkbookFixture(
                    points: points, figures: figures, calendar: community.calendar, from: from, to: to,
                    options: .init(spelling: spelling, decimalComma: spelling == .older))
                let path = folder.path + "/RC100181_\(span[0])_\(spelling).xlsx"
                try workbook.write(to: path)
                paths.append(path)
            }
            return paths
        }

        /// The readings alone, as canonical CSV.
        func writeCSV() throws -> String {
            let path = folder.path + "/readings.csv"
            let rows = fixture.figures().compactMap(\.reading).map(ReadingCSVParser.row)
            try ([ReadingCSVParser.header] + rows).joined(separator: "\n").appending("\n").write(
                toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    @Test func bothEDAFormatsGiveByteIdenticalReportsAndCSVTheSameConsumedAndProduced() throws {
        let setup = try Setup()
        let crmsg = try setup.importAndReport([try setup.writeCRMSG()], into: "crmsg")
        for spelling in EDAWorkbookFixture.Spelling.allCases {
            let workbook = try setup.importAndReport(try setup.writeWorkbooks(spelling), into: "workbook-\(spelling)")
            #expect(workbook == crmsg, "the workbook (\(spelling) spelling) and CR_MSG give the same reports, byte for byte")
        }
        let csv = try setup.importAndReport([try setup.writeCSV()], into: "csv")
        #expect(crmsg.count == csv.count)
        for (a, b) in zip(crmsg, csv) {
            let left = a.split(separator: "\n")
            let right = b.split(separator: "\n")
            #expect(left.count == right.count && left.count > 1)
            for (x, y) in zip(left, right) {
                let fx = x.split(separator: ",", omittingEmptySubsequences: false)
                let fy = y.split(separator: ",", omittingEmptySubsequences: false)
                // bucket, scope, zaehlpunkt, consumed, produced and intervals agree; the shares
                // are the DSO's in one and ours in the other, and only one counts DSO intervals.
                #expect(Array(fx[0...4]) == Array(fy[0...4]) && fx[8] == fy[8] && fx[9] == fy[9])
            }
        }
        // The autumn day's 100 quarter hours and the spring day's 92, per point.
        let autumn = crmsg[2].split(separator: "\n").dropFirst()
        #expect(autumn.filter { $0.hasPrefix("2026-10-25") }.count == 100 * 3)
        #expect(crmsg[0].split(separator: "\n").filter { $0.hasPrefix("2026-03-29") }.count == 92 * 3)
        #expect(autumn.filter { $0.hasPrefix("2026-10-25T02:00:00+02:00") || $0.hasPrefix("2026-10-25T02:00:00+01:00") }.count == 2 * 3)
        #expect(crmsg[3].split(separator: "\n").dropFirst().allSatisfy { $0.hasSuffix(",\(3 * 100)") || $0.hasSuffix(",\(3 * 96)") })
    }
}
