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

    /// Overwrites stored readings and records the corrections among them (stamped `recordedAt`).
    func apply(_ updates: [ReadingUpdate], community: Community, recordedAt: Int64) throws

    /// Marks local days of `community` to be rolled up again (each mark raises the day's version).
    func markDirty(_ days: Set<LocalDate>, community: String) throws
}

extension ReadingLedgerBackend {
    public func upsert(_ readings: [Reading], community: Community) throws -> UpsertSummary {
        guard !readings.isEmpty else { return UpsertSummary() }
        let now = clock.unixSeconds
        let rules = upsertRules
        return try writingReadings {
            var summary = UpsertSummary()
            var offsets = community.calendar.offsetCache()
            var dirty = Set<Int>()
            let inserted = try insertIgnoringDuplicates(readings, community: community)
            var existing: [Int] = []
            for (index, isNew) in inserted.enumerated() {
                if isNew {
                    summary.inserted += 1
                    dirty.insert(offsets.localDay(containing: readings[index].start.startSeconds))
                } else {
                    existing.append(index)
                }
            }
            if !existing.isEmpty {
                let stored = try storedValues(of: readings, at: existing)
                var updates: [ReadingUpdate] = []
                for index in existing {
                    guard let old = stored[index] else { continue }
                    let reading = readings[index]
                    switch rules.change(from: old, to: reading) {
                    case .unchanged, .kept:
                        summary.unchanged += 1
                    case .qualityOnly:
                        summary.unchanged += 1
                        updates.append(ReadingUpdate(reading: reading, old: old, isCorrection: false))
                    case .correction:
                        summary.corrected += 1
                        updates.append(ReadingUpdate(reading: reading, old: old, isCorrection: true))
                        dirty.insert(offsets.localDay(containing: reading.start.startSeconds))
                    }
                }
                if !updates.isEmpty { try apply(updates, community: community, recordedAt: now) }
            }
            summary.dirtyDays = Set(dirty.map { LocalDate(daysSinceEpoch: $0) })
            if !summary.dirtyDays.isEmpty { try markDirty(summary.dirtyDays, community: community.id) }
            return summary
        }
    }
}
