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
    /// The local days this line prices (`to` exclusive) when the tariff changed within the
    /// period; nil: the whole period.
    public var days: Range<LocalDate>?
    /// The VAT rate a priced line is taxed at (its VAT line says the same): shown on the PDF.
    /// Not part of `rate`, which only VAT lines carry, so the CSV and workbook stay as they were.
    public var taxRate: Percentage?

    public init(
        kind: LineKind, zaehlpunkt: Zaehlpunkt?, window: String?, energy: Energy?, price: EnergyPrice?, rate: Percentage?,
        amount: Money, vatOn: LineKind? = nil, base: Money? = nil, days: Range<LocalDate>? = nil
    ) {
        self.kind = kind
        self.zaehlpunkt = zaehlpunkt
        self.window = window
        self.energy = energy
        self.price = price
        self.rate = rate
        self.amount = amount
        self.vatOn = vatOn
        self.base = base
        self.days = days
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
