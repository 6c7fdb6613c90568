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
/// let figures = try BillingFigures(store: store, community: community, tariffs: community.tariffs!, period: try BillingPeriod("2026-10"))
/// figures.reconciliation.balanced   // true
/// figures.statements[0].total
/// ```
public struct BillingFigures: Sendable {
    public let community: Community
    /// The tariffs valid on the period's days, and its price slots.
    public let pricing: PeriodPricing
    public let period: BillingPeriod
    public var currency: String { pricing.currency }
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

    /// Priced by one tariff, whatever its `validFrom`.
    public init(store: any ReadingStore, community: Community, tariff: Tariff, period: BillingPeriod) throws {
        try self.init(store: store, community: community, pricing: PeriodPricing(tariff, period: period))
    }

    /// Priced by the tariffs valid on each day; throws if a day of the period has none.
    public init(store: any ReadingStore, community: Community, tariffs: TariffSchedule, period: BillingPeriod) throws {
        let pricing: PeriodPricing
        do { pricing = try PeriodPricing(tariffs, period: period) } catch {
            throw BillingError.noTariffOn(community.id, error.message)
        }
        try self.init(store: store, community: community, pricing: pricing)
    }

    init(store: any ReadingStore, community: Community, pricing: PeriodPricing) throws {
        let period = pricing.period
        self.community = community
        self.pricing = pricing
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
        let windowCount = pricing.slots.count
        let windows = pricing.slotIndices(of: range, calendar: calendar)

        // One pass over the stored allocation: sums per point and window, missing quarter hours
        // per point and day, and a hash per point (records arrive by day, then point).
        var totals = [EnergyTotals](repeating: EnergyTotals(), count: pointCount)
        var perWindow = [Int64](repeating: 0, count: pointCount * windowCount)
        var hashes = [UInt64](repeating: FNV.offset, count: pointCount)
        var missing = [Int32](repeating: -1, count: pointCount * days.count)  // -1: no record for that day
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
                    let value = s[2 * i]
                    let share = s[2 * i + 1]
                    sum.add(.point(direction: direction, value: value, share: share))
                    perWindow[p * windowCount + Int(windows[offset + i])] += share
                    if value < 0 { absent += 1 }
                    hash = FNV.mix(hash, UInt64(bitPattern: value))
                    hash = FNV.mix(hash, UInt64(bitPattern: share))
                }
            }
            // The grid operator's quarter hours (with a reading), as the rollup counts them.
            for (i, fromDSO) in record.fromGridOperator.enumerated() where fromDSO && record.interleaved[2 * i] >= 0 {
                sum.dsoIntervals += 1
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
        // Row by row: the period's rows of every point at once would be 80 MB for 10,000 points.
        try store.forEachDayRollup(community: community.id, from: period.from, to: period.to, of: nil) { row in
            guard let d = dayIndex[row.bucketStart] else { return }
            guard let key = row.point else {
                communityShared += row.totals.shared
                return
            }
            guard let p = community.pointIndex(of: key) else { return }
            daily[p][d] = row.totals
        }
        self.daily = daily

        var consumersShared: Int64 = 0
        var generatorsShared: Int64 = 0
        for f in figures {
            if f.point.direction == .consumption { consumersShared += f.totals.shared } else { generatorsShared += f.totals.shared }
        }
        reconciliation = Reconciliation(
            membersReceived: consumersShared, takenFromGenerators: generatorsShared,
            communityShared: communityShared)

        let stale = try store.dirtyDays(community: community.id).map(\.date).filter { $0 >= period.from && $0 < period.to }
        var gaps: [Completeness.Gap] = []
        for (p, f) in figures.enumerated() where f.totals.intervals < f.totals.expectedIntervals {
            let perDay = days.indices.compactMap { d in
                missing[p * days.count + d] > 0 ? (date: days[d], missing: Int(missing[p * days.count + d])) : nil
            }
            gaps.append(
                Completeness.Gap(
                    point: f.point.key, missing: f.totals.expectedIntervals - f.totals.intervals,
                    expected: f.totals.expectedIntervals, days: perDay))
        }
        completeness = Completeness(gaps: gaps, notRolledUp: days.filter { !allocatedDays.contains($0) }, staleDays: stale)

        var byMember: [String: [PointFigures]] = [:]
        for f in figures { byMember[f.point.memberID, default: []].append(f) }
        statements = community.members.map { member in
            MemberStatement(member: member, points: byMember[member.id] ?? [], pricing: pricing)
        }
    }

    /// Point indices (into `community.meteringPoints`) of a member, in file order.
    public func pointIndices(of member: Member) -> [Int] {
        member.meteringPoints.compactMap { community.pointIndex(of: $0.key) }
    }
}
