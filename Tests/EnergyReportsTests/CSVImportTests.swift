import EnergyCore
import EnergyIngest
import EnergySimulator
import EnergyStore
import EnergyTestSupport
import Foundation
import Testing

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

    @Test func aMissingFileIsAClearError() throws {
        let f = try SimulatedFixture(days: 0)
        #expect(throws: ImportError.self) {
            try CSVImport(store: f.store, community: f.community).run(path: "/no/such.csv", onRejection: { _ in })
        }
    }
}
