import EnergyBilling
import EnergyCore
import Testing

/// TARGET closing days checked by hand (weekdays from a calendar): TARGET closes on weekends,
/// 1 January, Good Friday, Easter Monday, 1 May, 25 and 26 December, and on nothing else.
struct TargetCalendarTests {
    /// A date literal of this file (always valid).
    private func date(_ text: String) -> LocalDate { try! LocalDate(text) }

    /// Published Easter dates: 2000-04-23, 2008-03-23 (early), 2011-04-24, 2024-03-31,
    /// 2025-04-20, 2026-04-05, 2027-03-28, 2038-04-25 (the latest possible, 25 April) and
    /// 2285-03-22 (the earliest possible, 22 March).
    @Test func easterSundayMatchesThePublishedDates() throws {
        let expected = [
            2000: "2000-04-23", 2008: "2008-03-23", 2011: "2011-04-24", 2024: "2024-03-31", 2025: "2025-04-20",
            2026: "2026-04-05", 2027: "2027-03-28", 2038: "2038-04-25", 2285: "2285-03-22",
        ]
        for (year, text) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(TargetCalendar.easterSunday(year) == (date(text)), "Easter \(year)")
        }
    }

    /// 2026: Good Friday is 3 April and Easter Monday 6 April (Easter Sunday 5 April); 1 May is a
    /// Friday, 1 January a Thursday, 25 December a Friday, 7 and 8 November a weekend. Open:
    /// Maundy Thursday 2 April, Tuesday 7 April, 24 and 31 December, and the Austrian holidays
    /// that TARGET does not observe (6 January, 26 October, 8 December).
    @Test func closingDaysAndOpenDaysOf2026() throws {
        for closed in ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-12-25", "2026-12-26", "2026-11-07", "2026-11-08"] {
            #expect(!TargetCalendar.isBusinessDay(date(closed)), "\(closed) is closed")
        }
        for open in ["2026-04-02", "2026-04-07", "2026-12-24", "2026-12-31", "2026-01-06", "2026-10-26", "2026-12-08", "2026-11-09"] {
            #expect(TargetCalendar.isBusinessDay(date(open)), "\(open) is open")
        }
    }

    /// 2026 starts on a Thursday and has 365 days: 52 weeks and one Thursday, so 261 weekdays.
    /// Closed weekdays: 1 Jan (Thu), 3 Apr (Fri), 6 Apr (Mon), 1 May (Fri), 25 Dec (Fri); 26 Dec is
    /// a Saturday. 261 - 5 = 256.
    @Test func year2026Has256BusinessDays() throws {
        let start = date("2026-01-01").daysSinceEpoch
        let count = (0..<365).filter { TargetCalendar.isBusinessDay(LocalDate(daysSinceEpoch: start + $0)) }.count
        #expect(count == 256)
    }

    /// 2026-12-23 is a Wednesday. +5: Thu 24 Dec (1), Fri 25 and Sat 26 closed, Sun 27, Mon 28 (2),
    /// Tue 29 (3), Wed 30 (4), Thu 31 (5) → 2026-12-31. +6: Fri 1 Jan 2027 closed, Sat 2, Sun 3,
    /// Mon 4 Jan (6) → 2027-01-04.
    @Test func addingAcrossChristmasAndNewYear() throws {
        #expect(TargetCalendar.adding(businessDays: 5, to: date("2026-12-23")) == date("2026-12-31"))
        #expect(TargetCalendar.adding(businessDays: 6, to: date("2026-12-23")) == date("2027-01-04"))
        #expect(TargetCalendar.adding(businessDays: 1, to: date("2026-12-31")) == date("2027-01-04"))
    }

    /// Maundy Thursday 2026-04-02 + 1: Good Friday, Saturday, Easter Sunday and Easter Monday are
    /// closed → Tuesday 2026-04-07; and back by one from there → 2026-04-02.
    @Test func addingAcrossEasterForwardAndBack() throws {
        #expect(TargetCalendar.adding(businessDays: 1, to: date("2026-04-02")) == date("2026-04-07"))
        #expect(TargetCalendar.adding(businessDays: -1, to: date("2026-04-07")) == date("2026-04-02"))
        // 2027: Easter Sunday 28 March, so Good Friday 26 March and Easter Monday 29 March.
        #expect(TargetCalendar.adding(businessDays: 1, to: date("2027-03-25")) == date("2027-03-30"))
    }

    /// From Saturday 2026-11-07 the first business day is Monday 9 November; n = 0 leaves the date
    /// alone. 2027-12-24 is a Friday; 25 and 26 December fall on the weekend and TARGET has no
    /// substitute days, so Monday 27 December is open.
    @Test func weekendsZeroAndNoSubstituteHolidays() throws {
        #expect(TargetCalendar.adding(businessDays: 1, to: date("2026-11-07")) == date("2026-11-09"))
        #expect(TargetCalendar.adding(businessDays: 0, to: date("2026-11-07")) == date("2026-11-07"))
        #expect(TargetCalendar.adding(businessDays: 1, to: date("2027-12-24")) == date("2027-12-27"))
        #expect(TargetCalendar.businessDay(onOrAfter: date("2026-04-03")) == date("2026-04-07"))
        #expect(TargetCalendar.businessDay(onOrAfter: date("2026-04-07")) == date("2026-04-07"))
    }

    /// Adding n days at once equals adding one day n times, over the year's holidays.
    @Test func addingIsStepwise() throws {
        var day = date("2026-12-20")
        for n in 1...30 {
            day = TargetCalendar.adding(businessDays: 1, to: day)
            #expect(TargetCalendar.adding(businessDays: n, to: date("2026-12-20")) == day)
            #expect(TargetCalendar.isBusinessDay(day))
        }
    }
}
