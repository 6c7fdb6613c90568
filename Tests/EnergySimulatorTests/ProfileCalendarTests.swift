// ProfileCalendarTests.swift
// Seasons, day types, Austrian public holidays and the civil calendar arithmetic behind them.

import EnergySimulator
import Testing

@Suite("Profile calendar")
struct ProfileCalendarTests {
    @Test("Season boundaries follow BDEW: winter to 20 Mar, summer 15 May-14 Sep")
    func seasonBoundaries() {
        #expect(ProfileSeason.of(month: 1, day: 1) == .winter)
        #expect(ProfileSeason.of(month: 3, day: 20) == .winter)
        #expect(ProfileSeason.of(month: 3, day: 21) == .transition)
        #expect(ProfileSeason.of(month: 5, day: 14) == .transition)
        #expect(ProfileSeason.of(month: 5, day: 15) == .summer)
        #expect(ProfileSeason.of(month: 9, day: 14) == .summer)
        #expect(ProfileSeason.of(month: 9, day: 15) == .transition)
        #expect(ProfileSeason.of(month: 10, day: 31) == .transition)
        #expect(ProfileSeason.of(month: 11, day: 1) == .winter)
        #expect(ProfileSeason.of(month: 12, day: 31) == .winter)
    }

    @Test("Season day counts over a non-leap year: winter 140, summer 123, transition 102")
    func seasonDayCounts() {
        var counts: [ProfileSeason: Int] = [:]
        for month in 1...12 {
            for day in 1...CivilCalendar.daysInMonth(year: 2025, month: month) {
                counts[ProfileSeason.of(month: month, day: day), default: 0] += 1
            }
        }
        // Winter: Nov 30 + Dec 31 + Jan 31 + Feb 28 + Mar 20; summer: May 17 + Jun-Aug 92 + Sep 14.
        #expect(counts[.winter] == 140)
        #expect(counts[.summer] == 123)
        #expect(counts[.transition] == 102)
    }

    @Test(
        "Easter Sunday by the Gregorian computus",
        arguments: [
            (2000, 4, 23), (2019, 4, 21), (2024, 3, 31), (2025, 4, 20), (2026, 4, 5), (2027, 3, 28), (2038, 4, 25),
        ])
    func easter(year: Int, month: Int, day: Int) {
        let easter = CivilCalendar.easterSunday(year: year)
        #expect(easter.month == month && easter.day == day)
    }

    @Test("Austrian public holidays of 2026")
    func holidays2026() {
        let holidays: [(Int, Int)] = [
            (1, 1), (1, 6), (4, 6), (5, 1), (5, 14), (5, 25), (6, 4), (8, 15), (10, 26), (11, 1), (12, 8), (12, 25), (12, 26),
        ]
        for (month, day) in holidays {
            #expect(ProfileDayType.isAustrianPublicHoliday(year: 2026, month: month, day: day), "\(month)/\(day)")
        }
        var count = 0
        for month in 1...12 {
            for day in 1...CivilCalendar.daysInMonth(year: 2026, month: month)
            where ProfileDayType.isAustrianPublicHoliday(year: 2026, month: month, day: day) {
                count += 1
            }
        }
        #expect(count == 13)
        // Not holidays: Easter Sunday itself, Tuesday after Easter, Christmas Eve, New Year's Eve.
        #expect(!ProfileDayType.isAustrianPublicHoliday(year: 2026, month: 4, day: 5))
        #expect(!ProfileDayType.isAustrianPublicHoliday(year: 2026, month: 4, day: 7))
        #expect(!ProfileDayType.isAustrianPublicHoliday(year: 2026, month: 12, day: 24))
        #expect(!ProfileDayType.isAustrianPublicHoliday(year: 2026, month: 12, day: 31))
        #expect(!ProfileDayType.isAustrianPublicHoliday(year: 2026, month: 2, day: 30))
    }

    @Test("Day types: Sundays and holidays -> sunday, Saturdays -> saturday")
    func dayTypes() {
        #expect(ProfileDayType.of(year: 2026, month: 4, day: 6) == .sunday)  // Ostermontag (Monday)
        #expect(ProfileDayType.of(year: 2026, month: 10, day: 26) == .sunday)  // Nationalfeiertag (Monday)
        #expect(ProfileDayType.of(year: 2026, month: 8, day: 15) == .sunday)  // Mariae Himmelfahrt (Saturday)
        #expect(ProfileDayType.of(year: 2026, month: 4, day: 5) == .sunday)  // Easter Sunday
        #expect(ProfileDayType.of(year: 2026, month: 4, day: 11) == .saturday)
        #expect(ProfileDayType.of(year: 2026, month: 4, day: 8) == .workday)  // Wednesday
        #expect(ProfileDayType.of(year: 2026, month: 12, day: 24) == .workday)  // Thursday
        #expect(ProfileDayType.of(year: 2026, month: 13, day: 1) == .workday)  // invalid -> workday
    }

    @Test("Day type counts of 2026: 251 workdays, 50 Saturdays, 64 Sundays/holidays")
    func dayTypeCounts2026() {
        var counts: [ProfileDayType: Int] = [:]
        for month in 1...12 {
            for day in 1...CivilCalendar.daysInMonth(year: 2026, month: month) {
                counts[ProfileDayType.of(year: 2026, month: month, day: day), default: 0] += 1
            }
        }
        // 2026: 52 Saturdays, two of them holidays (15 Aug, 26 Dec); 52 Sundays (1 Nov among them);
        // 10 holidays on Monday-Friday.
        #expect(counts[.saturday] == 50)
        #expect(counts[.sunday] == 52 + 2 + 10)
        #expect(counts[.workday] == 251)
    }

    @Test("Civil day counts round-trip and agree with the day of the year and weekday")
    func civilRoundTrip() {
        #expect(CivilCalendar.daysSinceEpoch(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilCalendar.daysSinceEpoch(year: 2026, month: 4, day: 6) == 20_549)
        #expect(CivilCalendar.isoWeekday(daysSinceEpoch: 0) == 4)  // Thursday
        #expect(CivilCalendar.isoWeekday(daysSinceEpoch: 20_549) == 1)  // Monday
        #expect(CivilCalendar.isoWeekday(daysSinceEpoch: -1) == 3)  // Wednesday 1969-12-31
        for days in stride(from: -800_000, through: 800_000, by: 97) {
            let date = CivilCalendar.civilDate(daysSinceEpoch: days)
            #expect(CivilCalendar.isValidDate(year: date.year, month: date.month, day: date.day))
            #expect(CivilCalendar.daysSinceEpoch(year: date.year, month: date.month, day: date.day) == days)
            let newYear = CivilCalendar.daysSinceEpoch(year: date.year, month: 1, day: 1)
            #expect(CivilCalendar.dayOfYear(year: date.year, month: date.month, day: date.day) == days - newYear + 1)
        }
        #expect(CivilCalendar.dayOfYear(year: 2024, month: 12, day: 31) == 366)
        #expect(CivilCalendar.dayOfYear(year: 2025, month: 12, day: 31) == 365)
        #expect(CivilCalendar.daysSinceEpoch(unixSeconds: -1) == -1)
        #expect(CivilCalendar.daysSinceEpoch(unixSeconds: 86_399) == 0)
    }

    @Test("Central European offset switches on the last Sundays of March and October at 01:00 UTC")
    func daylightSaving() {
        let march29 = CivilCalendar.unixSeconds(year: 2026, month: 3, day: 29)
        #expect(CivilCalendar.centralEuropeanUTCOffsetSeconds(unixSeconds: march29 + 3_599) == 3_600)
        #expect(CivilCalendar.centralEuropeanUTCOffsetSeconds(unixSeconds: march29 + 3_600) == 7_200)
        let october25 = CivilCalendar.unixSeconds(year: 2026, month: 10, day: 25)
        #expect(CivilCalendar.centralEuropeanUTCOffsetSeconds(unixSeconds: october25 + 3_599) == 7_200)
        #expect(CivilCalendar.centralEuropeanUTCOffsetSeconds(unixSeconds: october25 + 3_600) == 3_600)
        #expect(CivilCalendar.centralEuropeanUTCOffsetSeconds(unixSeconds: 1_782_820_800) == 7_200)
        #expect(CivilCalendar.centralEuropeanUTCOffsetSeconds(unixSeconds: 0) == 3_600)
    }
}
