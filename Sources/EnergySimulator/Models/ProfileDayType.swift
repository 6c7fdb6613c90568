// ProfileDayType.swift
// The BDEW day types (workday, Saturday, Sunday/holiday) under the Austrian holiday calendar.

/// The BDEW day type of a calendar day: working day, Saturday, or Sunday / public holiday.
///
/// Sundays and Austrian public holidays use the Sunday series, Saturdays (that are not holidays) the
/// Saturday series, and every other day the working-day series. The Austrian public holidays are
/// Neujahr (1 Jan), Heilige Drei Könige (6 Jan), Ostermontag, Staatsfeiertag (1 May),
/// Christi Himmelfahrt, Pfingstmontag, Fronleichnam, Mariä Himmelfahrt (15 Aug), Nationalfeiertag
/// (26 Oct), Allerheiligen (1 Nov), Mariä Empfängnis (8 Dec), Christtag (25 Dec) and Stefanitag (26 Dec);
/// the movable feasts follow Easter Sunday by the Gregorian computus.
///
/// ```swift
/// ProfileDayType.of(year: 2026, month: 4, day: 6)    // .sunday (Ostermontag)
/// ProfileDayType.of(year: 2026, month: 4, day: 11)   // .saturday
/// ProfileDayType.of(year: 2026, month: 4, day: 8)    // .workday
/// ProfileDayType.isAustrianPublicHoliday(year: 2026, month: 10, day: 26)   // true
/// ```
public enum ProfileDayType: Sendable, CaseIterable {
    /// Monday to Friday, not a public holiday.
    case workday
    /// Saturday, not a public holiday.
    case saturday
    /// Sunday or an Austrian public holiday.
    case sunday

    /// The day type of a civil date. Invalid dates (e.g. 30 February) are reported as `.workday`.
    ///
    /// Pure integer arithmetic: a day count, a weekday, and (only from March to June) the Easter computus.
    public static func of(year: Int, month: Int, day: Int) -> ProfileDayType {
        guard CivilCalendar.isValidDate(year: year, month: month, day: day) else { return .workday }
        let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
        switch CivilCalendar.isoWeekday(daysSinceEpoch: days) {
        case 7:
            return .sunday
        case 6:
            return isAustrianPublicHoliday(year: year, month: month, day: day) ? .sunday : .saturday
        default:
            return isAustrianPublicHoliday(year: year, month: month, day: day) ? .sunday : .workday
        }
    }

    /// Whether a civil date is an Austrian nation-wide public holiday (gesetzlicher Feiertag).
    ///
    /// Fixed-date holidays are checked first; the movable ones (Ostermontag = Easter + 1,
    /// Christi Himmelfahrt = Easter + 39, Pfingstmontag = Easter + 50, Fronleichnam = Easter + 60)
    /// always fall between 23 March and 24 June, so the computus only runs for those months.
    /// Invalid dates return `false`. 24 and 31 December are not public holidays.
    public static func isAustrianPublicHoliday(year: Int, month: Int, day: Int) -> Bool {
        guard CivilCalendar.isValidDate(year: year, month: month, day: day) else { return false }
        switch (month, day) {
        case (1, 1), (1, 6), (5, 1), (8, 15), (10, 26), (11, 1), (12, 8), (12, 25), (12, 26):
            return true
        default:
            break
        }
        guard month >= 3 && month <= 6 else { return false }
        let easter = CivilCalendar.easterSunday(year: year)
        let offset =
            CivilCalendar.dayOfYear(year: year, month: month, day: day)
            - CivilCalendar.dayOfYear(year: year, month: easter.month, day: easter.day)
        return offset == 1 || offset == 39 || offset == 50 || offset == 60
    }

    /// Position of the day type's block in the embedded table.
    var tableIndex: Int {
        switch self {
        case .workday: return 0
        case .saturday: return 1
        case .sunday: return 2
        }
    }
}
