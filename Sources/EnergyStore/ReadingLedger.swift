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
    /// Values refused because the stored one is of better quality (not an error; no day dirty).
    public var keptBetter = 0
    public var dirtyDays: Set<LocalDate> = []
    public init() {}

    /// Every value handled.
    public var total: Int { inserted + unchanged + corrected + keptBetter }

    /// `2 new, 1 corrected, 5 unchanged` (and `, 3 kept (better quality stored)` when any was):
    /// how the import and demo summary lines say it.
    public var countsText: String {
        "\(inserted) new, \(corrected) corrected, \(unchanged) unchanged"
            + (keptBetter > 0 ? ", \(keptBetter) kept (better quality stored)" : "")
    }

    public mutating func add(_ other: UpsertSummary) {
        inserted += other.inserted
        unchanged += other.unchanged
        corrected += other.corrected
        keptBetter += other.keptBetter
        dirtyDays.formUnion(other.dirtyDays)
    }
}

/// A value as the store holds it (a reading's or a grid-operator figure's).
public struct StoredReading: Sendable, Equatable {
    public var milliwattHours: Int64
    public var quality: Quality

    public init(milliwattHours: Int64, quality: Quality) {
        self.milliwattHours = milliwattHours
        self.quality = quality
    }
}
