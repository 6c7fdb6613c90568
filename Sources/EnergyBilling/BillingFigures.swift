import EnergyCore
import EnergyStore

/// Every member's statement figures for one billing period, read from the store's allocations
/// and day rollups, with the completeness check and the reconciliation.
///
/// Time-of-use prices apply per quarter hour, so the figures come from the stored per-quarter-hour
/// allocation (`ReadingStore.allocationSeries`); the daily sheet and the community's shared energy
/// come from the day rollups.
/// ```swift
/// let figures = try BillingFigures(store: store, community: community, tariff: tariff, period: try BillingPeriod("2026-10"))
/// figures.reconciliation.balanced   // true
/// figures.statements[0].total
/// ```
public struct BillingFigures: Sendable {
    public let community: Community
    public let tariff: Tariff
    public let period: BillingPeriod
    /// The period's quarter hours (UTC grid).
    public let quarterHours: Range<QuarterHour>
    /// The local days of the period.
    public let days: [LocalDate]
    /// Per point index (as in `community.meteringPoints`): per quarter hour of the period the
    /// reading (-1 if missing) and the community share, interleaved.
    public let series: [[Int64]]
    /// Per point index: per day of the period its day rollup (zero intervals if never rolled up).
    public let daily: [[EnergyTotals]]
    /// Per quarter hour of the period: the index of the tariff window whose prices apply.
    public let windowOfQuarterHour: [UInt8]
    /// Per member, in file order.
    public let statements: [MemberStatement]
    public let completeness: Completeness
    public let reconciliation: Reconciliation

    public init(store: any ReadingStore, community: Community, tariff: Tariff, period: BillingPeriod) throws {
        self.community = community
        self.tariff = tariff
        self.period = period
        let calendar = community.calendar
        let range = calendar.quarterHours(from: period.from, to: period.to)
        quarterHours = range
        var days: [LocalDate] = []
        var day = period.from
        while day < period.to {
            days.append(day)
            day = day.adding(days: 1)
        }
        self.days = days
        let first = range.lowerBound.index
        let count = range.count
        let pointCount = community.meteringPoints.count

        var offsets = calendar.offsetCache()
        var windows = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            windows[i] = UInt8(tariff.windowIndex(of: QuarterHour(index: first + Int64(i)), offsets: &offsets))
        }
        windowOfQuarterHour = windows

        // Quarter hours without a stored allocation stay missing (-1) with no share.
        var series = [[Int64]](repeating: [], count: pointCount)
        for p in 0..<pointCount {
            series[p] = [Int64](repeating: 0, count: count * 2)
            for q in 0..<count { series[p][2 * q] = -1 }
        }
        var allocatedDays = Set<LocalDate>()
        try store.allocationSeries(community: community.id, from: period.from, to: period.to) { record in
            guard let p = community.pointIndex(of: record.point) else { return }   // a point no longer in the file
            let offset = Int(record.firstQuarterHour.index - first)
            guard offset >= 0, offset + record.quarterHourCount <= count else { return }
            allocatedDays.insert(record.date)
            series[p].withUnsafeMutableBufferPointer { target in
                record.interleaved.withUnsafeBufferPointer { source in
                    for i in 0..<source.count { target[2 * offset + i] = source[i] }
                }
            }
        }
        self.series = series

        // Period totals and shared energy per tariff window, per point.
        var figures: [PointFigures] = []
        figures.reserveCapacity(pointCount)
        for (p, point) in community.meteringPoints.enumerated() {
            var totals = EnergyTotals()
            var perWindow = [Int64](repeating: 0, count: tariff.windows.count)
            series[p].withUnsafeBufferPointer { s in
                for q in 0..<count {
                    totals.add(.point(direction: point.direction, value: s[2 * q], share: s[2 * q + 1]))
                    perWindow[Int(windows[q])] += s[2 * q + 1]
                }
            }
            figures.append(PointFigures(point: point, totals: totals, sharedPerWindow: perWindow))
        }

        // Day rollups: the daily sheet, and the community's shared energy for the reconciliation.
        var dayIndex: [Int64: Int] = [:]
        for (i, d) in days.enumerated() { dayIndex[calendar.startOfDay(d)] = i }
        var daily = [[EnergyTotals]](repeating: [], count: pointCount)
        for p in 0..<pointCount {
            daily[p] = days.map { d in
                var t = EnergyTotals()
                t.expectedIntervals = calendar.quarterHourCount(of: d)
                return t
            }
        }
        var communityShared: Int64 = 0
        for row in try store.dayRollups(community: community.id, from: period.from, to: period.to) {
            guard let d = dayIndex[row.bucketStart] else { continue }
            guard let key = row.point else {
                communityShared += row.totals.shared
                continue
            }
            guard let p = community.pointIndex(of: key) else { continue }
            daily[p][d] = row.totals
        }
        self.daily = daily

        var consumersShared: Int64 = 0
        var generatorsShared: Int64 = 0
        for f in figures {
            if f.point.direction == .consumption { consumersShared += f.totals.shared } else { generatorsShared += f.totals.shared }
        }
        reconciliation = Reconciliation(membersReceived: consumersShared, takenFromGenerators: generatorsShared,
                                        communityShared: communityShared)

        let stale = try store.dirtyDays(community: community.id).map(\.date).filter { $0 >= period.from && $0 < period.to }
        completeness = Completeness(points: figures, series: series, days: days, calendar: calendar, firstQuarterHour: range.lowerBound,
                                    notRolledUp: days.filter { !allocatedDays.contains($0) }, staleDays: stale)

        var byMember: [String: [PointFigures]] = [:]
        for f in figures { byMember[f.point.memberID, default: []].append(f) }
        statements = community.members.map { member in
            MemberStatement(member: member, points: byMember[member.id] ?? [], tariff: tariff, months: period.months)
        }
    }

    /// Point indices (into `community.meteringPoints`) of a member, in file order.
    public func pointIndices(of member: Member) -> [Int] {
        member.meteringPoints.compactMap { community.pointIndex(of: $0.key) }
    }
}

/// Sum of members' community energy = sum taken from generators = the community's shared energy
/// (from its day rollups), in mWh.
public struct Reconciliation: Sendable, Equatable, CustomStringConvertible {
    public var membersReceived: Int64
    public var takenFromGenerators: Int64
    public var communityShared: Int64

    public init(membersReceived: Int64, takenFromGenerators: Int64, communityShared: Int64) {
        self.membersReceived = membersReceived
        self.takenFromGenerators = takenFromGenerators
        self.communityShared = communityShared
    }

    public var balanced: Bool { membersReceived == takenFromGenerators && takenFromGenerators == communityShared }

    public var description: String {
        "members received \(membersReceived) mWh = taken from generators \(takenFromGenerators) mWh = community shared "
            + "\(communityShared) mWh: \(balanced ? "balanced" : "NOT BALANCED")"
    }
}

/// Which quarter hours of the period have no reading, per metering point, and which days are not
/// (or no longer) rolled up.
public struct Completeness: Sendable, Equatable {
    public struct Gap: Sendable, Equatable {
        public var point: PointKey
        public var missing: Int
        public var expected: Int
        /// The local days with missing quarter hours and how many on each.
        public var days: [(date: LocalDate, missing: Int)]
        public static func == (a: Gap, b: Gap) -> Bool {
            a.point == b.point && a.missing == b.missing && a.expected == b.expected
                && a.days.map(\.date) == b.days.map(\.date) && a.days.map(\.missing) == b.days.map(\.missing)
        }
    }
    public var gaps: [Gap]
    /// Days of the period with no stored allocation: never rolled up.
    public var notRolledUp: [LocalDate]
    /// Days whose readings changed after their rollup: the stored figures are out of date.
    public var staleDays: [LocalDate]

    public var isComplete: Bool { gaps.isEmpty && notRolledUp.isEmpty && staleDays.isEmpty }
    public var missingQuarterHours: Int { gaps.reduce(0) { $0 + $1.missing } }

    init(points: [PointFigures], series: [[Int64]], days: [LocalDate], calendar: LocalCalendar, firstQuarterHour: QuarterHour,
         notRolledUp: [LocalDate], staleDays: [LocalDate]) {
        var gaps: [Gap] = []
        for (p, figures) in points.enumerated() where figures.totals.intervals < figures.totals.expectedIntervals {
            var perDay: [(LocalDate, Int)] = []
            var q = 0
            for day in days {
                let n = calendar.quarterHourCount(of: day)
                var missing = 0
                for i in q..<(q + n) where series[p][2 * i] < 0 { missing += 1 }
                if missing > 0 { perDay.append((day, missing)) }
                q += n
            }
            gaps.append(Gap(point: figures.point.key, missing: figures.totals.expectedIntervals - figures.totals.intervals,
                            expected: figures.totals.expectedIntervals, days: perDay.map { (date: $0.0, missing: $0.1) }))
        }
        self.gaps = gaps
        self.notRolledUp = notRolledUp
        self.staleDays = staleDays
    }

    /// The report a person reads before a final run, at most `limit` points listed.
    public func report(limit: Int = 20) -> String {
        var lines: [String] = []
        if !staleDays.isEmpty {
            lines.append("\(staleDays.count) days changed after their rollup: \(Self.list(staleDays.map(\.description)))")
        }
        if !notRolledUp.isEmpty {
            lines.append("\(notRolledUp.count) days are not rolled up: \(Self.list(notRolledUp.map(\.description)))")
        }
        for gap in gaps.prefix(limit) {
            let days = gap.days.map { "\($0.date) (\($0.missing))" }
            lines.append("\(gap.point): \(gap.missing) of \(gap.expected) quarter hours missing: \(Self.list(days))")
        }
        if gaps.count > limit { lines.append("… and \(gaps.count - limit) more metering points with missing quarter hours") }
        return lines.joined(separator: "\n")
    }

    private static func list(_ items: [String]) -> String {
        items.count <= 6 ? items.joined(separator: ", ") : items.prefix(6).joined(separator: ", ") + ", … (\(items.count) in all)"
    }
}
