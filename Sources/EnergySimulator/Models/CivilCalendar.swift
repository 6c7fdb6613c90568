import EnergyCore

// CivilCalendar.swift
// Allocation-free proleptic Gregorian calendar arithmetic used by the simulator models.

/// Cheap proleptic Gregorian calendar arithmetic (no Foundation `Calendar`, no allocation).
///
/// Days are counted from the Unix epoch (1970-01-01 = day 0) with Howard Hinnant's
/// `days_from_civil` / `civil_from_days` algorithms; Easter Sunday follows the Gregorian computus
/// (the "anonymous Gregorian algorithm" of Meeus/Jones/Butcher). The Central European offset helper
/// applies the EU daylight-saving rule (CEST from the last Sunday of March 01:00 UTC to the last Sunday
/// of October 01:00 UTC), which is what Austrian meters use for their local wall-clock quarter hours.
///
/// ```swift
/// let day = CivilCalendar.daysSinceEpoch(year: 2026, month: 4, day: 6)    // 20549
/// let date = CivilCalendar.civilDate(daysSinceEpoch: day)                 // (2026, 4, 6)
/// CivilCalendar.isoWeekday(daysSinceEpoch: day)                           // 1 (Monday)
/// CivilCalendar.easterSunday(year: 2026)                                  // (month: 4, day: 5)
/// let offset = CivilCalendar.centralEuropeanUTCOffsetSeconds(unixSeconds: 1_782_820_800) // 7200 (CEST)
/// ```
public enum CivilCalendar {
    /// Seconds in a civil day.
    public static let secondsPerDay: Int64 = 86_400

    /// Whether `year` is a Gregorian leap year.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Number of days in `month` of `year`; 0 for a month outside 1...12.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// Whether (year, month, day) names an existing Gregorian date.
    public static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
        day >= 1 && day <= daysInMonth(year: year, month: month)
    }

    /// Days since 1970-01-01 of a civil date (negative before the epoch).
    /// Out-of-range months or days are not validated; they roll over arithmetically.
    public static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYearFromMarch = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYearFromMarch
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day counted from 1970-01-01.
    public static func civilDate(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYearFromMarch = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYearFromMarch + 2) / 153
        let day = dayOfYearFromMarch - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// The 1-based day of the year (1 January = 1, 31 December = 365 or 366).
    public static func dayOfYear(year: Int, month: Int, day: Int) -> Int {
        if month <= 2 {
            return month == 1 ? day : 31 + day
        }
        let dayOfYearFromMarch = (153 * (month - 3) + 2) / 5 + day - 1
        return 60 + (isLeapYear(year) ? 1 : 0) + dayOfYearFromMarch
    }

    /// ISO weekday of a day counted from 1970-01-01: 1 = Monday ... 6 = Saturday, 7 = Sunday.
    public static func isoWeekday(daysSinceEpoch days: Int) -> Int {
        // 1970-01-01 was a Thursday (ISO 4).
        let r = (days + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    /// Easter Sunday of a Gregorian year (anonymous Gregorian computus), for years >= 1583.
    public static func easterSunday(year: Int) -> (month: Int, day: Int) {
        let easter = LocalDate.easterSunday(year)
        return (easter.month, easter.day)
    }

    /// Floor division of a Unix timestamp into whole days since 1970-01-01 (correct for negative times).
    public static func daysSinceEpoch(unixSeconds: Int64) -> Int {
        let q = unixSeconds / secondsPerDay
        return Int(unixSeconds % secondsPerDay < 0 ? q - 1 : q)
    }

    /// Unix seconds of 00:00 UTC on a civil date.
    public static func unixSeconds(year: Int, month: Int, day: Int) -> Int64 {
        Int64(daysSinceEpoch(year: year, month: month, day: day)) * secondsPerDay
    }

    /// The UTC offset of Austrian (Central European) civil time at a UTC instant:
    /// 3,600 s (CET) or 7,200 s (CEST, last Sunday of March 01:00 UTC until last Sunday of October 01:00 UTC).
    public static func centralEuropeanUTCOffsetSeconds(unixSeconds: Int64) -> Int {
        let year = civilDate(daysSinceEpoch: daysSinceEpoch(unixSeconds: unixSeconds)).year
        let start = Self.unixSeconds(year: year, month: 3, day: lastSunday(year: year, month: 3)) + 3_600
        let end = Self.unixSeconds(year: year, month: 10, day: lastSunday(year: year, month: 10)) + 3_600
        return unixSeconds >= start && unixSeconds < end ? 7_200 : 3_600
    }

    /// Day of month of the last Sunday of a month.
    static func lastSunday(year: Int, month: Int) -> Int {
        let lastDay = daysInMonth(year: year, month: month)
        let weekday = isoWeekday(daysSinceEpoch: daysSinceEpoch(year: year, month: month, day: lastDay))
        return lastDay - weekday % 7
    }
}
