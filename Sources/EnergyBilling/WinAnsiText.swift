import Foundation

/// Text as the bytes of Windows code page 1252 ("WinAnsiEncoding"), the encoding the PDF's
/// built-in fonts are used with: Latin-1 plus € (0x80), the typographic quotes, dashes and a few
/// more in 0x80–0x9F. A character it cannot show becomes `?`, a control character a space.
///
/// ```swift
/// WinAnsiText.bytes("1.234,56 € – Straße")   // [0x31, …, 0x80, 0x20, 0x96, …, 0xDF, 0x65]
/// ```
enum WinAnsiText {
    /// The characters of 0x80–0x9F (the five unused codes of that range are missing).
    static let upperControlRange: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87, 0x02C6: 0x88,
        0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93,
        0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98, 0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B,
        0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]

    /// The CP1252 bytes of `text`, without a terminating zero.
    static func bytes(_ text: String) -> [UInt8] {
        // Composed first, so that an `a` followed by a combining diaeresis is the one byte of `ä`.
        let composed = text.precomposedStringWithCanonicalMapping
        var out: [UInt8] = []
        out.reserveCapacity(composed.utf8.count)
        for scalar in composed.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x20...0x7E, 0xA0...0xFF: out.append(UInt8(value))
            case 0x00..<0x20, 0x7F: out.append(0x20)
            // A non-breaking hyphen or minus sign: the hyphen the font has.
            case 0x2011, 0x2212: out.append(0x2D)
            default: out.append(upperControlRange[value] ?? UInt8(ascii: "?"))
            }
        }
        return out
    }

    /// The bytes as a zero-terminated C string for libharu.
    static func cString(_ text: String) -> [CChar] {
        bytes(text).map { CChar(bitPattern: $0) } + [0]
    }
}
