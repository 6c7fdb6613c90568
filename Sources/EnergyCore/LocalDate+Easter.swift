extension LocalDate {
    /// Easter Sunday of the Gregorian calendar in `year` (the anonymous Gregorian computus, also
    /// known as Meeus/Jones/Butcher), valid for every year from 1583 on: the holidays of the load
    /// profiles and the TARGET calendar's Good Friday and Easter Monday follow from it.
    ///
    /// ```swift
    /// LocalDate.easterSunday(2026).description   // "2026-04-05"
    /// ```
    public static func easterSunday(_ year: Int) -> LocalDate {
        let a = year % 19  // position in the 19-year Metonic cycle
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30  // the epact: age of the moon
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7  // days to the next Sunday
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        // Always 22 March to 25 April, so a valid date; the fallback only keeps this total.
        return LocalDate(year: year, month: month, day: day) ?? LocalDate(daysSinceEpoch: 0)
    }
}
