/// A small JSON value that renders itself: the API's answers are built from these, so every
/// string is escaped in one place and exact decimals (kWh with six places) are written as given.
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

    public var rendered: String {
        var out = ""
        render(into: &out)
        return out
    }

    public func render(into out: inout String) {
        switch self {
        case .string(let s): JSONText.escape(s, into: &out)
        case .number(let n): out += n
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.render(into: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (i, (key, value)) in fields.enumerated() {
                if i > 0 { out += "," }
                JSONText.escape(key, into: &out)
                out += ":"
                value.render(into: &out)
            }
            out += "}"
        }
    }

    static func escape(_ s: String, into out: inout String) {
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
