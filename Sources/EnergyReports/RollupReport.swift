import EnergyCore
import EnergyStore

/// Whose figures a report shows.
public enum ReportScope: String, Sendable, CaseIterable {
    case community, meter
}

/// One line of a report: a bucket of the community (`point == nil`) or of one metering point.
public struct ReportRow: Sendable, Equatable {
    public var bucketStart: Int64
    public var point: PointKey?
    public var totals: EnergyTotals

    public init(bucketStart: Int64, point: PointKey?, totals: EnergyTotals) {
        self.bucketStart = bucketStart
        self.point = point
        self.totals = totals
    }
}

/// Rollups of a community over local days `from..<to`, read from the store.
///
/// Every bucket of the range appears, with the intervals expected from the calendar, so a day that
/// was never rolled up shows as `0` of `96` intervals instead of silently missing.
/// ```swift
/// let report = try RollupReport(store: store, community: c, scope: .community, granularity: .day,
///                               from: d1, to: d2)
/// for row in report.rows { print(row.totals.shared) }
/// ```
public struct RollupReport: Sendable {
    public let scope: ReportScope
    public let granularity: Granularity
    public let from: LocalDate
    public let to: LocalDate
    public private(set) var rows: [ReportRow] = []
    /// Days in the range that have no rollup yet, or changed since their rollup.
    public private(set) var staleDays: [LocalDate] = []

    public init(
        store: any ReadingStore, community: Community, scope: ReportScope, zaehlpunkt: Zaehlpunkt? = nil,
        granularity: Granularity, from: LocalDate, to: LocalDate
    ) throws {
        self.scope = scope
        self.granularity = granularity
        self.from = from
        self.to = to
        let grid = BucketGrid(calendar: community.calendar, from: from, to: to, granularity: granularity)
        // One metering point: read only its rows, not the whole community's, and sum only its
        // keys (an API request for one point must not pay for every point of the community).
        let only: [PointKey]? =
            scope == .meter ? zaehlpunkt.map { zp in community.meteringPoints.filter { $0.zaehlpunkt == zp }.map(\.key) } : nil
        let points = only ?? community.pointKeys
        let n = points.count
        var indexOf: [PointKey: Int] = [:]
        for (i, key) in points.enumerated() { indexOf[key] = i }
        // totals[bucket * (n + 1) + i]; slot n is the community.
        var totals = [EnergyTotals](repeating: EnergyTotals(), count: grid.count * (n + 1))
        var rolledUp = Set<LocalDate>()

        switch granularity {
        case .day, .month:
            var offsets = community.calendar.offsetCache()
            for row in try store.dayRollups(community: community.id, from: from, to: to, of: only) {
                guard let bucket = grid.bucketIndex(of: QuarterHour(containing: row.bucketStart)) else { continue }
                rolledUp.insert(LocalDate(daysSinceEpoch: offsets.localDay(containing: row.bucketStart)))
                var t = row.totals
                t.expectedIntervals = 0  // expected comes from the calendar below
                if let key = row.point {
                    guard let i = indexOf[key] else { continue }
                    totals[bucket * (n + 1) + i].add(t)
                } else {
                    totals[bucket * (n + 1) + n].add(t)
                }
            }
        case .quarterHour, .hour:
            let base = grid.quarterHours.lowerBound.index
            try store.allocationSeries(community: community.id, from: from, to: to, of: only) { series in
                guard let i = indexOf[series.point] else { return }
                rolledUp.insert(series.date)
                let direction = series.point.direction
                for q in 0..<series.quarterHourCount {
                    let offset = Int(series.firstQuarterHour.index - base) + q
                    guard offset >= 0, offset < grid.quarterHours.count else { continue }
                    let bucket = grid.bucketIndex(ofQuarterHourAt: offset)
                    var t = series.totals(quarterHour: q)
                    t.expectedIntervals = 0
                    totals[bucket * (n + 1) + i].add(t)
                    totals[bucket * (n + 1) + n].addToCommunity(t, direction: direction)
                }
            }
        }

        let dirty = Set(try store.dirtyDays(community: community.id).map(\.date))
        var day = from
        while day < to {
            if !rolledUp.contains(day) || dirty.contains(day) { staleDays.append(day) }
            day = day.adding(days: 1)
        }

        var wanted: [Int] = []
        if scope == .meter {
            wanted = points.indices.filter { zaehlpunkt == nil || points[$0].zaehlpunkt == zaehlpunkt }
            wanted.sort { points[$0] < points[$1] }
        }
        for bucket in 0..<grid.count {
            let expected = grid.quarterHourCounts[bucket]
            if scope == .community {
                var t = totals[bucket * (n + 1) + n]
                t.expectedIntervals = expected * n
                rows.append(ReportRow(bucketStart: grid.starts[bucket], point: nil, totals: t))
            } else {
                for i in wanted {
                    var t = totals[bucket * (n + 1) + i]
                    t.expectedIntervals = expected
                    rows.append(ReportRow(bucketStart: grid.starts[bucket], point: points[i], totals: t))
                }
            }
        }
    }
}
