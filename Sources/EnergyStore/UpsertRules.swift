import EnergyCore

/// The upsert decision, written once for every backend: what a reading that arrives for a
/// (point, quarter hour) already stored does to it.
///
/// ```swift
/// UpsertRules().change(from: StoredReading(milliwattHours: 5, quality: .measured), to: reading)   // .correction
/// ```
public struct UpsertRules: Sendable {
    /// What an arriving reading does to the stored one.
    public enum Change: Sendable, Equatable {
        /// Same value, same quality.
        case unchanged
        /// Same value, another quality flag: the flag is updated, the figures stand.
        case qualityOnly
        /// Another value: stored, recorded as a correction, its day rolled up again.
        case correction
        /// The stored reading takes precedence and stays as it is.
        case kept
    }

    /// Whether `incoming` may replace `stored` at all: where quality precedence plugs in (a grid
    /// operator's substitute value must not overwrite a measured one, say). The default: the
    /// latest reading wins.
    public var mayReplace: @Sendable (_ stored: StoredReading, _ incoming: Reading) -> Bool

    public init(mayReplace: @escaping @Sendable (_ stored: StoredReading, _ incoming: Reading) -> Bool = { _, _ in true }) {
        self.mayReplace = mayReplace
    }

    public func change(from stored: StoredReading, to incoming: Reading) -> Change {
        if stored.milliwattHours == incoming.milliwattHours && stored.quality == incoming.quality { return .unchanged }
        guard mayReplace(stored, incoming) else { return .kept }
        return stored.milliwattHours == incoming.milliwattHours ? .qualityOnly : .correction
    }
}
