import EnergyCore
import Testing

@testable import EnergyStore

/// Month rows are summed from day rows as a store reads them: whatever the order and grouping of
/// the rows, the sums are those of the whole month at once.
@Suite struct MonthRollupsTests {
    @Test func rowsAddedOneAtATimeInAnyOrderGiveTheWholeMonthsRows() throws {
        let calendar = try LocalCalendar(timeZoneIdentifier: "Europe/Vienna")
        let month = try LocalMonth("2026-10")
        let a = PointKey(zaehlpunkt: try Zaehlpunkt("AT0030000000000000000100000000001"), direction: .consumption)
        let b = PointKey(zaehlpunkt: try Zaehlpunkt("AT0030000000000000000200000000002"), direction: .generation)
        let gone = PointKey(zaehlpunkt: try Zaehlpunkt("AT0030000000000000000100000000003"), direction: .consumption)
        let unused = PointKey(zaehlpunkt: try Zaehlpunkt("AT0030000000000000000100000000004"), direction: .consumption)
        var days: [StoredRollup] = []
        for d in 0..<31 {
            let start = calendar.startOfDay(month.firstDay.adding(days: d))
            let consumed = Int64(1_000 + d)
            days.append(StoredRollup(bucketStart: start, point: a, totals: .point(direction: .consumption, value: consumed, share: 400)))
            days.append(StoredRollup(bucketStart: start, point: b, totals: .point(direction: .generation, value: 900, share: 400)))
            days.append(StoredRollup(bucketStart: start, point: gone, totals: .point(direction: .consumption, value: 7, share: 0)))
            var community = EnergyTotals()
            community.addToCommunity(.point(direction: .consumption, value: consumed, share: 400), direction: .consumption)
            community.addToCommunity(.point(direction: .generation, value: 900, share: 400), direction: .generation)
            days.append(StoredRollup(bucketStart: start, point: nil, totals: community))
        }
        let points = [a, b, unused]
        let whole = MonthRollups.rows(month, from: days, points: points, calendar: calendar)
        var streamed = MonthRollups(month, points: points, calendar: calendar)
        for row in days.reversed() { streamed.add(row) }
        #expect(streamed.rows == whole)
        // One row per point asked for, in that order, then the community; the point no longer
        // asked for is left out, the one without days is zero of the month's quarter hours.
        #expect(whole.map(\.point) == [a, b, unused, nil])
        #expect(whole[0].totals.consumed == (0..<31).reduce(0) { $0 + 1_000 + Int64($1) })
        #expect(whole[0].totals.intervals == 31 && whole[0].totals.expectedIntervals == 2_980)
        #expect(
            whole[2].totals
                == EnergyTotals(consumed: 0, produced: 0, shared: 0, grid: 0, surplus: 0, intervals: 0, expectedIntervals: 2_980))
        #expect(whole[3].totals.shared == 31 * 400 && whole[3].totals.expectedIntervals == 3 * 2_980)
    }
}
