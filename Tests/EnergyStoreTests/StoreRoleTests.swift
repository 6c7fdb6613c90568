import EnergyCore
import EnergyTestSupport
import Foundation
import Testing

@testable import EnergyStore

/// The parts of the store contract the role split made explicit, on both backends.
@Suite struct StoreRoleTests {
    @Test(arguments: Backend.allCases)
    func scanFindsAPointsReadingsWhicheverCommunityStoredThem(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let store = fixture.store
        let stored = try smallCommunity(id: "eeg-first")
        let other = try smallCommunity(id: "eeg-second")
        let day = try LocalDate("2026-10-05")
        _ = try store.upsert(readings(stored, from: day, days: 1) { q, i in Int64(1_000 * i + q) }, community: stored)
        // Only the second community's dirty days and rollups are its own; the readings are the points'.
        #expect(try store.dirtyDays(community: other.id).isEmpty)
        var seen = 0
        try store.scanReadings(community: other.id, points: Array(other.pointKeys.suffix(2)), in: other.calendar.quarterHours(of: day)) {
            _, index, mwh in
            #expect(mwh / 1_000 == Int64(index + 1), "indices are into the points asked for")
            seen += 1
        }
        #expect(seen == 2 * 96)
    }

    @Test(arguments: Backend.allCases)
    func upsertRulesDecideForEveryBackendAndAStoredReadingCanTakePrecedence(backend: Backend) throws {
        let day = try LocalDate("2026-10-06")
        let fixture = try TestStore(backend)
        let (store, community) = (fixture.store, fixture.community)
        let measured = readings(community, from: day, days: 1) { _, _ in 500 }
        _ = try store.upsert(measured, community: community)
        // A substitute value for a measured one: refused while measured values take precedence.
        let estimated = measured.map { Reading(point: $0.point, start: $0.start, milliwattHours: 700, quality: .estimated) }
        let rules = UpsertRules(mayReplace: { stored, incoming in !(stored.quality == .measured && incoming.quality != .measured) })
        if let sqlite = store as? SQLiteStore {
            sqlite.upsertRules = rules
        } else if let mongo = store as? MongoStore {
            mongo.upsertRules = rules
        }
        let kept = try store.upsert(estimated, community: community)
        #expect(kept.unchanged == measured.count && kept.corrected == 0 && kept.dirtyDays.isEmpty)
        var values = Set<Int64>()
        try store.scanReadings(community: community.id, points: community.pointKeys, in: community.calendar.quarterHours(of: day)) {
            _, _, mwh in values.insert(mwh)
        }
        #expect(values == [500])
        // With the default rules the latest reading wins, as a correction.
        if let sqlite = store as? SQLiteStore {
            sqlite.upsertRules = UpsertRules()
        } else if let mongo = store as? MongoStore {
            mongo.upsertRules = UpsertRules()
        }
        let corrected = try store.upsert(estimated, community: community)
        #expect(corrected.corrected == measured.count && corrected.dirtyDays == [day])
    }

    @Test(arguments: Backend.allCases)
    func monthRollupsAreMadeFromDayRollupsByTheSharedRule(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let (store, community) = (fixture.store, fixture.community)
        let points = community.pointKeys
        let month = try LocalMonth("2026-10")
        var allocator = community.allocator()
        for date in [try LocalDate("2026-10-01"), try LocalDate("2026-10-25")] {
            let quarterHours = community.calendar.quarterHours(of: date)
            let values = [Int64](repeating: 250, count: quarterHours.count * points.count)
            let day = DayAllocation(date: date, firstQuarterHour: quarterHours.lowerBound, values: values, allocator: &allocator)
            try store.saveDay(day, community: community, points: points, clearing: nil)
        }
        try store.refreshMonth(month, community: community, points: points)
        let days = try store.dayRollups(community: community.id, from: month.firstDay, to: month.next.firstDay)
        let expected = MonthRollups.rows(month, from: days, points: points, calendar: community.calendar)
        let stored = try store.monthRollups(community: community.id, from: month, to: month.next)
        #expect(stored.count == points.count + 1)
        for row in expected {
            #expect(stored.first { $0.point == row.point } == row)
        }
        // 2 of 31 days (the 25th has 100 quarter hours): 96 + 100 present, 2,980 expected per point.
        #expect(stored.first { $0.point == points[1] }?.totals.intervals == 196)
        #expect(stored.first { $0.point == points[1] }?.totals.expectedIntervals == 2_980)
        #expect(stored.first { $0.point == nil }?.totals.expectedIntervals == 3 * 2_980)
    }
}
