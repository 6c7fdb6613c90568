/// A JSON value that renders itself: the one JSON writer of energy. The API's answers, the
/// reports' JSON, the AMQP reading message and the JSON log lines are built from these, so every
/// string is escaped in one place and exact decimals (kWh with six places) are written as given.
///
/// ```swift
/// let row: JSONText = .object([("zaehlpunkt", .string("AT00…")), ("kwh", .number("0.000244")), ("intervals", .int(96))])
/// row.rendered                   // {"zaehlpunkt":"AT00…","kwh":0.000244,"intervals":96}
/// JSONText.lines([row, row])     // "[\n  {…},\n  {…}\n]\n", ", " and ": " between fields (the reports' format)
/// ```
public indirect enum JSONText: Sendable, Equatable {
    case string(String)
    /// A number written exactly as this text (an integer or an exact decimal).
    case number(String)
    case bool(Bool)
    case null
    case array([JSONText])
    case object([(String, JSONText)])

    public static func int(_ value: some BinaryInteger) -> JSONText { .number(String(value)) }
    public static func optional(_ value: String?) -> JSONText { value.map(JSONText.string) ?? .null }

    /// How fields are separated: compact (`,` and `:`) for machines, spaced (`, ` and `: `) for
    /// files people read too.
    public enum Style: Sendable {
        case compact, spaced
        var itemSeparator: String { self == .compact ? "," : ", " }
        var keySeparator: String { self == .compact ? ":" : ": " }
    }

    /// The compact text.
    public var rendered: String {
        var out = ""
        render(into: &out)
        return out
    }

    public func render(into out: inout String, style: Style = .compact) {
        switch self {
        case .string(let s): JSONText.escape(s, into: &out)
        case .number(let n): out += n
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += style.itemSeparator }
                item.render(into: &out, style: style)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (i, (key, value)) in fields.enumerated() {
                if i > 0 { out += style.itemSeparator }
                JSONText.escape(key, into: &out)
                out += style.keySeparator
                value.render(into: &out, style: style)
            }
            out += "}"
        }
    }

    /// An array with one item per line, indented by two spaces, each item spaced: what
    /// `energy report --format json` writes.
    public static func lines(_ items: [JSONText]) -> String {
        var out = "[\n"
        for (i, item) in items.enumerated() {
            out += "  "
            item.render(into: &out, style: .spaced)
            out += i + 1 < items.count ? ",\n" : "\n"
        }
        return out + "]\n"
    }

    /// `s` as a JSON string literal, quotes included: `"`, `\` and control characters escaped;
    /// `/` and everything else as it is.
    public static func escape(_ s: String, into out: inout String) {
        // Most strings (dates, ids, field names) need no escaping: append them whole.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") && $0 < 0x80 }) {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    public static func == (lhs: JSONText, rhs: JSONText) -> Bool { lhs.rendered == rhs.rendered }
}
