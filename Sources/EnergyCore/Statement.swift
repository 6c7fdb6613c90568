/// One member's statement for one billing period: the energy figures per metering point and the
/// money lines computed from them with the tariff.
///
/// Every line is rounded to the cent by its own rule (see `Money`); VAT is one line per kind of
/// line, computed from the sum of that kind's rounded lines; the totals are sums of rounded lines.
/// Charges are positive, credits (energy the community took from the member's plants) negative;
/// a negative total is what the community pays the member.
/// ```swift
/// let statement = MemberStatement(member: m, points: figures, tariff: tariff, months: 1)
/// statement.total.text   // "12.34"
/// ```
public struct MemberStatement: Sendable, Equatable {
    public var member: Member
    public var points: [PointFigures]
    public var lines: [StatementLine]
    public var net: Money
    public var vat: Money
    public var total: Money

    public init(member: Member, points: [PointFigures], tariff: Tariff, months: Int) {
        self.member = member
        self.points = points
        var lines: [StatementLine] = []
        for point in points {
            let consumer = point.point.direction == .consumption
            for (w, window) in tariff.windows.enumerated() where w < point.sharedPerWindow.count {
                let energy = Energy(milliwattHours: point.sharedPerWindow[w])
                guard energy != .zero || tariff.windows.count == 1 else { continue }
                let price = consumer ? window.consumptionPrice : window.generationPrice
                let amount = Money.amount(of: energy, at: price)
                lines.append(StatementLine(kind: consumer ? .communityEnergy : .generationCredit, zaehlpunkt: point.point.zaehlpunkt,
                                           window: tariff.windows.count == 1 ? nil : window.name, energy: energy, price: price,
                                           rate: nil, amount: consumer ? amount : -amount))
            }
        }
        let fee = tariff.memberFee(months: months)
        if fee != .zero {
            lines.append(StatementLine(kind: .memberFee, zaehlpunkt: nil, window: nil, energy: nil, price: nil, rate: nil, amount: fee))
        }
        var vatLines: [StatementLine] = []
        for (kind, rate) in [(LineKind.communityEnergy, tariff.vat.consumption), (.generationCredit, tariff.vat.generation),
                             (.memberFee, tariff.vat.memberFee)] {
            let base = lines.filter { $0.kind == kind }
            guard !base.isEmpty else { continue }
            let sum = base.reduce(Money.zero) { $0 + $1.amount }
            vatLines.append(StatementLine(kind: .vat, zaehlpunkt: nil, window: nil, energy: nil, price: nil, rate: rate,
                                          amount: Money.percentage(rate, of: sum), vatOn: kind, base: sum))
        }
        net = lines.reduce(.zero) { $0 + $1.amount }
        vat = vatLines.reduce(.zero) { $0 + $1.amount }
        total = net + vat
        self.lines = lines + vatLines
    }

    /// Quarter hours missing over all of the member's points.
    public var missingQuarterHours: Int { points.reduce(0) { $0 + $1.totals.expectedIntervals - $1.totals.intervals } }
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

/// What a statement line is for.
public enum LineKind: String, Sendable, Equatable {
    /// Community energy a consuming point received (a charge).
    case communityEnergy = "community_energy"
    /// Energy the community took from a generating point (a credit).
    case generationCredit = "generation_credit"
    case memberFee = "member_fee"
    case vat
}

/// One line of a statement.
public struct StatementLine: Sendable, Equatable {
    public var kind: LineKind
    public var zaehlpunkt: Zaehlpunkt?
    /// The time-of-use window's name, when the tariff has several.
    public var window: String?
    public var energy: Energy?
    public var price: EnergyPrice?
    /// VAT lines: the rate, what kind of line it is on, and the base it was computed from.
    public var rate: Percentage?
    public var amount: Money
    public var vatOn: LineKind?
    public var base: Money?

    public init(kind: LineKind, zaehlpunkt: Zaehlpunkt?, window: String?, energy: Energy?, price: EnergyPrice?, rate: Percentage?,
                amount: Money, vatOn: LineKind? = nil, base: Money? = nil) {
        self.kind = kind
        self.zaehlpunkt = zaehlpunkt
        self.window = window
        self.energy = energy
        self.price = price
        self.rate = rate
        self.amount = amount
        self.vatOn = vatOn
        self.base = base
    }

    /// Human text for the line, e.g. `Community energy AT003…1 (midday)`.
    public var text: String {
        let place = zaehlpunkt.map { " \($0)" } ?? ""
        let window = self.window.map { " (\($0))" } ?? ""
        switch kind {
        case .communityEnergy: return "Community energy received\(place)\(window)"
        case .generationCredit: return "Energy taken by the community\(place)\(window)"
        case .memberFee: return "Member fee"
        case .vat:
            let on: String
            switch vatOn {
            case .communityEnergy?: on = "community energy"
            case .generationCredit?: on = "energy taken"
            default: on = "member fee"
            }
            return "VAT \(rate?.text ?? "0") % on \(on)"
        }
    }
}
