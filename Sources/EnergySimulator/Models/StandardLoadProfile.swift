// StandardLoadProfile.swift
// The BDEW standard load profiles this simulator knows.

/// A BDEW standard load profile ("Standardlastprofil") used to shape a meter's expected consumption.
///
/// The raw values are the BDEW 1999 profiles embedded in ``StandardLoadProfileTable``; the raw value
/// of each case is the customary upper-case profile code.
///
/// ```swift
/// let profile = StandardLoadProfile(rawValue: "H0") ?? .h0
/// let model = LoadProfileModel(profile: profile, annualKWh: 3_500)
/// print(profile.isDynamised)   // true: H0 is multiplied by the BDEW dynamisation factor
/// ```
public enum StandardLoadProfile: String, Sendable, CaseIterable {
    /// Households ("Haushalt").
    case h0 = "H0"
    /// Businesses in general ("Gewerbe allgemein").
    case g0 = "G0"
    /// Agriculture in general ("Landwirtschaft allgemein").
    case l0 = "L0"

    /// Whether BDEW prescribes the daily dynamisation factor
    /// (``StandardLoadProfileTable/dynamisationFactor(dayOfYear:)``) for this profile. Only H0 is dynamised.
    public var isDynamised: Bool {
        self == .h0
    }

    /// A short English description of the customer group the profile stands for.
    public var customerGroup: String {
        switch self {
        case .h0: return "household"
        case .g0: return "business (general)"
        case .l0: return "agriculture (general)"
        }
    }

    /// Position of the profile's block in the embedded table.
    var tableIndex: Int {
        switch self {
        case .h0: return 0
        case .g0: return 1
        case .l0: return 2
        }
    }
}
