import EnergyBilling
import EnergyCore
import EnergyStore
import EnergyTestSupport
import Foundation
import Testing

@Suite struct IssuedStatementRendererTests {
    @Test func rendersTheFinalRunsFilesByteForByteAndRefusesChangedData() throws {
        let f = try BillingFixture(from: "2026-10-01", to: "2026-11-01")
        let clock = ManualClock(at: 1_794_000_000)  // 2026-11-06, the issue date the files show
        var run = BillingRun(store: f.store, community: f.community)
        run.clock = clock
        let directory = f.folder.path + "/final"
        let result = try run.run(
            .init(period: try BillingPeriod("2026-10"), mode: .final, formats: [.xlsx, .csv, .pdf], directory: directory))
        #expect(result.issuedOn == (try LocalDate("2026-11-06")))
        let issued = try f.store.issuedStatements(
            community: f.community.id, from: try LocalDate("2026-10-01"), to: try LocalDate("2026-11-01"))
        #expect(issued.count == 3)
        let renderer = IssuedStatementRenderer(store: f.store, community: f.community)
        for statement in issued {
            let stem = BillingRun.fileStem(period: try BillingPeriod("2026-10"), memberID: statement.memberID, number: statement.number)
            for format in [BillingRun.Format.xlsx, .csv, .pdf] {
                let written = try #require(FileManager.default.contents(atPath: "\(directory)/\(stem).\(format.rawValue)"))
                let rendered = try renderer.render(statement, as: format)
                #expect(rendered == written, "\(stem).\(format.rawValue) rendered from the store equals the final run's file")
            }
        }
        // The rendered workbook is a real XLSX file an independent reader opens.
        let xlsx = f.folder.path + "/rendered.xlsx"
        try renderer.render(issued[1], as: .xlsx).write(to: URL(fileURLWithPath: xlsx))
        #expect(try OpenPyXL.read(xlsx).sheets["Summary"] != nil)

        // A correction after the final run: the statement cannot be reproduced.
        try f.add(from: "2026-10-10", to: "2026-10-11", value: 1_100_000)
        #expect(throws: BillingError.self) { try renderer.render(issued[1], as: .csv) }
    }

    @Test func rendersACancellationFromWhatItStoredEvenAfterTheDataChanged() throws {
        let f = try BillingFixture(from: "2026-10-01", to: "2026-11-01")
        let run = BillingRun(store: f.store, community: f.community)
        let directory = f.folder.path + "/out"
        _ = try run.run(.init(period: try BillingPeriod("2026-10"), mode: .final, formats: [.csv], directory: directory))
        try f.add(from: "2026-10-10", to: "2026-10-11", value: 1_100_000)
        let cancel = try run.cancel(.init(number: "2026-0002", reason: "Korrektur", formats: [.xlsx, .csv, .pdf], directory: directory))
        let renderer = IssuedStatementRenderer(store: f.store, community: f.community)
        for format in [BillingRun.Format.xlsx, .csv, .pdf] {
            let written = try #require(FileManager.default.contents(atPath: "\(directory)/cancellation-2026-0004-A.\(format.rawValue)"))
            #expect(try renderer.render(cancel.cancellation, as: format) == written, "\(format)")
        }
        // The cancelled statement itself no longer reproduces (its data changed): refused, not guessed.
        #expect(throws: BillingError.self) { try renderer.render(cancel.cancelled, as: .pdf) }
    }
}
