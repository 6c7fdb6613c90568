import EnergyCore
@testable import EnergyStore
import Foundation
import Testing

/// A fresh folder for one test's database files, removed at the end.
final class TemporaryFolder {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "energy-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

func smallCommunity(id: String = "eeg-store") throws -> Community {
    let points = try (1...3).map { i in
        MeteringPoint(zaehlpunkt: try Zaehlpunkt("AT003000000000000000000000000000\(i)"), direction: i == 1 ? .generation : .consumption, memberID: "M\(i)")
    }
    return Community(id: id, name: id, calendar: try LocalCalendar(timeZoneIdentifier: "Europe/Vienna"), allocationKey: .dynamic,
                     members: points.map { Member(id: $0.memberID, name: $0.memberID, meteringPoints: [$0]) })
}

func readings(_ community: Community, from: LocalDate, days: Int, value: (Int, Int) -> Int64) -> [Reading] {
    var out: [Reading] = []
    let range = community.calendar.quarterHours(from: from, to: from.adding(days: days))
    for (q, qh) in range.enumerated() {
        for (i, key) in community.pointKeys.enumerated() {
            out.append(Reading(point: key, start: qh, milliwattHours: value(q, i)))
        }
    }
    return out
}

@Suite struct SQLiteStoreTests {
    @Test func upsertIsIdempotentAndMarksDays() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteStore(path: folder.path + "/e.sqlite")
        let community = try smallCommunity()
        let day = try LocalDate("2026-10-25")
        let batch = readings(community, from: day, days: 1) { q, i in Int64(q * 10 + i) }
        let first = try store.upsert(batch, community: community)
        #expect(first.inserted == 300 && first.unchanged == 0 && first.corrected == 0)
        #expect(first.dirtyDays == [day])
        let versions = try store.dirtyDays(community: community.id)
        let second = try store.upsert(batch, community: community)
        #expect(second.inserted == 0 && second.unchanged == 300 && second.dirtyDays.isEmpty)
        #expect(try store.dirtyDays(community: community.id) == versions)
        var count = 0
        var last = QuarterHour(index: 0)
        try store.scanReadings(points: community.pointKeys, in: community.calendar.quarterHours(of: day)) { qh, index, mwh in
            #expect(qh >= last)
            last = qh
            let q = Int(qh.index - community.calendar.quarterHours(of: day).lowerBound.index)
            #expect(mwh == Int64(q * 10 + index))
            count += 1
        }
        #expect(count == 300)
    }

    @Test func aChangedValueIsACorrectionThatMarksItsDayAgain() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteStore(path: folder.path + "/e.sqlite")
        let community = try smallCommunity()
        let day = try LocalDate("2026-03-29")
        let batch = readings(community, from: day, days: 1) { _, _ in 1000 }
        _ = try store.upsert(batch, community: community)
        let before = try store.dirtyDays(community: community.id)
        var changed = batch[17]
        changed.milliwattHours = 1234
        let summary = try store.upsert([changed], community: community)
        #expect(summary.corrected == 1 && summary.inserted == 0)
        let after = try store.dirtyDays(community: community.id)
        #expect(after.count == 1 && after[0].version == before[0].version + 1)
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM corrections WHERE old_mwh = 1000 AND new_mwh = 1234") == 1)
        // A quality-only change is stored but is no correction of the figures.
        var requalified = changed
        requalified.quality = .substituted
        let quality = try store.upsert([requalified], community: community)
        #expect(quality.corrected == 0 && quality.unchanged == 1)
        #expect(try store.db.scalarInt("SELECT quality FROM readings WHERE mwh = 1234") == 1)
    }

    @Test func scanReturnsOnlyTheRequestedPointsAndRange() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteStore(path: folder.path + "/e.sqlite")
        let community = try smallCommunity()
        let day = try LocalDate("2026-10-01")
        _ = try store.upsert(readings(community, from: day, days: 2) { _, i in Int64(i) }, community: community)
        let only = [community.pointKeys[2]]
        var seen = 0
        let n = try store.scanReadings(points: only, in: community.calendar.quarterHours(of: day.adding(days: 1))) { _, index, mwh in
            #expect(index == 0 && mwh == 2)
            seen += 1
        }
        #expect(n == 96 && seen == 96)
    }

    @Test func savedDaysReadBackAndClearTheirMarkOnlyIfUnchanged() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteStore(path: folder.path + "/e.sqlite")
        let community = try smallCommunity()
        let day = try LocalDate("2026-10-25")
        _ = try store.upsert(readings(community, from: day, days: 1) { _, i in i == 0 ? 900 : 500 }, community: community)
        let dirty = try #require(try store.dirtyDays(community: community.id).first)
        var allocator = community.allocator()
        let range = community.calendar.quarterHours(of: day)
        let values = [Int64](repeating: 0, count: 100 * 3).enumerated().map { $0.offset % 3 == 0 ? Int64(900) : 500 }
        let allocation = DayAllocation(date: day, firstQuarterHour: range.lowerBound, values: values, allocator: &allocator)
        // Someone marks the day again while we computed: the mark must survive.
        _ = try store.upsert([Reading(point: community.pointKeys[1], start: range.lowerBound, milliwattHours: 501)], community: community)
        try store.saveDay(allocation, community: community, points: community.pointKeys, clearing: dirty)
        #expect(try store.dirtyDays(community: community.id).count == 1)
        let fresh = try #require(try store.dirtyDays(community: community.id).first)
        try store.saveDay(allocation, community: community, points: community.pointKeys, clearing: fresh)
        #expect(try store.dirtyDays(community: community.id).isEmpty)

        var series: [AllocationSeries] = []
        try store.allocationSeries(community: community.id, from: day, to: day.adding(days: 1)) { series.append($0) }
        #expect(series.count == 3)
        #expect(series.map(\.point) == community.pointKeys)
        #expect(series[1].interleaved == allocation.interleavedSeries(ofPoint: 1))
        let rows = try store.dayRollups(community: community.id, from: day, to: day.adding(days: 1))
        #expect(rows.count == 4)
        #expect(rows.first { $0.point == nil }?.totals == allocation.communityTotals)
        #expect(rows.first { $0.point == community.pointKeys[2] }?.totals == allocation.totals(ofPoint: 2))
    }

    @Test func migratesAnOlderFileAndRefusesANewerOne() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/old.sqlite"
        do {
            let raw = try SQLiteConnection(path: path)
            try raw.execute(SQLiteSchema.migrations[0])
            try raw.execute("PRAGMA user_version = 1")
            try raw.execute("INSERT INTO metering_points (zaehlpunkt, direction) VALUES ('AT0030000000000000000000000000001', 'consumption')")
        }
        let store = try SQLiteStore(path: path)
        #expect(try store.schemaVersion() == SQLiteSchema.version)
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM rollups_day_kwh") == 0)
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM metering_points") == 1)
        #expect(try store.db.scalarInt("SELECT 1 FROM pragma_journal_mode WHERE journal_mode = 'wal'") == 1)
        try store.db.execute("PRAGMA user_version = 99")
        #expect(throws: StoreError.newerSchema("sqlite:\(path)", found: 99, supported: SQLiteSchema.version)) { try SQLiteStore(path: path) }
    }

    @Test func locationsAndOpenErrors() throws {
        #expect(try StoreLocation.parse("sqlite:/tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        #expect(try StoreLocation.parse("data/e.sqlite") == .sqlite(path: "data/e.sqlite"))
        #expect(throws: StoreError.self) { try StoreLocation.parse("sqlite:") }
        #expect(throws: StoreError.self) { try StoreLocation.parse("postgres://x") }
        do {
            _ = try SQLiteStore(path: "/nonexistent-folder-\(UUID().uuidString)/e.sqlite")
            Issue.record("opening in a missing folder must fail")
        } catch {
            #expect("\(error)".contains("does not exist"))
        }
    }

    @Test func jobRunsAreRecorded() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteStore(path: folder.path + "/e.sqlite")
        let id = try store.startRun("rollup", community: "c", startedAt: 100)
        #expect(try store.jobRuns(community: "c", limit: 5).first?.result == nil)
        try store.finishRun(id, JobRunResult(outcome: "ok", firstDay: try LocalDate("2026-10-01"), lastDay: try LocalDate("2026-10-31"),
                                             days: 31, readings: 5), finishedAt: 160)
        let run = try #require(try store.jobRuns(community: "c", limit: 5).first)
        let lastDay = try LocalDate("2026-10-31")
        #expect(run.finishedAt == 160 && run.result?.days == 31 && run.result?.lastDay == lastDay)
        #expect(try store.jobRuns(community: "other", limit: 5).isEmpty)
    }
}
