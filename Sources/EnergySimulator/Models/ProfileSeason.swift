// ProfileSeason.swift
// The three BDEW seasons that select a standard load profile series.

/// The BDEW season ("Zeitraum") of a calendar day.
///
/// Winter runs from 1 November to 20 March, summer from 15 May to 14 September, and the
/// transition period ("Übergangszeit") covers the rest (21 March-14 May and 15 September-31 October).
///
/// ```swift
/// ProfileSeason.of(month: 3, day: 20)   // .winter
/// ProfileSeason.of(month: 3, day: 21)   // .transition
/// ProfileSeason.of(month: 5, day: 15)   // .summer
/// ```
public enum ProfileSeason: Sendable, CaseIterable {
    /// 1 November - 20 March.
    case winter
    /// 15 May - 14 September.
    case summer
    /// 21 March - 14 May and 15 September - 31 October.
    case transition

    /// The season of a calendar day (the year does not matter).
    ///
    /// Pure arithmetic, no allocation. Out-of-range months are treated as winter (months < 1 or > 12)
    /// so the function never traps; pass valid dates.
    ///
    /// - Parameters:
    ///   - month: 1...12.
    ///   - day: 1...31.
    public static func of(month: Int, day: Int) -> ProfileSeason {
        switch month {
        case 11, 12, 1, 2:
            return .winter
        case 3:
            return day <= 20 ? .winter : .transition
        case 4:
            return .transition
        case 5:
            return day >= 15 ? .summer : .transition
        case 6, 7, 8:
            return .summer
        case 9:
            return day <= 14 ? .summer : .transition
        case 10:
            return .transition
        default:
            return .winter
        }
    }

    /// Position of the season's block in the embedded table.
    var tableIndex: Int {
        switch self {
        case .winter: return 0
        case .summer: return 1
        case .transition: return 2
        }
    }
}
