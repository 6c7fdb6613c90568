/// The quarter hours a reading may start at: from `earliest` (default 2000-01-01, before any
/// smart meter of a community) until `latest` (default ten years after today). A reading outside
/// is a wrong clock or a typo, and would mark a local day dirty that no rollup ever reaches
/// (`9999-12-31T23:45:00Z` is the local day 10000-01-01): every source rejects it with a reason.
///
/// ```swift
/// let plausible = PlausibleTimes(now: clock.unixSeconds)
/// try plausible.check(reading.start)      // throws TimeError.implausible
/// ```
public struct PlausibleTimes: Sendable, Equatable {
    /// The first quarter hour accepted.
    public var earliest: QuarterHour
    /// The first quarter hour no longer accepted.
    public var end: QuarterHour

    /// 2000-01-01T00:00:00Z.
    public static let defaultEarliest = QuarterHour(index: 946_684_800 / QuarterHour.seconds)

    public init(earliest: QuarterHour, end: QuarterHour) {
        self.earliest = earliest
        self.end = end
    }

    /// From 2000-01-01 until `yearsAhead` years (of 365.25 days) after `now` (Unix seconds).
    public init(now: Int64, yearsAhead: Int64 = 10) {
        self.init(earliest: Self.defaultEarliest, end: QuarterHour(containing: now + yearsAhead * 31_557_600))
    }

    public func check(_ start: QuarterHour) throws(TimeError) {
        guard start >= earliest, start < end else {
            throw .implausible(start.startSeconds, earliest: earliest.startSeconds, end: end.startSeconds)
        }
    }
}
