import EnergyCore

/// A community's computed figures: the days to roll up again, each day's allocation and rollups,
/// and month rollups made from the days.
///
/// ```swift
/// for dirty in try store.dirtyDays(community: community.id) { … }
/// try store.saveDay(day, community: community, points: community.pointKeys, clearing: dirty)
/// try store.refreshMonth(day.date.localMonth, community: community, points: community.pointKeys)
/// ```
public protocol RollupStore: AnyObject {
    /// Days whose readings changed since they were last rolled up.
    func dirtyDays(community: String) throws -> [DirtyDay]

    /// Replaces a day's allocation and rollups in one transaction (readers see the old or the
    /// new day, never a mix), and clears the day's dirty mark if nothing marked it since `dirty`.
    func saveDay(_ day: DayAllocation, community: Community, points: [PointKey], clearing dirty: DirtyDay?) throws

    /// Recomputes a month's rollups from its day rollups: a row for every one of `points` (zero
    /// if none of its days is rolled up yet) and one for the community.
    func refreshMonth(_ month: LocalMonth, community: Community, points: [PointKey]) throws

    /// Day rollups of local days `from..<to`, handed to `body` one at a time as they are read
    /// (a period of a large community is too many rows to hold); with `points`, only theirs (no
    /// community rows).
    func forEachDayRollup(
        community: String, from: LocalDate, to: LocalDate, of points: [PointKey]?, _ body: (StoredRollup) -> Void
    ) throws

    /// Month rollups of months `from..<to`; with `points`, only theirs (no community rows).
    func monthRollups(community: String, from: LocalMonth, to: LocalMonth, of points: [PointKey]?) throws -> [StoredRollup]

    /// The stored per-quarter-hour allocation of local days `from..<to`, one record per (day, point);
    /// with `points`, only theirs.
    func allocationSeries(
        community: String, from: LocalDate, to: LocalDate, of points: [PointKey]?,
        _ body: (AllocationSeries) throws -> Void
    ) throws
}

extension RollupStore {
    /// Day rollups of local days `from..<to`, all at once; with `points`, only theirs (no community rows).
    public func dayRollups(community: String, from: LocalDate, to: LocalDate, of points: [PointKey]?) throws -> [StoredRollup] {
        var rows: [StoredRollup] = []
        try forEachDayRollup(community: community, from: from, to: to, of: points) { rows.append($0) }
        return rows
    }

    /// Day rollups of every point and the community.
    public func dayRollups(community: String, from: LocalDate, to: LocalDate) throws -> [StoredRollup] {
        try dayRollups(community: community, from: from, to: to, of: nil)
    }

    /// Month rollups of every point and the community.
    public func monthRollups(community: String, from: LocalMonth, to: LocalMonth) throws -> [StoredRollup] {
        try monthRollups(community: community, from: from, to: to, of: nil)
    }

    /// The allocation records of every point.
    public func allocationSeries(
        community: String, from: LocalDate, to: LocalDate, _ body: (AllocationSeries) throws -> Void
    ) throws {
        try allocationSeries(community: community, from: from, to: to, of: nil, body)
    }
}

/// A local day that must be rolled up again; `version` grows with every new mark.
public struct DirtyDay: Sendable, Equatable, Hashable {
    public var date: LocalDate
    public var version: Int64
}

/// One stored rollup row: a bucket of one metering point, or of the community (`point == nil`).
public struct StoredRollup: Sendable, Equatable {
    public var bucketStart: Int64
    public var point: PointKey?
    public var totals: EnergyTotals
}

/// One metering point's allocation for one local day: per quarter hour the reading (-1 if missing)
/// and the community share, interleaved.
public struct AllocationSeries: Sendable {
    public var date: LocalDate
    public var point: PointKey
    public var firstQuarterHour: QuarterHour
    public var interleaved: [Int64]
    /// Per quarter hour, whether the share is the grid operator's; empty when none is.
    public var fromGridOperator: [Bool] = []
    public var quarterHourCount: Int { interleaved.count / 2 }

    /// Quarter hour `q`'s figures, as the day's rollup counted them.
    public func totals(quarterHour q: Int) -> EnergyTotals {
        var t = EnergyTotals.point(direction: point.direction, value: interleaved[2 * q], share: interleaved[2 * q + 1])
        if t.intervals == 1, q < fromGridOperator.count, fromGridOperator[q] { t.dsoIntervals = 1 }
        return t
    }
}
