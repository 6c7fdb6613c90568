import EnergyCore

/// What a backend supplies so that ``ReadingLedger/upsert(_:community:)`` is written once: the
/// decision (``UpsertRules``) and the dirty-day marking live in the extension below.
///
/// ```swift
/// extension MyStore: ReadingLedgerBackend {
///     func insertIgnoringDuplicates(_ readings: [Reading], community: Community) throws -> [Bool] { … }
///     …
/// }
/// ```
public protocol ReadingLedgerBackend: ReadingLedger {
    /// The decision for readings already stored.
    var upsertRules: UpsertRules { get }
    /// Stamps corrections.
    var clock: any WallClock { get }

    /// Runs `body` so that its writes land together where the backend can (one transaction).
    func writingReadings<T>(_ body: () throws -> T) throws -> T

    /// Inserts every reading whose (point, quarter hour) is not stored yet and leaves the others
    /// untouched; says per reading whether it was inserted.
    func insertIgnoringDuplicates(_ readings: [Reading], community: Community) throws -> [Bool]

    /// The stored values of `readings[i]` for each `i` in `indices`.
    func storedValues(of readings: [Reading], at indices: [Int]) throws -> [Int: StoredReading]

    /// Overwrites stored readings and records each as a correction (stamped `recordedAt`).
    func apply(_ updates: [LedgerUpdate<Reading>], community: Community, recordedAt: Int64) throws

    /// Marks local days of `community` to be rolled up again (each mark raises the day's version).
    func markDirty(_ days: Set<LocalDate>, community: String) throws
}

extension ReadingLedgerBackend {
    public func upsert(_ readings: [Reading], community: Community) throws -> UpsertSummary {
        guard !readings.isEmpty else { return UpsertSummary() }
        let now = clock.unixSeconds
        return try writingReadings {
            let summary = try upsertRules.upsert(
                readings, calendar: community.calendar,
                insertIgnoringDuplicates: { try insertIgnoringDuplicates($0, community: community) },
                storedValues: { try storedValues(of: readings, at: $0) },
                apply: { try apply($0, community: community, recordedAt: now) })
            if !summary.dirtyDays.isEmpty { try markDirty(summary.dirtyDays, community: community.id) }
            return summary
        }
    }
}
