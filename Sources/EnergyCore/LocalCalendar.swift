import Foundation

/// A community's local calendar: its IANA time zone mapped onto the UTC quarter-hour grid.
///
/// Local days have 92, 96 or 100 quarter hours around daylight-saving changes; hour, day and month
/// buckets are keyed by their local start, kept as a UTC instant.
/// ```swift
/// let vienna = try LocalCalendar(timeZoneIdentifier: "Europe/Vienna")
/// vienna.quarterHourCount(of: try LocalDate("2026-10-25"))   // 100
/// ```
public struct LocalCalendar: Sendable {
    public let timeZone: TimeZone

    public init(timeZoneIdentifier: String) throws(TimeError) {
        guard let zone = TimeZone(identifier: timeZoneIdentifier) else { throw .unknownTimeZone(timeZoneIdentifier) }
        timeZone = zone
    }

    public var identifier: String { timeZone.identifier }

    /// Seconds east of UTC in force at the UTC instant `seconds`.
    public func offset(at seconds: Int64) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The UTC instant at which local day `date` starts.
    public func startOfDay(_ date: LocalDate) -> Int64 { startOfDay(date, offset: offset(at:)) }

    /// `startOfDay` with the offsets from `offsets`: the same instant, for loops over many days
    /// (a month's buckets asked the zone about a hundred times through Foundation otherwise).
    public func startOfDay(_ date: LocalDate, offsets: inout ZoneOffsetCache) -> Int64 {
        startOfDay(date) { offsets.offset(at: $0) }
    }

    private func startOfDay(_ date: LocalDate, offset: (Int64) -> Int) -> Int64 {
        let wall = Int64(date.daysSinceEpoch) * 86_400
        // The offset just before and just after local midnight; one of them gives back midnight.
        for probe in [wall - 43_200, wall + 43_200] {
            let candidate = wall - Int64(offset(probe))
            if candidate + Int64(offset(candidate)) == wall { return candidate }
        }
        // Midnight does not exist (a zone that skips it): the day starts at the transition.
        let before = wall - Int64(offset(wall - 43_200))
        if let transition = timeZone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: TimeInterval(before - 7200))) {
            return Int64(transition.timeIntervalSince1970)
        }
        return before
    }

    /// The quarter hours of local day `date`.
    public func quarterHours(of date: LocalDate) -> Range<QuarterHour> {
        QuarterHour(containing: startOfDay(date))..<QuarterHour(containing: startOfDay(date.adding(days: 1)))
    }

    /// The quarter hours of local days `from` up to, not including, `to`.
    public func quarterHours(from: LocalDate, to: LocalDate) -> Range<QuarterHour> {
        QuarterHour(containing: startOfDay(from))..<QuarterHour(containing: startOfDay(to))
    }

    public func quarterHourCount(of date: LocalDate) -> Int { quarterHours(of: date).count }

    public func startOfMonth(_ month: LocalMonth) -> Int64 { startOfDay(month.firstDay) }

    public func quarterHours(of month: LocalMonth) -> Range<QuarterHour> {
        QuarterHour(containing: startOfMonth(month))..<QuarterHour(containing: startOfMonth(month.next))
    }

    /// The local date of the UTC instant `seconds`.
    public func localDate(containing seconds: Int64) -> LocalDate {
        let local = seconds + Int64(offset(at: seconds))
        return LocalDate(daysSinceEpoch: Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400))
    }

    /// The UTC instant at which the local hour containing `seconds` starts.
    public func startOfHour(containing seconds: Int64) -> Int64 {
        let local = seconds + Int64(offset(at: seconds))
        let intoHour = ((local % 3600) + 3600) % 3600
        return seconds - intoHour
    }

    /// `2026-10-25T02:00:00+01:00`: local wall-clock time with the offset in force.
    public func isoString(_ seconds: Int64) -> String {
        UTCTimestamp.format(seconds, offsetSeconds: offset(at: seconds))
    }

    /// Today's local date by `clock`.
    public func today(by clock: any WallClock = SystemClock()) -> LocalDate { localDate(containing: clock.unixSeconds) }

    /// An offset lookup that remembers the span in which the offset is constant: for hot loops.
    public func offsetCache() -> ZoneOffsetCache { ZoneOffsetCache(timeZone: timeZone) }
}

/// Remembers the last span of constant UTC offset, so a forward scan asks the zone about once
/// per daylight-saving change instead of once per reading.
public struct ZoneOffsetCache {
    private let timeZone: TimeZone
    private var validFrom: Int64 = .max
    private var validUntil: Int64 = .min
    private var cached = 0

    init(timeZone: TimeZone) { self.timeZone = timeZone }

    public mutating func offset(at seconds: Int64) -> Int { span(at: seconds).offset }

    /// The offset in force at `seconds` and the instant until which (exclusive) it stays in
    /// force at least: for loops that step over whole spans instead of every quarter hour.
    public mutating func span(at seconds: Int64) -> (offset: Int, until: Int64) {
        if seconds >= validFrom && seconds < validUntil { return (cached, validUntil) }
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        cached = timeZone.secondsFromGMT(for: date)
        validFrom = seconds
        if let next = timeZone.nextDaylightSavingTimeTransition(after: date) {
            validUntil = min(Int64(next.timeIntervalSince1970), seconds + 366 * 86_400)
        } else {
            validUntil = seconds + 86_400
        }
        return (cached, validUntil)
    }

    /// The UTC instant at which the local hour containing `seconds` starts.
    public mutating func startOfHour(containing seconds: Int64) -> Int64 {
        let local = seconds + Int64(offset(at: seconds))
        return seconds - ((local % 3600) + 3600) % 3600
    }

    /// Days since 1970-01-01 of the local date containing `seconds`.
    public mutating func localDay(containing seconds: Int64) -> Int {
        let local = seconds + Int64(offset(at: seconds))
        return Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
    }
}
