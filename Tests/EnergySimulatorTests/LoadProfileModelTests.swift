// LoadProfileModelTests.swift
// Quarter-hour energies of LoadProfileModel and their yearly sums.

import EnergySimulator
import Testing

@Suite("Load profile model")
struct LoadProfileModelTests {
    /// Sum of expectedKWh over every local quarter hour of a year.
    static func yearKWh(_ model: LoadProfileModel, year: Int) -> Double {
        var total = 0.0
        for month in 1...12 {
            for day in 1...CivilCalendar.daysInMonth(year: year, month: month) {
                for quarter in 0..<96 {
                    total += model.expectedKWh(year: year, month: month, day: day, quarter: quarter)
                }
            }
        }
        return total
    }

    // Observed sums at 1,000 kWh/a (Austrian holidays as Sundays):
    // 2025: H0 999.21, G0 1001.45, L0 1000.44; 2026: H0 998.93, G0 1002.05, L0 1000.56;
    // 2024 (leap): H0 1002.04, G0 1005.09, L0 1003.40.
    @Test("A whole year sums to 1,000 kWh within 0.6 % (non-leap) / 1 % (leap)", arguments: StandardLoadProfile.allCases)
    func yearlySum(profile: StandardLoadProfile) {
        let model = LoadProfileModel(profile: profile, annualKWh: 1_000)
        for year in [2025, 2026] {
            let sum = Self.yearKWh(model, year: year)
            #expect(abs(sum - 1_000) < 6, "\(profile) \(year): \(sum)")
        }
        let leap = Self.yearKWh(model, year: 2024)
        #expect(abs(leap - 1_000) < 10, "\(profile) 2024: \(leap)")
    }

    @Test("Exact sums for 2025 agree with an independent computation from the CSV")
    func yearlySumExact() {
        let expected: [StandardLoadProfile: Double] = [.h0: 999.2080, .g0: 1001.4463, .l0: 1000.4387]
        for (profile, value) in expected {
            let sum = Self.yearKWh(LoadProfileModel(profile: profile, annualKWh: 1_000), year: 2025)
            #expect(abs(sum - value) < 0.001, "\(profile): \(sum)")
        }
    }

    @Test("Energy scales linearly with the annual consumption")
    func linearScaling() {
        let small = LoadProfileModel(profile: .h0, annualKWh: 1_000)
        let large = LoadProfileModel(profile: .h0, annualKWh: 3_500)
        for quarter in stride(from: 0, to: 96, by: 7) {
            let a = small.expectedKWh(year: 2026, month: 2, day: 3, quarter: quarter)
            let b = large.expectedKWh(year: 2026, month: 2, day: 3, quarter: quarter)
            #expect(a > 0)
            #expect(abs(b - 3.5 * a) < 1e-12)
        }
    }

    @Test("H0 is the table value / 4 times the dynamisation factor; G0 is not dynamised")
    func handComputedValues() {
        // 2026-01-15 is a Thursday in winter, day of year 15.
        let h0 = LoadProfileModel(profile: .h0, annualKWh: 2_000)
        let f15 = StandardLoadProfileTable.dynamisationFactor(dayOfYear: 15)
        #expect(abs(h0.expectedKWh(year: 2026, month: 1, day: 15, quarter: 0) - 0.0676 / 4 * 2 * f15) < 1e-12)
        // Summer Sunday (2026-06-21 is a Sunday), 20:00-20:15: 0.16136 kW.
        let f172 = StandardLoadProfileTable.dynamisationFactor(dayOfYear: 172)
        #expect(abs(h0.expectedKWh(year: 2026, month: 6, day: 21, quarter: 80) - 0.16136 / 4 * 2 * f172) < 1e-12)
        // G0, transition workday (2026-04-08, Wednesday) 10:00-10:15: 0.21216 kW, no dynamisation.
        let g0 = LoadProfileModel(profile: .g0, annualKWh: 1_000)
        #expect(abs(g0.expectedKWh(year: 2026, month: 4, day: 8, quarter: 40) - 0.21216 / 4) < 1e-12)
    }

    @Test("Public holidays use the Sunday series")
    func holidayUsesSundaySeries() {
        let g0 = LoadProfileModel(profile: .g0, annualKWh: 1_000)
        for quarter in [0, 40, 60] {
            // Ostermontag 2026-04-06 (transition) and the following Monday 2026-04-13.
            let holiday = g0.expectedKWh(year: 2026, month: 4, day: 6, quarter: quarter)
            let sunday = StandardLoadProfileTable.averagePowerKW(.g0, season: .transition, dayType: .sunday, quarter: quarter) / 4
            let workday = StandardLoadProfileTable.averagePowerKW(.g0, season: .transition, dayType: .workday, quarter: quarter) / 4
            #expect(abs(holiday - sunday) < 1e-12)
            #expect(abs(g0.expectedKWh(year: 2026, month: 4, day: 13, quarter: quarter) - workday) < 1e-12)
        }
    }

    @Test("Invalid input gives 0 instead of trapping")
    func invalidInput() {
        let model = LoadProfileModel(profile: .l0, annualKWh: 1_000)
        #expect(model.expectedKWh(year: 2026, month: 1, day: 1, quarter: 96) == 0)
        #expect(model.expectedKWh(year: 2026, month: 1, day: 1, quarter: -1) == 0)
        #expect(model.expectedKWh(year: 2026, month: 13, day: 1, quarter: 0) == 0)
        #expect(model.expectedKWh(year: 2026, month: 2, day: 29, quarter: 0) == 0)
        #expect(LoadProfileModel(profile: .h0, annualKWh: -5).annualKWh == 0)
        #expect(LoadProfileModel(profile: .h0, annualKWh: .nan).expectedKWh(year: 2026, month: 1, day: 1, quarter: 0) == 0)
    }

    @Test("Daily total equals the sum of its quarters")
    func dailyTotal() {
        let model = LoadProfileModel(profile: .h0, annualKWh: 4_000)
        let quarters = (0..<96).reduce(0.0) { $0 + model.expectedKWh(year: 2026, month: 7, day: 4, quarter: $1) }
        #expect(quarters > 0)
        #expect(abs(model.expectedDailyKWh(year: 2026, month: 7, day: 4) - quarters) < 1e-9)
    }
}
