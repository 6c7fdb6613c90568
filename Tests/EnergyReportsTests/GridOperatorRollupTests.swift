import EnergyCore
import EnergyJobs
import EnergyReports
import EnergyTestSupport
import Foundation
import Testing

@testable import EnergyStore

/// The grid operator's allocation in the rollups and in reconcile, on both backends: its figures
/// stored directly (the readers have their own tests), our allocation computed alongside.
@Suite struct GridOperatorRollupTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, mongodb
        var testDescription: String { rawValue }
    }

    /// A store of one backend that drops its MongoDB database afterwards.
    final class Store {
        let folder = TemporaryFolder()
        let store: any ReadingStore
        private var database: String?

        init(_ backend: Backend) throws {
            switch backend {
            case .sqlite: store = try SQLiteStore(path: folder.path + "/e.sqlite")
            case .mongodb:
                let name = TestServers.uniqueDatabaseName()
                store = try MongoStore(uri: try TestServers.mongoURI(database: name))
                database = name
            }
        }

        deinit {
            if let database, let mongo = store as? MongoStore {
                _ = try? mongo.db.command(BSONDocument(["dropDatabase": .int32(1)]), database: database)
            }
        }
    }

    static let days = ["2026-10-24", "2026-10-25", "2026-10-26"]

    func community() throws -> Community {
        try CommunityFile.parse(ThreeMemberCommunity.yaml(id: "eeg-dso", name: "EEG DSO", participationB: 50), source: "test.yaml")
    }

    /// Stores the fixture's readings and DSO figures, and rolls the days up.
    func load(_ fixture: GridOperatorFixture, into store: any ReadingStore) throws {
        let figures = fixture.figures()
        _ = try store.upsert(figures.compactMap(\.reading), community: fixture.community)
        _ = try store.upsert(figures.filter { !$0.meterCode.isReading }, community: fixture.community)
        let job = RollupJob(store: store, community: fixture.community)
        let first = try #require(fixture.days.first)
        _ = try job.run(try job.plan(.range(from: first, to: first.adding(days: fixture.days.count))))
    }

    /// 12:00 local on `day`: production exceeds demand, so an injected share can be given.
    func noon(_ community: Community, _ day: String) throws -> QuarterHour {
        community.calendar.quarterHours(of: try LocalDate(day)).lowerBound.advanced(by: 48)
    }

    @Test(arguments: Backend.allCases)
    func rollupsUseTheDSOSharesAndCountThem(backend: Backend) throws {
        let c = try community()
        let days = try Self.days.map(LocalDate.init)
        var fixture = GridOperatorFixture(community: c, days: days)
        fixture.inject(point: 1, quarterHour: try noon(c, "2026-10-25"), extraShare: 125)
        let s = try Store(backend)
        try load(fixture, into: s.store)
        let figures = fixture.figures()
        let rows = try s.store.dayRollups(community: c.id, from: days[0], to: days[0].adding(days: 3))
        for (d, day) in days.enumerated() {
            let range = c.calendar.quarterHours(of: day)
            let dayRows = rows.filter { $0.bucketStart == range.lowerBound.startSeconds }
            for (i, key) in c.pointKeys.enumerated() {
                let row = try #require(dayRows.first { $0.point == key })
                #expect(row.totals.dsoIntervals == range.count, "every quarter hour of \(key) on \(day) is the DSO's")
                if key.direction == .consumption {
                    let g03 = figures.filter { $0.point == key && $0.meterCode == .coveredShare && range.contains($0.start) }
                        .reduce(0) { $0 + $1.milliwattHours }
                    #expect(row.totals.shared == g03, "a consumer's share is its G.03 (day \(d), point \(i))")
                }
            }
            let community = try #require(dayRows.first { $0.point == nil })
            #expect(community.totals.dsoIntervals == range.count * 3)
            let consumers = dayRows.filter { $0.point?.direction == .consumption }.reduce(0) { $0 + $1.totals.shared }
            let producers = dayRows.filter { $0.point?.direction == .generation }.reduce(0) { $0 + $1.totals.shared }
            #expect(community.totals.shared == consumers && consumers == producers, "the fixture's DSO figures conserve")
        }
        // The quarter-hour report says the same, from the allocation records.
        let report = try RollupReport(
            store: s.store, community: c, scope: .meter, granularity: .quarterHour, from: days[1], to: days[2])
        #expect(report.rows.count == 100 * 3 && report.rows.allSatisfy { $0.totals.dsoIntervals == 1 })
        // Without DSO figures nothing is counted: the same readings in another community.
        var other = c
        other.id = "eeg-plain"
        let job = RollupJob(store: s.store, community: other)
        _ = try job.run(try job.plan(.range(from: days[0], to: days[0].adding(days: 3))))
        let plain = try s.store.dayRollups(community: other.id, from: days[0], to: days[0].adding(days: 3))
        #expect(plain.count == 3 * 4 && plain.allSatisfy { $0.totals.dsoIntervals == 0 })
        #expect(plain.first { $0.point == nil }?.totals.consumed == rows.first { $0.point == nil }?.totals.consumed)
    }

    @Test(arguments: Backend.allCases)
    func reconcileFindsExactlyTheInjectedDifferences(backend: Backend) throws {
        let c = try community()
        let days = try Self.days.map(LocalDate.init)
        var fixture = GridOperatorFixture(community: c, days: days)
        let a = try noon(c, "2026-10-25")
        let b = try noon(c, "2026-10-26").advanced(by: 3)
        fixture.inject(point: 1, quarterHour: a, extraShare: 125)
        fixture.inject(point: 2, quarterHour: b, extraShare: 7)
        let s = try Store(backend)
        try load(fixture, into: s.store)
        let check = try GridOperatorReconciliation(store: s.store, community: c, from: days[0], to: days[0].adding(days: 3))
        #expect(!check.agrees)
        #expect(check.points.count == 3 * 3, "every point's day the DSO allocated")
        let differing = check.points.filter { $0.quarterHoursDiffering > 0 }
        #expect(
            differing.map { "\($0.day) \($0.point.zaehlpunkt.description.suffix(1)) \($0.difference)" }.sorted() == [
                "2026-10-25 1 125", "2026-10-25 2 125", "2026-10-26 1 7", "2026-10-26 3 7",
            ])
        #expect(check.days.map(\.quarterHoursDiffering) == [0, 1, 1] && check.days.allSatisfy(\.conserves))
        // Within a tolerance of 7 mWh only the 125 mWh difference is left.
        let tolerant = try GridOperatorReconciliation(
            store: s.store, community: c, from: days[0], to: days[0].adding(days: 3), toleranceMilliwattHours: 7)
        #expect(tolerant.points.filter { $0.quarterHoursDiffering > 0 }.map(\.day) == [days[1], days[1]])
        // The CSV lists every row; the community rows say the DSO conserves.
        let csv = ReconciliationWriter().csv(check).split(separator: "\n")
        #expect(csv.first == Substring(ReconciliationWriter.csvHeader) && csv.count == 1 + 9 + 3)
        #expect(csv.contains("2026-10-25,AT0030000000000000000000000000002,consumption,\(kwhAround(check, days[1], 1)),1,"))
        #expect(csv.filter { $0.hasSuffix(",yes") }.count == 3)
    }

    /// The CSV fields `computed,dso,difference` of point `i` on `day`.
    func kwhAround(_ check: GridOperatorReconciliation, _ day: LocalDate, _ i: Int) -> String {
        guard let row = check.points.first(where: { $0.day == day && $0.point.zaehlpunkt.description.hasSuffix("\(i + 1)") }) else {
            return "?"
        }
        return [row.computedShared, row.dsoShared, row.difference].map { Energy.kilowattHoursText($0) }.joined(separator: ",")
    }

    @Test func reconcileSaysWhenTheDSOsFiguresDoNotConserve() throws {
        let c = try community()
        let days = [try LocalDate("2026-10-24")]
        let fixture = GridOperatorFixture(community: c, days: days)
        let s = try Store(.sqlite)
        // The producer's P.01T of one quarter hour is missing: its consumers' G.03 has no counterpart.
        let gap = try noon(c, "2026-10-24")
        var figures = fixture.figures()
        figures.removeAll { $0.meterCode == .participatingSurplus && $0.start == gap }
        _ = try s.store.upsert(figures.compactMap(\.reading), community: c)
        _ = try s.store.upsert(figures.filter { !$0.meterCode.isReading }, community: c)
        let check = try GridOperatorReconciliation(store: s.store, community: c, from: days[0], to: days[0].adding(days: 1))
        #expect(check.days.map(\.quarterHoursNotConserving) == [1] && !check.agrees)
        #expect(check.points.allSatisfy { $0.quarterHoursDiffering == 0 }, "where the DSO allocated, it agrees with us")
        #expect(ReconciliationWriter().table(check).contains("NO"))
    }
}
