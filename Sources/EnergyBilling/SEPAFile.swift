import EnergyCore

/// A party of a SEPA payment: the community (creditor of direct debits, debtor of credit
/// transfers) or a member. The name is transliterated to the SEPA character set when written.
///
/// ```swift
/// let community = SEPAParty(name: "EEG Sonnenfeld", iban: try IBAN("AT86 2011 1000 0000 4242"), bic: try BIC("GIBAATWWXXX"))
/// ```
public struct SEPAParty: Sendable, Equatable {
    public var name: String
    public var iban: IBAN
    /// Nil: the file says `NOTPROVIDED` (or, for a payee, leaves the agent out); within the EEA
    /// the bank finds the BIC from the IBAN.
    public var bic: BIC?

    public init(name: String, iban: IBAN, bic: BIC? = nil) {
        self.name = name
        self.iban = iban
        self.bic = bic
    }
}

/// The sequence type of a direct debit under a recurrent mandate: the first collection under a
/// mandate is `FRST`, every later one `RCUR`.
public enum SEPASequence: String, Sendable, CaseIterable {
    case first = "FRST"
    case recurring = "RCUR"
}

/// One payment: a direct debit from a member who owes, or a credit transfer to a producer whom the
/// community pays.
///
/// ```swift
/// let debit = SEPATransaction(
///     endToEndID: "2026-0001", amount: try Money("42.50"), counterparty: SEPAParty(name: "Anna Müller", iban: memberIBAN),
///     remittance: "Abrechnung Oktober 2026, Rechnung 2026-0001",
///     mandate: .init(id: "EEG-M-0001", signedOn: try LocalDate("2025-03-01"), sequence: .recurring))
/// ```
public struct SEPATransaction: Sendable, Equatable {
    /// A direct debit's mandate and where the collection stands in it.
    public struct Mandate: Sendable, Equatable {
        /// The mandate reference (up to 35 characters of the SEPA set).
        public var id: String
        public var signedOn: LocalDate
        public var sequence: SEPASequence

        public init(id: String, signedOn: LocalDate, sequence: SEPASequence) {
            self.id = id
            self.signedOn = signedOn
            self.sequence = sequence
        }
    }

    /// The statement number: it comes back on the bank statement and on a return, so it must be
    /// unique in the file (up to 35 characters of the SEPA set; never altered).
    public var endToEndID: String
    /// More than zero: a member who is owed money gets a credit transfer instead.
    public var amount: Money
    public var counterparty: SEPAParty
    /// Shown on the member's bank statement; transliterated, cut to 140 characters.
    public var remittance: String
    /// Required for direct debits, ignored in credit transfers.
    public var mandate: Mandate?

    public init(endToEndID: String, amount: Money, counterparty: SEPAParty, remittance: String, mandate: Mandate? = nil) {
        self.endToEndID = endToEndID
        self.amount = amount
        self.counterparty = counterparty
        self.remittance = remittance
        self.mandate = mandate
    }
}

/// What a SEPA file says, before it is written as a direct-debit file (`SEPADirectDebitFile`,
/// pain.008.001.08) or a credit-transfer file (`SEPACreditTransferFile`, pain.001.001.09).
///
/// ```swift
/// // createdAt 1_793_664_000: 2026-11-03T00:00:00Z
/// let file = SEPAFile(
///     messageID: "EEG-2026-10", createdAt: 1_793_664_000, initiator: "EEG Sonnenfeld", account: community,
///     creditorID: try CreditorID("AT32ZZZ0123456789"), date: try LocalDate("2026-11-10"), transactions: [debit])
/// let xml = try SEPADirectDebitFile.xml(file)   // nil when there is nothing to collect
/// ```
public struct SEPAFile: Sendable, Equatable {
    /// Unique per file and creditor for the bank's duplicate check; up to 30 characters of the
    /// SEPA set (the payment information ids append `-FRST`, `-RCUR` or `-TRF`).
    public var messageID: String
    /// Unix seconds, written as UTC (`2026-11-03T08:15:00Z`).
    public var createdAt: Int64
    /// The initiating party's name (the community).
    public var initiator: String
    /// The community's account: credited by direct debits, debited by credit transfers.
    public var account: SEPAParty
    /// The community's creditor identifier; required for direct debits.
    public var creditorID: CreditorID?
    /// The collection date (direct debits) or the requested execution date (credit transfers); a
    /// TARGET business day.
    public var date: LocalDate
    /// Written in this order (within each sequence type for direct debits).
    public var transactions: [SEPATransaction]

    public init(
        messageID: String, createdAt: Int64, initiator: String, account: SEPAParty, creditorID: CreditorID? = nil, date: LocalDate,
        transactions: [SEPATransaction]
    ) {
        self.messageID = messageID
        self.createdAt = createdAt
        self.initiator = initiator
        self.account = account
        self.creditorID = creditorID
        self.date = date
        self.transactions = transactions
    }

    /// The longest message id: 35 minus the longest suffix of a payment information id (`-FRST`).
    public static let messageIDLength = SEPAText.identifierLength - 5

    /// The largest amount of one transaction the EPC rulebooks allow (999,999,999.99 EUR).
    public static let maximumAmount = Money(cents: 99_999_999_999)

    /// The sum of the amounts, for `CtrlSum`.
    public static func controlSum(_ transactions: [SEPATransaction]) -> Money {
        transactions.reduce(.zero) { $0 + $1.amount }
    }

    /// `createdAt` as an ISO 8601 date-time in UTC, as `CreDtTm` (`xs:dateTime`) wants it.
    var creationDateTime: String {
        let day = createdAt >= 0 ? createdAt / 86_400 : (createdAt - 86_399) / 86_400  // floor, also before 1970
        let second = Int(createdAt - day * 86_400)
        let time = [second / 3600, second / 60 % 60, second % 60].map { $0 < 10 ? "0\($0)" : String($0) }
        return LocalDate(daysSinceEpoch: Int(day)).description + "T" + time.joined(separator: ":") + "Z"
    }

    /// Checks everything the XSD and the EPC rules demand that the types do not already
    /// guarantee; `directDebit` adds the creditor id and the mandates.
    func check(directDebit: Bool) throws(SEPAError) {
        guard SEPAText.isValidIdentifier(messageID, maxLength: Self.messageIDLength) else {
            throw .invalidIdentifier("message id", messageID, maxLength: Self.messageIDLength)
        }
        guard TargetCalendar.isBusinessDay(date) else { throw .notABusinessDay(date, next: TargetCalendar.businessDay(onOrAfter: date)) }
        try Self.checkName(initiator, "the initiating party")
        try Self.checkName(account.name, "the community's account holder")
        if directDebit && creditorID == nil { throw .missingCreditorID }
        var seen = Set<String>()
        var total = Money.zero
        for t in transactions {
            guard SEPAText.isValidIdentifier(t.endToEndID) else {
                throw .invalidIdentifier("end-to-end id", t.endToEndID, maxLength: SEPAText.identifierLength)
            }
            guard seen.insert(t.endToEndID).inserted else { throw .duplicateEndToEndID(t.endToEndID) }
            guard t.amount > .zero else { throw .nonPositiveAmount(t.endToEndID, t.amount) }
            guard t.amount <= Self.maximumAmount else { throw .amountTooLarge(t.endToEndID, t.amount) }
            total = total + t.amount
            try Self.checkName(t.counterparty.name, "the account holder of \(t.endToEndID)")
            guard directDebit else { continue }
            guard let mandate = t.mandate else { throw .missingMandate(t.endToEndID) }
            guard SEPAText.isValidIdentifier(mandate.id) else {
                throw .invalidIdentifier("mandate reference of \(t.endToEndID)", mandate.id, maxLength: SEPAText.identifierLength)
            }
            guard mandate.signedOn <= date else { throw .mandateSignedAfterCollection(t.endToEndID, mandate.signedOn, date) }
        }
        // CtrlSum is a DecimalNumber of at most 18 digits: 16 before the point.
        guard total.cents < 1_000_000_000_000_000_00 else { throw .totalTooLarge(total) }
    }

    static func checkName(_ name: String, _ whose: String) throws(SEPAError) {
        guard !SEPAText.latin(name, maxLength: SEPAText.nameLength).isEmpty else { throw .emptyName(whose, name) }
    }
}
