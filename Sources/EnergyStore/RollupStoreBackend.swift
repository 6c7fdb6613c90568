import EnergyCore

/// What a backend supplies so that month rollups are made once, from the day rollups, by
/// ``MonthRollups``.
///
/// ```swift
/// extension MyStore: RollupStoreBackend {
///     func rebuildMonth(_ month: LocalMonth, community: String, _ rows: (DayRollupScan) throws -> [StoredRollup]) throws { … }
/// }
/// ```
public protocol RollupStoreBackend: RollupStore {
    /// Reads the day rollups of `month` of `community` and replaces every rollup row of the month
    /// with `rows(scan)`, as one transaction that serializes with every other rebuild of the same
    /// month: when several runs finish days of one month at once, the last rebuild to commit has
    /// read every day the others stored, so no run's days are lost from the month.
    /// `rows` reads the days by calling `scan` with a body that gets each day row in turn: a
    /// month of a large community (31 rows per point) is summed as it is read, never held.
    /// `rows` may be called more than once (after a conflict); only its last answer is stored.
    func rebuildMonth(_ month: LocalMonth, community: String, _ rows: (DayRollupScan) throws -> [StoredRollup]) throws
}

/// Calls its body with each day rollup row of the month being rebuilt (see
/// ``RollupStoreBackend/rebuildMonth(_:community:_:)``).
public typealias DayRollupScan = ((StoredRollup) -> Void) throws -> Void

extension RollupStoreBackend {
    public func refreshMonth(_ month: LocalMonth, community: Community, points: [PointKey]) throws {
        try rebuildMonth(month, community: community.id) { scan in
            var sums = MonthRollups(month, points: points, calendar: community.calendar)
            try scan { sums.add($0) }
            return sums.rows
        }
    }
}

/// A month's rollups from its day rollups: the rule for both stores. The day rows are added one
/// at a time, so only a sum per point is held, whatever the number of days read.
///
/// ```swift
/// var sums = MonthRollups(month, points: community.pointKeys, calendar: community.calendar)
/// for row in dayRows { sums.add(row) }
/// let rows = sums.rows
/// ```
public struct MonthRollups {
    public let month: LocalMonth
    public let points: [PointKey]
    private let calendar: LocalCalendar
    private var sums: [PointKey: EnergyTotals] = [:]
    private var community = EnergyTotals()

    public init(_ month: LocalMonth, points: [PointKey], calendar: LocalCalendar) {
        self.month = month
        self.points = points
        self.calendar = calendar
    }

    /// Adds one day row (of a point, or of the community when `point` is nil).
    public mutating func add(_ row: StoredRollup) {
        if let point = row.point { sums[point, default: EnergyTotals()].add(row.totals) } else { community.add(row.totals) }
    }

    /// A row per point of `points` (in that order; zero figures if none of its days is rolled up,
    /// so a missing month shows as 0 of N intervals rather than as nothing), then the community's.
    /// A point expects every quarter hour of the month, the community every point's. Day rows of
    /// points not in `points` are ignored.
    public var rows: [StoredRollup] {
        let expected = calendar.quarterHours(of: month).count
        let start = calendar.startOfMonth(month)
        var rows: [StoredRollup] = []
        rows.reserveCapacity(points.count + 1)
        for point in points {
            var totals = sums[point] ?? EnergyTotals()
            totals.expectedIntervals = expected
            rows.append(StoredRollup(bucketStart: start, point: point, totals: totals))
        }
        var community = community
        community.expectedIntervals = expected * points.count
        rows.append(StoredRollup(bucketStart: start, point: nil, totals: community))
        return rows
    }

    /// The month's rows from `days`, all at once (see ``rows``).
    public static func rows(_ month: LocalMonth, from days: [StoredRollup], points: [PointKey], calendar: LocalCalendar) -> [StoredRollup] {
        var sums = MonthRollups(month, points: points, calendar: calendar)
        for row in days { sums.add(row) }
        return sums.rows
    }
}
