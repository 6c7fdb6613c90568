import Foundation

/// An International Bank Account Number, checked as the banks check it: the country's length and
/// the mod-97 check digits (ISO 13616). Spaces are allowed on input and dropped.
///
/// ```swift
/// let iban = try IBAN("AT86 2011 1000 0000 4242")
/// iban.description   // "AT862011100000004242"
/// iban.grouped       // "AT86 2011 1000 0000 4242"
/// ```
public struct IBAN: Hashable, Sendable, CustomStringConvertible {
    public let description: String

    /// Lengths of the SEPA countries' IBANs (others: 15 to 34 characters).
    static let lengths: [String: Int] = [
        "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27,
        "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
        "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
    ]

    public init(_ text: String) throws(BankingError) {
        let compact = String(text.filter { $0 != " " }).uppercased()
        guard compact.count >= 15, compact.count <= 34, compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw .malformed("IBAN", text, "2 letters, 2 check digits and up to 30 letters or digits")
        }
        let country = String(compact.prefix(2))
        guard country.allSatisfy(\.isLetter), compact.dropFirst(2).prefix(2).allSatisfy(\.isNumber) else {
            throw .malformed("IBAN", text, "it must start with a country code and two check digits (AT86…)")
        }
        if let length = Self.lengths[country], compact.count != length {
            throw .malformed("IBAN", text, "an IBAN of \(country) has \(length) characters, this one \(compact.count)")
        }
        guard BankingCheck.mod97(compact.dropFirst(4) + compact.prefix(4)) == 1 else { throw .checkDigits("IBAN", text) }
        description = compact
    }

    /// The country code (`AT`).
    public var country: String { String(description.prefix(2)) }

    /// In groups of four, as printed on an invoice.
    public var grouped: String {
        var out = ""
        for (i, character) in description.enumerated() {
            if i > 0 && i % 4 == 0 { out.append(" ") }
            out.append(character)
        }
        return out
    }
}

/// A Business Identifier Code (SWIFT code): 4 letters (bank), 2 letters (country), 2 letters or
/// digits (location), optionally 3 more (branch).
///
/// ```swift
/// try BIC("GIBAATWWXXX").description   // "GIBAATWWXXX"
/// ```
public struct BIC: Hashable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ text: String) throws(BankingError) {
        let bic = text.trimmingCharacters(in: .whitespaces).uppercased()
        let characters = Array(bic)
        guard characters.count == 8 || characters.count == 11, characters.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
            characters[0..<6].allSatisfy(\.isLetter)
        else {
            throw .malformed("BIC", text, "8 or 11 characters: bank (4 letters), country (2 letters), location (2), branch (3, optional)")
        }
        description = bic
    }
}

/// A SEPA creditor identifier (Gläubiger-ID): country, 2 check digits, a 3-character business
/// code (not part of the check), the national identifier; the check digits are mod 97 over the
/// national identifier and the country.
///
/// ```swift
/// try CreditorID("AT88ZZZ00000000001").description   // "AT88ZZZ00000000001"
/// ```
public struct CreditorID: Hashable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ text: String) throws(BankingError) {
        let id = String(text.filter { $0 != " " }).uppercased()
        guard id.count >= 8, id.count <= 35, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
            id.prefix(2).allSatisfy(\.isLetter), id.dropFirst(2).prefix(2).allSatisfy(\.isNumber)
        else {
            throw .malformed(
                "creditor identifier", text, "country, 2 check digits, a 3-character business code and the national id (AT88ZZZ00000000001)"
            )
        }
        let national = id.dropFirst(7)
        guard BankingCheck.mod97(national + id.prefix(2) + id.dropFirst(2).prefix(2)) == 1 else {
            throw .checkDigits("creditor identifier", text)
        }
        description = id
    }
}

/// Why an account detail is not valid.
public enum BankingError: Error, Equatable, CustomStringConvertible {
    case malformed(String, String, String)
    case checkDigits(String, String)

    public var description: String {
        switch self {
        case let .malformed(what, text, rule): return "'\(text)' is not a valid \(what): \(rule)"
        case let .checkDigits(what, text): return "'\(text)' is not a valid \(what): its check digits do not match (a typing error?)"
        }
    }
}

extension IBAN {
    /// The IBAN of `bban` in `country`, its check digits computed (for generated test and demo data).
    public init(country: String, bban: String) throws(BankingError) {
        let check = 98 - BankingCheck.mod97(bban + country + "00")
        try self.init(country + (check < 10 ? "0" : "") + String(check) + bban)
    }
}

enum BankingCheck {
    /// The remainder mod 97 of `text` read as a number with A = 10 … Z = 35 (ISO 7064).
    static func mod97(_ text: some StringProtocol) -> Int {
        var remainder = 0
        for character in text {
            let value: Int
            if let ascii = character.asciiValue, (48...57).contains(ascii) {
                value = Int(ascii) - 48
            } else if let ascii = character.asciiValue, (65...90).contains(ascii) {
                value = Int(ascii) - 55
            } else {
                return -1
            }
            remainder = (value >= 10 ? remainder * 100 + value : remainder * 10 + value) % 97
        }
        return remainder
    }
}
