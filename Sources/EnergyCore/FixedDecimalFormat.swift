/// Writing fixed-point integers as decimal text: the one formatter for kWh (mWh with 6 decimals),
/// money (cents), prices and percentages, in files, messages, the API and tables alike.
///
/// ```swift
/// FixedDecimal.text(244, scale: 6)                                            // "0.000244"
/// FixedDecimal.text(12_345_678_901, scale: 6, decimals: 3, rounding: .halfAwayFromZero, grouping: ",")   // "12,345.679"
/// FixedDecimal.text(1250, scale: 2, trimmingZeros: true)                      // "12.5"
/// ```
extension FixedDecimal {
    /// What happens to digits beyond the decimals shown.
    public enum Rounding: Sendable {
        /// Dropped (exact texts never drop any: they show every decimal of the scale).
        case truncate
        /// Rounded half away from zero (for people: 0.0005 kWh shown with three decimals is 0.001).
        case halfAwayFromZero
    }

    /// `value` is a number with `scale` decimals (1250 with scale 2 is 12.50). Shows `decimals`
    /// decimals (all of the scale by default), without the point if none; with `trimmingZeros`
    /// the shortest exact text (`12.5`, `12`). A minus sign only if a digit shown is not zero, or
    /// always for a negative value whose decimals are truncated.
    public static func text(
        _ value: Int64, scale: Int, decimals: Int? = nil, rounding: Rounding = .truncate, grouping: String? = nil,
        trimmingZeros: Bool = false
    ) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(value, scale: scale, decimals: decimals, rounding: rounding, grouping: grouping, trimmingZeros: trimmingZeros, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same text appended as UTF-8 bytes: the hot path of the CSV writers.
    public static func append(
        _ value: Int64, scale: Int, decimals: Int? = nil, rounding: Rounding = .truncate, grouping: String? = nil,
        trimmingZeros: Bool = false, to out: inout [UInt8]
    ) {
        let shown = min(decimals ?? scale, scale)
        var magnitude = value.magnitude
        var drop: UInt64 = 1
        for _ in shown..<scale { drop *= 10 }
        if drop > 1 {
            magnitude = rounding == .halfAwayFromZero ? (magnitude + drop / 2) / drop : magnitude / drop
        }
        var unit: UInt64 = 1
        for _ in 0..<shown { unit *= 10 }
        if value < 0 && (magnitude > 0 || rounding == .truncate) { out.append(UInt8(ascii: "-")) }
        appendWhole(magnitude / unit, grouping: grouping, to: &out)
        var fraction = magnitude % unit
        var digits = shown
        if trimmingZeros {
            while digits > 0 && fraction % 10 == 0 && fraction > 0 {
                fraction /= 10
                digits -= 1
            }
            if fraction == 0 { digits = 0 }
        }
        guard digits > 0 else { return }
        out.append(UInt8(ascii: "."))
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var index = start + digits - 1
        while fraction > 0 {
            out[index] = UInt8(ascii: "0") + UInt8(fraction % 10)
            fraction /= 10
            index -= 1
        }
    }

    private static func appendWhole(_ whole: UInt64, grouping: String?, to out: inout [UInt8]) {
        guard let grouping, whole >= 1000 else {
            out.append(contentsOf: String(whole).utf8)
            return
        }
        let digits = Array(String(whole).utf8)
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(contentsOf: grouping.utf8) }
            out.append(digit)
        }
    }
}
