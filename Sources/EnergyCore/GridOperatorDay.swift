/// The grid operator's allocation of one local day, gathered from its figures, and the one rule
/// that turns those figures into each point's community share:
///
/// - a consumer's share is `G.03` (the production that covered its consumption: what it is billed);
/// - a producer's share, what the community took from it, is `G.01T − P.01T`, or, where the T
///   codes are absent, `G.01 − P.01` (its reading less the surplus that went to its supplier).
///
/// Slots are quarter-hour-major (`q * pointCount + i`), like ``DayAllocation``.
/// ```swift
/// var dso = GridOperatorDay(quarterHours: 96, directions: community.pointKeys.map(\.direction))
/// dso.record(quarterHour: 0, point: 1, code: .coveredShare, milliwattHours: 120)
/// let shares = dso.shares(readings: values)   // -1 where the DSO sent no allocation
/// ```
public struct GridOperatorDay: Sendable {
    public let quarterHourCount: Int
    public let directions: [Direction]
    private var covered: [Int64]
    private var participatingProduction: [Int64]
    private var participatingSurplus: [Int64]
    private var surplus: [Int64]
    /// Figures recorded (any code).
    public private(set) var figures = 0

    // The slots are made on the first figure: most days of most communities have none, and four
    // slots per point and quarter hour are 30 MB a day for 10,000 points.
    public init(quarterHours: Int, directions: [Direction]) {
        quarterHourCount = quarterHours
        self.directions = directions
        covered = []
        participatingProduction = []
        participatingSurplus = []
        surplus = []
    }

    public var pointCount: Int { directions.count }

    /// Notes one figure. Codes the share does not depend on (G.01T of consumers, G.02, G.03R) are
    /// counted but not kept.
    public mutating func record(quarterHour q: Int, point i: Int, code: MeterCode, milliwattHours: Int64) {
        guard q >= 0, q < quarterHourCount, i >= 0, i < pointCount, code.direction == directions[i] else { return }
        let k = q * pointCount + i
        if figures == 0 {
            let empty = [Int64](repeating: -1, count: quarterHourCount * pointCount)
            covered = empty
            participatingProduction = empty
            participatingSurplus = empty
            surplus = empty
        }
        figures += 1
        switch code {
        case .coveredShare: covered[k] = milliwattHours
        case .participatingProduction: participatingProduction[k] = milliwattHours
        case .participatingSurplus: participatingSurplus[k] = milliwattHours
        case .surplus: surplus[k] = milliwattHours
        default: break
        }
    }

    /// The DSO's share of point `i` in quarter hour `q`, given its reading (`-1` if missing); nil
    /// where the DSO sent no allocation for it.
    public func share(quarterHour q: Int, point i: Int, reading: Int64) -> Int64? {
        guard figures > 0 else { return nil }
        let k = q * pointCount + i
        if directions[i] == .consumption { return covered[k] >= 0 ? covered[k] : nil }
        if participatingProduction[k] >= 0, participatingSurplus[k] >= 0 {
            return max(0, participatingProduction[k] - participatingSurplus[k])
        }
        if surplus[k] >= 0, reading >= 0 { return max(0, reading - surplus[k]) }
        return nil
    }

    /// Every slot's DSO share (see ``share(quarterHour:point:reading:)``), -1 where there is none:
    /// the `gridOperator` argument of ``DayAllocation``.
    public func shares(readings values: [Int64]) -> [Int64] {
        var out = [Int64](repeating: -1, count: quarterHourCount * pointCount)
        guard figures > 0 else { return out }
        for q in 0..<quarterHourCount {
            for i in 0..<pointCount {
                let k = q * pointCount + i
                out[k] = share(quarterHour: q, point: i, reading: k < values.count ? values[k] : -1) ?? -1
            }
        }
        return out
    }
}

extension DayAllocation {
    /// The figures a grid operator would send for this day had it allocated as we did: consumers
    /// `G.01`, `G.02` and `G.03` (both the share), producers `G.01`, `G.01T` (production times
    /// participation) and `P.01T` (what of it the community did not take); nothing where a reading
    /// is missing. `shares` replaces the day's shares (a test's injected differences);
    /// `quality(q, i)` gives each value's quality. Ordered by point, then time: a file per point.
    /// ```swift
    /// let figures = day.gridOperatorFigures(points: community.meteringPoints)   // what `energy simulate --crmsg-out` writes
    /// ```
    public func gridOperatorFigures(
        points: [MeteringPoint], shares override: [Int64]? = nil, quality: (Int, Int) -> Quality = { _, _ in .measured }
    ) -> [GridOperatorFigure] {
        precondition(points.count == pointCount, "one metering point per allocated point")
        let shares = override ?? self.shares
        var out: [GridOperatorFigure] = []
        out.reserveCapacity(values.count * 3)
        for (i, point) in points.enumerated() {
            for q in 0..<quarterHourCount {
                let value = values[q * pointCount + i]
                guard value >= 0 else { continue }
                let share = shares[q * pointCount + i]
                let start = firstQuarterHour.advanced(by: Int64(q))
                let mm = quality(q, i)
                func figure(_ code: MeterCode, _ mwh: Int64) -> GridOperatorFigure {
                    GridOperatorFigure(zaehlpunkt: point.zaehlpunkt, meterCode: code, start: start, milliwattHours: mwh, quality: mm)
                }
                if point.direction == .consumption {
                    out += [figure(.consumption, value), figure(.offeredShare, share), figure(.coveredShare, share)]
                } else {
                    let participating = value * point.participationBasisPoints / 10_000
                    out += [
                        figure(.production, value), figure(.participatingProduction, participating),
                        figure(.participatingSurplus, max(0, participating - share)),
                    ]
                }
            }
        }
        return out
    }
}
