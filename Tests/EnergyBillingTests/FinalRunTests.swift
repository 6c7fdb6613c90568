import EnergyBilling
import EnergyCore
import EnergyJobs
import EnergyReports
import EnergyTestSupport
import Foundation
import Testing

@testable import EnergyStore

@Suite(.serialized) struct FinalRunTests {
    @Test func aRerunOfAnIssuedPeriodRefusesReadingsChangedAfterTheirRollup() throws {
        let f = try BillingFixture(from: "2026-10-01", to: "2026-11-01")
        let run = BillingRun(store: f.store, community: f.community)
        let options = BillingRun.Options(
            period: try BillingPeriod("2026-10"), mode: .final, formats: [.csv], directory: f.folder.path + "/first")
        _ = try run.run(options)
        // A corrected reading on the 12th: its day is dirty, its rollup no longer says what is stored.
        let qh = f.community.calendar.quarterHours(of: try LocalDate("2026-10-12")).lowerBound
        let corrected = try f.store.upsert(
            [Reading(point: f.community.pointKeys[1], start: qh, milliwattHours: 123)], community: f.community)
        #expect(corrected.corrected == 1)
        do {
            _ = try run.run(options)
            Issue.record("a rerun over a day changed after its rollup must refuse")
        } catch let BillingError.stale(completeness, _) {
            #expect(completeness.staleDays == [try LocalDate("2026-10-12")])
        }
    }

    @Test func finalRunsNumberWithoutGapsReproduceTheirFilesAndNeverRenumber() throws {
        let f = try BillingFixture(from: "2026-10-01", to: "2026-12-01")
        try f.add(from: "2027-01-01", to: "2027-02-01")
        let run = BillingRun(store: f.store, community: f.community)
        func bill(_ period: String, _ mode: BillingRun.Mode, _ dir: String) throws -> BillingRun.Result {
            try run.run(.init(period: try BillingPeriod(period), mode: mode, formats: [.xlsx, .csv], directory: f.folder.path + "/" + dir))
        }
        let preview = try bill("2026-10", .preview, "preview")
        #expect(preview.numbers == [nil, nil, nil])
        #expect(
            try f.store.issuedStatements(community: "eeg-bill", from: try LocalDate("2026-01-01"), to: try LocalDate("2028-01-01")).isEmpty)

        let first = try bill("2026-10", .final, "first")
        #expect(first.numbers == ["2026-0001", "2026-0002", "2026-0003"] && !first.reissued)
        let again = try bill("2026-10", .final, "again")
        #expect(again.numbers == first.numbers && again.reissued)
        let firstFiles = try TemporaryFolder.files(in: f.folder.path + "/first")
        let againFiles = try TemporaryFolder.files(in: f.folder.path + "/again")
        #expect(firstFiles.count == 7 && firstFiles.keys.contains("statement-2026-0002-A.xlsx"))
        #expect(firstFiles == againFiles, "a rerun of a final run writes byte-identical files")

        // Members listed in another order: the same statements, numbers and files.
        var reordered = f.community
        reordered.members.reverse()
        let reorderedRun = try BillingRun(
            store: f.store,
            community: Community(
                id: reordered.id, name: reordered.name, calendar: reordered.calendar,
                allocationKey: reordered.allocationKey, members: reordered.members,
                tariff: reordered.tariff)
        )
        .run(.init(period: try BillingPeriod("2026-10"), mode: .final, formats: [.xlsx, .csv], directory: f.folder.path + "/reordered"))
        #expect(reorderedRun.numbers == ["2026-0003", "2026-0002", "2026-0001"])
        #expect(try TemporaryFolder.files(in: f.folder.path + "/reordered") == firstFiles)

        #expect(try bill("2026-11", .final, "nov").numbers == ["2026-0004", "2026-0005", "2026-0006"])
        #expect(throws: BillingError.self) { try bill("2026-Q4", .final, "q4") }
        #expect(try bill("2027-01", .final, "jan").numbers == ["2027-0001", "2027-0002", "2027-0003"])
        let issued2026 = try f.store.issuedStatements(
            community: "eeg-bill", from: try LocalDate("2026-01-01"), to: try LocalDate("2027-01-01"))
        #expect(issued2026.map(\.sequence) == [1, 2, 3, 4, 5, 6])

        // A corrected October reading, rolled up: the issued statements can no longer be reproduced.
        let key = f.community.pointKeys[1]
        let qh = f.community.calendar.quarterHours(of: try LocalDate("2026-10-07")).lowerBound
        _ = try f.store.upsert([Reading(point: key, start: qh, milliwattHours: 2_000_000)], community: f.community)
        let job = RollupJob(store: f.store, community: f.community)
        _ = try job.run(try job.plan(.range(from: try LocalDate("2026-10-07"), to: try LocalDate("2026-10-08"))))
        do {
            _ = try bill("2026-10", .final, "changed")
            Issue.record("a final rerun over changed data must refuse")
        } catch let error as BillingError {
            #expect("\(error)".contains("statement 2026-0002 (member A): its figures differ from the issued ones"))
            // More consumption for A changes A's and B's shares, not what the plant gave.
            #expect("\(error)".contains("statement 2026-0003 (member B)") && !"\(error)".contains("2026-0001 (member P)"))
        }
        #expect(
            try f.store.issuedStatements(community: "eeg-bill", from: try LocalDate("2026-01-01"), to: try LocalDate("2027-01-01")).count
                == 6)
        #expect(!FileManager.default.fileExists(atPath: f.folder.path + "/changed/statement-2026-0002-A.xlsx"))
        #expect(try bill("2026-10", .preview, "preview2").numbers == [nil, nil, nil])
    }

    @Test func aFinalRunRefusesMissingQuarterHoursUnlessAllowedAndThenSaysSo() throws {
        let gapStart = try QuarterHour(startSeconds: UTCTimestamp.parse("2026-11-05T10:00:00+01:00"))
        let f = try BillingFixture(from: "2026-11-01", to: "2026-12-01") { qh, point in
            point == 1 && (qh == gapStart || qh == gapStart.next)
        }
        let run = BillingRun(store: f.store, community: f.community)
        let period = try BillingPeriod("2026-11")
        let out = f.folder.path + "/out"
        do {
            _ = try run.run(.init(period: period, mode: .final, formats: [.xlsx, .csv], directory: out))
            Issue.record("a final run over missing readings must refuse")
        } catch let error as BillingError {
            let text = "\(error)"
            #expect(text.contains("2 quarter hours have no reading"))
            #expect(text.contains("AT0030000000000000000000000000002 (consumption): 2 of 2880 quarter hours missing: 2026-11-05 (2)"))
            #expect(text.contains("--allow-incomplete"))
        }
        #expect(try f.store.issuedStatements(community: "eeg-bill", from: period.from, to: period.to).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: out))

        let allowed = try run.run(.init(period: period, mode: .final, formats: [.xlsx, .csv], directory: out, allowIncomplete: true))
        #expect(allowed.numbers == ["2026-0001", "2026-0002", "2026-0003"])
        let issued = try f.store.issuedStatements(community: "eeg-bill", from: period.from, to: period.to)
        #expect(issued.map(\.incomplete) == [false, true, false])
        // Reproducing the issued statements needs no flag: they are what they are.
        let again = try run.run(.init(period: period, mode: .final, formats: [.csv], directory: f.folder.path + "/again"))
        #expect(again.reissued && again.numbers == allowed.numbers)
        let book = try OpenPyXL.read(out + "/statement-2026-0002-A.xlsx")
        #expect(book.text("Summary", 7, 1) == "INCOMPLETE: 2 quarter hours without a reading (counted as 0)")
        let accounting = try String(contentsOfFile: out + "/statements-2026-11.csv", encoding: .utf8).components(separatedBy: "\r\n")
        #expect(accounting[2].hasPrefix("2026-0002,final,,") && accounting[2].hasSuffix(",2,0,"))
        // The missing quarter hours are empty cells in the 15-minute sheet, not zeros.
        let rows = try #require(book.sheets["QuarterHours"])
        let gapRows = rows.filter { $0.first as? String == "2026-11-05T10:00:00" || $0.first as? String == "2026-11-05T10:15:00" }
        #expect(gapRows.count == 2 && gapRows.allSatisfy { $0[1] == nil && ($0[2] as? NSNumber)?.doubleValue == 0 })
    }

    @Test func daysChangedAfterTheirRollupAreNeverBilledFinally() throws {
        let f = try BillingFixture(from: "2026-11-01", to: "2026-12-01")
        let qh = f.community.calendar.quarterHours(of: try LocalDate("2026-11-10")).lowerBound
        _ = try f.store.upsert([Reading(point: f.community.pointKeys[2], start: qh, milliwattHours: 5)], community: f.community)
        let period = try BillingPeriod("2026-11")
        do {
            _ = try BillingRun(store: f.store, community: f.community)
                .run(.init(period: period, mode: .final, formats: [.csv], directory: f.folder.path + "/out", allowIncomplete: true))
            Issue.record("stale rollups must refuse")
        } catch let error as BillingError {
            #expect("\(error)".contains("1 days changed after their rollup: 2026-11-10") && "\(error)".contains("energy rollup"))
        }
        #expect(try f.store.issuedStatements(community: "eeg-bill", from: period.from, to: period.to).isEmpty)
    }
}

@Suite struct ReconciliationTests {
    @Test func aRunFailsAndWritesNothingWhenTheCommunityTotalsDisagree() throws {
        let f = try BillingFixture(from: "2026-11-01", to: "2026-12-01")
        // Tamper with the community's day rollup of one day: 1 mWh more shared than its points say.
        let raw = try #require(f.store as? SQLiteStore)
        try raw.db.execute("UPDATE rollups_day SET shared_mwh = shared_mwh + 1 WHERE point = 0 AND day = '2026-11-03'")
        let period = try BillingPeriod("2026-11")
        let out = f.folder.path + "/out"
        do {
            _ = try BillingRun(store: f.store, community: f.community).run(
                .init(period: period, mode: .final, formats: [.csv], directory: out))
            Issue.record("an unbalanced reconciliation must fail the run")
        } catch let error as BillingError {
            #expect(
                "\(error)".contains(
                    "members received 2592000000 mWh = taken from generators 2592000000 mWh = community shared 2592000001 mWh"))
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try f.store.issuedStatements(community: "eeg-bill", from: period.from, to: period.to).isEmpty)
    }
}

@Suite struct BatchTests {
    @Test func workbooksWrittenInBatchesAreTheSameAsInOne() throws {
        let f = try BillingFixture(from: "2026-10-01", to: "2026-11-01")
        let run = BillingRun(store: f.store, community: f.community)
        let period = try BillingPeriod("2026-10")
        _ = try run.run(.init(period: period, mode: .preview, formats: [.xlsx], directory: f.folder.path + "/one"))
        // A budget of one byte: every member is its own batch, one thread.
        _ = try run.run(
            .init(
                period: period, mode: .preview, formats: [.xlsx], directory: f.folder.path + "/many", threads: 1,
                seriesBudgetBytes: 1))
        for member in ["P", "A", "B"] {
            let name = "/preview-2026-10-\(member).xlsx"
            let one = try #require(FileManager.default.contents(atPath: f.folder.path + "/one" + name))
            #expect(one == FileManager.default.contents(atPath: f.folder.path + "/many" + name), "\(name)")
        }
        let book = try OpenPyXL.read(f.folder.path + "/many/preview-2026-10-B.xlsx")
        #expect(book.number("QuarterHours", 1, 2) == 0.3)
    }
}
