import EnergyCore
import Foundation
import Logging

/// The production store: MongoDB through libmongoc, one database per team.
///
/// Raw readings in `readings`; per (point, local day) allocation records in `allocations`; flat,
/// same-typed rollup documents in `rollups_hour`, `rollups_day` and `rollups_month` that Grafana
/// charts directly; `dirty_days`, `job_runs`, `corrections`, `leases`. A day's allocation and
/// rollups are replaced in one transaction where the deployment supports them (replica sets).
/// ```swift
/// let store = try MongoStore(uri: "mongodb://127.0.0.1:27017/energy")
/// ```
public final class MongoStore:
    StoreConnection, ReadingLedgerBackend, GridOperatorLedgerBackend, RollupStoreBackend, StatementRegistryBackend, JobLogBackend
{
    let pool: MongoClientPool
    let db: MongoConnection
    private var transactions = true
    public let clock: any WallClock
    public var upsertRules = UpsertRules()
    /// Where the store reports what a person should know (a deployment without transactions).
    public var logger = Logger(label: "energy.store.mongodb")
    /// The transaction `numberingStatements` runs in, for `insertStatements`.
    var numberingSession: MongoSession?

    public var location: String { "mongodb://\(pool.server)" }

    public convenience init(uri: String, clock: any WallClock = SystemClock()) throws {
        try self.init(pool: MongoClientPool(uri: uri), clock: clock)
        try db.command(BSONDocument(["ping": .int32(1)]), database: "admin")
        try MongoSchema.createIndexes(db)
    }

    private init(pool: MongoClientPool, clock: any WallClock) throws {
        self.pool = pool
        self.clock = clock
        db = pool.connection()
    }

    public func openAnotherConnection() throws -> any ReadingStore { try MongoStore(pool: pool, clock: clock) }

    static func date(_ seconds: Int64) -> BSONValue { .date(seconds * 1000) }

    // MARK: Readings (primitives of the shared upsert, ReadingLedgerBackend)

    /// No transaction: each primitive is one bulk write, and a reading written twice is harmless
    /// (the upsert is idempotent), so an interrupted batch is completed by sending it again.
    public func writingReadings<T>(_ body: () throws -> T) throws -> T { try body() }

    static func readingDocument(_ reading: Reading, community: String) -> BSONDocument {
        BSONDocument([
            "community": .string(community), "zaehlpunkt": .string(reading.point.zaehlpunkt.description),
            "start": date(reading.start.startSeconds), "direction": .string(reading.point.direction.rawValue),
            "mwh": .int64(reading.milliwattHours), "kwh": .double(Double(reading.milliwattHours) / 1_000_000),
            "quality": .string(reading.quality.rawValue),
        ])
    }

    public func insertIgnoringDuplicates(_ readings: [Reading], community: Community) throws -> [Bool] {
        let bulk = try db.bulk("readings")
        // A plain insert: the unique index turns a reading that is there already into a
        // duplicate-key error for that one operation.
        for reading in readings { try bulk.insert(Self.readingDocument(reading, community: community.id)) }
        let result = try bulk.execute()
        var inserted = [Bool](repeating: true, count: readings.count)
        for index in result.duplicateIndices where index >= 0 && index < readings.count { inserted[index] = false }
        return inserted
    }

    private struct ReadingKey: Hashable {
        var zaehlpunkt: String
        var direction: String
        var start: Int64
        init(_ reading: Reading) {
            zaehlpunkt = reading.point.zaehlpunkt.description
            direction = reading.point.direction.rawValue
            start = reading.start.startSeconds
        }
        init(zaehlpunkt: String, direction: String, start: Int64) {
            self.zaehlpunkt = zaehlpunkt
            self.direction = direction
            self.start = start
        }
        var filter: BSONDocument {
            BSONDocument(["zaehlpunkt": .string(zaehlpunkt), "start": MongoStore.date(start), "direction": .string(direction)])
        }
    }

    public func storedValues(of readings: [Reading], at indices: [Int]) throws -> [Int: StoredReading] {
        guard !indices.isEmpty else { return [:] }
        let starts = indices.map { readings[$0].start.startSeconds }
        let zaehlpunkte = Set(indices.map { readings[$0].point.zaehlpunkt.description })
        var stored: [ReadingKey: StoredReading] = [:]
        try db.find(
            "readings",
            filter: BSONDocument([
                "zaehlpunkt": .document(BSONDocument(["$in": .array(zaehlpunkte.sorted().map { .string($0) })])),
                "start": .document(BSONDocument(["$gte": Self.date(starts.min() ?? 0), "$lte": Self.date(starts.max() ?? 0)])),
            ]),
            options: BSONDocument([
                "projection": .document(
                    BSONDocument([
                        "zaehlpunkt": .int32(1), "direction": .int32(1), "start": .int32(1), "mwh": .int32(1), "quality": .int32(1),
                    ]))
            ])
        ) { doc in
            guard let zp = doc.string("zaehlpunkt"), let direction = doc.string("direction"), let start = doc.int64("start"),
                let mwh = doc.int64("mwh")
            else { return }
            stored[ReadingKey(zaehlpunkt: zp, direction: direction, start: start / 1000)] = StoredReading(
                milliwattHours: mwh, quality: doc.string("quality").flatMap(Quality.init(rawValue:)) ?? .measured)
        }
        var values: [Int: StoredReading] = [:]
        for index in indices { values[index] = stored[ReadingKey(readings[index])] }
        return values
    }

    public func apply(_ updates: [LedgerUpdate<Reading>], community: Community, recordedAt: Int64) throws {
        let fixes = try db.bulk("readings")
        let log = try db.bulk("corrections")
        var corrections = 0
        for change in updates {
            let key = ReadingKey(change.entry)
            try fixes.updateOne(
                filter: key.filter,
                update: BSONDocument([
                    "$set": .document(
                        BSONDocument([
                            "mwh": .int64(change.entry.milliwattHours), "kwh": .double(Double(change.entry.milliwattHours) / 1_000_000),
                            "quality": .string(change.entry.quality.rawValue),
                        ]))
                ]), upsert: false)
            corrections += 1
            try log.insert(
                BSONDocument([
                    "community": .string(community.id), "zaehlpunkt": .string(key.zaehlpunkt), "direction": .string(key.direction),
                    "start": Self.date(key.start), "old_mwh": .int64(change.old.milliwattHours),
                    "new_mwh": .int64(change.entry.milliwattHours), "old_quality": .string(change.old.quality.rawValue),
                    "new_quality": .string(change.entry.quality.rawValue), "recorded_at": Self.date(recordedAt),
                ]))
        }
        _ = try fixes.execute()
        if corrections > 0 { _ = try log.execute() }
    }

    public func markDirty(_ days: Set<LocalDate>, community: String) throws {
        let marks = try db.bulk("dirty_days")
        for day in days {
            try marks.updateOne(
                filter: BSONDocument(["_id": .string("\(community)/\(day)")]),
                update: BSONDocument([
                    "$set": .document(BSONDocument(["community": .string(community), "day": .string(day.description)])),
                    "$inc": .document(BSONDocument(["version": .int64(1)])),
                ]),
                upsert: true)
        }
        _ = try marks.execute()
    }

    @discardableResult
    public func scanReadings(
        community: String, points: [PointKey], in range: Range<QuarterHour>,
        _ body: (QuarterHour, Int, Int64) throws -> Void
    ) throws -> Int {
        var indexOf: [PointKey: Int] = [:]
        for (i, key) in points.enumerated() { indexOf[key] = i }
        var count = 0
        // By time, not by community: a reading is stored once, whichever community stored it (the
        // contract in ReadingStore.swift), so the range is read on the by_time index, already in
        // time order, and the points are picked below. (A $in of every Zaehlpunkt on reading_key
        // made the test server's scan 15 times slower.)
        let filter = BSONDocument([
            "start": .document(
                BSONDocument([
                    "$gte": Self.date(range.lowerBound.startSeconds),
                    "$lt": Self.date(range.upperBound.startSeconds),
                ]))
        ])
        let options = BSONDocument([
            "projection": .document(
                BSONDocument([
                    "_id": .int32(0), "zaehlpunkt": .int32(1), "direction": .int32(1),
                    "start": .int32(1), "mwh": .int32(1),
                ])),
            "sort": .document(BSONDocument(["start": .int32(1)])),
        ])
        try db.findRaw("readings", filter: filter, options: options) { doc in
            var startMs: Int64 = 0
            var mwh: Int64 = 0
            var zp: UnsafePointer<CChar>?
            var dir: UnsafePointer<CChar>?
            var zpLength: UInt32 = 0
            var dirLength: UInt32 = 0
            guard MongoFields.reading(doc, &startMs, &mwh, &zp, &zpLength, &dir, &dirLength), let zp, dir != nil else { return }
            guard
                let zaehlpunkt = try? Zaehlpunkt(
                    utf8: UnsafeBufferPointer(start: UnsafeRawPointer(zp).assumingMemoryBound(to: UInt8.self), count: Int(zpLength)))
            else { return }
            let direction: Direction = dirLength == 10 ? .generation : .consumption  // "generation" / "consumption"
            guard let index = indexOf[PointKey(zaehlpunkt: zaehlpunkt, direction: direction)] else { return }
            guard startMs % 1000 == 0 else {
                throw StoreError.damaged(location, "readings of \(zaehlpunkt) hold a start of \(startMs) ms, not whole seconds")
            }
            try StoreError.checkStored(
                start: startMs / 1000, milliwattHours: mwh, in: range, location: location, table: "readings", point: index)
            try body(QuarterHour(index: startMs / 1000 / QuarterHour.seconds), index, mwh)
            count += 1
        }
        return count
    }

    // MARK: Rollups

    public func dirtyDays(community: String) throws -> [DirtyDay] {
        var days: [DirtyDay] = []
        try db.find("dirty_days", filter: BSONDocument(["community": .string(community)])) { doc in
            guard let text = doc.string("day"), let date = try? LocalDate(text), let version = doc.int64("version") else { return }
            days.append(DirtyDay(date: date, version: version))
        }
        return days.sorted { $0.date < $1.date }
    }

    /// Runs `body` in a transaction if the deployment has them (a replica set), else without.
    /// A write conflict (e.g. with the open transaction of a killed run, which the server aborts
    /// after its transaction lifetime, 60 s by default) is retried with backoff for a while.
    func atomically(_ body: (MongoSession?) throws -> Void) throws {
        let deadline = clock.now().addingTimeInterval(Self.conflictRetrySeconds)
        var delay = 0.05
        while transactions {
            let session = try db.startSession()
            do {
                try session.startTransaction()
                try body(session)
                try session.commit()
                return
            } catch let error as MongoError where error.isTransactionUnsupported {
                session.abort()
                transactions = false
                logger.warning(
                    "\(location) has no transactions (not a replica set); a reader may see a day half-replaced while a rollup writes it")
            } catch let error as MongoError where error.isWriteConflict && clock.now() < deadline {
                session.abort()
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 2, 2)
            } catch {
                session.abort()
                throw error
            }
        }
        try body(nil)
    }

    /// How long a day's transaction is retried after write conflicts.
    static let conflictRetrySeconds: TimeInterval = 150

    public func saveDay(_ day: DayAllocation, community: Community, points: [PointKey], clearing dirty: DirtyDay?) throws {
        let dayText = day.date.description
        let dayStart = day.firstQuarterHour.startSeconds
        let hours = day.hourBuckets(calendar: community.calendar)
        try atomically { session in
            let allocations = try db.bulk("allocations", session: session)
            try allocations.deleteMany(filter: BSONDocument(["community": .string(community.id), "day": .string(dayText)]))
            for (i, key) in points.enumerated() {
                let record = BSONDocument([
                    "community": .string(community.id), "day": .string(dayText), "zaehlpunkt": .string(key.zaehlpunkt.description),
                    "direction": .string(key.direction.rawValue), "ts": Self.date(dayStart),
                    "quarter_hours": .int32(Int32(day.quarterHourCount)),
                    "series": .binary(AllocationRecord.encode(day.interleavedSeries(ofPoint: i))),
                ])
                if let mask = AllocationRecord.encodeMask(day.gridOperatorFlags(ofPoint: i)) { record.append("dso", .binary(mask)) }
                try allocations.insert(record)
            }
            _ = try allocations.execute()
            let days = try db.bulk("rollups_day", session: session)
            try days.deleteMany(filter: BSONDocument(["community": .string(community.id), "day": .string(dayText)]))
            for (i, key) in points.enumerated() {
                try days.insert(
                    MongoRollupDocuments.document(
                        community: community.id, point: key, start: dayStart, totals: day.totals(ofPoint: i),
                        extra: ("day", dayText)))
            }
            try days.insert(
                MongoRollupDocuments.document(
                    community: community.id, point: nil, start: dayStart, totals: day.communityTotals,
                    extra: ("day", dayText)))
            _ = try days.execute()
            let hourly = try db.bulk("rollups_hour", session: session)
            // By the day's start (every bucket document's ts), which the (community, ts) index finds.
            try hourly.deleteMany(filter: BSONDocument(["community": .string(community.id), "ts": Self.date(dayStart)]))
            for (i, key) in points.enumerated() {
                try hourly.insert(
                    MongoRollupDocuments.hourDocument(
                        community: community.id, point: key, dayStart: dayStart, day: dayText,
                        dayTotals: day.totals(ofPoint: i), hours: hours.map { ($0.start, $0.points[i]) }))
            }
            try hourly.insert(
                MongoRollupDocuments.hourDocument(
                    community: community.id, point: nil, dayStart: dayStart, day: dayText,
                    dayTotals: day.communityTotals, hours: hours.map { ($0.start, $0.community) }))
            _ = try hourly.execute()
            if let dirty {
                let clear = try db.bulk("dirty_days", session: session)
                try clear.deleteOne(filter: BSONDocument(["_id": .string("\(community.id)/\(dayText)"), "version": .int64(dirty.version)]))
                _ = try clear.execute()
            }
        }
    }

    public func rebuildMonth(_ month: LocalMonth, community: String, _ rows: (DayRollupScan) throws -> [StoredRollup]) throws {
        // Every rebuild of the month first writes the month's counter document: two rebuilds at
        // once conflict on it (the later one is retried on a fresh snapshot), so the last one to
        // commit has read every day the others had stored. The document is made outside the
        // transaction, so that inside it two rebuilds only ever update the same document.
        let counterID = BSONDocument(["_id": .string("rollups_month/\(community)/\(month)")])
        let create = try db.bulk("counters")
        try create.updateOne(
            filter: counterID, update: BSONDocument(["$setOnInsert": .document(BSONDocument(["rebuilds": .int64(0)]))]), upsert: true)
        _ = try create.execute()
        try atomically { session in
            let counter = try db.bulk("counters", session: session)
            try counter.updateOne(
                filter: counterID, update: BSONDocument(["$inc": .document(BSONDocument(["rebuilds": .int64(1)]))]), upsert: false)
            guard try counter.execute().matched == 1 else {
                throw MongoError(server: pool.server, code: 0, message: "the counter of month \(month) of \(community) is missing")
            }
            let rows = try rows { body in
                try self.forEachRollup(
                    "rollups_day", key: "day", community: community, from: month.firstDay.description,
                    to: month.next.firstDay.description, of: nil, session: session, body)
            }
            let months = try db.bulk("rollups_month", session: session)
            try months.deleteMany(filter: BSONDocument(["community": .string(community), "month": .string(month.description)]))
            for row in rows {
                try months.insert(
                    MongoRollupDocuments.document(
                        community: community, point: row.point, start: row.bucketStart, totals: row.totals,
                        extra: ("month", month.description)))
            }
            _ = try months.execute()
        }
    }

    public func forEachDayRollup(
        community: String, from: LocalDate, to: LocalDate, of points: [PointKey]?, _ body: (StoredRollup) -> Void
    ) throws {
        try forEachRollup(
            "rollups_day", key: "day", community: community, from: from.description, to: to.description, of: points, session: nil,
            body)
    }

    public func monthRollups(community: String, from: LocalMonth, to: LocalMonth, of points: [PointKey]?) throws -> [StoredRollup] {
        try rollups("rollups_month", key: "month", community: community, from: from.description, to: to.description, of: points)
    }

    private func rollups(
        _ collection: String, key: String, community: String, from: String, to: String, of points: [PointKey]?
    ) throws -> [StoredRollup] {
        var rows: [StoredRollup] = []
        try forEachRollup(collection, key: key, community: community, from: from, to: to, of: points, session: nil) { rows.append($0) }
        return rows
    }

    /// The rollup rows of a range, one at a time, without holding them.
    private func forEachRollup(
        _ collection: String, key: String, community: String, from: String, to: String, of points: [PointKey]?,
        session: MongoSession?, _ body: (StoredRollup) -> Void
    ) throws {
        let filter = BSONDocument([
            "community": .string(community), key: .document(BSONDocument(["$gte": .string(from), "$lt": .string(to)])),
        ])
        let wanted = points.map(Set.init)
        if let points { filter.append("zp", Self.anyOf(points)) }
        try db.find(
            collection, filter: filter, options: BSONDocument(["sort": .document(BSONDocument(["ts": .int32(1), "zp": .int32(1)]))]),
            session: session
        ) { doc in
            guard let row = MongoRollupDocuments.row(doc) else { return }
            if let wanted, !(row.point.map(wanted.contains) ?? false) { return }
            body(row)
        }
    }

    /// `{"$in": [zaehlpunkte]}`: values the store built from parsed `Zaehlpunkt`s, never client text.
    static func anyOf(_ points: [PointKey]) -> BSONValue {
        .document(BSONDocument(["$in": .array(Array(Set(points.map(\.zaehlpunkt.description))).sorted().map(BSONValue.string))]))
    }

    public func allocationSeries(
        community: String, from: LocalDate, to: LocalDate, of points: [PointKey]?,
        _ body: (AllocationSeries) throws -> Void
    ) throws {
        let filter = BSONDocument([
            "community": .string(community),
            "day": .document(BSONDocument(["$gte": .string(from.description), "$lt": .string(to.description)])),
        ])
        let wanted = points.map(Set.init)
        if let points { filter.append("zaehlpunkt", Self.anyOf(points)) }
        try db.find(
            "allocations", filter: filter,
            options: BSONDocument(["sort": .document(BSONDocument(["day": .int32(1), "zaehlpunkt": .int32(1), "direction": .int32(1)]))])
        ) { doc in
            guard let dayText = doc.string("day"), let date = try? LocalDate(dayText), let zpText = doc.string("zaehlpunkt"),
                let zp = try? Zaehlpunkt(zpText), let direction = doc.string("direction").flatMap(Direction.init(rawValue:)),
                let start = doc.int64("ts"), let count = doc.int64("quarter_hours"), let blob = doc.binary("series")
            else { return }
            guard let series = AllocationRecord.decode(blob, quarterHours: Int(count)) else {
                throw MongoError(
                    server: pool.server, code: 0, message: "allocation record of \(zp) on \(date) does not hold \(count) quarter hours")
            }
            if let wanted, !wanted.contains(PointKey(zaehlpunkt: zp, direction: direction)) { return }
            try body(
                AllocationSeries(
                    date: date, point: PointKey(zaehlpunkt: zp, direction: direction),
                    firstQuarterHour: QuarterHour(index: start / 1000 / QuarterHour.seconds), interleaved: series,
                    fromGridOperator: AllocationRecord.decodeMask(doc.binary("dso"), quarterHours: Int(count))))
        }
    }
}
