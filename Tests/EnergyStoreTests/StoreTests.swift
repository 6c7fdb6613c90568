import EnergyCore
import EnergyTestSupport
import Foundation
import Testing

@testable import EnergyStore

func smallCommunity(id: String = "eeg-store") throws -> Community {
    let points = try (1...3).map { i in
        MeteringPoint(
            zaehlpunkt: try Zaehlpunkt("AT003000000000000000000000000000\(i)"), direction: i == 1 ? .generation : .consumption,
            memberID: "M\(i)")
    }
    return Community(
        id: id, name: id, calendar: try LocalCalendar(timeZoneIdentifier: "Europe/Vienna"), allocationKey: .dynamic,
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

/// The backends every store test runs against: SQLite on disk, and MongoDB on the test server
/// that `make test` starts (ENERGY_TEST_MONGODB_URI), each test in a database of its own.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, mongodb
    var testDescription: String { rawValue }
}

/// A store of one backend that cleans up after itself.
final class TestStore {
    let folder = TemporaryFolder()
    let store: any ReadingStore
    /// The small community (`smallCommunity()`), for the tests that need one.
    let community: Community
    private var mongoDatabase: String?

    init(_ backend: Backend) throws {
        community = try smallCommunity()
        switch backend {
        case .sqlite:
            store = try SQLiteStore(path: folder.path + "/e.sqlite")
        case .mongodb:
            let database = TestServers.uniqueDatabaseName()
            store = try MongoStore(uri: try TestServers.mongoURI(database: database))
            mongoDatabase = database
        }
    }

    deinit {
        if let mongoDatabase, let mongo = store as? MongoStore {
            _ = try? mongo.db.command(BSONDocument(["dropDatabase": .int32(1)]), database: mongoDatabase)
        }
    }
}

@Suite struct StoreContractTests {
    @Test(arguments: Backend.allCases)
    func upsertIsIdempotentAndMarksDays(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let (store, community) = (fixture.store, fixture.community)
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
        try store.scanReadings(community: community.id, points: community.pointKeys, in: community.calendar.quarterHours(of: day)) {
            qh, index, mwh in
            #expect(qh >= last)
            last = qh
            let q = Int(qh.index - community.calendar.quarterHours(of: day).lowerBound.index)
            #expect(mwh == Int64(q * 10 + index))
            count += 1
        }
        #expect(count == 300)
    }

    @Test(arguments: Backend.allCases)
    func aChangedValueIsACorrectionThatMarksItsDayAgain(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let (store, community) = (fixture.store, fixture.community)
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
        #expect(try correctionCount(store, old: 1000, new: 1234) == 1)
        // The same value of worse quality is refused (the measured one stands), and marks nothing.
        var requalified = changed
        requalified.quality = .substituted
        let quality = try store.upsert([requalified], community: community)
        #expect(quality.corrected == 0 && quality.keptBetter == 1 && quality.dirtyDays.isEmpty)
        #expect(try store.upsert([changed], community: community).unchanged == 1)  // the measured value is still there
    }

    func correctionCount(_ store: any ReadingStore, old: Int64, new: Int64) throws -> Int {
        if let sqlite = store as? SQLiteStore {
            return Int(try sqlite.db.scalarInt("SELECT COUNT(*) FROM corrections WHERE old_mwh = \(old) AND new_mwh = \(new)") ?? 0)
        }
        let mongo = try #require(store as? MongoStore)
        var count = 0
        try mongo.db.find("corrections", filter: BSONDocument(["old_mwh": .int64(old), "new_mwh": .int64(new)])) { _ in count += 1 }
        return count
    }

    @Test(arguments: Backend.allCases)
    func scanReturnsOnlyTheRequestedPointsAndRange(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let (store, community) = (fixture.store, fixture.community)
        let day = try LocalDate("2026-10-01")
        _ = try store.upsert(readings(community, from: day, days: 2) { _, i in Int64(i) }, community: community)
        let only = [community.pointKeys[2]]
        var seen = 0
        let n = try store.scanReadings(community: community.id, points: only, in: community.calendar.quarterHours(of: day.adding(days: 1)))
        { _, index, mwh in
            #expect(index == 0 && mwh == 2)
            seen += 1
        }
        #expect(n == 96 && seen == 96)
    }

    @Test(arguments: Backend.allCases)
    func savedDaysReadBackAndClearTheirMarkOnlyIfUnchanged(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let (store, community) = (fixture.store, fixture.community)
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

        // Read for some points only: exactly their rows, no community row, nothing of the others.
        let some = [community.pointKeys[2], community.pointKeys[0]]
        let filtered = try store.dayRollups(community: community.id, from: day, to: day.adding(days: 1), of: some)
        #expect(Set(filtered.compactMap(\.point)) == Set(some) && filtered.count == 2)
        #expect(filtered.first { $0.point == community.pointKeys[2] }?.totals == allocation.totals(ofPoint: 2))
        var filteredSeries: [AllocationSeries] = []
        try store.allocationSeries(community: community.id, from: day, to: day.adding(days: 1), of: [community.pointKeys[1]]) {
            filteredSeries.append($0)
        }
        #expect(filteredSeries.map(\.point) == [community.pointKeys[1]])
        #expect(filteredSeries.first?.interleaved == allocation.interleavedSeries(ofPoint: 1))
        #expect(try store.dayRollups(community: community.id, from: day, to: day.adding(days: 1), of: []).isEmpty)
    }

    @Test(arguments: Backend.allCases)
    func jobRunsAreRecorded(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let store = fixture.store
        let id = try store.startRun("rollup", community: "c", startedAt: 100)
        #expect(try store.jobRuns(community: "c", limit: 5).first?.result == nil)
        try store.finishRun(
            id,
            JobRunResult(
                outcome: .ok, firstDay: try LocalDate("2026-10-01"), lastDay: try LocalDate("2026-10-31"),
                days: 31, readings: 5), finishedAt: 160)
        let run = try #require(try store.jobRuns(community: "c", limit: 5).first)
        let lastDay = try LocalDate("2026-10-31")
        #expect(run.finishedAt == 160 && run.result?.days == 31 && run.result?.lastDay == lastDay)
        #expect(try store.jobRuns(community: "other", limit: 5).isEmpty)
        let second = try store.startRun("rollup", community: "c", startedAt: 200)
        #expect(second > id)
        #expect(try store.jobRuns(community: nil, limit: 5).map(\.id) == [second, id])
    }

    @Test(arguments: Backend.allCases)
    func aLeaseHasOneHolderUntilItIsReleasedOrExpires(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let store = fixture.store
        #expect(try store.acquireLease("rollup/c", holder: "a", now: 1000, seconds: 60) == nil)
        #expect(try store.acquireLease("rollup/c", holder: "a", now: 1010, seconds: 60) == nil)  // renewal
        #expect(try store.acquireLease("rollup/c", holder: "b", now: 1020, seconds: 60) == Lease(holder: "a", expires: 1070))
        #expect(try store.acquireLease("rollup/other", holder: "b", now: 1020, seconds: 60) == nil)
        try store.releaseLease("rollup/c", holder: "b")  // not b's: no effect
        #expect(try store.acquireLease("rollup/c", holder: "b", now: 1030, seconds: 60) != nil)
        try store.releaseLease("rollup/c", holder: "a")
        #expect(try store.acquireLease("rollup/c", holder: "b", now: 1040, seconds: 60) == nil)
        // b is killed and never releases: after expiry, a takes over.
        #expect(try store.acquireLease("rollup/c", holder: "a", now: 1099, seconds: 60) != nil)
        #expect(try store.acquireLease("rollup/c", holder: "a", now: 1100, seconds: 60) == nil)
    }
}

@Suite struct SQLiteStoreTests {
    /// An SQLite file as an older version left it: the first `migrations` only, then `sql`.
    static func oldFile(migrations: Int, then sql: [String] = []) throws -> (TemporaryFolder, String) {
        let folder = TemporaryFolder()
        let path = folder.path + "/old.sqlite"
        let raw = try SQLiteConnection(path: path)
        for migration in SQLiteSchema.migrations.prefix(migrations) { try raw.execute(migration) }
        try raw.execute("PRAGMA user_version = \(migrations)")
        for statement in sql { try raw.execute(statement) }
        raw.close()
        return (folder, path)
    }

    @Test func migratesAnOlderFileAndRefusesANewerOne() throws {
        let (folder, path) = try Self.oldFile(
            migrations: 1,
            then: ["INSERT INTO metering_points (zaehlpunkt, direction) VALUES ('AT0030000000000000000000000000001', 'consumption')"])
        defer { withExtendedLifetime(folder) {} }
        let store = try SQLiteStore(path: path)
        #expect(try store.schemaVersion() == SQLiteSchema.version)
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM rollups_day_kwh") == 0)
        #expect(try store.db.scalarInt("SELECT COUNT(*) FROM metering_points") == 1)
        #expect(try store.db.scalarInt("SELECT 1 FROM pragma_journal_mode WHERE journal_mode = 'wal'") == 1)
        try store.db.execute("PRAGMA user_version = 99")
        #expect(throws: StoreError.newerSchema("sqlite:\(path)", found: 99, supported: SQLiteSchema.version)) {
            try SQLiteStore(path: path)
        }
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

}
