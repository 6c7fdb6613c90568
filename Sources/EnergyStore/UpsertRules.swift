import EnergyCore

/// A value the ledgers keep per (series, quarter hour): a meter reading, or one of the grid
/// operator's figures.
public protocol LedgerEntry: Sendable {
    var start: QuarterHour { get }
    var milliwattHours: Int64 { get }
    var quality: Quality { get }
}

extension Reading: LedgerEntry {}
extension GridOperatorFigure: LedgerEntry {}

/// The upsert decision, written once for every backend and every source (CSV, AMQP, the grid
/// operator's files): what a value that arrives for a (series, quarter hour) already stored does
/// to it.
///
/// By default quality takes precedence: a value never replaces a stored value of better quality
/// (L1 measured > L2 substituted > L3 estimated); one of the same quality that differs is a
/// correction, and so is a better one. A refused downgrade is ``Change/kept``: counted, never an
/// error, and it marks no day dirty.
/// ```swift
/// UpsertRules().change(from: StoredReading(milliwattHours: 5, quality: .measured), to: reading)   // .correction or .kept
/// ```
public struct UpsertRules: Sendable {
    /// What an arriving value does to the stored one.
    public enum Change: Sendable, Equatable {
        /// Same value, same quality.
        case unchanged
        /// Another value or quality that may replace the stored one: stored, recorded as a
        /// correction, its day rolled up again.
        case correction
        /// The stored value takes precedence (it is of better quality) and stays as it is.
        case kept
    }

    /// Whether `incoming` may replace `stored` at all.
    public var mayReplace: @Sendable (_ stored: StoredReading, _ incoming: StoredReading) -> Bool

    /// Quality precedence: anything but a worse quality may replace a stored value.
    public static let qualityPrecedence: @Sendable (StoredReading, StoredReading) -> Bool = { stored, incoming in
        !stored.quality.isBetter(than: incoming.quality)
    }

    public init(
        mayReplace: @escaping @Sendable (_ stored: StoredReading, _ incoming: StoredReading) -> Bool = UpsertRules.qualityPrecedence
    ) {
        self.mayReplace = mayReplace
    }

    public func change(from stored: StoredReading, to incoming: some LedgerEntry) -> Change {
        let new = StoredReading(milliwattHours: incoming.milliwattHours, quality: incoming.quality)
        if stored == new { return .unchanged }
        return mayReplace(stored, new) ? .correction : .kept
    }

    /// The whole upsert of `entries` on top of a backend's primitives: inserts what is new,
    /// decides for what is stored, applies the corrections, and says which local days (in
    /// `calendar`) changed. The caller marks those days dirty.
    func upsert<Entry: LedgerEntry>(
        _ entries: [Entry], calendar: LocalCalendar,
        insertIgnoringDuplicates: ([Entry]) throws -> [Bool],
        storedValues: ([Int]) throws -> [Int: StoredReading],
        apply: ([LedgerUpdate<Entry>]) throws -> Void
    ) throws -> UpsertSummary {
        var summary = UpsertSummary()
        var offsets = calendar.offsetCache()
        var dirty = Set<Int>()
        let inserted = try insertIgnoringDuplicates(entries)
        var existing: [Int] = []
        // A file in time order has many readings of one quarter hour in a row: its day is looked
        // up and marked once.
        var lastStart: QuarterHour?
        for (index, isNew) in inserted.enumerated() {
            if isNew {
                summary.inserted += 1
                let start = entries[index].start
                if start != lastStart {
                    dirty.insert(offsets.localDay(containing: start.startSeconds))
                    lastStart = start
                }
            } else {
                existing.append(index)
            }
        }
        if !existing.isEmpty {
            let stored = try storedValues(existing)
            var updates: [LedgerUpdate<Entry>] = []
            for index in existing {
                guard let old = stored[index] else { continue }
                let entry = entries[index]
                switch change(from: old, to: entry) {
                case .unchanged:
                    summary.unchanged += 1
                case .kept:
                    summary.keptBetter += 1
                case .correction:
                    summary.corrected += 1
                    updates.append(LedgerUpdate(entry: entry, old: old))
                    dirty.insert(offsets.localDay(containing: entry.start.startSeconds))
                }
            }
            if !updates.isEmpty { try apply(updates) }
        }
        summary.dirtyDays = Set(dirty.map { LocalDate(daysSinceEpoch: $0) })
        return summary
    }
}

/// A stored value to be overwritten by `entry` (a correction, recorded).
public struct LedgerUpdate<Entry: LedgerEntry>: Sendable {
    public var entry: Entry
    public var old: StoredReading
}
