/// A billing period: a local month (`2026-10`), quarter (`2026-Q4`) or year (`2026`).
///
/// ```swift
/// let q4 = try BillingPeriod("2026-Q4")
/// q4.from   // 2026-10-01
/// q4.to     // 2027-01-01 (exclusive)
/// q4.months // 3
/// ```
public struct BillingPeriod: Hashable, Sendable, CustomStringConvertible {
    public let label: String
    public let from: LocalDate
    /// The local day after the period (exclusive).
    public let to: LocalDate
    public let months: Int

    public init(_ text: String) throws(BillingPeriodError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let yearPart = parts.first, yearPart.count == 4, let year = Int(yearPart), year >= 1900 else { throw .malformed(text) }
        if parts.count == 1 {
            from = LocalDate(year: year, month: 1, day: 1)!
            to = LocalDate(year: year + 1, month: 1, day: 1)!
            months = 12
        } else if parts.count == 2, parts[1].count == 2, parts[1].first == "Q", let q = Int(parts[1].dropFirst()), (1...4).contains(q) {
            from = LocalDate(year: year, month: 3 * q - 2, day: 1)!
            to = q == 4 ? LocalDate(year: year + 1, month: 1, day: 1)! : LocalDate(year: year, month: 3 * q + 1, day: 1)!
            months = 3
        } else if parts.count == 2, parts[1].count == 2, let m = Int(parts[1]), let month = LocalMonth(year: year, month: m) {
            from = month.firstDay
            to = month.next.firstDay
            months = 1
        } else {
            throw .malformed(text)
        }
        label = text
    }

    /// The calendar year its statements are numbered in.
    public var year: Int { from.year }
    public var description: String { label }

    public func overlaps(from otherFrom: LocalDate, to otherTo: LocalDate) -> Bool { from < otherTo && otherFrom < to }
}

public enum BillingPeriodError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    public var description: String {
        switch self {
        case let .malformed(text): return "'\(text)' is not a billing period (a month 2026-10, a quarter 2026-Q4 or a year 2026)"
        }
    }
}
