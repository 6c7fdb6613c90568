import EnergyCore
import EnergyIngest
import EnergySimulator
import EnergyTestSupport
import Foundation
import Testing

@testable import EnergyStore

@Suite struct CSVImportTests {
    @Test func storesValidRowsReportsBadOnesAndIsIdempotent() throws {
        let f = try SimulatedFixture(days: 0)
        var readings: [Reading] = []
        CommunitySimulator(community: f.community, seed: 1).simulate(from: f.from, to: f.from.adding(days: 1)) { readings += $0 }
        var text = ReadingCSVWriter.header + "\n" + String(decoding: ReadingCSVWriter.data(readings), as: UTF8.self)
        text += "AT0030000000000000000100000000001,2026-10-24T00:00:00Z,consumption,-5,measured\n"
        text += "garbage\n"
        let path = f.folder.path + "/in.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var lines: [Int] = []
        var importer = CSVImport(store: f.store, community: f.community)
        importer.batchSize = 100  // several store transactions
        importer.chunkSize = 4096  // rows split across reads
        let first = try importer.run(path: path, onRejection: { lines.append($0.line) })
        #expect(first.rows == readings.count + 2)
        #expect(first.rejected == 2 && lines == [readings.count + 2, readings.count + 3])
        #expect(first.stored.inserted == readings.count)
        let second = try importer.run(path: path, onRejection: { _ in })
        #expect(second.stored.inserted == 0 && second.stored.unchanged == readings.count && second.stored.corrected == 0)
        var stored = 0
        try f.store.scanReadings(
            community: f.community.id, points: f.community.pointKeys, in: f.community.calendar.quarterHours(of: f.from)
        ) { _, _, _ in stored += 1 }
        #expect(stored == readings.count)
    }

    @Test func aFullStoreSaysWhichStoreAndHowFarTheFileGotAndTheRerunStoresTheRest() throws {
        let f = try SimulatedFixture(days: 0)
        var readings: [Reading] = []
        CommunitySimulator(community: f.community, seed: 1).simulate(from: f.from, to: f.from.adding(days: 10)) { readings += $0 }
        let path = f.folder.path + "/in.csv"
        try (ReadingCSVWriter.header + "\n" + String(decoding: ReadingCSVWriter.data(readings), as: UTF8.self))
            .write(toFile: path, atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: f.folder.path + "/full.sqlite")
        // A disk that fills up: the file may grow by a few pages only.
        let pages = try #require(try store.db.scalarInt("PRAGMA page_count"))
        try store.db.execute("PRAGMA max_page_count = \(pages + 30)")
        var importer = CSVImport(store: store, community: f.community)
        importer.batchSize = 200
        importer.chunkSize = 4096  // batches of about 200 rows
        do {
            _ = try importer.run(path: path, onRejection: { _ in })
            Issue.record("the import must fail on a full store")
        } catch let ImportError.storeFailed(location, file, committed, error) {
            #expect(location == store.location && file == path && error.contains("full"), "\(error)")
            var stored = 0
            try store.scanReadings(
                community: f.community.id, points: f.community.pointKeys,
                in: f.community.calendar.quarterHours(from: f.from, to: f.from.adding(days: 10))
            ) { _, _, _ in stored += 1 }
            #expect(committed > 0 && committed < readings.count && stored == committed, "committed \(committed), stored \(stored)")
        }
        // Space again: the same import stores the rest and keeps what it had.
        try store.db.execute("PRAGMA max_page_count = 1073741823")
        let again = try importer.run(path: path, onRejection: { _ in })
        #expect(again.stored.inserted + again.stored.unchanged == readings.count && again.stored.unchanged > 0)
    }

    @Test func aMissingFileIsAClearError() throws {
        let f = try SimulatedFixture(days: 0)
        #expect(throws: ImportError.self) {
            try CSVImport(store: f.store, community: f.community).run(path: "/no/such.csv", onRejection: { _ in })
        }
    }
}
