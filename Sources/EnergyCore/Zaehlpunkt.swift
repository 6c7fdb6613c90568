/// An Austrian metering point id ("Zählpunktbezeichnung"): `AT` followed by 31 characters of `0-9A-Z`.
///
/// Stored packed (three integers, no heap allocation), so millions of readings can carry one cheaply.
/// Ordering is the ordering of the text.
///
/// ```swift
/// let zp = try Zaehlpunkt("AT0030000000000000000000000000001")
/// print(zp)   // AT0030000000000000000000000000001
/// ```
public struct Zaehlpunkt: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Characters in a Zaehlpunkt, including the `AT` prefix.
    public static let length = 33

    // 31 base-36 digits after "AT": 12 + 12 + 7.
    private let high: UInt64
    private let middle: UInt64
    private let low: UInt64

    /// Parses text, saying exactly what is wrong if it is not a Zaehlpunkt.
    public init(_ text: String) throws(ZaehlpunktError) {
        var utf8 = Array(text.utf8)
        self = try utf8.withUnsafeMutableBufferPointer { buffer throws(ZaehlpunktError) in
            try Zaehlpunkt(utf8: UnsafeBufferPointer(buffer))
        }
    }

    /// Parses UTF-8 bytes (the fast path for CSV and JSON readers).
    public init(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(ZaehlpunktError) {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count == Self.length else {
            throw .wrongLength(String(decoding: bytes, as: UTF8.self), bytes.count)
        }
        guard bytes[0] == UInt8(ascii: "A"), bytes[1] == UInt8(ascii: "T") else {
            throw .wrongCountryPrefix(String(decoding: bytes, as: UTF8.self))
        }
        var parts: (UInt64, UInt64, UInt64) = (0, 0, 0)
        for position in 2..<Self.length {
            let byte = bytes[position]
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = UInt64(byte - UInt8(ascii: "A")) + 10
            default:
                throw .invalidCharacter(
                    String(decoding: bytes, as: UTF8.self), position: position + 1,
                    character: String(decoding: [byte], as: UTF8.self))
            }
            switch position {
            case 2..<14: parts.0 = parts.0 &* 36 &+ digit
            case 14..<26: parts.1 = parts.1 &* 36 &+ digit
            default: parts.2 = parts.2 &* 36 &+ digit
            }
        }
        (high, middle, low) = parts
    }

    public var description: String {
        var bytes = [UInt8](repeating: 0, count: Self.length)
        bytes[0] = UInt8(ascii: "A")
        bytes[1] = UInt8(ascii: "T")
        func spell(_ value: UInt64, into range: Range<Int>) {
            var rest = value
            for position in range.reversed() {
                let digit = UInt8(rest % 36)
                rest /= 36
                bytes[position] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "A") + digit - 10
            }
        }
        spell(high, into: 2..<14)
        spell(middle, into: 14..<26)
        spell(low, into: 26..<33)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (lhs: Zaehlpunkt, rhs: Zaehlpunkt) -> Bool {
        (lhs.high, lhs.middle, lhs.low) < (rhs.high, rhs.middle, rhs.low)
    }
}

extension Zaehlpunkt: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// What is wrong with a text that should have been a Zaehlpunkt.
public enum ZaehlpunktError: Error, Equatable, CustomStringConvertible {
    case empty
    case wrongLength(String, Int)
    case wrongCountryPrefix(String)
    case invalidCharacter(String, position: Int, character: String)

    public var description: String {
        switch self {
        case .empty:
            return "Zaehlpunkt is empty"
        case let .wrongLength(text, count):
            return "Zaehlpunkt '\(text)' has \(count) characters, expected 33 (AT and 31 of 0-9A-Z)"
        case let .wrongCountryPrefix(text):
            return "Zaehlpunkt '\(text)' does not start with AT"
        case let .invalidCharacter(text, position, character):
            let hint = character.uppercased() != character ? " (letters must be upper case)" : ""
            return "Zaehlpunkt '\(text)' has '\(character)' at position \(position), expected 0-9 or A-Z\(hint)"
        }
    }
}
