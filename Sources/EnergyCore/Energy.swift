/// An amount of energy as an exact integer count of milliwatt-hours.
///
/// Decimal kWh text is parsed straight into mWh, never through `Double`:
/// ```swift
/// let e = try Energy(kilowattHours: "0.000244")   // 244 mWh
/// e.kilowattHoursText                               // "0.000244"
/// ```
public struct Energy: Hashable, Comparable, Sendable, AdditiveArithmetic, CustomStringConvertible {
    public var milliwattHours: Int64

    public init(milliwattHours: Int64) { self.milliwattHours = milliwattHours }

    public static let zero = Energy(milliwattHours: 0)

    /// Parses a decimal kWh text such as `12.5` or `0.000244` (at most 6 decimals, point as separator).
    public init(kilowattHours text: String) throws(EnergyParseError) {
        var utf8 = Array(text.utf8)
        let value = try utf8.withUnsafeMutableBufferPointer { buffer throws(EnergyParseError) in
            try Energy.parseMilliwattHours(UnsafeBufferPointer(buffer))
        }
        self.init(milliwattHours: value)
    }

    /// Parses decimal kWh bytes into mWh (see `FixedDecimal.parse`). Negative values parse; callers decide.
    @inline(__always)
    public static func parseMilliwattHours(_ bytes: UnsafeBufferPointer<UInt8>) throws(EnergyParseError) -> Int64 {
        try FixedDecimal.parse(bytes, decimals: 6)
    }

    /// kWh with exactly six decimals, e.g. `0.000244`, `-1.500000`.
    public var kilowattHoursText: String { Energy.kilowattHoursText(milliwattHours) }

    public static func kilowattHoursText(_ mWh: Int64, decimals: Int = 6) -> String {
        FixedDecimal.text(mWh, scale: 6, decimals: decimals)
    }

    /// kWh as a `Double`, for charts and dashboards only: never sum these.
    public var kilowattHours: Double { Double(milliwattHours) / 1_000_000 }

    public var description: String { "\(kilowattHoursText) kWh" }

    public static func < (lhs: Energy, rhs: Energy) -> Bool { lhs.milliwattHours < rhs.milliwattHours }
    public static func + (lhs: Energy, rhs: Energy) -> Energy { Energy(milliwattHours: lhs.milliwattHours + rhs.milliwattHours) }
    public static func - (lhs: Energy, rhs: Energy) -> Energy { Energy(milliwattHours: lhs.milliwattHours - rhs.milliwattHours) }
}

/// Why a text is not an energy value.
public enum EnergyParseError: Error, Equatable, CustomStringConvertible {
    case empty
    case notADecimal(String)
    case tooManyDecimals(String, allowed: Int)
    case tooLarge(String)

    public var description: String {
        switch self {
        case .empty: return "energy value is empty"
        case let .notADecimal(text): return "'\(text)' is not a decimal number (use digits and a point, e.g. 0.25)"
        case let .tooManyDecimals(text, allowed):
            return allowed == 6
                ? "'\(text)' has more than 6 decimals (1 mWh = 0.000001 kWh is the smallest unit)"
                : "'\(text)' has more than \(allowed) decimals"
        case let .tooLarge(text): return "'\(text)' is too large"
        }
    }
}

/// Decimal text as an integer count of its smallest unit, without floating point.
public enum FixedDecimal {
    /// Parses an optional sign, digits, a point and up to `decimals` decimals (further decimals only
    /// if they are zeros) into `value * 10^decimals`: `parse("12.5", decimals: 2)` is 1250.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, decimals allowed: Int) throws(EnergyParseError) -> Int64 {
        var index = 0
        let count = bytes.count
        guard count > 0 else { throw .empty }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var whole: Int64 = 0
        var digits = 0
        while index < count, bytes[index] &- UInt8(ascii: "0") < 10 {
            let (times10, o1) = whole.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(bytes[index] &- UInt8(ascii: "0")))
            guard !o1, !o2 else { throw .tooLarge(text(bytes)) }
            whole = sum
            digits += 1
            index += 1
        }
        var fraction: Int64 = 0
        var decimals = 0
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, bytes[index] &- UInt8(ascii: "0") < 10 {
                let digit = Int64(bytes[index] &- UInt8(ascii: "0"))
                if decimals < allowed {
                    fraction = fraction * 10 + digit
                } else if digit != 0 {
                    throw .tooManyDecimals(text(bytes), allowed: allowed)
                }
                decimals += 1
                index += 1
            }
        }
        guard index == count, digits + decimals > 0 else { throw .notADecimal(text(bytes)) }
        var scale: Int64 = 1
        for _ in 0..<allowed { scale *= 10 }
        for _ in min(decimals, allowed)..<allowed { fraction *= 10 }
        let (scaled, o1) = whole.multipliedReportingOverflow(by: scale)
        let (total, o2) = scaled.addingReportingOverflow(fraction)
        guard !o1, !o2 else { throw .tooLarge(text(bytes)) }
        return negative ? -total : total
    }

    public static func parse(_ text: String, decimals: Int) throws(EnergyParseError) -> Int64 {
        var utf8 = Array(text.utf8)
        return try utf8.withUnsafeMutableBufferPointer { buffer throws(EnergyParseError) in
            try parse(UnsafeBufferPointer(buffer), decimals: decimals)
        }
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
