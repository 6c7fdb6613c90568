/// The rollup figures of one bucket (a quarter hour, hour, day or month) for one metering point or
/// a whole community, in mWh.
///
/// For a consumer: `consumed`, `shared` (its community share) and `grid` (consumed - shared).
/// For a generator: `produced`, `shared` (what the community took) and `surplus` (produced - shared).
/// For a community: all of them, with `shared` counted once (allocated = taken).
/// `intervals` counts readings present, `expectedIntervals` those that should be there, and
/// `dsoIntervals` those whose share is the grid operator's allocation rather than ours.
/// ```swift
/// var day = EnergyTotals()
/// day.add(.point(direction: .consumption, value: 1000, share: 400))
/// day.grid   // 600
/// ```
public struct EnergyTotals: Sendable, Equatable, Hashable {
    public var consumed: Int64 = 0
    public var produced: Int64 = 0
    public var shared: Int64 = 0
    public var grid: Int64 = 0
    public var surplus: Int64 = 0
    public var intervals: Int = 0
    public var expectedIntervals: Int = 0
    public var dsoIntervals: Int = 0

    public init() {}

    public init(
        consumed: Int64, produced: Int64, shared: Int64, grid: Int64, surplus: Int64, intervals: Int, expectedIntervals: Int,
        dsoIntervals: Int = 0
    ) {
        self.consumed = consumed
        self.produced = produced
        self.shared = shared
        self.grid = grid
        self.surplus = surplus
        self.intervals = intervals
        self.expectedIntervals = expectedIntervals
        self.dsoIntervals = dsoIntervals
    }

    /// One expected quarter hour of one metering point; `value` < 0 means the reading is missing.
    @inline(__always)
    public static func point(direction: Direction, value: Int64, share: Int64) -> EnergyTotals {
        var t = EnergyTotals()
        t.expectedIntervals = 1
        guard value >= 0 else { return t }
        t.intervals = 1
        t.shared = share
        if direction == .consumption {
            t.consumed = value
            t.grid = value - share
        } else {
            t.produced = value
            t.surplus = value - share
        }
        return t
    }

    /// Adds one point's figures to a community total: shared energy counts once, on the consumer side.
    @inline(__always)
    public mutating func addToCommunity(_ point: EnergyTotals, direction: Direction) {
        consumed += point.consumed
        produced += point.produced
        if direction == .consumption { shared += point.shared }
        grid += point.grid
        surplus += point.surplus
        intervals += point.intervals
        expectedIntervals += point.expectedIntervals
        dsoIntervals += point.dsoIntervals
    }

    @inline(__always)
    public mutating func add(_ other: EnergyTotals) {
        consumed += other.consumed
        produced += other.produced
        shared += other.shared
        grid += other.grid
        surplus += other.surplus
        intervals += other.intervals
        expectedIntervals += other.expectedIntervals
        dsoIntervals += other.dsoIntervals
    }

    /// Share of consumption covered by the community (0...1), nil without consumption.
    public var selfSufficiency: Double? { consumed > 0 ? Double(shared) / Double(consumed) : nil }
    /// Share of production used inside the community (0...1), nil without production.
    public var selfConsumption: Double? { produced > 0 ? Double(shared) / Double(produced) : nil }
}

/// One local day of a community, allocated: the readings and shares of every metering point in
/// every quarter hour (quarter-hour-major: index `q * pointCount + i`), missing readings as -1.
public struct DayAllocation: Sendable {
    public let date: LocalDate
    public let firstQuarterHour: QuarterHour
    public let quarterHourCount: Int
    public let directions: [Direction]
    public private(set) var values: [Int64]
    public private(set) var shares: [Int64]
    /// Community totals per quarter hour.
    public private(set) var community: [EnergyTotals]

    public var pointCount: Int { directions.count }

    /// Whether a (quarter hour, point)'s share is the grid operator's (empty: none is).
    public private(set) var fromGridOperator: [Bool] = []

    /// Allocates every quarter hour of `values` (quarter-hour-major, -1 for a missing reading).
    /// Where `gridOperator` holds a share (not -1) for a point and quarter hour, that share (the
    /// DSO's allocation) replaces the computed one, and the community's figures of the quarter
    /// hour follow from the points' (shared counted once, on the consumers' side).
    public init(
        date: LocalDate, firstQuarterHour: QuarterHour, values: [Int64], allocator: inout QuarterHourAllocator,
        gridOperator: [Int64]? = nil
    ) {
        let n = allocator.participants.count
        precondition(n > 0 && values.count % n == 0, "values must hold every point of every quarter hour")
        self.date = date
        self.firstQuarterHour = firstQuarterHour
        self.directions = allocator.participants.map(\.direction)
        self.values = values
        quarterHourCount = values.count / n
        shares = [Int64](repeating: 0, count: values.count)
        community = []
        community.reserveCapacity(quarterHourCount)
        var present = [Int64](repeating: 0, count: n)
        for q in 0..<quarterHourCount {
            var totals = EnergyTotals()
            for i in 0..<n {
                let v = values[q * n + i]
                present[i] = max(v, 0)
                totals.expectedIntervals += 1
                if v >= 0 { totals.intervals += 1 }
            }
            let qt = present.withUnsafeBufferPointer { input in
                shares.withUnsafeMutableBufferPointer { all in
                    allocator.allocate(input, shares: UnsafeMutableBufferPointer(rebasing: all[(q * n)..<(q * n + n)]))
                }
            }
            totals.consumed = qt.consumed
            totals.produced = qt.produced
            totals.shared = qt.shared
            totals.grid = qt.grid
            totals.surplus = qt.surplus
            community.append(totals)
        }
        if let gridOperator, gridOperator.contains(where: { $0 >= 0 }) { useGridOperatorShares(gridOperator) }
    }

    private mutating func useGridOperatorShares(_ gridOperator: [Int64]) {
        precondition(gridOperator.count == values.count, "one DSO share slot per point and quarter hour")
        let n = pointCount
        fromGridOperator = gridOperator.map { $0 >= 0 }
        for q in 0..<quarterHourCount {
            var replaced = false
            for i in 0..<n where gridOperator[q * n + i] >= 0 {
                shares[q * n + i] = gridOperator[q * n + i]
                replaced = true
            }
            guard replaced else { continue }
            var totals = EnergyTotals()
            for i in 0..<n { totals.addToCommunity(pointTotals(quarterHour: q, point: i), direction: directions[i]) }
            community[q] = totals
        }
    }

    /// One point's figures of one quarter hour.
    @inline(__always)
    public func pointTotals(quarterHour q: Int, point i: Int) -> EnergyTotals {
        let k = q * pointCount + i
        var t = EnergyTotals.point(direction: directions[i], value: values[k], share: shares[k])
        if t.intervals == 1, !fromGridOperator.isEmpty, fromGridOperator[k] { t.dsoIntervals = 1 }
        return t
    }

    /// The day's totals of metering point `point`.
    public func totals(ofPoint point: Int) -> EnergyTotals {
        var t = EnergyTotals()
        for q in 0..<quarterHourCount { t.add(pointTotals(quarterHour: q, point: point)) }
        return t
    }

    /// The day's community totals.
    public var communityTotals: EnergyTotals {
        var t = EnergyTotals()
        for q in community { t.add(q) }
        return t
    }

    /// Per quarter hour, whether point `point`'s share is the grid operator's (empty when none is).
    public func gridOperatorFlags(ofPoint point: Int) -> [Bool] {
        guard !fromGridOperator.isEmpty else { return [] }
        return (0..<quarterHourCount).map { fromGridOperator[$0 * pointCount + point] }
    }

    /// Point `point`'s readings and shares, one pair per quarter hour, interleaved: the compact
    /// per-(point, day) record the stores keep.
    public func interleavedSeries(ofPoint point: Int) -> [Int64] {
        var out = [Int64](repeating: 0, count: quarterHourCount * 2)
        let n = pointCount
        for q in 0..<quarterHourCount {
            out[2 * q] = values[q * n + point]
            out[2 * q + 1] = shares[q * n + point]
        }
        return out
    }
}
