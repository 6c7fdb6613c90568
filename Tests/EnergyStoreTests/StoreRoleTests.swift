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

    /// The quality matrix: every (stored, arriving) pair of L1/L2/L3 with a different value, on
    /// both backends, for readings and for the grid operator's figures alike.
    @Test(arguments: Backend.allCases)
    func qualityTakesPrecedenceForReadingsAndGridOperatorFigures(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let (store, community) = (fixture.store, fixture.community)
        var day = try LocalDate("2026-10-06")
        for stored in Quality.allCases {
            for arriving in Quality.allCases {
                day = day.adding(days: 1)
                let first = community.calendar.quarterHours(of: day).lowerBound
                let point = community.pointKeys[1]
                let reading = Reading(point: point, start: first, milliwattHours: 500, quality: stored)
                let figure = GridOperatorFigure(
                    zaehlpunkt: point.zaehlpunkt, meterCode: point.direction == .consumption ? .coveredShare : .participatingSurplus,
                    start: first, milliwattHours: 200, quality: stored)
                _ = try store.upsert([reading], community: community)
                _ = try store.upsert([figure], community: community)
                let dirty = try store.dirtyDays(community: community.id).first { $0.date == day }
                var later = reading
                (later.milliwattHours, later.quality) = (700, arriving)
                var laterFigure = figure
                (laterFigure.milliwattHours, laterFigure.quality) = (300, arriving)
                let readingResult = try store.upsert([later], community: community)
                let figureResult = try store.upsert([laterFigure], community: community)
                let replaces = !stored.isBetter(than: arriving)
                for result in [readingResult, figureResult] {
                    #expect(result.corrected == (replaces ? 1 : 0), "\(stored) then \(arriving)")
                    #expect(result.keptBetter == (replaces ? 0 : 1), "\(stored) then \(arriving): a refused downgrade is counted")
                    #expect(result.dirtyDays == (replaces ? [day] : []), "a refused downgrade marks no day")
                }
                if !replaces {
                    #expect(try store.dirtyDays(community: community.id).first { $0.date == day } == dirty, "the dirty mark is untouched")
                }
                var values: [Int64] = []
                try store.scanReadings(community: community.id, points: [point], in: first..<first.next) { _, _, mwh in values.append(mwh) }
                var figures: [Int64] = []
                try store.scanGridOperatorFigures(community: community.id, points: [point], in: first..<first.next) { _, _, _, mwh in
                    figures.append(mwh)
                }
                #expect(values == [replaces ? 700 : 500] && figures == [replaces ? 300 : 200], "\(stored) then \(arriving)")
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func anotherRuleCanBePluggedIntoEveryBackend(backend: Backend) throws {
        let day = try LocalDate("2026-10-06")
        let fixture = try TestStore(backend)
        let (store, community) = (fixture.store, fixture.community)
        let estimated = readings(community, from: day, days: 1) { _, _ in 500 }.map {
            Reading(point: $0.point, start: $0.start, milliwattHours: 500, quality: .estimated)
        }
        _ = try store.upsert(estimated, community: community)
        // A rule that keeps whatever was stored first.
        let rules = UpsertRules(mayReplace: { _, _ in false })
        if let sqlite = store as? SQLiteStore {
            sqlite.upsertRules = rules
        } else if let mongo = store as? MongoStore {
            mongo.upsertRules = rules
        }
        let measured = estimated.map { Reading(point: $0.point, start: $0.start, milliwattHours: 700, quality: .measured) }
        let kept = try store.upsert(measured, community: community)
        #expect(kept.keptBetter == measured.count && kept.corrected == 0 && kept.dirtyDays.isEmpty)
        var values = Set<Int64>()
        try store.scanReadings(community: community.id, points: community.pointKeys, in: community.calendar.quarterHours(of: day)) {
            _, _, mwh in values.insert(mwh)
        }
        #expect(values == [500])
    }

    @Test(arguments: Backend.allCases)
    func gridOperatorFiguresBelongToTheirCommunityAndReadingsAreRefused(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let store = fixture.store
        let first = try smallCommunity(id: "eeg-first")
        let second = try smallCommunity(id: "eeg-second")
        let day = try LocalDate("2026-10-05")
        let range = first.calendar.quarterHours(of: day)
        let consumer = try #require(first.pointKeys.first { $0.direction == .consumption })
        let g03 = GridOperatorFigure(
            zaehlpunkt: consumer.zaehlpunkt, meterCode: .coveredShare, start: range.lowerBound, milliwattHours: 42, quality: .measured)
        var other = g03
        other.milliwattHours = 77
        #expect(try store.upsert([g03], community: first).inserted == 1)
        #expect(try store.upsert([other], community: second).inserted == 1, "the same point's figure in another community is its own")
        for (community, expected) in [(first, Int64(42)), (second, 77)] {
            var seen: [Int64] = []
            try store.scanGridOperatorFigures(community: community.id, points: community.pointKeys, in: range) { _, _, code, mwh in
                #expect(code == .coveredShare)
                seen.append(mwh)
            }
            #expect(seen == [expected])
        }
        var reading = g03
        reading.meterCode = .consumption
        #expect(throws: StoreError.self) { try store.upsert([reading], community: first) }
    }

    @Test(arguments: Backend.allCases)
    func unreliableValuesAreFoundInReadingsAndFigures(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let (store, community) = (fixture.store, fixture.community)
        let day = try LocalDate("2026-10-05")
        var batch = readings(community, from: day, days: 1) { _, _ in 100 }
        batch[5].quality = .estimated
        _ = try store.upsert(batch, community: community)
        let point = community.pointKeys[0]
        let qh = community.calendar.quarterHours(of: day).lowerBound.advanced(by: 9)
        let code: MeterCode = point.direction == .consumption ? .coveredShare : .participatingSurplus
        _ = try store.upsert(
            [GridOperatorFigure(zaehlpunkt: point.zaehlpunkt, meterCode: code, start: qh, milliwattHours: 1, quality: .estimated)],
            community: community)
        let found = try store.unreliableValues(
            community: community.id, points: community.pointKeys, in: community.calendar.quarterHours(of: day))
        #expect(
            Set(found)
                == [
                    UnreliableValue(point: batch[5].point, start: batch[5].start, meterCode: nil),
                    UnreliableValue(point: point, start: qh, meterCode: code),
                ])
        #expect(try store.unreliableValues(community: community.id, points: community.pointKeys, in: qh.next..<qh.advanced(by: 2)).isEmpty)
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
