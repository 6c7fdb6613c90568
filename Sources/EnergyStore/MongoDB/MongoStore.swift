import EnergyCore
import Foundation

/// The production store: MongoDB through libmongoc, one database per team.
///
/// Raw readings in `readings`; per (point, local day) allocation records in `allocations`; flat,
/// same-typed rollup documents in `rollups_hour`, `rollups_day` and `rollups_month` that Grafana
/// charts directly; `dirty_days`, `job_runs`, `corrections`, `leases`. A day's allocation and
/// rollups are replaced in one transaction where the deployment supports them (replica sets).
/// ```swift
/// let store = try MongoStore(uri: "mongodb://127.0.0.1:27017/energy")
/// ```
public final class MongoStore: ReadingStore {
    let pool: MongoClientPool
    let db: MongoConnection
    private var transactions = true

    public var location: String { "mongodb://\(pool.server)" }

    public convenience init(uri: String) throws {
        try self.init(pool: MongoClientPool(uri: uri))
        try db.command(BSONDocument(["ping": .int32(1)]), database: "admin")
        try MongoSchema.createIndexes(db)
    }

    private init(pool: MongoClientPool) throws {
        self.pool = pool
        db = pool.connection()
    }

    public func openAnotherConnection() throws -> any ReadingStore { try MongoStore(pool: pool) }

    static func date(_ seconds: Int64) -> BSONValue { .date(seconds * 1000) }

    // MARK: Readings

    public func upsert(_ readings: [Reading], community: Community) throws -> UpsertSummary {
        var summary = UpsertSummary()
        guard !readings.isEmpty else { return summary }
        var offsets = community.calendar.offsetCache()
        var dirty = Set<Int>()
        let bulk = try db.bulk("readings")
        var zaehlpunkte = Set<String>()
        var texts: [String] = []
        texts.reserveCapacity(readings.count)
        var lastPoint: PointKey?
        var lastText = ""
        for reading in readings {
            if reading.point != lastPoint {
                lastPoint = reading.point
                lastText = reading.point.zaehlpunkt.description
                zaehlpunkte.insert(lastText)
            }
            texts.append(lastText)
            // A plain insert: the unique index turns a reading that is there already into a
            // duplicate-key error for that one operation, which is compared below.
            try bulk.insert(
                BSONDocument([
                    "community": .string(community.id), "zaehlpunkt": .string(lastText), "start": Self.date(reading.start.startSeconds),
                    "direction": .string(reading.point.direction.rawValue), "mwh": .int64(reading.milliwattHours),
                    "kwh": .double(Double(reading.milliwattHours) / 1_000_000), "quality": .string(reading.quality.rawValue),
                ]))
        }
        let result = try bulk.execute()
        var isNew = [Bool](repeating: true, count: readings.count)
        for index in result.duplicateIndices where index >= 0 && index < readings.count { isNew[index] = false }
        for (index, new) in isNew.enumerated() where new {
            summary.inserted += 1
            dirty.insert(offsets.localDay(containing: readings[index].start.startSeconds))
        }
        if summary.inserted < readings.count {
            // Compare the readings that were there already: unchanged, or a correction.
            struct Key: Hashable {
                var zp: String
                var direction: String
                var start: Int64
            }
            var stored: [Key: (Int64, String)] = [:]
            let starts = readings.map(\.start.startSeconds)
            try db.find(
                "readings",
                filter: BSONDocument([
                    "zaehlpunkt": .document(BSONDocument(["$in": .array(zaehlpunkte.sorted().map { .string($0) })])),
                    "start": .document(BSONDocument(["$gte": Self.date(starts.min() ?? 0), "$lte": Self.date(starts.max() ?? 0)])),
                ]),
                options: BSONDocument([
                    "projection": .document(
                        BSONDocument([
                            "zaehlpunkt": .int32(1), "direction": .int32(1), "start": .int32(1),
                            "mwh": .int32(1), "quality": .int32(1),
                        ]))
                ])
            ) { doc in
                guard let zp = doc.string("zaehlpunkt"), let dir = doc.string("direction"), let start = doc.int64("start"),
                    let mwh = doc.int64("mwh")
                else { return }
                stored[Key(zp: zp, direction: dir, start: start / 1000)] = (mwh, doc.string("quality") ?? "measured")
            }
            let fixes = try db.bulk("readings")
            let log = try db.bulk("corrections")
            let now = Int64(Date().timeIntervalSince1970)
            for (i, reading) in readings.enumerated() where !isNew[i] {
                let key = Key(zp: texts[i], direction: reading.point.direction.rawValue, start: reading.start.startSeconds)
                guard let (oldValue, oldQuality) = stored[key] else { continue }
                if oldValue == reading.milliwattHours && oldQuality == reading.quality.rawValue {
                    summary.unchanged += 1
                    continue
                }
                try fixes.updateOne(
                    filter: BSONDocument([
                        "zaehlpunkt": .string(key.zp), "start": Self.date(key.start), "direction": .string(key.direction),
                    ]),
                    update: BSONDocument([
                        "$set": .document(
                            BSONDocument([
                                "mwh": .int64(reading.milliwattHours), "kwh": .double(Double(reading.milliwattHours) / 1_000_000),
                                "quality": .string(reading.quality.rawValue),
                            ]))
                    ]),
                    upsert: false)
                if oldValue == reading.milliwattHours {
                    summary.unchanged += 1  // only the quality flag changed: the figures stand
                    continue
                }
                try log.insert(
                    BSONDocument([
                        "community": .string(community.id), "zaehlpunkt": .string(key.zp), "direction": .string(key.direction),
                        "start": Self.date(key.start), "old_mwh": .int64(oldValue), "new_mwh": .int64(reading.milliwattHours),
                        "old_quality": .string(oldQuality), "new_quality": .string(reading.quality.rawValue), "recorded_at": Self.date(now),
                    ]))
                summary.corrected += 1
                dirty.insert(offsets.localDay(containing: reading.start.startSeconds))
            }
            _ = try fixes.execute()
            _ = try log.execute()
        }
        if !dirty.isEmpty {
            let marks = try db.bulk("dirty_days")
            for day in dirty {
                let date = LocalDate(daysSinceEpoch: day)
                try marks.updateOne(
                    filter: BSONDocument(["_id": .string("\(community.id)/\(date)")]),
                    update: BSONDocument([
                        "$set": .document(BSONDocument(["community": .string(community.id), "day": .string(date.description)])),
                        "$inc": .document(BSONDocument(["version": .int64(1)])),
                    ]),
                    upsert: true)
                summary.dirtyDays.insert(date)
            }
            _ = try marks.execute()
        }
        return summary
    }

    @discardableResult
    public func scanReadings(
        community: String, points: [PointKey], in range: Range<QuarterHour>,
        _ body: (QuarterHour, Int, Int64) throws -> Void
    ) throws -> Int {
        var indexOf: [PointKey: Int] = [:]
        for (i, key) in points.enumerated() { indexOf[key] = i }
        var count = 0
        let filter = BSONDocument([
            "community": .string(community),
            "start": .document(
                BSONDocument([
                    "$gte": Self.date(range.lowerBound.startSeconds),
                    "$lt": Self.date(range.upperBound.startSeconds),
                ])),
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
        let deadline = Date().addingTimeInterval(Self.conflictRetrySeconds)
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
                FileHandle.standardError.write(
                    Data(
                        "warning: \(location) has no transactions (not a replica set); a reader may see a day half-replaced while a rollup writes it\n"
                            .utf8))
            } catch let error as MongoError where error.isWriteConflict && Date() < deadline {
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
        let hours = MongoRollupDocuments.hourBuckets(day, calendar: community.calendar)
        try atomically { session in
            let allocations = try db.bulk("allocations", session: session)
            try allocations.deleteMany(filter: BSONDocument(["community": .string(community.id), "day": .string(dayText)]))
            for (i, key) in points.enumerated() {
                try allocations.insert(
                    BSONDocument([
                        "community": .string(community.id), "day": .string(dayText), "zaehlpunkt": .string(key.zaehlpunkt.description),
                        "direction": .string(key.direction.rawValue), "ts": Self.date(dayStart),
                        "quarter_hours": .int32(Int32(day.quarterHourCount)),
                        "series": .binary(AllocationRecord.encode(day.interleavedSeries(ofPoint: i))),
                    ]))
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

    public func refreshMonth(_ month: LocalMonth, community: Community, points: [PointKey]) throws {
        let expected = community.calendar.quarterHours(of: month).count
        let start = community.calendar.startOfMonth(month)
        var sums: [PointKey: EnergyTotals] = [:]
        var total = EnergyTotals()
        for row in try dayRollups(community: community.id, from: month.firstDay, to: month.next.firstDay) {
            if let point = row.point { sums[point, default: EnergyTotals()].add(row.totals) } else { total.add(row.totals) }
        }
        try atomically { session in
            let months = try db.bulk("rollups_month", session: session)
            try months.deleteMany(filter: BSONDocument(["community": .string(community.id), "month": .string(month.description)]))
            for key in points {
                var t = sums[key] ?? EnergyTotals()
                t.expectedIntervals = expected
                try months.insert(
                    MongoRollupDocuments.document(
                        community: community.id, point: key, start: start, totals: t,
                        extra: ("month", month.description)))
            }
            total.expectedIntervals = expected * points.count
            try months.insert(
                MongoRollupDocuments.document(
                    community: community.id, point: nil, start: start, totals: total,
                    extra: ("month", month.description)))
            _ = try months.execute()
        }
    }

    public func dayRollups(community: String, from: LocalDate, to: LocalDate, of points: [PointKey]?) throws -> [StoredRollup] {
        try rollups("rollups_day", key: "day", community: community, from: from.description, to: to.description, of: points)
    }

    public func monthRollups(community: String, from: LocalMonth, to: LocalMonth, of points: [PointKey]?) throws -> [StoredRollup] {
        try rollups("rollups_month", key: "month", community: community, from: from.description, to: to.description, of: points)
    }

    private func rollups(
        _ collection: String, key: String, community: String, from: String, to: String, of points: [PointKey]?
    ) throws -> [StoredRollup] {
        var rows: [StoredRollup] = []
        let filter = BSONDocument([
            "community": .string(community), key: .document(BSONDocument(["$gte": .string(from), "$lt": .string(to)])),
        ])
        let wanted = points.map(Set.init)
        if let points { filter.append("zp", Self.anyOf(points)) }
        try db.find(
            collection, filter: filter, options: BSONDocument(["sort": .document(BSONDocument(["ts": .int32(1), "zp": .int32(1)]))])
        ) { doc in
            guard let row = MongoRollupDocuments.row(doc) else { return }
            if let wanted, !(row.point.map(wanted.contains) ?? false) { return }
            rows.append(row)
        }
        return rows
    }

    /// `{"$in": [zaehlpunkte]}`: values the store built from parsed `Zaehlpunkt`s, never client text.
    private static func anyOf(_ points: [PointKey]) -> BSONValue {
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
                    firstQuarterHour: QuarterHour(index: start / 1000 / QuarterHour.seconds), interleaved: series))
        }
    }
}
