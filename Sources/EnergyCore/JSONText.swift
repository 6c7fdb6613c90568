/// A JSON value that renders itself: the one JSON writer of energy. The API's answers, the
/// reports' JSON, the AMQP reading message and the JSON log lines are built from these, so every
/// string is escaped in one place and exact decimals (kWh with six places) are written as given.
///
/// ```swift
/// let row: JSONText = .object([("zaehlpunkt", .string("AT00…")), ("kwh", .number("0.000244")), ("intervals", .int(96))])
/// row.rendered                   // {"zaehlpunkt":"AT00…","kwh":0.000244,"intervals":96}
/// JSONText.lines([row, row])     // "[\n  {…},\n  {…}\n]\n", ", " and ": " between fields (the reports' format)
/// ```
public enum JSONText: Sendable, Equatable {
    // Not `indirect`: arrays hold the nested values already, and an indirect enum boxed every
    // value on the heap (an API answer of a month's rows allocated hundreds of boxes).
    case string(String)
    /// A number written exactly as this text (an integer or an exact decimal).
    case number(String)
    case bool(Bool)
    case null
    case array([JSONText])
    case object([(String, JSONText)])
    /// Compact JSON text already written as UTF-8 bytes, copied as it is (in either style): for
    /// the long, uniform parts of an answer (an API answer's rows) that a dedicated writer puts
    /// straight into bytes instead of building a value for every field first.
    case rendered([UInt8])

    public static func int(_ value: some BinaryInteger) -> JSONText { .number(String(value)) }
    public static func optional(_ value: String?) -> JSONText { value.map(JSONText.string) ?? .null }

    /// How fields are separated: compact (`,` and `:`) for machines, spaced (`, ` and `: `) for
    /// files people read too.
    public enum Style: Sendable {
        case compact, spaced
        func appendItemSeparator(to out: inout [UInt8]) {
            out.append(UInt8(ascii: ","))
            if self == .spaced { out.append(UInt8(ascii: " ")) }
        }
    }

    /// The compact text.
    public var rendered: String {
        var out: [UInt8] = []
        render(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public func render(into out: inout String, style: Style = .compact) {
        var bytes: [UInt8] = []
        render(into: &bytes, style: style)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the UTF-8 text to `out`: the writer behind every other form. Bytes, not a String,
    /// because appending many short pieces to a String costs a check of its storage each time
    /// (an API answer of a month's rows spent most of its JSON time there).
    public func render(into out: inout [UInt8], style: Style = .compact) {
        switch self {
        case .string(let s): JSONText.escape(s, into: &out)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .bool(let b): out.append(contentsOf: b ? Self.trueBytes : Self.falseBytes)
        case .null: out.append(contentsOf: Self.nullBytes)
        case .rendered(let bytes): out.append(contentsOf: bytes)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { style.appendItemSeparator(to: &out) }
                item.render(into: &out, style: style)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in fields.enumerated() {
                if i > 0 { style.appendItemSeparator(to: &out) }
                JSONText.escape(key, into: &out)
                out.append(UInt8(ascii: ":"))
                if style == .spaced { out.append(UInt8(ascii: " ")) }
                value.render(into: &out, style: style)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
    private static let nullBytes = Array("null".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// An array with one item per line, indented by two spaces, each item spaced: what
    /// `energy report --format json` writes.
    public static func lines(_ items: [JSONText]) -> String {
        var out = Array("[\n".utf8)
        for (i, item) in items.enumerated() {
            out.append(contentsOf: "  ".utf8)
            item.render(into: &out, style: .spaced)
            out.append(contentsOf: (i + 1 < items.count ? ",\n" : "\n").utf8)
        }
        out.append(contentsOf: "]\n".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// `s` as a JSON string literal, quotes included: `"`, `\` and control characters escaped;
    /// `/` and everything else as it is.
    public static func escape(_ s: String, into out: inout String) {
        var bytes: [UInt8] = []
        escape(s, into: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// `escape` onto UTF-8 bytes. Bytes of multi-byte characters (all >= 0x80) are copied as they
    /// are, which is the character itself.
    public static func escape(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings (dates, ids, field names) need no escaping: appended whole.
        let plain: (UInt8) -> Bool = { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        if s.utf8.withContiguousStorageIfAvailable({ $0.allSatisfy(plain) }) ?? s.utf8.allSatisfy(plain) {
            out.append(contentsOf: s.utf8)
        } else {
            for byte in s.utf8 {
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0..<0x20:
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(hexDigits[Int(byte >> 4)])
                    out.append(hexDigits[Int(byte & 0xF)])
                default: out.append(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    public static func == (lhs: JSONText, rhs: JSONText) -> Bool { lhs.rendered == rhs.rendered }
}
