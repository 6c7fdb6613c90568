import EnergyCore
import EnergyStore

/// Our allocation against the grid operator's, per local day and metering point: the independent
/// check of the figures the community bills.
///
/// For every quarter hour in which the DSO sent a point's allocation, the share our allocation
/// key computes from the same readings is set against the DSO's (consumers: `G.03`; producers:
/// `G.01T − P.01T`, or `G.01 − P.01`); `difference` is DSO − computed. Per day, the DSO's figures
/// must also conserve: what its consumers were allocated equals what its producers gave, in every
/// quarter hour. A quarter hour differs when the gap exceeds `toleranceMilliwattHours`.
/// ```swift
/// let check = try GridOperatorReconciliation(store: store, community: c, from: d1, to: d2)
/// if !check.agrees { print(ReconciliationWriter(calendar: c.calendar).render(check, as: .table)) }
/// ```
public struct GridOperatorReconciliation: Sendable {
    /// One metering point's day.
    public struct PointDay: Sendable, Equatable {
        public var day: LocalDate
        public var point: PointKey
        public var computedShared: Int64 = 0
        public var dsoShared: Int64 = 0
        public var quarterHoursDiffering = 0
        public var difference: Int64 { dsoShared - computedShared }
    }

    /// The community's day: our shared energy and the DSO's, over the quarter hours the DSO
    /// allocated, and whether the DSO's own figures conserve.
    public struct CommunityDay: Sendable, Equatable {
        public var day: LocalDate
        public var computedShared: Int64 = 0
        /// What the DSO allocated to the consumers (`G.03` summed).
        public var dsoShared: Int64 = 0
        /// What the DSO says the producers gave.
        public var dsoTakenFromProducers: Int64 = 0
        public var quarterHoursDiffering = 0
        /// Quarter hours in which the DSO's consumers' and producers' figures disagree.
        public var quarterHoursNotConserving = 0
        public var difference: Int64 { dsoShared - computedShared }
        public var conserves: Bool { quarterHoursNotConserving == 0 }
    }

    public let from: LocalDate
    public let to: LocalDate
    public let toleranceMilliwattHours: Int64
    public private(set) var points: [PointDay] = []
    public private(set) var days: [CommunityDay] = []

    /// Whether nothing differs beyond the tolerance and every day conserves.
    public var agrees: Bool {
        points.allSatisfy { $0.quarterHoursDiffering == 0 } && days.allSatisfy { $0.quarterHoursDiffering == 0 && $0.conserves }
    }

    public init(store: any ReadingStore, community: Community, from: LocalDate, to: LocalDate, toleranceMilliwattHours: Int64 = 0) throws {
        self.from = from
        self.to = to
        self.toleranceMilliwattHours = toleranceMilliwattHours
        let keys = community.pointKeys
        let n = keys.count
        var allocator = community.allocator()
        var date = from
        while date < to {
            let range = community.calendar.quarterHours(of: date)
            let first = range.lowerBound.index
            var dso = GridOperatorDay(quarterHours: range.count, directions: keys.map(\.direction))
            try store.scanGridOperatorFigures(community: community.id, points: keys, in: range) { qh, i, code, mwh in
                dso.record(quarterHour: Int(qh.index - first), point: i, code: code, milliwattHours: mwh)
            }
            if dso.figures > 0 {
                var values = [Int64](repeating: -1, count: range.count * n)
                try store.scanReadings(community: community.id, points: keys, in: range) { qh, i, mwh in
                    values[Int(qh.index - first) * n + i] = mwh
                }
                let computed = DayAllocation(date: date, firstQuarterHour: range.lowerBound, values: values, allocator: &allocator)
                compare(date, keys: keys, computed: computed, dso: dso)
            }
            date = date.adding(days: 1)
        }
    }

    private mutating func compare(_ date: LocalDate, keys: [PointKey], computed: DayAllocation, dso: GridOperatorDay) {
        let n = keys.count
        var rows = keys.map { PointDay(day: date, point: $0) }
        var seen = [Bool](repeating: false, count: n)
        var community = CommunityDay(day: date)
        for q in 0..<computed.quarterHourCount {
            var consumers: Int64 = 0
            var producers: Int64 = 0
            var ours: Int64 = 0
            var any = false
            for i in 0..<n {
                let k = q * n + i
                let reading = computed.values[k]
                guard let theirs = dso.share(quarterHour: q, point: i, reading: reading) else { continue }
                let mine = reading >= 0 ? computed.shares[k] : 0
                any = true
                seen[i] = true
                rows[i].computedShared += mine
                rows[i].dsoShared += theirs
                if abs(theirs - mine) > toleranceMilliwattHours { rows[i].quarterHoursDiffering += 1 }
                if keys[i].direction == .consumption {
                    consumers += theirs
                    ours += mine
                } else {
                    producers += theirs
                }
            }
            guard any else { continue }
            community.computedShared += ours
            community.dsoShared += consumers
            community.dsoTakenFromProducers += producers
            if abs(consumers - ours) > toleranceMilliwattHours { community.quarterHoursDiffering += 1 }
            if abs(consumers - producers) > toleranceMilliwattHours { community.quarterHoursNotConserving += 1 }
        }
        points += rows.indices.filter { seen[$0] }.map { rows[$0] }.sorted { $0.point < $1.point }
        days.append(community)
    }
}
