import EnergyCore

/// What a grid operator would send for a community over some local days: every point's reading
/// (`G.01`) and the DSO's allocation, computed with our own allocation key (so that reconcile
/// agrees) except where a test injects a difference.
///
/// The figures are `DayAllocation.gridOperatorFigures` of our allocation of the fixture's
/// readings, which are deterministic in (day, quarter hour, point).
/// ```swift
/// var fixture = GridOperatorFixture(community: community, days: [d1, d2])
/// fixture.inject(point: 1, quarterHour: qh, extraShare: 125)
/// let figures = fixture.figures()
/// ```
public struct GridOperatorFixture {
    public let community: Community
    public let days: [LocalDate]
    /// (point index, quarter hour) → mWh added to the DSO's share of a consumer, and taken from
    /// the first producer's surplus (so the DSO's figures still conserve).
    public private(set) var injected: [Injection] = []
    /// (point index, quarter hour) → quality of every figure of that point in that quarter hour.
    public var qualities: [Slot: Quality] = [:]

    public struct Slot: Hashable, Sendable {
        public var point: Int
        public var start: QuarterHour
        public init(point: Int, start: QuarterHour) {
            self.point = point
            self.start = start
        }
    }

    public struct Injection: Sendable {
        public var slot: Slot
        public var extraShare: Int64
    }

    public init(community: Community, days: [LocalDate]) {
        self.community = community
        self.days = days
    }

    /// Adds `extraShare` mWh to a consumer's G.03 (and to the producers' take, keeping conservation).
    public mutating func inject(point: Int, quarterHour: QuarterHour, extraShare: Int64) {
        injected.append(Injection(slot: Slot(point: point, start: quarterHour), extraShare: extraShare))
    }

    /// The reading of point `i` in quarter hour `q` of day `d` (0-based): a producer follows a
    /// day curve, consumers a wavy load; no value is zero so every quarter hour is shared.
    public func reading(day d: Int, quarterHour q: Int, point i: Int) -> Int64 {
        let direction = community.meteringPoints[i].direction
        if direction == .generation {
            let hour = q / 4
            let sun = max(0, 6 - abs(hour - 12))
            return Int64(40_000 + sun * 70_000 + (d * 7 + q * 13 + i * 3) % 997)
        }
        return Int64(60_000 + (q * 37 + d * 101 + i * 1_009) % 90_000)
    }

    /// Every figure, in (day, point, quarter hour) order.
    public func figures() -> [GridOperatorFigure] {
        let points = community.meteringPoints
        let n = points.count
        var allocator = community.allocator()
        var out: [GridOperatorFigure] = []
        let extra = Dictionary(injected.map { ($0.slot, $0.extraShare) }, uniquingKeysWith: +)
        for (d, date) in days.enumerated() {
            let range = community.calendar.quarterHours(of: date)
            var values: [Int64] = []
            for q in 0..<range.count { for i in 0..<n { values.append(reading(day: d, quarterHour: q, point: i)) } }
            let day = DayAllocation(date: date, firstQuarterHour: range.lowerBound, values: values, allocator: &allocator)
            var shares = Array(day.shares)
            // Injected differences: a consumer gets more, the first producer gave more.
            if let producer = points.firstIndex(where: { $0.direction == .generation }) {
                for q in 0..<range.count {
                    for i in 0..<n {
                        guard let more = extra[Slot(point: i, start: range.lowerBound.advanced(by: Int64(q)))] else { continue }
                        shares[q * n + i] += more
                        shares[q * n + producer] += more
                    }
                }
            }
            out += day.gridOperatorFigures(points: points, shares: shares) { q, i in
                qualities[Slot(point: i, start: range.lowerBound.advanced(by: Int64(q)))] ?? .measured
            }
        }
        return out
    }
}
