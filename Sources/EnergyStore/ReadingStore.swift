import EnergyCore

/// Where readings, allocations, rollups and job runs live. The commands code against this; the
/// embedded SQLite store is the default backend.
///
/// ```swift
/// let store = try StoreLocation.parse("sqlite:energy.sqlite").open()
/// let summary = try store.upsert(readings, community: community)
/// ```
public protocol ReadingStore: AnyObject {
    /// A short description of where the data lives (never a password).
    var location: String { get }

    /// Another connection to the same data, for a reader on another thread (a store object is
    /// used by one thread at a time).
    func openAnotherConnection() throws -> any ReadingStore

    // MARK: Readings

    /// Stores readings idempotently. A new reading, or a changed value for a stored one (a
    /// correction, which is recorded), marks its local day of `community` dirty.
    func upsert(_ readings: [Reading], community: Community) throws -> UpsertSummary

    /// Calls `body(quarterHour, pointIndex, milliwattHours)` for every stored reading of
    /// `community`'s `points` (indices into that array) starting in `range`, in time order.
    /// Returns the number of readings.
    @discardableResult
    func scanReadings(
        community: String, points: [PointKey], in range: Range<QuarterHour>,
        _ body: (QuarterHour, Int, Int64) throws -> Void
    ) throws -> Int

    // MARK: Rollups

    /// Days whose readings changed since they were last rolled up.
    func dirtyDays(community: String) throws -> [DirtyDay]

    /// Replaces a day's allocation and day rollups in one transaction (readers see the old or the
    /// new day, never a mix), and clears the day's dirty mark if nothing marked it since `dirty`.
    func saveDay(_ day: DayAllocation, community: Community, points: [PointKey], clearing dirty: DirtyDay?) throws

    /// Recomputes a month's rollups from its day rollups.
    func refreshMonth(_ month: LocalMonth, community: Community, points: [PointKey]) throws

    /// Day rollups of local days `from..<to`; with `points`, only theirs (no community rows).
    func dayRollups(community: String, from: LocalDate, to: LocalDate, of points: [PointKey]?) throws -> [StoredRollup]

    /// Month rollups of months `from..<to`; with `points`, only theirs (no community rows).
    func monthRollups(community: String, from: LocalMonth, to: LocalMonth, of points: [PointKey]?) throws -> [StoredRollup]

    /// The stored per-quarter-hour allocation of local days `from..<to`, one record per (day, point);
    /// with `points`, only theirs.
    func allocationSeries(
        community: String, from: LocalDate, to: LocalDate, of points: [PointKey]?,
        _ body: (AllocationSeries) throws -> Void) throws

    // MARK: Leases

    /// Takes or renews the lease `name` for `holder` until `now + seconds`. Returns nil when the
    /// lease is ours, or the other holder while it has not expired.
    func acquireLease(_ name: String, holder: String, now: Int64, seconds: Int64) throws -> Lease?

    /// Gives the lease back if `holder` has it.
    func releaseLease(_ name: String, holder: String) throws

    // MARK: Statements

    /// Final statements of `community` whose billing periods overlap local days `from..<to`,
    /// ordered by year and number.
    func issuedStatements(community: String, from: LocalDate, to: LocalDate) throws -> [IssuedStatement]

    /// Issues the statements of a final run in one transaction: the next numbers of `year` for
    /// `community`, without gaps, in the order given. Throws `StoreError.periodAlreadyIssued` if a
    /// statement of the community already covers part of `from..<to`.
    func issueStatements(
        _ requests: [StatementRequest], community: String, period: String, from: LocalDate, to: LocalDate,
        year: Int, issuedAt: Int64
    ) throws -> [IssuedStatement]

    // MARK: Job runs

    func startRun(_ command: String, community: String, startedAt: Int64) throws -> Int64
    func finishRun(_ id: Int64, _ result: JobRunResult, finishedAt: Int64) throws
    func jobRuns(community: String?, limit: Int) throws -> [JobRun]
}

extension ReadingStore {
    /// Day rollups of every point and the community.
    public func dayRollups(community: String, from: LocalDate, to: LocalDate) throws -> [StoredRollup] {
        try dayRollups(community: community, from: from, to: to, of: nil)
    }

    /// Month rollups of every point and the community.
    public func monthRollups(community: String, from: LocalMonth, to: LocalMonth) throws -> [StoredRollup] {
        try monthRollups(community: community, from: from, to: to, of: nil)
    }

    /// The allocation records of every point.
    public func allocationSeries(community: String, from: LocalDate, to: LocalDate, _ body: (AllocationSeries) throws -> Void) throws {
        try allocationSeries(community: community, from: from, to: to, of: nil, body)
    }
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

/// A local day that must be rolled up again; `version` grows with every new mark.
public struct DirtyDay: Sendable, Equatable, Hashable {
    public var date: LocalDate
    public var version: Int64
    public init(date: LocalDate, version: Int64) {
        self.date = date
        self.version = version
    }
}

/// One stored rollup row: a bucket of one metering point, or of the community (`point == nil`).
public struct StoredRollup: Sendable, Equatable {
    public var bucketStart: Int64
    public var point: PointKey?
    public var totals: EnergyTotals
    public init(bucketStart: Int64, point: PointKey?, totals: EnergyTotals) {
        self.bucketStart = bucketStart
        self.point = point
        self.totals = totals
    }
}

/// One metering point's allocation for one local day: per quarter hour the reading (-1 if missing)
/// and the community share, interleaved.
public struct AllocationSeries: Sendable {
    public var date: LocalDate
    public var point: PointKey
    public var firstQuarterHour: QuarterHour
    public var interleaved: [Int64]
    public var quarterHourCount: Int { interleaved.count / 2 }
}

/// Who holds a lease, and until when (Unix seconds).
public struct Lease: Sendable, Equatable {
    public var holder: String
    public var expires: Int64
    public init(holder: String, expires: Int64) {
        self.holder = holder
        self.expires = expires
    }
}

/// A member's statement to be issued by a final run.
public struct StatementRequest: Sendable, Equatable {
    public var memberID: String
    /// Identifies the statement's figures, so a rerun can tell whether they are still the same.
    public var fingerprint: String
    public var incomplete: Bool
    public init(memberID: String, fingerprint: String, incomplete: Bool) {
        self.memberID = memberID
        self.fingerprint = fingerprint
        self.incomplete = incomplete
    }
}

/// A statement issued by a final billing run; never changed or deleted.
public struct IssuedStatement: Sendable, Equatable {
    public var community: String
    public var year: Int
    /// 1, 2, 3 … per community and year, without gaps.
    public var sequence: Int
    public var period: String
    public var from: LocalDate
    public var to: LocalDate
    public var memberID: String
    public var fingerprint: String
    public var incomplete: Bool
    public var issuedAt: Int64

    public init(
        community: String, year: Int, sequence: Int, period: String, from: LocalDate, to: LocalDate, memberID: String,
        fingerprint: String, incomplete: Bool, issuedAt: Int64
    ) {
        self.community = community
        self.year = year
        self.sequence = sequence
        self.period = period
        self.from = from
        self.to = to
        self.memberID = memberID
        self.fingerprint = fingerprint
        self.incomplete = incomplete
        self.issuedAt = issuedAt
    }

    /// `2026-0007`
    public var number: String { IssuedStatement.number(year: year, sequence: sequence) }

    public static func number(year: Int, sequence: Int) -> String {
        let s = String(sequence)
        return "\(year)-" + String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}

/// How a job ended.
public struct JobRunResult: Sendable, Equatable {
    public var outcome: String
    public var firstDay: LocalDate?
    public var lastDay: LocalDate?
    public var days: Int
    public var readings: Int
    public var message: String
    public init(
        outcome: String, firstDay: LocalDate? = nil, lastDay: LocalDate? = nil, days: Int = 0, readings: Int = 0, message: String = ""
    ) {
        self.outcome = outcome
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.days = days
        self.readings = readings
        self.message = message
    }
}

/// A recorded job run.
public struct JobRun: Sendable, Equatable {
    public var id: Int64
    public var command: String
    public var community: String
    public var startedAt: Int64
    public var finishedAt: Int64?
    public var result: JobRunResult?
}

/// Where a store is: `sqlite:PATH` (or a bare path), or a `mongodb://` URI.
public enum StoreLocation: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case mongodb(uri: String)

    public static func parse(_ text: String) throws(StoreError) -> StoreLocation {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw .badLocation(text, "sqlite: needs a path, e.g. sqlite:energy.sqlite") }
            return .sqlite(path: path)
        }
        if text.hasPrefix("mongodb://") || text.hasPrefix("mongodb+srv://") { return .mongodb(uri: text) }
        if text.contains("://") { throw .badLocation(text, "unknown store scheme; use sqlite:PATH or mongodb://HOST/DATABASE") }
        guard !text.isEmpty else { throw .badLocation(text, "empty store location") }
        return .sqlite(path: text)
    }

    public func open() throws -> any ReadingStore {
        switch self {
        case let .sqlite(path): return try SQLiteStore(path: path)
        case let .mongodb(uri): return try MongoStore(uri: uri)
        }
    }

    public var description: String {
        switch self {
        case let .sqlite(path): return "sqlite:\(path)"
        case let .mongodb(uri): return "mongodb://" + MongoClientPool.redact(uri)
        }
    }
}

/// Errors about stores themselves (not SQL errors).
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case badLocation(String, String)
    case cannotOpen(String, String)
    case newerSchema(String, found: Int, supported: Int)
    /// A final run for a period that overlaps statements already issued (period, their period).
    case periodAlreadyIssued(String, issued: String)

    public var description: String {
        switch self {
        case let .badLocation(text, why): return "store '\(text)': \(why)"
        case let .cannotOpen(location, why): return "cannot open store \(location): \(why)"
        case let .newerSchema(location, found, supported):
            return "store \(location) has schema version \(found), this energy understands up to \(supported): upgrade energy"
        case let .periodAlreadyIssued(period, issued):
            return "statements for \(issued) are already issued and overlap \(period); issued statements are never renumbered or replaced"
        }
    }
}
