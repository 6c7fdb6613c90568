/// A postal address, as an invoice prints it.
///
/// ```yaml
/// address: {street: Hauptplatz 1, postalCode: "2000", city: Sonnenfeld, country: AT}
/// ```
public struct PostalAddress: Sendable, Equatable {
    public var street: String
    public var postalCode: String
    public var city: String
    /// ISO 3166 alpha-2 (`AT`).
    public var country: String

    public init(street: String, postalCode: String, city: String, country: String) {
        self.street = street
        self.postalCode = postalCode
        self.city = city
        self.country = country
    }

    /// The lines under a name: `Hauptplatz 1`, `AT-2000 Sonnenfeld`.
    public var lines: [String] { [street, "\(country)-\(postalCode) \(city)"] }
}

/// The language of statements.
public enum StatementLanguage: String, Sendable, CaseIterable {
    case de, en
}

/// The community's bank details for SEPA: its creditor identifier (to collect direct debits) and
/// its account.
public struct CommunityBankAccount: Sendable, Equatable {
    public var creditorID: CreditorID
    public var iban: IBAN
    public var bic: BIC?

    public init(creditorID: CreditorID, iban: IBAN, bic: BIC? = nil) {
        self.creditorID = creditorID
        self.iban = iban
        self.bic = bic
    }
}

/// A member's account and SEPA direct-debit mandate.
public struct MemberMandate: Sendable, Equatable {
    public var iban: IBAN
    /// The mandate reference (up to 35 characters of the SEPA character set).
    public var mandateID: String
    public var signedOn: LocalDate

    public init(iban: IBAN, mandateID: String, signedOn: LocalDate) {
        self.iban = iban
        self.mandateID = mandateID
        self.signedOn = signedOn
    }

    /// The characters SEPA allows in a mandate reference.
    public static func isValidMandateID(_ text: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ")
        return !text.isEmpty && text.count <= 35 && text.allSatisfy(allowed.contains) && !text.hasPrefix("/") && !text.contains("//")
    }
}

/// A VAT identification number (UID): Austria's `ATU` and 8 digits, other EU countries their
/// country code and 2 to 12 letters or digits.
///
/// ```swift
/// try VATID("ATU12345678").description   // "ATU12345678"
/// ```
public struct VATID: Hashable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ text: String) throws(BankingError) {
        let id = String(text.filter { $0 != " " }).uppercased()
        let isAlphanumeric = id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        if id.hasPrefix("AT") {
            guard id.count == 11, id.dropFirst(2).first == "U", id.dropFirst(3).allSatisfy(\.isNumber) else {
                throw .malformed("VAT id (UID)", text, "an Austrian UID is ATU and 8 digits (ATU12345678)")
            }
        } else {
            guard isAlphanumeric, (4...14).contains(id.count), id.prefix(2).allSatisfy(\.isLetter) else {
                throw .malformed("VAT id (UID)", text, "a country code and 2 to 12 letters or digits")
            }
        }
        description = id
    }
}
