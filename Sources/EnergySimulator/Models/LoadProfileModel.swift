// LoadProfileModel.swift
// Expected quarter-hour consumption of a meter that follows a BDEW standard load profile.

/// The expected (noise-free) consumption of one meter following a BDEW standard load profile.
///
/// The energy of a local quarter hour is
/// `averagePowerKW / 4 * annualKWh / 1000`, multiplied for H0 by the BDEW dynamisation factor of
/// the day of the year. Season and day type (including Austrian public holidays, which use the Sunday
/// series) are derived from the date with pure integer arithmetic, so a call costs a few dozen
/// arithmetic operations and one table read, with no allocation.
///
/// Quarters are indices into the *local wall-clock* day (0 = 00:00-00:15 local time). On the
/// daylight-saving change days a local day has 92 or 100 quarter hours; mapping UTC instants to local
/// quarters (see ``CivilCalendar/centralEuropeanUTCOffsetSeconds(unixSeconds:)``) is up to the caller.
///
/// ```swift
/// let household = LoadProfileModel(profile: .h0, annualKWh: 3_500)
/// let kWh = household.expectedKWh(year: 2026, month: 1, day: 15, quarter: 76)   // 19:00-19:15
/// // A whole year of expectedKWh sums to about 3,500 kWh.
/// ```
public struct LoadProfileModel: Sendable, Hashable {
    /// The standard load profile the meter follows.
    public let profile: StandardLoadProfile
    /// The annual consumption the profile is scaled to, in kWh (negative or non-finite input is stored as 0).
    public let annualKWh: Double

    /// kWh per quarter hour per kW of table value: annualKWh / 1000 / 4.
    private let scale: Double

    /// Creates a model for a meter with the given profile and annual consumption.
    ///
    /// - Parameters:
    ///   - profile: the BDEW standard load profile.
    ///   - annualKWh: annual consumption in kWh; negative, NaN or infinite values are treated as 0.
    public init(profile: StandardLoadProfile, annualKWh: Double) {
        let annual = annualKWh.isFinite && annualKWh > 0 ? annualKWh : 0
        self.profile = profile
        self.annualKWh = annual
        self.scale = annual / StandardLoadProfileTable.referenceAnnualKWh / 4
    }

    /// The expected energy in kWh of one local quarter hour.
    ///
    /// - Parameters:
    ///   - year: the calendar year (Gregorian).
    ///   - month: 1...12.
    ///   - day: 1...31.
    ///   - quarter: 0..<96, the quarter hour of the local wall-clock day.
    /// - Returns: the expected energy in kWh, or 0 for an invalid date or a quarter outside 0..<96.
    public func expectedKWh(year: Int, month: Int, day: Int, quarter: Int) -> Double {
        guard quarter >= 0 && quarter < StandardLoadProfileTable.quartersPerDay,
            CivilCalendar.isValidDate(year: year, month: month, day: day)
        else { return 0 }
        let season = ProfileSeason.of(month: month, day: day)
        let dayType = ProfileDayType.of(year: year, month: month, day: day)
        let kW = StandardLoadProfileTable.averagePowerKW(profile, season: season, dayType: dayType, quarter: quarter)
        guard profile.isDynamised else { return kW * scale }
        let dayOfYear = CivilCalendar.dayOfYear(year: year, month: month, day: day)
        return kW * scale * StandardLoadProfileTable.dynamisationFactor(dayOfYear: dayOfYear)
    }

    /// The expected energy in kWh of a whole local day (sum of its 96 profile quarter hours).
    ///
    /// Returns 0 for an invalid date.
    public func expectedDailyKWh(year: Int, month: Int, day: Int) -> Double {
        var total = 0.0
        for quarter in 0..<StandardLoadProfileTable.quartersPerDay {
            total += expectedKWh(year: year, month: month, day: day, quarter: quarter)
        }
        return total
    }
}
