import EnergyCore
import Foundation

/// The embedded store: one SQLite file in WAL mode. The default backend.
///
/// ```swift
/// let store = try SQLiteStore(path: "energy.sqlite")
/// ```
public final class SQLiteStore:
    StoreConnection, ReadingLedgerBackend, GridOperatorLedgerBackend, RollupStoreBackend, StatementRegistryBackend, JobLogBackend
{
    let db: SQLiteConnection
    public let path: String
    public let clock: any WallClock
    let evenIfMarkedDamaged: Bool
    public var upsertRules = UpsertRules()
    var pointIDs: [PointKey: Int64] = [:]
    var pointsByID: [Int64: PointKey] = [:]
    /// What `insertIgnoringDuplicates` found stored for the readings it did not insert, for the
    /// `storedValues` call that follows it in the shared upsert (no second lookup per reading).
    var foundStored: [Int: StoredReading]?
    /// The ids of `pointIDs` again, for the import's one lookup per reading.
    var pointTable = PointIDTable()

    public var location: String { "sqlite:\(path)" }

    /// Opens (or creates) the store at `path`. A store marked damaged (``DamageMark``) is refused
    /// unless `evenIfMarkedDamaged` (for `energy check`, which looks at it and clears the mark).
    public init(path: String, clock: any WallClock = SystemClock(), evenIfMarkedDamaged: Bool = false) throws {
        self.path = path
        self.clock = clock
        self.evenIfMarkedDamaged = evenIfMarkedDamaged
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            throw StoreError.cannotOpen("sqlite:\(path)", "the folder \(directory) does not exist")
        }
        if !evenIfMarkedDamaged, let why = DamageMark(storePath: path).reason {
            throw StoreError.damaged(
                "sqlite:\(path)",
                "\(why). Nothing is done with it until energy check --store sqlite:\(path) finds it sound "
                    + "(restore it from a backup first; the check removes \(DamageMark(storePath: path).path))")
        }
        do {
            db = try SQLiteConnection(path: path)
            // A new file is set up by whichever process comes first; the others wait for it
            // (switching to WAL answers "locked" at once instead of waiting, hence the retries).
            try db.retryingWhileBusy {
                try db.execute(
                    """
                    PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;
                    PRAGMA cache_size = -32768; PRAGMA foreign_keys = OFF;
                    """)
            }
            try db.retryingWhileBusy { try migrate() }
        } catch let error as SQLiteError {
            throw StoreError.cannotOpen("sqlite:\(path)", error.message)
        }
        try loadPoints()
    }

    // The connection's kept statements refer back to it: closing it here lets both go.
    deinit { db.close() }

    public func openAnotherConnection() throws -> any ReadingStore {
        try SQLiteStore(path: path, clock: clock, evenIfMarkedDamaged: evenIfMarkedDamaged)
    }

    /// The schema version of the file (after opening, the newest).
    public func schemaVersion() throws -> Int { Int(try db.scalarInt("PRAGMA user_version") ?? 0) }

    private func migrate() throws {
        let seen = Int(try db.scalarInt("PRAGMA user_version") ?? 0)
        guard seen <= SQLiteSchema.version else {
            throw StoreError.newerSchema(location, found: seen, supported: SQLiteSchema.version)
        }
        guard seen < SQLiteSchema.version else { return }
        // Another process may be creating or migrating the same file right now: the write lock
        // (taken first, waiting up to the busy timeout) decides, and the version is read again
        // under it, so only one of them runs each migration.
        try db.transaction {
            let current = Int(try db.scalarInt("PRAGMA user_version") ?? 0)
            guard current < SQLiteSchema.version else { return }
            for (index, sql) in SQLiteSchema.migrations.enumerated() where index >= current {
                try db.execute(sql)
            }
            try db.execute("PRAGMA user_version = \(SQLiteSchema.version)")
        }
    }

    private func loadPoints() throws {
        let statement = try db.prepare("SELECT id, zaehlpunkt, direction FROM metering_points")
        while try statement.step() {
            guard let zp = try? Zaehlpunkt(statement.text(1)), let direction = Direction(rawValue: statement.text(2)) else { continue }
            let key = PointKey(zaehlpunkt: zp, direction: direction)
            pointIDs[key] = statement.int64(0)
            pointsByID[statement.int64(0)] = key
        }
    }

    // Another process may have added the point since this one loaded them: the conflict's no-op
    // update returns the id it has.
    private lazy var insertPoint = try? db.prepare(
        """
        INSERT INTO metering_points (zaehlpunkt, direction) VALUES (?1, ?2)
        ON CONFLICT (zaehlpunkt, direction) DO UPDATE SET zaehlpunkt = excluded.zaehlpunkt RETURNING id
        """)

    func pointID(_ key: PointKey) throws -> Int64 {
        if let id = pointIDs[key] { return id }
        guard let insertPoint else { throw SQLiteError(code: 1, message: "cannot prepare", context: "metering_points") }
        try insertPoint.bind(1, key.zaehlpunkt.description)
        try insertPoint.bind(2, key.direction.rawValue)
        defer { insertPoint.reset() }
        guard try insertPoint.step() else { throw SQLiteError(code: 1, message: "no id returned", context: "metering_points") }
        let id = insertPoint.int64(0)
        pointIDs[key] = id
        pointsByID[id] = key
        return id
    }

    // MARK: Rollups

    public func dirtyDays(community: String) throws -> [DirtyDay] {
        let statement = try db.kept("SELECT day, version FROM dirty_days WHERE community = ?1 ORDER BY day")
        // Reset when done, even after a failure: a statement left mid-way holds its read snapshot.
        defer { statement.reset() }
        try statement.bind(1, community)
        var days: [DirtyDay] = []
        while try statement.step() {
            guard let date = try? LocalDate(statement.text(0)) else { continue }
            days.append(DirtyDay(date: date, version: statement.int64(1)))
        }
        return days
    }

    public func saveDay(_ day: DayAllocation, community: Community, points: [PointKey], clearing dirty: DirtyDay?) throws {
        precondition(points.count == day.pointCount, "one key per allocated point")
        let dayText = day.date.description
        let start = day.firstQuarterHour.startSeconds
        let ids = try points.map { try pointID($0) }
        // Encoded before the transaction: rollup workers on other days wait for the write lock
        // only while rows are written, not while they are computed.
        let records = ids.indices.map { i in
            (AllocationRecord.encode(day.interleavedSeries(ofPoint: i)), AllocationRecord.encodeMask(day.gridOperatorFlags(ofPoint: i)))
        }
        let totals = ids.indices.map { day.totals(ofPoint: $0) }
        try db.transaction {
            try db.kept("DELETE FROM allocations WHERE community = ?1 AND day = ?2").run([.text(community.id), .text(dayText)])
            try db.kept("DELETE FROM rollups_day WHERE community = ?1 AND day = ?2").run([.text(community.id), .text(dayText)])
            let allocation = try db.kept(
                """
                INSERT INTO allocations (community, day, point, start, quarter_hours, series, dso) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                """)
            let rollup = try db.kept(
                """
                INSERT INTO rollups_day (community, day, point, start, consumed_mwh, produced_mwh, shared_mwh, grid_mwh,
                                         surplus_mwh, intervals, expected_intervals, dso_intervals)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                """)
            defer {
                allocation.reset()
                rollup.reset()
            }
            try allocation.bind(1, community.id)
            try allocation.bind(2, dayText)
            try allocation.bind(4, start)
            try allocation.bind(5, Int64(day.quarterHourCount))
            try rollup.bind(1, community.id)
            try rollup.bind(2, dayText)
            try rollup.bind(4, start)
            for (i, id) in ids.enumerated() {
                let (record, mask) = records[i]
                try allocation.bind(3, id)
                try record.withUnsafeBytes { try allocation.bind(6, blob: $0) }
                if let mask {
                    try mask.withUnsafeBytes { try allocation.bind(7, blob: $0) }
                } else {
                    try allocation.bindNull(7)
                }
                _ = try allocation.step()
                allocation.reset()
                try bindTotals(rollup, point: id, totals[i])
            }
            try bindTotals(rollup, point: 0, day.communityTotals)
            if let dirty {
                try db.kept("DELETE FROM dirty_days WHERE community = ?1 AND day = ?2 AND version = ?3")
                    .run([.text(community.id), .text(dayText), .integer(dirty.version)])
            }
        }
    }

    private func bindTotals(_ statement: SQLiteStatement, point: Int64, _ t: EnergyTotals) throws {
        try statement.bind(3, point)
        try statement.bind(5, t.consumed)
        try statement.bind(6, t.produced)
        try statement.bind(7, t.shared)
        try statement.bind(8, t.grid)
        try statement.bind(9, t.surplus)
        try statement.bind(10, Int64(t.intervals))
        try statement.bind(11, Int64(t.expectedIntervals))
        try statement.bind(12, Int64(t.dsoIntervals))
        _ = try statement.step()
        statement.reset()
    }

    public func rebuildMonth(_ month: LocalMonth, community: String, _ rows: (DayRollupScan) throws -> [StoredRollup]) throws {
        let insert = try db.prepare(
            """
            INSERT INTO rollups_month (community, month, point, start, consumed_mwh, produced_mwh, shared_mwh, grid_mwh,
                                       surplus_mwh, intervals, expected_intervals, dso_intervals)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
            """)
        // BEGIN IMMEDIATE takes the write lock before the days are read: every day another run
        // committed before is read, and none commits between the read and the write.
        try db.transaction {
            let rows = try rows { body in
                try forEachRollup(
                    table: "rollups_day", column: "day", community: community, from: month.firstDay.description,
                    to: month.next.firstDay.description, keys: nil, of: nil, body)
            }
            try db.prepare("DELETE FROM rollups_month WHERE community = ?1 AND month = ?2").run([
                .text(community), .text(month.description),
            ])
            try insert.bind(1, community)
            try insert.bind(2, month.description)
            for row in rows {
                try insert.bind(4, row.bucketStart)
                try bindTotals(insert, point: try row.point.map(pointID) ?? 0, row.totals)
            }
        }
    }

    public func forEachDayRollup(
        community: String, from: LocalDate, to: LocalDate, of points: [PointKey]?, _ body: (StoredRollup) -> Void
    ) throws {
        try forEachRollup(
            table: "rollups_day", column: "day", community: community, from: from.description, to: to.description,
            keys: points.map { _ in Self.days(from, to) }, of: points, body)
    }

    public func monthRollups(community: String, from: LocalMonth, to: LocalMonth, of points: [PointKey]?) throws -> [StoredRollup] {
        var months: [String] = []
        var month = from
        while month < to {
            months.append(month.description)
            month = month.next
        }
        return try rollups(
            table: "rollups_month", column: "month", community: community, from: from.description, to: to.description,
            keys: points.map { _ in months }, of: points)
    }

    static func days(_ from: LocalDate, _ to: LocalDate) -> [String] {
        var days: [String] = []
        var day = from
        while day < to {
            days.append(day.description)
            day = day.adding(days: 1)
        }
        return days
    }

    /// The condition for a range of days (or months) and, with `points`, only those points. For
    /// points it lists the days (`day IN (?4, …)`) and the points' integer ids (never text), so
    /// SQLite seeks each (day, point) in the primary key instead of reading every point of each
    /// day, with no extra index to keep up on every rollup.
    private func rangeCondition(_ column: String, keys: [String]?, of points: [PointKey]?) -> (sql: String, values: [SQLiteValue]) {
        guard let points, let keys else { return ("\(column) >= ?2 AND \(column) < ?3", []) }
        // The stored ids of the wanted points (a lookup each, not a pass over every stored point).
        let ids = Set(points.compactMap { pointIDs[$0] }).sorted()
        let placeholders = keys.indices.map { "?\($0 + 4)" }.joined(separator: ",")
        // ?2 and ?3 stay bound but unused: with the range beside the list SQLite would scan the range.
        return (
            "?2 IS NOT NULL AND ?3 IS NOT NULL AND \(column) IN (\(keys.isEmpty ? "NULL" : placeholders))"
                + " AND point IN (" + (ids.isEmpty ? "-1" : ids.map(String.init).joined(separator: ",")) + ")",
            keys.map { .text($0) }
        )
    }

    private func rollups(
        table: String, column: String, community: String, from: String, to: String, keys: [String]?,
        of points: [PointKey]?
    ) throws -> [StoredRollup] {
        var rows: [StoredRollup] = []
        try forEachRollup(table: table, column: column, community: community, from: from, to: to, keys: keys, of: points) {
            rows.append($0)
        }
        return rows
    }

    /// The rollup rows of a range, one at a time, without holding them.
    private func forEachRollup(
        table: String, column: String, community: String, from: String, to: String, keys: [String]?,
        of points: [PointKey]?, _ body: (StoredRollup) -> Void
    ) throws {
        let condition = rangeCondition(column, keys: keys, of: points)
        let statement = try db.kept(
            """
            SELECT start, point, consumed_mwh, produced_mwh, shared_mwh, grid_mwh, surplus_mwh, intervals, expected_intervals,
                   dso_intervals
            FROM \(table) WHERE community = ?1 AND \(condition.sql) ORDER BY start, point
            """)
        defer { statement.reset() }
        try statement.bind([.text(community), .text(from), .text(to)] + condition.values)
        while try statement.step() {
            let id = statement.int64(1)
            let totals = EnergyTotals(
                consumed: statement.int64(2), produced: statement.int64(3), shared: statement.int64(4),
                grid: statement.int64(5), surplus: statement.int64(6),
                intervals: Int(statement.int64(7)), expectedIntervals: Int(statement.int64(8)), dsoIntervals: Int(statement.int64(9)))
            if id == 0 {
                body(StoredRollup(bucketStart: statement.int64(0), point: nil, totals: totals))
            } else if let key = pointsByID[id] {
                body(StoredRollup(bucketStart: statement.int64(0), point: key, totals: totals))
            }
        }
    }

    public func allocationSeries(
        community: String, from: LocalDate, to: LocalDate, of points: [PointKey]?,
        _ body: (AllocationSeries) throws -> Void
    ) throws {
        let condition = rangeCondition("day", keys: points.map { _ in Self.days(from, to) }, of: points)
        let statement = try db.prepare(
            """
            SELECT day, point, start, quarter_hours, series, dso FROM allocations
            WHERE community = ?1 AND \(condition.sql) ORDER BY day, point
            """)
        try statement.bind([.text(community), .text(from.description), .text(to.description)] + condition.values)
        while try statement.step() {
            guard let date = try? LocalDate(statement.text(0)), let key = pointsByID[statement.int64(1)] else { continue }
            let count = Int(statement.int64(3))
            let blob = statement.blob(4)
            guard let series = AllocationRecord.decode(blob, quarterHours: count) else {
                throw SQLiteError(
                    code: 0, message: "allocation record of \(key) on \(date) does not hold \(count) quarter hours", context: "allocations")
            }
            try body(
                AllocationSeries(
                    date: date, point: key, firstQuarterHour: QuarterHour(index: statement.int64(2) / QuarterHour.seconds),
                    interleaved: series,
                    fromGridOperator: AllocationRecord.decodeMask(statement.isNull(5) ? nil : statement.blob(5), quarterHours: count)))
        }
    }
}
