import EnergyCore

/// The readings of metering points: stored idempotently, scanned in time order.
///
/// ```swift
/// let summary = try store.upsert(readings, community: community)
/// try store.scanReadings(community: community.id, points: community.pointKeys, in: day) { quarterHour, point, mWh in … }
/// ```
public protocol ReadingLedger: AnyObject {
    /// Stores readings idempotently. A new reading, or a changed value for a stored one (a
    /// correction, which is recorded), marks its local day of `community` dirty.
    func upsert(_ readings: [Reading], community: Community) throws -> UpsertSummary

    /// Calls `body(quarterHour, pointIndex, milliwattHours)` for every stored reading of `points`
    /// (indices into that array) starting in `range`, in time order, whichever community stored
    /// it (`community` never narrows the result). Returns the number of readings.
    @discardableResult
    func scanReadings(
        community: String, points: [PointKey], in range: Range<QuarterHour>,
        _ body: (QuarterHour, Int, Int64) throws -> Void
    ) throws -> Int
}

/// What an upsert did.
public struct UpsertSummary: Sendable, Equatable {
    public var inserted = 0
    public var unchanged = 0
    public var corrected = 0
    public var dirtyDays: Set<LocalDate> = []
    public init() {}

    public mutating func add(_ other: UpsertSummary) {
        inserted += other.inserted
        unchanged += other.unchanged
        corrected += other.corrected
        dirtyDays.formUnion(other.dirtyDays)
    }
}

/// A reading's value as the store holds it.
public struct StoredReading: Sendable, Equatable {
    public var milliwattHours: Int64
    public var quality: Quality
}

/// A stored reading to be overwritten by `reading`: a correction (the value changed, recorded and
/// rolled up again) or only a new quality flag (the figures stand).
public struct ReadingUpdate: Sendable, Equatable {
    public var reading: Reading
    public var old: StoredReading
    public var isCorrection: Bool
}
