import EnergyCore

/// Everything one statement document shows, independent of its format: the PDF renderer takes
/// only this. A cancellation (Storno) is the cancelled statement with every amount negated, its own
/// number and a reference to the original.
///
/// ```swift
/// let document = StatementDocument(figures: figures, memberIndex: 0, kind: .statement, number: "2026-0001", issuedOn: today)
/// let pdf = try StatementPDF(document).render()
/// ```
public struct StatementDocument: Sendable {
    public enum Kind: String, Sendable {
        /// Not numbered, not binding.
        case preview
        /// A final statement; `reference` names the statement it replaces if it is a reissue.
        case statement
        /// Cancels the statement named by `reference`; every amount negated.
        case cancellation
    }

    public var kind: Kind
    /// nil in a preview.
    public var number: String?
    public var issuedOn: LocalDate?
    /// A cancellation: the cancelled statement's number. A reissue: the number of the statement it replaces.
    public var reference: String?
    /// A cancellation: why it was cancelled.
    public var reason: String?
    /// Name, id, address, UID (`vatID`), bank account and language of the documents.
    public var community: Community
    /// Name, id, address and mandate.
    public var member: Member
    public var period: BillingPeriod
    public var currency: String
    /// The statement's lines (negated in a cancellation), VAT lines last.
    public var lines: [StatementLine]
    public var net: Money
    public var vat: Money
    public var total: Money
    /// Quarter hours of the member's points without a reading, of `expectedQuarterHours`.
    public var missingQuarterHours: Int
    public var expectedQuarterHours: Int
    /// Whose allocation the shares are (the grid operator's, ours, or both).
    public var allocationNote: String
    /// The local days of the period, and per day the member's consumption and the community
    /// energy it received (the chart).
    public var days: [LocalDate]
    public var consumedPerDay: [Energy]
    public var sharedPerDay: [Energy]

    public init(
        kind: Kind, number: String?, issuedOn: LocalDate?, reference: String? = nil, reason: String? = nil, community: Community,
        member: Member, period: BillingPeriod, currency: String, lines: [StatementLine], net: Money, vat: Money, total: Money,
        missingQuarterHours: Int, expectedQuarterHours: Int, allocationNote: String, days: [LocalDate], consumedPerDay: [Energy],
        sharedPerDay: [Energy]
    ) {
        self.kind = kind
        self.number = number
        self.issuedOn = issuedOn
        self.reference = reference
        self.reason = reason
        self.community = community
        self.member = member
        self.period = period
        self.currency = currency
        self.lines = lines
        self.net = net
        self.vat = vat
        self.total = total
        self.missingQuarterHours = missingQuarterHours
        self.expectedQuarterHours = expectedQuarterHours
        self.allocationNote = allocationNote
        self.days = days
        self.consumedPerDay = consumedPerDay
        self.sharedPerDay = sharedPerDay
    }

    /// The document of member `memberIndex` of `figures`; a cancellation negates every amount.
    public init(
        figures: BillingFigures, memberIndex: Int, kind: Kind, number: String?, issuedOn: LocalDate?, reference: String? = nil,
        reason: String? = nil
    ) {
        let statement = figures.statements[memberIndex]
        let sign: Int64 = kind == .cancellation ? -1 : 1
        let points = figures.pointIndices(of: statement.member)
        var consumed = [Energy](repeating: .zero, count: figures.days.count)
        var shared = [Energy](repeating: .zero, count: figures.days.count)
        for p in points where figures.community.meteringPoints[p].direction == .consumption {
            for (d, day) in figures.daily[p].enumerated() where d < consumed.count {
                consumed[d] = consumed[d] + Energy(milliwattHours: day.consumed)
                shared[d] = shared[d] + Energy(milliwattHours: day.shared)
            }
        }
        self.init(
            kind: kind, number: number, issuedOn: issuedOn, reference: reference, reason: reason, community: figures.community,
            member: statement.member, period: figures.period, currency: figures.currency,
            lines: statement.lines.map { line in
                var line = line
                line.amount = Money(cents: sign * line.amount.cents)
                line.base = line.base.map { Money(cents: sign * $0.cents) }
                line.energy = line.energy.map { Energy(milliwattHours: sign * $0.milliwattHours) }
                return line
            },
            net: Money(cents: sign * statement.net.cents), vat: Money(cents: sign * statement.vat.cents),
            total: Money(cents: sign * statement.total.cents), missingQuarterHours: statement.missingQuarterHours,
            expectedQuarterHours: statement.points.reduce(0) { $0 + $1.totals.expectedIntervals },
            allocationNote: statement.allocationNote, days: figures.days, consumedPerDay: consumed, sharedPerDay: shared)
    }
}
