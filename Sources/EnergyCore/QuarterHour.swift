/// A quarter hour of the UTC grid, identified by its start (aligned to :00, :15, :30 or :45).
///
/// ```swift
/// let qh = try QuarterHour(startSeconds: 1_790_812_800)   // 2026-10-01T00:00:00Z
/// qh.next.startSeconds - qh.startSeconds                   // 900
/// ```
public struct QuarterHour: Hashable, Comparable, Strideable, Sendable, CustomStringConvertible {
    public static let seconds: Int64 = 900

    /// Quarter hours since 1970-01-01T00:00:00Z.
    public let index: Int64

    public init(index: Int64) { self.index = index }

    /// The quarter hour starting at `startSeconds` (Unix time); throws if that is not on the grid.
    public init(startSeconds: Int64) throws(TimeError) {
        guard startSeconds % Self.seconds == 0 else { throw .notOnQuarterHourGrid(startSeconds) }
        index = startSeconds / Self.seconds
    }

    /// The quarter hour that contains `seconds`.
    public init(containing seconds: Int64) {
        index = seconds >= 0 ? seconds / Self.seconds : (seconds - Self.seconds + 1) / Self.seconds
    }

    public var startSeconds: Int64 { index * Self.seconds }
    public var next: QuarterHour { QuarterHour(index: index + 1) }

    public var description: String { UTCTimestamp.format(startSeconds) }

    public static func < (lhs: QuarterHour, rhs: QuarterHour) -> Bool { lhs.index < rhs.index }
    public func distance(to other: QuarterHour) -> Int64 { other.index - index }
    public func advanced(by n: Int64) -> QuarterHour { QuarterHour(index: index + n) }
}

/// Errors about instants, dates and the grid.
public enum TimeError: Error, Equatable, CustomStringConvertible {
    case notOnQuarterHourGrid(Int64)
    case badTimestamp(String, reason: String)
    case badDate(String)
    case badMonth(String)
    case unknownTimeZone(String)
    /// A reading's start outside `PlausibleTimes` (the start, the range's first and end second).
    case implausible(Int64, earliest: Int64, end: Int64)

    public var description: String {
        switch self {
        case let .notOnQuarterHourGrid(seconds):
            return "\(UTCTimestamp.format(seconds)) is not on the quarter-hour grid (:00, :15, :30, :45 with 0 seconds)"
        case let .badTimestamp(text, reason):
            return "'\(text)' is not an ISO 8601 timestamp: \(reason)"
        case let .badDate(text):
            return "'\(text)' is not a date (expected YYYY-MM-DD)"
        case let .badMonth(text):
            return "'\(text)' is not a month (expected YYYY-MM)"
        case let .unknownTimeZone(name):
            return "'\(name)' is not an IANA time zone (e.g. Europe/Vienna)"
        case let .implausible(start, earliest, end):
            return "\(UTCTimestamp.format(start)) is outside the plausible time of readings, \(UTCTimestamp.format(earliest)) "
                + "to \(UTCTimestamp.format(end)) (a wrong clock or a typo?)"
        }
    }
}

/// Parsing and printing of ISO 8601 instants, on bytes, without Foundation formatters.
public enum UTCTimestamp {
    /// Parses `2026-10-01T00:00:00Z`, `2026-10-01T02:00:00+02:00`, `...+0200`, an optional zero
    /// fraction of a second; `T` or a space between date and time. An offset is required.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(TimeError) -> Int64 {
        func fail(_ reason: String) -> TimeError { .badTimestamp(String(decoding: bytes, as: UTF8.self), reason: reason) }
        let n = bytes.count
        guard n >= 19 else { throw fail(n == 0 ? "empty" : "too short (expected e.g. 2026-10-01T00:00:00Z)") }
        @inline(__always) func digits(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for i in from..<(from + count) {
                let d = bytes[i] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                value = value * 10 + Int(d)
            }
            return value
        }
        guard let year = digits(0, 4), bytes[4] == UInt8(ascii: "-"), let month = digits(5, 2),
            bytes[7] == UInt8(ascii: "-"), let day = digits(8, 2)
        else { throw fail("date part is not YYYY-MM-DD") }
        guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ") else { throw fail("expected T between date and time") }
        guard let hour = digits(11, 2), bytes[13] == UInt8(ascii: ":"), let minute = digits(14, 2),
            bytes[16] == UInt8(ascii: ":"), let second = digits(17, 2)
        else { throw fail("time part is not HH:MM:SS") }
        guard (1...12).contains(month) else { throw fail("month \(month) is out of range") }
        guard day >= 1, day <= LocalDate.daysIn(year: year, month: month) else {
            throw fail("day \(day) does not exist in \(year)-\(month)")
        }
        guard hour < 24, minute < 60, second < 60 else { throw fail("time of day is out of range") }
        var i = 19
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < n, bytes[i] &- UInt8(ascii: "0") < 10 {
                guard bytes[i] == UInt8(ascii: "0") else { throw fail("fractions of a second are not allowed") }
                i += 1
            }
            guard i > start else { throw fail("empty fraction of a second") }
        }
        guard i < n else { throw fail("no UTC offset (add Z for UTC or an offset such as +01:00)") }
        var offset = 0
        switch bytes[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard i + 2 <= n, let oh = digits(i, 2) else { throw fail("offset is not +HH:MM") }
            i += 2
            if i < n, bytes[i] == UInt8(ascii: ":") { i += 1 }
            guard i + 2 <= n, let om = digits(i, 2) else { throw fail("offset is not +HH:MM") }
            i += 2
            guard oh <= 18, om < 60 else { throw fail("offset is out of range") }
            offset = sign * (oh * 3600 + om * 60)
        default:
            throw fail("no UTC offset (add Z for UTC or an offset such as +01:00)")
        }
        guard i == n else { throw fail("unexpected text after the offset") }
        let days = LocalDate.daysFromCivil(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
    }

    public static func parse(_ text: String) throws(TimeError) -> Int64 {
        var utf8 = Array(text.utf8)
        return try utf8.withUnsafeMutableBufferPointer { buffer throws(TimeError) in
            try parse(UnsafeBufferPointer(buffer))
        }
    }

    /// `2026-10-01T00:00:00Z`
    public static func format(_ seconds: Int64) -> String {
        wallClock(seconds, offsetSeconds: 0) + "Z"
    }

    /// `2026-10-25T02:00:00+01:00`: the wall-clock time at the given offset, with that offset.
    public static func format(_ seconds: Int64, offsetSeconds: Int) -> String {
        let magnitude = abs(offsetSeconds)
        let local = seconds + Int64(offsetSeconds)
        let days = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let date = LocalDate(daysSinceEpoch: days)
        guard (0...9999).contains(date.year), magnitude < 100 * 3600 else {
            return wallClock(seconds, offsetSeconds: offsetSeconds) + (offsetSeconds < 0 ? "-" : "+")
                + pad2(magnitude / 3600) + ":" + pad2(magnitude / 60 % 60)
        }
        // The usual case written straight into its 25 bytes: an API answer has one per row, and
        // joining ten short strings cost more than the rest of the row.
        let secondOfDay = Int(local - Int64(days) * 86_400)
        return String(unsafeUninitializedCapacity: 25) { out in
            var i = 0
            func put(_ value: Int, digits: Int) {
                var divisor = 1
                for _ in 1..<digits { divisor *= 10 }
                while divisor > 0 {
                    out[i] = UInt8(ascii: "0") + UInt8(value / divisor % 10)
                    i += 1
                    divisor /= 10
                }
            }
            func put(_ byte: Character) {
                out[i] = byte.asciiValue ?? UInt8(ascii: "?")
                i += 1
            }
            put(date.year, digits: 4)
            put("-")
            put(date.month, digits: 2)
            put("-")
            put(date.day, digits: 2)
            put("T")
            put(secondOfDay / 3600, digits: 2)
            put(":")
            put(secondOfDay / 60 % 60, digits: 2)
            put(":")
            put(secondOfDay % 60, digits: 2)
            put(offsetSeconds < 0 ? "-" : "+")
            put(magnitude / 3600, digits: 2)
            put(":")
            put(magnitude / 60 % 60, digits: 2)
            return i
        }
    }

    private static func wallClock(_ seconds: Int64, offsetSeconds: Int) -> String {
        let local = seconds + Int64(offsetSeconds)
        let days = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let secondOfDay = Int(local - Int64(days) * 86_400)
        return LocalDate(daysSinceEpoch: days).description + "T" + pad2(secondOfDay / 3600) + ":"
            + pad2(secondOfDay / 60 % 60) + ":" + pad2(secondOfDay % 60)
    }
}

@inline(__always) func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
