import Foundation

/// Text for SEPA files: the EPC's Latin character set, field lengths, identifiers and XML escaping.
///
/// SEPA (EPC implementation guidelines) guarantees only `a-z A-Z 0-9 / - ? : ( ) . , ' +` and the
/// space between banks; other characters may be rejected or garbled on the way to the member's
/// statement. Names and remittance texts are therefore transliterated (`ä` → `ae`, `ß` → `ss`,
/// `é` → `e`, `&` → `+`), everything else becomes a space, runs of spaces collapse and the result
/// is cut to the field's length. Identifiers are never altered: a changed statement number or
/// mandate reference would point at something else, so `isValidIdentifier` only checks them.
///
/// ```swift
/// SEPAText.latin("Jürgen Groß & Söhne", maxLength: SEPAText.nameLength)   // "Juergen Gross + Soehne"
/// SEPAText.isValidIdentifier("2026-0001")   // true
/// SEPAText.escaped("O'Brien")   // "O&apos;Brien"
/// ```
public enum SEPAText {
    /// `Nm` of a party (the XSD allows 140, the EPC guidelines 70).
    public static let nameLength = 70
    /// One `Ustrd` (unstructured remittance information).
    public static let remittanceLength = 140
    /// `MsgId`, `PmtInfId`, `EndToEndId`, `MndtId`.
    public static let identifierLength = 35

    /// The characters of the SEPA Latin character set.
    public static let allowed: Set<Character> = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ")

    /// Replacements that are not a letter with diacritics removed: German umlauts keep their
    /// spoken form (`Müller` → `Mueller`, as Austrian banks and registers spell them without
    /// umlauts), ligatures and letters without a decomposition get their usual Latin spelling.
    static let transliterations: [Character: String] = [
        "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS",
        "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "å": "aa", "Å": "Aa",
        "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i",
        "&": "+", "\"": "'", "\u{2018}": "'", "\u{2019}": "'", "\u{201A}": "'", "\u{201C}": "'", "\u{201D}": "'",
        "\u{201E}": "'", "«": "'", "»": "'", "\u{2013}": "-", "\u{2014}": "-", "_": "-", "€": "EUR", "@": "(at)",
    ]

    /// `text` in the SEPA character set, collapsed and cut to `maxLength` characters; may be empty
    /// (the caller decides whether an empty field is acceptable).
    public static func latin(_ text: String, maxLength: Int) -> String {
        var out = ""
        for character in text {
            if allowed.contains(character) {
                out.append(character)
            } else if let replacement = transliterations[character] {
                out += replacement
            } else {
                out += stripped(character) ?? " "
            }
        }
        let collapsed = out.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        // All characters are ASCII now, so characters, bytes and the XSD's length agree.
        return String(collapsed.prefix(max(0, maxLength))).trimmingCharacters(in: .whitespaces)
    }

    /// The letter under the accents (`é` → `e`, `Č` → `C`, `ﬁ` → `fi`) when the compatibility
    /// decomposition of `character` is allowed characters and combining marks only; otherwise nil.
    static func stripped(_ character: Character) -> String? {
        let decomposed = String(character).decomposedStringWithCompatibilityMapping
        var base = ""
        for scalar in decomposed.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default:
                guard allowed.contains(Character(scalar)) else { return nil }
                base.unicodeScalars.append(scalar)
            }
        }
        return base.isEmpty ? nil : base
    }

    /// Whether `text` may be a SEPA identifier (message, payment information, end-to-end or
    /// mandate reference): 1 to `maxLength` characters of the SEPA set, not starting or ending
    /// with `/` and without `//` (EPC rules for references).
    public static func isValidIdentifier(_ text: String, maxLength: Int = identifierLength) -> Bool {
        !text.isEmpty && text.count <= maxLength && text.allSatisfy(allowed.contains) && !text.hasPrefix("/")
            && !text.hasSuffix("/") && !text.contains("//") && text.trimmingCharacters(in: .whitespaces) == text
    }

    /// `text` escaped for an XML element or attribute value (`&`, `<`, `>`, `'`, `"`).
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'": out += "&apos;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
