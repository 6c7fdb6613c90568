import EnergyCore

/// What a backend supplies so that month rollups are made once, from the day rollups, by
/// ``MonthRollups``.
///
/// ```swift
/// extension MyStore: RollupStoreBackend {
///     func rebuildMonth(_ month: LocalMonth, community: String, _ rows: ([StoredRollup]) -> [StoredRollup]) throws { … }
/// }
/// ```
public protocol RollupStoreBackend: RollupStore {
    /// Reads the day rollups of `month` of `community` and replaces every rollup row of the month
    /// with `rows(days)`, as one transaction that serializes with every other rebuild of the same
    /// month: when several runs finish days of one month at once, the last rebuild to commit has
    /// read every day the others stored, so no run's days are lost from the month.
    /// `rows` may be called more than once (after a conflict); only its last answer is stored.
    func rebuildMonth(_ month: LocalMonth, community: String, _ rows: ([StoredRollup]) -> [StoredRollup]) throws
}

extension RollupStoreBackend {
    public func refreshMonth(_ month: LocalMonth, community: Community, points: [PointKey]) throws {
        try rebuildMonth(month, community: community.id) { days in
            MonthRollups.rows(month, from: days, points: points, calendar: community.calendar)
        }
    }
}

/// A month's rollups from its day rollups: the rule for both stores.
///
/// ```swift
/// let rows = MonthRollups.rows(month, from: dayRows, points: community.pointKeys, calendar: community.calendar)
/// ```
public enum MonthRollups {
    /// A row per point of `points` (in that order; zero figures if none of its days is rolled up,
    /// so a missing month shows as 0 of N intervals rather than as nothing), then the community's.
    /// A point expects every quarter hour of the month, the community every point's. Day rows of
    /// points not in `points` are ignored.
    public static func rows(_ month: LocalMonth, from days: [StoredRollup], points: [PointKey], calendar: LocalCalendar) -> [StoredRollup] {
        let expected = calendar.quarterHours(of: month).count
        let start = calendar.startOfMonth(month)
        var sums: [PointKey: EnergyTotals] = [:]
        var community = EnergyTotals()
        for row in days {
            if let point = row.point { sums[point, default: EnergyTotals()].add(row.totals) } else { community.add(row.totals) }
        }
        var rows: [StoredRollup] = []
        rows.reserveCapacity(points.count + 1)
        for point in points {
            var totals = sums[point] ?? EnergyTotals()
            totals.expectedIntervals = expected
            rows.append(StoredRollup(bucketStart: start, point: point, totals: totals))
        }
        community.expectedIntervals = expected * points.count
        rows.append(StoredRollup(bucketStart: start, point: nil, totals: community))
        return rows
    }
}
