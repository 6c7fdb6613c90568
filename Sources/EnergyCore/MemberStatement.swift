/// One member's statement for one billing period: the energy figures per metering point and the
/// money lines computed from them with the tariff.
///
/// Every line is rounded to the cent by its own rule (see `Money`); VAT is one line per kind of
/// line, computed from the sum of that kind's rounded lines; the totals are sums of rounded lines.
/// Charges are positive, credits (energy the community took from the member's plants) negative;
/// a negative total is what the community pays the member.
/// ```swift
/// let statement = MemberStatement(member: m, points: figures, pricing: try PeriodPricing(schedule, period: period))
/// statement.total.text   // "12.34"
/// ```
public struct MemberStatement: Sendable, Equatable {
    public var member: Member
    public var points: [PointFigures]
    public var lines: [StatementLine]
    public var net: Money
    public var vat: Money
    public var total: Money

    /// Lines per metering point and price slot with energy (a tariff valid on part of the period
    /// gives its own lines, with their days), the member fee per tariff, then one VAT line per kind
    /// of line and rate.
    public init(member: Member, points: [PointFigures], pricing: PeriodPricing) {
        self.member = member
        self.points = points
        var lines: [StatementLine] = []
        let single = pricing.slots.count == 1
        for point in points {
            let consumer = point.point.direction == .consumption
            for (w, slot) in pricing.slots.enumerated() where w < point.sharedPerWindow.count {
                let energy = Energy(milliwattHours: point.sharedPerWindow[w])
                guard energy != .zero || single else { continue }
                let price = consumer ? slot.window.consumptionPrice : slot.window.generationPrice
                let amount = Money.amount(of: energy, at: price)
                lines.append(
                    StatementLine(
                        kind: consumer ? .communityEnergy : .generationCredit, zaehlpunkt: point.point.zaehlpunkt,
                        window: slot.label, energy: energy, price: price, rate: consumer ? slot.vat.consumption : slot.vat.generation,
                        amount: consumer ? amount : -amount, days: slot.days))
            }
        }
        for fee in pricing.fees where fee.amount != .zero {
            lines.append(
                StatementLine(
                    kind: .memberFee, zaehlpunkt: nil, window: nil, energy: nil, price: nil, rate: fee.rate, amount: fee.amount,
                    days: fee.days))
        }
        // VAT per kind of line and rate (a tariff change may change the rate), on the sum of
        // that group's rounded lines.
        var vatLines: [StatementLine] = []
        for kind in [LineKind.communityEnergy, .generationCredit, .memberFee] {
            var rates: [Percentage] = []
            for line in lines where line.kind == kind {
                if let rate = line.rate, !rates.contains(rate) { rates.append(rate) }
            }
            for rate in rates {
                let sum = lines.filter { $0.kind == kind && $0.rate == rate }.reduce(Money.zero) { $0 + $1.amount }
                vatLines.append(
                    StatementLine(
                        kind: .vat, zaehlpunkt: nil, window: nil, energy: nil, price: nil, rate: rate,
                        amount: Money.percentage(rate, of: sum), vatOn: kind, base: sum))
            }
        }
        // The rate was only the grouping key of the priced lines; they show no rate of their own.
        for i in lines.indices {
            lines[i].taxRate = lines[i].rate
            lines[i].rate = nil
        }
        net = lines.reduce(.zero) { $0 + $1.amount }
        vat = vatLines.reduce(.zero) { $0 + $1.amount }
        total = net + vat
        self.lines = lines + vatLines
    }

    public var missingQuarterHours: Int { points.reduce(0) { $0 + $1.totals.expectedIntervals - $1.totals.intervals } }

    /// Quarter hours (over all of the member's points, with a reading) whose community share is
    /// the grid operator's allocation (EDA) rather than ours.
    public var gridOperatorQuarterHours: Int { points.reduce(0) { $0 + $1.totals.dsoIntervals } }

    /// Whose allocation the community energy follows, for the statement.
    public var allocationNote: String {
        let withReadings = points.reduce(0) { $0 + $1.totals.intervals }
        let dso = gridOperatorQuarterHours
        if dso == 0 { return "our allocation, computed from the readings (no grid-operator figures imported)" }
        if dso >= withReadings { return "the grid operator's allocation (EDA) for every quarter hour" }
        return "the grid operator's allocation (EDA) for \(dso) of \(withReadings) quarter hours, our computed allocation for the rest"
    }
}

/// The energy of one metering point over a billing period.
public struct PointFigures: Sendable, Equatable {
    public var point: MeteringPoint
    /// consumed, shared, grid (consumers) or produced, shared, surplus (generators), and intervals.
    public var totals: EnergyTotals
    /// Shared energy per tariff window (received by a consumer, taken from a generator), in mWh.
    public var sharedPerWindow: [Int64]

    public init(point: MeteringPoint, totals: EnergyTotals, sharedPerWindow: [Int64]) {
        self.point = point
        self.totals = totals
        self.sharedPerWindow = sharedPerWindow
    }
}
