import EnergyCore

/// The business days of TARGET (T2), the Eurosystem's settlement system: SEPA direct debits are
/// collected and credit transfers executed on these days only.
///
/// TARGET is closed on Saturdays, Sundays, New Year's Day (1 January), Good Friday, Easter Monday,
/// Labour Day (1 May), Christmas Day (25 December) and 26 December. Austrian public holidays that
/// are not TARGET holidays (6 January, 15 August, 8 December, …) are business days here: the
/// interbank settlement, not the branch opening hours, decides when a collection is booked.
///
/// ```swift
/// TargetCalendar.isBusinessDay(try LocalDate("2026-04-03"))   // false: Good Friday
/// TargetCalendar.adding(businessDays: 5, to: try LocalDate("2026-12-23")).description   // "2027-01-04"
/// TargetCalendar.easterSunday(2027).description   // "2027-03-28"
/// ```
public enum TargetCalendar {
    /// Whether TARGET settles payments on `d`.
    public static func isBusinessDay(_ d: LocalDate) -> Bool {
        if d.isoWeekday >= 6 { return false }
        switch (d.month, d.day) {
        case (1, 1), (5, 1), (12, 25), (12, 26): return false
        default: break
        }
        let easter = easterSunday(d.year).daysSinceEpoch
        let day = d.daysSinceEpoch
        return day != easter - 2 && day != easter + 1  // Good Friday, Easter Monday
    }

    /// The `n`-th business day after `d` (`d` itself need not be a business day); a negative `n`
    /// counts back: the `|n|`-th business day before `d`. `n == 0` returns `d` unchanged.
    ///
    /// A collection submitted on `d` for `n` days of lead time is due on `adding(businessDays: n, to: d)`.
    public static func adding(businessDays n: Int, to d: LocalDate) -> LocalDate {
        let step = n < 0 ? -1 : 1
        var remaining = n.magnitude
        var day = d
        while remaining > 0 {
            day = day.adding(days: step)
            if isBusinessDay(day) { remaining -= 1 }
        }
        return day
    }

    /// `d` if it is a business day, otherwise the first business day after it: a requested
    /// collection or execution date that falls on a closing day moves to this day.
    public static func businessDay(onOrAfter d: LocalDate) -> LocalDate {
        var day = d
        while !isBusinessDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// Easter Sunday of `year` (Good Friday and Easter Monday are two days before and one after).
    public static func easterSunday(_ year: Int) -> LocalDate { LocalDate.easterSunday(year) }
}
