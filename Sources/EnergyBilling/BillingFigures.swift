import EnergyCore
import EnergyStore

/// Every member's statement figures for one billing period, read from the store's allocations
/// and day rollups, with the completeness check and the reconciliation.
///
/// Time-of-use prices apply per quarter hour, so the figures come from the stored per-quarter-hour
/// allocation (`ReadingStore.allocationSeries`), read in one pass that keeps only sums: memory does
/// not grow with the length of the period. The daily sheet and the community's shared energy come
/// from the day rollups. The quarter-hour series themselves are loaded per batch of members when
/// the workbooks are written (`QuarterHourSeries`).
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
    /// Per point index: per day of the period its day rollup (zero intervals if never rolled up).
    public let daily: [[EnergyTotals]]
    /// Per point index: a hash of every stored quarter hour (reading and share) of the period.
    let seriesHashes: [UInt64]
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
        var dayIndexByDate: [LocalDate: Int] = [:]
        for (i, d) in days.enumerated() { dayIndexByDate[d] = i }
        let first = range.lowerBound.index
        let count = range.count
        let pointCount = community.meteringPoints.count
        let windowCount = tariff.windows.count
        let windows = QuarterHourSeries.windows(of: range, tariff: tariff, calendar: calendar)

        // One pass over the stored allocation: sums per point and window, missing quarter hours
        // per point and day, and a hash per point (records arrive by day, then point).
        var totals = [EnergyTotals](repeating: EnergyTotals(), count: pointCount)
        var perWindow = [Int64](repeating: 0, count: pointCount * windowCount)
        var hashes = [UInt64](repeating: FNV.offset, count: pointCount)
        var missing = [Int32](repeating: -1, count: pointCount * days.count)   // -1: no record for that day
        var allocatedDays = Set<LocalDate>()
        try store.allocationSeries(community: community.id, from: period.from, to: period.to) { record in
            guard let p = community.pointIndex(of: record.point), let d = dayIndexByDate[record.date] else { return }
            let offset = Int(record.firstQuarterHour.index - first)
            guard offset >= 0, offset + record.quarterHourCount <= count else { return }
            allocatedDays.insert(record.date)
            let direction = community.meteringPoints[p].direction
            var sum = totals[p]
            var absent: Int32 = 0
            var hash = hashes[p]
            record.interleaved.withUnsafeBufferPointer { s in
                for i in 0..<record.quarterHourCount {
                    let value = s[2 * i], share = s[2 * i + 1]
                    sum.add(.point(direction: direction, value: value, share: share))
                    perWindow[p * windowCount + Int(windows[offset + i])] += share
                    if value < 0 { absent += 1 }
                    hash = FNV.mix(hash, UInt64(bitPattern: value))
                    hash = FNV.mix(hash, UInt64(bitPattern: share))
                }
            }
            totals[p] = sum
            hashes[p] = hash
            missing[p * days.count + d] = absent
        }
        // A day without a stored allocation for a point: all its quarter hours are missing.
        for p in 0..<pointCount {
            for (d, date) in days.enumerated() where missing[p * days.count + d] < 0 {
                let n = calendar.quarterHourCount(of: date)
                totals[p].expectedIntervals += n
                missing[p * days.count + d] = Int32(n)
            }
        }
        seriesHashes = hashes
        let figures = community.meteringPoints.enumerated().map { p, point in
            PointFigures(point: point, totals: totals[p], sharedPerWindow: Array(perWindow[(p * windowCount)..<((p + 1) * windowCount)]))
        }

        // Day rollups: the daily sheet, and the community's shared energy for the reconciliation.
        var dayIndex: [Int64: Int] = [:]
        for (i, d) in days.enumerated() { dayIndex[calendar.startOfDay(d)] = i }
        let emptyDays = days.map { d in
            var t = EnergyTotals()
            t.expectedIntervals = calendar.quarterHourCount(of: d)
            return t
        }
        var daily = [[EnergyTotals]](repeating: emptyDays, count: pointCount)
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
        var gaps: [Completeness.Gap] = []
        for (p, f) in figures.enumerated() where f.totals.intervals < f.totals.expectedIntervals {
            let perDay = days.indices.compactMap { d in
                missing[p * days.count + d] > 0 ? (date: days[d], missing: Int(missing[p * days.count + d])) : nil
            }
            gaps.append(Completeness.Gap(point: f.point.key, missing: f.totals.expectedIntervals - f.totals.intervals,
                                         expected: f.totals.expectedIntervals, days: perDay))
        }
        completeness = Completeness(gaps: gaps, notRolledUp: days.filter { !allocatedDays.contains($0) }, staleDays: stale)

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

/// FNV-1a, 64 bits: a change detector for statement figures, not a signature.
enum FNV {
    static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    @inline(__always)
    static func mix(_ hash: UInt64, _ value: UInt64) -> UInt64 {
        var h = hash, v = value
        for _ in 0..<8 {
            h = (h ^ (v & 0xff)) &* 0x0000_0100_0000_01b3
            v >>= 8
        }
        return h
    }
    static func mix(_ hash: UInt64, _ text: String) -> UInt64 {
        var h = hash
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return mix(h, UInt64(text.utf8.count))
    }
}

/// The per-quarter-hour allocation of some metering points over a billing period, for the
/// 15-minute sheets: per point the reading (-1 if missing) and the community share, interleaved,
/// for every quarter hour of the period.
///
/// ```swift
/// let series = try QuarterHourSeries(store: store, figures: figures, points: [0, 1])
/// series.values[1]?[2 * q + 1]   // point 1's community share in quarter hour q
/// ```
struct QuarterHourSeries {
    var values: [Int: [Int64]]

    init(store: any ReadingStore, figures: BillingFigures, points: [Int]) throws {
        let first = figures.quarterHours.lowerBound.index
        let count = figures.quarterHours.count
        var empty = [Int64](repeating: 0, count: count * 2)
        for q in 0..<count { empty[2 * q] = -1 }
        var values: [Int: [Int64]] = [:]
        for p in points { values[p] = empty }
        let community = figures.community
        try store.allocationSeries(community: community.id, from: figures.period.from, to: figures.period.to) { record in
            guard let p = community.pointIndex(of: record.point), values[p] != nil else { return }
            let offset = Int(record.firstQuarterHour.index - first)
            guard offset >= 0, offset + record.quarterHourCount <= count else { return }
            values[p]?.withUnsafeMutableBufferPointer { target in
                record.interleaved.withUnsafeBufferPointer { source in
                    for i in 0..<source.count { target[2 * offset + i] = source[i] }
                }
            }
        }
        self.values = values
    }

    /// Per quarter hour of `range`: the index of the tariff window whose prices apply.
    static func windows(of range: Range<QuarterHour>, tariff: Tariff, calendar: LocalCalendar) -> [UInt8] {
        var offsets = calendar.offsetCache()
        return range.map { UInt8(tariff.windowIndex(of: $0, offsets: &offsets)) }
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

    public init(gaps: [Gap], notRolledUp: [LocalDate], staleDays: [LocalDate]) {
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
