import EnergyCore
import EnergyEDA
import EnergyTestSupport
import Foundation
import Testing

/// The grid operator's files through the real `energy` binary: import (a folder of CR_MSG files,
/// bad files and values named), reconcile's exit codes, and a final bill over L3 values.
@Suite struct GridOperatorCLITests {
    static let ecid = "AT00300000000RC100181000000000001"

    /// The three-member community with its EC-ID, written to `folder/c.yaml`.
    func community(in folder: TemporaryFolder, tariff: Bool = true) throws -> (Community, String) {
        let yaml =
            ThreeMemberCommunity.yaml(id: "eeg-eda", name: "EEG EDA", participationB: 50)
            .replacingOccurrences(of: "allocation: dynamic}", with: "allocation: dynamic, ecid: \(Self.ecid)}")
            + (tariff ? "\ntariffs: {consumption: 0.12, generation: 0.08}" : "")
        let path = folder.path + "/c.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return (try CommunityFile.parse(yaml, source: path), path)
    }

    /// One CR_MSG file per metering point and day of `fixture`, in `folder`.
    func writeFiles(_ fixture: GridOperatorFixture, to folder: String, version: CRMSGSchemaVersion = .v01p41) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let writer = CRMSGWriter(version: version, calendar: fixture.community.calendar)
        var paths: [String] = []
        for (d, day) in fixture.days.enumerated() {
            let range = fixture.community.calendar.quarterHours(of: day)
            for point in fixture.community.meteringPoints {
                let figures = fixture.figures().filter { $0.zaehlpunkt == point.zaehlpunkt && range.contains($0.start) }
                let path = "\(folder)/\(point.zaehlpunkt)_\(day).xml"
                let bytes = try writer.write(
                    figures, communityID: Self.ecid, created: range.upperBound.startSeconds + 3_600, sequence: d + 1)
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                paths.append(path)
            }
        }
        return paths
    }

    @Test func aFolderOfCRMSGFilesIsImportedOnceAndReconcilesWithOurAllocation() throws {
        let folder = TemporaryFolder()
        let (community, c) = try community(in: folder)
        let days = [try LocalDate("2026-10-25"), try LocalDate("2026-10-26")]
        let fixture = GridOperatorFixture(community: community, days: days)
        _ = try writeFiles(fixture, to: folder.path + "/inbox")
        let store = "sqlite:\(folder.path)/e.sqlite"
        let imported = try CLI.run(["import", "--community", c, "--store", store, folder.path + "/inbox"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let lines = imported.stdout.split(separator: "\n")
        #expect(lines.count == 7, "a line per file and one for the store: \(imported.stdout)")
        // A consumer's autumn day: 100 quarter hours of G.01, G.02 and G.03.
        #expect(lines.contains { $0.hasSuffix("0000002_2026-10-25.xml: 300 values (100 readings, 200 grid-operator figures), 0 rejected") })
        #expect(lines.last?.hasPrefix("6 grid-operator files: 1764 values: 1764 new, 0 corrected, 0 unchanged, 0 rejected; 2 days") == true)
        let again = try CLI.run(["import", "--community", c, "--store", store, folder.path + "/inbox"])
        #expect(
            again.status == 0
                && again.stdout.contains("6 grid-operator files: 1764 values: 0 new, 0 corrected, 1764 unchanged, 0 rejected; 0 days"))
        let rollup = try CLI.run(["rollup", "--community", c, "--store", store, "--from", "2026-10-25", "--to", "2026-10-27"])
        #expect(rollup.status == 0, "\(rollup.stderr)")
        let report = try CLI.run([
            "report", "--community", c, "--store", store, "--from", "2026-10-25", "--to", "2026-10-27", "--format", "csv",
        ])
        #expect(report.stdout.split(separator: "\n").dropFirst().allSatisfy { $0.hasSuffix(",\(3 * 100)") || $0.hasSuffix(",\(3 * 96)") })
        let agree = try CLI.run([
            "reconcile", "--community", c, "--store", store, "--from", "2026-10-25", "--to", "2026-10-27", "--format", "csv",
        ])
        #expect(agree.status == 0, "\(agree.stderr)")
        #expect(agree.stdout.split(separator: "\n").count == 1 + 2 * 3 + 2)
        let runs = try CLI.run(["runs", "--store", store])
        #expect(runs.stdout.contains("reconcile"))
    }

    @Test func reconcileExitsThreeOnTheInjectedDifferenceAndNamesIt() throws {
        let folder = TemporaryFolder()
        let (community, c) = try community(in: folder)
        let day = try LocalDate("2026-10-05")
        var fixture = GridOperatorFixture(community: community, days: [day])
        fixture.inject(point: 2, quarterHour: community.calendar.quarterHours(of: day).lowerBound.advanced(by: 50), extraShare: 2_500)
        _ = try writeFiles(fixture, to: folder.path + "/inbox", version: .v01p30)
        let store = "sqlite:\(folder.path)/e.sqlite"
        #expect(try CLI.run(["import", "--community", c, "--store", store, folder.path + "/inbox"]).status == 0)
        let check = try CLI.run(["reconcile", "--community", c, "--store", store, "--from", "2026-10-05", "--to", "2026-10-06"])
        #expect(check.status == 3)
        #expect(check.stdout.contains("AT0030000000000000000000000000003") && check.stdout.contains("0.002500"))
        #expect(!check.stdout.contains("AT0030000000000000000000000000002"), "only what differs is in the table")
        let tolerant = try CLI.run([
            "reconcile", "--community", c, "--store", store, "--from", "2026-10-05", "--to", "2026-10-06", "--tolerance-mwh", "2500",
            "--format", "json",
        ])
        #expect(tolerant.status == 0 && tolerant.stdout.contains(#""dso_conserves": true"#))
        let usage = try CLI.run(["reconcile", "--community", c, "--store", store, "--from", "2026-10-05"])
        #expect(usage.status == 64)
    }

    @Test func badFilesAndValuesAreNamedAndTheValidOnesStored() throws {
        let folder = TemporaryFolder()
        let (community, c) = try community(in: folder)
        let day = try LocalDate("2026-10-05")
        let fixture = GridOperatorFixture(community: community, days: [day])
        let paths = try writeFiles(fixture, to: folder.path + "/inbox")
        // A negative value in A's file; a stranger's file; a file for another community; a broken one.
        let a = try String(contentsOfFile: paths[1], encoding: .utf8)
        let firstBQ = try #require(a.range(of: "<cp:BQ>"))
        try a.replacingCharacters(in: firstBQ, with: "<cp:BQ>-").write(toFile: paths[1], atomically: true, encoding: .utf8)
        try a.replacingOccurrences(of: "AT0030000000000000000000000000002", with: "AT0030000000000000000000000000099")
            .write(toFile: folder.path + "/inbox/stranger.xml", atomically: true, encoding: .utf8)
        try a.replacingOccurrences(of: Self.ecid, with: "AT00300000000RC100999000000000001")
            .write(toFile: folder.path + "/inbox/other-community.xml", atomically: true, encoding: .utf8)
        try "<cp:ConsumptionRecord".write(toFile: folder.path + "/inbox/broken.xml", atomically: true, encoding: .utf8)
        let store = "sqlite:\(folder.path)/e.sqlite"
        let imported = try CLI.run(["import", "--community", c, "--store", store, "--log-level", "warning", folder.path + "/inbox"])
        #expect(imported.status == 1, "a file that cannot be read at all fails the run")
        #expect(imported.stderr.contains("broken.xml") && imported.stderr.contains("not well-formed"))
        #expect(imported.stderr.contains("EnergyData[1-1:1.9.0 G.01]/EP[1]") && imported.stderr.contains("negative"))
        #expect(imported.stderr.contains("stranger.xml: MeteringPoint AT0030000000000000000000000000099"))
        #expect(imported.stderr.contains("other-community.xml: ECID: the file is for EC-ID AT00300000000RC100999000000000001"))
        // The valid files and values are stored: 3 files of 96 × 3 values, less A's one negative value.
        #expect(imported.stdout.contains("0000002_2026-10-05.xml: 288 values (95 readings, 192 grid-operator figures), 1 rejected"))
        #expect(
            imported.stdout.contains(
                "5 grid-operator files: 1440 values: 3 × 288 - 1 new".replacingOccurrences(of: "3 × 288 - 1", with: "863")))
        let withoutBroken = try CLI.run(["import", "--community", c, "--store", store, paths[0], paths[1]])
        #expect(withoutBroken.status == 2, "values rejected, nothing failed")
        let forced = try CLI.run(["import", "--community", c, "--store", store, "--format", "crmsg", c])
        #expect(forced.status == 1 && forced.stderr.contains("c.yaml"))
        let unknownFormat = try CLI.run(["import", "--community", c, "--store", store, "--format", "pdf", c])
        #expect(unknownFormat.status == 64)
    }

    @Test func aFinalBillRefusesL3ValuesAndAllowUnreliableListsThem() throws {
        let folder = TemporaryFolder()
        let (community, c) = try community(in: folder)
        var days: [LocalDate] = []
        var day = try LocalDate("2026-11-01")
        while day < (try LocalDate("2026-12-01")) {
            days.append(day)
            day = day.adding(days: 1)
        }
        var fixture = GridOperatorFixture(community: community, days: days)
        let slot = community.calendar.quarterHours(of: days[9]).lowerBound.advanced(by: 30)
        fixture.qualities[.init(point: 1, start: slot)] = .estimated
        _ = try writeFiles(fixture, to: folder.path + "/inbox")
        let store = "sqlite:\(folder.path)/e.sqlite"
        #expect(try CLI.run(["import", "--community", c, "--store", store, folder.path + "/inbox"]).status == 0)
        #expect(try CLI.run(["rollup", "--community", c, "--store", store, "--from", "2026-11-01", "--to", "2026-12-01"]).status == 0)
        let bill = [
            "bill", "--community", c, "--store", store, "--period", "2026-11", "--final", "--format", "csv", "--out", folder.path + "/out",
        ]
        let refused = try CLI.run(bill)
        #expect(
            refused.status == 1 && refused.stderr.contains("AT0030000000000000000000000000002 (consumption) on 2026-11-10: 1 quarter hours")
        )
        let allowed = try CLI.run(bill + ["--allow-unreliable"])
        #expect(allowed.status == 0 && allowed.stdout.contains("--allow-unreliable: issued over 1 quarter hours of quality L3"))
        let accounting = try String(contentsOfFile: folder.path + "/out/statements-2026-11.csv", encoding: .utf8)
        #expect(accounting.contains(",dso_quarter_hours,reason\r\n") && accounting.contains(",0,2880,\r\n"))
    }

    @Test func simulatedGridOperatorFilesImportAndReconcileWithOurAllocation() throws {
        let folder = TemporaryFolder()
        let (_, c) = try community(in: folder)
        let simulated = try CLI.run([
            "simulate", "--community", c, "--from", "2026-10-25", "--to", "2026-10-27", "--crmsg-out", folder.path + "/eda",
        ])
        #expect(simulated.status == 0 && simulated.stdout.contains("6 CR_MSG files"), "\(simulated.stderr)")
        let store = "sqlite:\(folder.path)/e.sqlite"
        let imported = try CLI.run(["import", "--community", c, "--store", store, folder.path + "/eda"])
        #expect(imported.status == 0 && imported.stdout.contains("6 grid-operator files: 1764 values: 1764 new"), "\(imported.stdout)")
        #expect(try CLI.run(["rollup", "--community", c, "--store", store, "--from", "2026-10-25", "--to", "2026-10-27"]).status == 0)
        let check = try CLI.run(["reconcile", "--community", c, "--store", store, "--from", "2026-10-25", "--to", "2026-10-27"])
        #expect(check.status == 0 && check.stdout.contains("8 of 8 rows agree"), "\(check.stdout)")
        let both = try CLI.run([
            "simulate", "--community", c, "--from", "2026-10-25", "--to", "2026-10-26", "--out", "x", "--crmsg-out", "y",
        ])
        #expect(both.status == 64)
    }

    @Test func aCSVValueOfWorseQualityIsKeptOutAndCounted() throws {
        let folder = TemporaryFolder()
        let (_, c) = try community(in: folder, tariff: false)
        let store = "sqlite:\(folder.path)/e.sqlite"
        func write(_ name: String, kwh: String, quality: String) throws -> String {
            let path = folder.path + "/" + name
            try
                "zaehlpunkt,start,direction,kwh,quality\nAT0030000000000000000000000000002,2026-10-05T10:00:00Z,consumption,\(kwh),\(quality)\n"
                .write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let measured = try CLI.run(["import", "--community", c, "--store", store, try write("m.csv", kwh: "0.5", quality: "measured")])
        #expect(measured.stdout.contains("1 new"))
        let estimated = try CLI.run(["import", "--community", c, "--store", store, try write("e.csv", kwh: "0.7", quality: "estimated")])
        #expect(
            estimated.status == 0
                && estimated.stdout.contains("0 new, 0 corrected, 0 unchanged, 1 kept (better quality stored), 0 rejected; 0 days"))
        #expect(try CLI.run(["rollup", "--community", c, "--store", store, "--from", "2026-10-05", "--to", "2026-10-06"]).status == 0)
        let report = try CLI.run([
            "report", "--community", c, "--store", store, "--scope", "meter", "--zaehlpunkt", "AT0030000000000000000000000000002",
            "--granularity", "15m", "--from", "2026-10-05", "--to", "2026-10-06", "--format", "csv",
        ])
        #expect(report.stdout.contains(",meter,AT0030000000000000000000000000002,0.500000,"), "the measured value stands")
    }

    @Test func aWorkbooksBadCellIsNamedByRowAndColumnAndAContradictingWorkbookStoresNothing() throws {
        let folder = TemporaryFolder()
        let (community, c) = try community(in: folder)
        let day = try LocalDate("2026-10-05")
        let fixture = GridOperatorFixture(community: community, days: [day])
        let points = community.meteringPoints.map {
            EDAWorkbookFixture.Point(zaehlpunkt: $0.zaehlpunkt, direction: $0.direction, name: $0.memberID)
        }
        var workbook = EDAWorkbookFixture(
            points: points, figures: fixture.figures(), calendar: community.calendar, from: day, to: day.adding(days: 1))
        let noon = community.calendar.quarterHours(of: day).lowerBound.advanced(by: 48)
        let g03 = try #require(workbook.column(of: community.meteringPoints[1].zaehlpunkt, .coveredShare))
        workbook[workbook.row(of: noon), g03] = .text("-0,5")
        let bad = folder.path + "/RC100181_bad.xlsx"
        try workbook.write(to: bad)
        let store = "sqlite:\(folder.path)/e.sqlite"
        let imported = try CLI.run(["import", "--community", c, "--store", store, bad])
        #expect(imported.status == 2, "\(imported.stderr)")
        #expect(imported.stderr.contains("RC100181_bad.xlsx: row \(workbook.row(of: noon)), column "), "\(imported.stderr)")
        #expect(imported.stdout.contains("1 grid-operator file: 864 values: 863 new"), "\(imported.stdout)")
        // A producer's surplus above its production: the mapping is in doubt, nothing is stored.
        let p01t = try #require(workbook.column(of: community.meteringPoints[0].zaehlpunkt, .participatingSurplus))
        workbook[workbook.row(of: noon), p01t] = .number("1000")
        if let total = workbook.totalColumn("Restüberschuss bei EG und je ZP [KWH]") { workbook[workbook.row(of: noon), total] = .empty }
        let contradicting = folder.path + "/RC100181_contradicting.xlsx"
        try workbook.write(to: contradicting)
        let other = "sqlite:\(folder.path)/other.sqlite"
        let refused = try CLI.run(["import", "--community", c, "--store", other, contradicting])
        #expect(refused.status == 1 && refused.stderr.contains("RC100181_contradicting.xlsx") && refused.stderr.contains("column"))
        #expect(refused.stdout.contains("0 grid-operator files: 0 values: 0 new"), "\(refused.stdout)")
    }
}
