// StandardLoadProfileTableTests.swift
// The embedded BDEW table: completeness, known values from selp_series.csv, dynamisation factor.

import Testing

@testable import EnergySimulator

@Suite("Standard load profile table")
struct StandardLoadProfileTableTests {
    @Test("The embedded text parses into 27 complete series with nothing rejected")
    func parsesCompletely() {
        let parsed = StandardLoadProfileTable.parse(StandardLoadProfileTable.rawData)
        #expect(parsed.counts.count == 27)
        #expect(parsed.counts.allSatisfy { $0 == 96 })
        #expect(parsed.rejected == 0)
        #expect(parsed.values.count == 27 * 96)
    }

    @Test("The parser tolerates junk without trapping")
    func parserRejectsJunk() {
        let parsed = StandardLoadProfileTable.parse("H0/winter/workday: 1 2 x\nXX/foo/bar: 3\nG0/summer/sunday: 4")
        let h0 = StandardLoadProfileTable.seriesIndex(.h0, season: .winter, dayType: .workday)
        let g0 = StandardLoadProfileTable.seriesIndex(.g0, season: .summer, dayType: .sunday)
        #expect(parsed.counts[h0] == 2)
        #expect(parsed.counts[g0] == 1)
        #expect(parsed.rejected == 3)  // "x", the unknown label, and the "3" after it
        #expect(abs(parsed.values[h0 * 96 + 1] - 0.000_02) < 1e-15)
        #expect(abs(parsed.values[g0 * 96] - 0.000_04) < 1e-15)
    }

    @Test(
        "Known values copied from selp_series.csv",
        arguments: [
            (StandardLoadProfile.h0, ProfileSeason.winter, ProfileDayType.workday, 0, 0.067600),
            (StandardLoadProfile.h0, ProfileSeason.winter, ProfileDayType.saturday, 48, 0.162400),
            (StandardLoadProfile.h0, ProfileSeason.summer, ProfileDayType.sunday, 80, 0.161360),
            (StandardLoadProfile.h0, ProfileSeason.summer, ProfileDayType.workday, 0, 0.086360),
            (StandardLoadProfile.g0, ProfileSeason.transition, ProfileDayType.workday, 40, 0.212160),
            (StandardLoadProfile.l0, ProfileSeason.winter, ProfileDayType.sunday, 95, 0.072240),
        ])
    func knownValues(
        profile: StandardLoadProfile, season: ProfileSeason, dayType: ProfileDayType,
        quarter: Int, kW: Double
    ) {
        let value = StandardLoadProfileTable.averagePowerKW(profile, season: season, dayType: dayType, quarter: quarter)
        #expect(abs(value - kW) < 1e-12)
    }

    /// Energy of one profile day in kWh per 1,000 kWh/a (sum of the 96 quarter-hour values / 4).
    static func dayKWh(_ profile: StandardLoadProfile, _ season: ProfileSeason, _ dayType: ProfileDayType) -> Double {
        (0..<96).reduce(0.0) {
            $0 + StandardLoadProfileTable.averagePowerKW(profile, season: season, dayType: dayType, quarter: $1) / 4
        }
    }

    @Test("Every value is positive and below 0.25 kW; each day is 1.5-3.3 kWh per 1,000 kWh/a")
    func plausibleValues() {
        for profile in StandardLoadProfile.allCases {
            for season in ProfileSeason.allCases {
                for dayType in ProfileDayType.allCases {
                    for quarter in 0..<96 {
                        let kW = StandardLoadProfileTable.averagePowerKW(profile, season: season, dayType: dayType, quarter: quarter)
                        #expect(kW > 0.03 && kW < 0.25, "\(profile) \(season) \(dayType) \(quarter)")
                    }
                    let day = Self.dayKWh(profile, season, dayType)
                    #expect(day > 1.5 && day < 3.3, "\(profile) \(season) \(dayType): \(day)")
                }
            }
        }
    }

    @Test("Daily energies computed independently from the CSV")
    func knownDailyEnergies() {
        #expect(abs(Self.dayKWh(.h0, .winter, .workday) - 2.55606) < 1e-9)
        #expect(abs(Self.dayKWh(.h0, .summer, .workday) - 2.81411) < 1e-9)
        #expect(abs(Self.dayKWh(.g0, .summer, .sunday) - 1.54674) < 1e-9)
        #expect(abs(Self.dayKWh(.l0, .winter, .sunday) - 3.00185) < 1e-9)
    }

    @Test("Business profile G0 is lower at weekends than on workdays")
    func g0WeekendIsLower() {
        for season in ProfileSeason.allCases {
            #expect(Self.dayKWh(.g0, season, .sunday) < Self.dayKWh(.g0, season, .saturday))
            #expect(Self.dayKWh(.g0, season, .saturday) < Self.dayKWh(.g0, season, .workday))
        }
    }

    @Test("Out-of-range quarters give 0")
    func outOfRangeQuarter() {
        #expect(StandardLoadProfileTable.averagePowerKW(.h0, season: .winter, dayType: .workday, quarter: -1) == 0)
        #expect(StandardLoadProfileTable.averagePowerKW(.h0, season: .winter, dayType: .workday, quarter: 96) == 0)
    }

    @Test("H0 dynamisation factor: known values and its range over the year")
    func dynamisation() {
        #expect(abs(StandardLoadProfileTable.dynamisationFactor(dayOfYear: 1) - 1.242_030_12) < 1e-8)
        #expect(abs(StandardLoadProfileTable.dynamisationFactor(dayOfYear: 183) - 0.795_230_69) < 1e-8)
        #expect(abs(StandardLoadProfileTable.dynamisationFactor(dayOfYear: 365) - 1.263_163_17) < 1e-8)
        let factors = (1...366).map { StandardLoadProfileTable.dynamisationFactor(dayOfYear: $0) }
        #expect(factors.min().map { abs($0 - 0.785_22) < 1e-4 } == true)  // minimum on day 202
        #expect(factors.max().map { abs($0 - 1.265_70) < 1e-4 } == true)  // maximum on day 366
    }
}
