// StandardLoadProfileTable.swift
// Look-ups into the embedded BDEW standard load profile series and the H0 dynamisation factor.

/// The embedded BDEW standard load profiles (H0, G0, L0) as a flat, index-addressed table.
///
/// Each value is the average power in kW during one quarter hour of the local wall-clock day for a
/// customer with an annual consumption of 1,000 kWh, selected by profile, ``ProfileSeason`` and
/// ``ProfileDayType``. The data (see `StandardLoadProfileData.swift`) is parsed once, on first use,
/// into a `[Double]` of 3 x 3 x 3 x 96 values; every look-up afterwards is a bounds check and an
/// array read.
///
/// ```swift
/// let kW = StandardLoadProfileTable.averagePowerKW(.h0, season: .winter, dayType: .saturday, quarter: 48)
/// // 0.1624 kW at 12:00-12:15 for 1,000 kWh/a
/// let kWh = kW / 4 * 3.5 * StandardLoadProfileTable.dynamisationFactor(dayOfYear: 10)
/// // energy of that quarter hour for a 3,500 kWh/a household on 10 January
/// ```
public enum StandardLoadProfileTable {
    /// Quarter hours per profile day.
    public static let quartersPerDay = 96

    /// The annual consumption the table values are normalised to, in kWh.
    public static let referenceAnnualKWh = 1_000.0

    /// The table values are stored as integers in units of this many kW.
    static let storageUnitKW = 0.000_01

    /// Number of series: profiles x seasons x day types.
    static let seriesCount = 27

    /// The parsed table; `values[seriesIndex * 96 + quarter]`. Parsed once, thread-safely, on first use.
    static let values: [Double] = parse(rawData).values

    /// Average power in kW per 1,000 kWh of annual consumption during one quarter hour.
    ///
    /// - Parameters:
    ///   - profile: the standard load profile.
    ///   - season: the BDEW season of the day (``ProfileSeason/of(month:day:)``).
    ///   - dayType: the BDEW day type of the day (``ProfileDayType/of(year:month:day:)``).
    ///   - quarter: 0..<96, the quarter hour of the local wall-clock day (0 = 00:00-00:15).
    /// - Returns: the average power in kW, or 0 when `quarter` is outside 0..<96.
    /// The H0 value is *not* dynamised here; multiply by ``dynamisationFactor(dayOfYear:)`` yourself
    /// or use ``LoadProfileModel``.
    public static func averagePowerKW(
        _ profile: StandardLoadProfile, season: ProfileSeason, dayType: ProfileDayType, quarter: Int
    ) -> Double {
        guard quarter >= 0 && quarter < quartersPerDay else { return 0 }
        return values[seriesIndex(profile, season: season, dayType: dayType) * quartersPerDay + quarter]
    }

    /// The BDEW dynamisation factor for the household profile H0 on a day of the year:
    /// F(d) = -3.916649251e-10 d^4 + 3.2e-7 d^3 - 7.02e-5 d^2 + 2.1e-3 d + 1.24 (d = 1 for 1 January).
    ///
    /// The leading coefficient is demandlib's normalised -3.916649251e-10 (BDEW publishes -3.92e-10).
    /// The factor is about 1.24 in early January, falls to about 0.8 in summer and returns to about 1.2
    /// in late December. Not rounded.
    public static func dynamisationFactor(dayOfYear d: Int) -> Double {
        let x = Double(d)
        // Horner form of the quartic.
        return (((-3.916_649_251e-10 * x + 3.2e-7) * x - 7.02e-5) * x + 2.1e-3) * x + 1.24
    }

    /// Index of a (profile, season, day type) series in ``values``, in 0..<27.
    static func seriesIndex(_ profile: StandardLoadProfile, season: ProfileSeason, dayType: ProfileDayType) -> Int {
        (profile.tableIndex * 3 + season.tableIndex) * 3 + dayType.tableIndex
    }

    /// Parses the embedded text: labels `"H0/winter/workday:"` followed by integers in ``storageUnitKW``.
    ///
    /// Unknown labels, unparsable tokens and numbers beyond the 96th of a series are counted in
    /// `rejected` and otherwise ignored, so the parser never traps; `counts[i]` is the number of values
    /// read for series `i` (96 for a complete table). Missing values stay 0.
    static func parse(_ text: String) -> (values: [Double], counts: [Int], rejected: Int) {
        var values = [Double](repeating: 0, count: seriesCount * quartersPerDay)
        var counts = [Int](repeating: 0, count: seriesCount)
        var rejected = 0
        var current: Int? = nil
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) {
            if token.hasSuffix(":") {
                current = seriesIndex(label: token.dropLast())
                if current == nil { rejected += 1 }
                continue
            }
            guard let series = current, let number = Int(token), counts[series] < quartersPerDay else {
                rejected += 1
                continue
            }
            values[series * quartersPerDay + counts[series]] = Double(number) * storageUnitKW
            counts[series] += 1
        }
        return (values, counts, rejected)
    }

    /// Series index for a label such as `H0/winter/workday`, or nil if it names no series.
    static func seriesIndex(label: Substring) -> Int? {
        let parts = label.split(separator: "/")
        guard parts.count == 3, let profile = StandardLoadProfile(rawValue: String(parts[0])) else { return nil }
        let season: ProfileSeason
        switch parts[1] {
        case "winter": season = .winter
        case "summer": season = .summer
        case "transition": season = .transition
        default: return nil
        }
        let dayType: ProfileDayType
        switch parts[2] {
        case "workday": dayType = .workday
        case "saturday": dayType = .saturday
        case "sunday": dayType = .sunday
        default: return nil
        }
        return seriesIndex(profile, season: season, dayType: dayType)
    }
}
