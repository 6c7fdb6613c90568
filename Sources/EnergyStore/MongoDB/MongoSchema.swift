import CMongoC
import EnergyCore

/// Collections and indexes of the MongoDB store, created idempotently at start-up.
enum MongoSchema {
    /// (collection, index name, keys, unique)
    static let indexes: [(String, String, KeyValuePairs<String, BSONValue>, Bool)] = [
        ("readings", "reading_key", ["zaehlpunkt": .int32(1), "start": .int32(1), "direction": .int32(1)], true),
        ("readings", "community_time", ["community": .int32(1), "start": .int32(1)], false),
        // The rollup's scan: every reading of a day, whichever community stored it.
        ("readings", "by_time", ["start": .int32(1)], false),
        // The grid operator's figures: one per (community, point, quarter hour, meter code).
        (
            "dso_figures", "figure_key", ["community": .int32(1), "zaehlpunkt": .int32(1), "start": .int32(1), "code": .int32(1)],
            true
        ),
        ("dso_figures", "community_time", ["community": .int32(1), "start": .int32(1)], false),
        (
            "allocations", "allocation_key", ["community": .int32(1), "day": .int32(1), "zaehlpunkt": .int32(1), "direction": .int32(1)],
            true
        ),
        // Hour rollups are one document per (day, point) holding that day's hours: they are only
        // ever replaced a whole day at a time inside a transaction, which keeps them unique.
        ("rollups_hour", "community_time", ["community": .int32(1), "ts": .int32(1)], false),
        ("rollups_hour", "by_point", ["community": .int32(1), "zp": .int32(1), "ts": .int32(1)], false),
        (
            "rollups_day", "rollup_key",
            ["community": .int32(1), "ts": .int32(1), "scope": .int32(1), "zp": .int32(1), "direction": .int32(1)], true
        ),
        ("rollups_day", "by_day", ["community": .int32(1), "day": .int32(1)], false),
        (
            "rollups_month", "rollup_key",
            ["community": .int32(1), "ts": .int32(1), "scope": .int32(1), "zp": .int32(1), "direction": .int32(1)], true
        ),
        ("rollups_month", "by_month", ["community": .int32(1), "month": .int32(1)], false),
        ("dirty_days", "by_community", ["community": .int32(1), "day": .int32(1)], false),
        ("job_runs", "by_community", ["community": .int32(1), "_id": .int32(-1)], false),
        // Documents of cancellations and reissues: one first statement per member and period, one
        // cancellation per statement and one reissue per cancelled statement. The keys are fields
        // only such documents have, so the unique indexes are sparse (see `insertStatements`).
        ("statements", "one_first_issue", ["first_issue": .int32(1)], true),
        ("statements", "one_per_reference", ["reference_key": .int32(1)], true),
        ("statements", "by_period", ["community": .int32(1), "first_day": .int32(1)], false),
    ]

    /// Unique indexes over fields only some documents have.
    static let sparse: Set<String> = ["one_first_issue", "one_per_reference"]

    /// Indexes of earlier versions, dropped at start-up: one statement per member and period
    /// allowed no reissue after a cancellation.
    static let retired: [(String, String)] = [("statements", "one_per_member_and_period")]

    static func createIndexes(_ db: MongoConnection) throws {
        var byCollection: [String: [BSONValue]] = [:]
        var order: [String] = []
        for (collection, name, keys, unique) in indexes {
            if byCollection[collection] == nil { order.append(collection) }
            let spec = BSONDocument(["key": .document(BSONDocument(keys)), "name": .string(name), "unique": .bool(unique)])
            if sparse.contains(name) { spec.append("sparse", .bool(true)) }
            byCollection[collection, default: []].append(.document(spec))
        }
        for (collection, name) in retired {
            // Gone already (or never there, on a new database): nothing to do.
            _ = try? db.command(BSONDocument(["dropIndexes": .string(collection), "index": .string(name)]))
        }
        for collection in order {
            try db.command(BSONDocument(["createIndexes": .string(collection), "indexes": .array(byCollection[collection] ?? [])]))
        }
    }
}

/// Field access for the scan's hot path.
enum MongoFields {
    @inline(__always)
    static func reading(
        _ doc: OpaquePointer, _ startMs: inout Int64, _ mwh: inout Int64,
        _ zp: inout UnsafePointer<CChar>?, _ zpLength: inout UInt32,
        _ direction: inout UnsafePointer<CChar>?, _ directionLength: inout UInt32
    ) -> Bool {
        energy_bson_reading(doc, &startMs, &mwh, &zp, &zpLength, &direction, &directionLength) != 0
    }
}

/// The rollup documents Grafana reads: the same fields, typed the same, in every document.
///
/// `{community, scope: "meter"|"community", zp, direction, ts (BSON date: bucket start), day|month,
///   consumed_kwh, produced_kwh, shared_kwh, grid_kwh, surplus_kwh (doubles, for charts),
///   consumed_mwh, produced_mwh, shared_mwh, grid_mwh, surplus_mwh (exact int64), intervals, expected_intervals,
///   dso_intervals (quarter hours whose share is the grid operator's allocation)}`
/// Community documents have `zp: ""` and `direction: ""`. Hour rollups use the bucket pattern:
/// one document per (day, point) with the day's figures and `hours: [{ts, …the same fields}]`
/// (23, 24 or 25), which Grafana unwinds; a twenty-fourth of the documents to write and index.
enum MongoRollupDocuments {
    static func document(community: String, point: PointKey?, start: Int64, totals t: EnergyTotals, extra: (String, String)) -> BSONDocument
    {
        let doc = BSONDocument([
            "community": .string(community), "scope": .string(point == nil ? "community" : "meter"),
            "zp": .string(point.map { $0.zaehlpunkt.description } ?? ""), "direction": .string(point?.direction.rawValue ?? ""),
        ])
        appendFigures(to: doc, start: start, totals: t)
        doc.append(extra.0, .string(extra.1))
        return doc
    }

    /// A day's hour bucket document of one point (or the community): the day's totals and its hours.
    static func hourDocument(
        community: String, point: PointKey?, dayStart: Int64, day: String, dayTotals: EnergyTotals,
        hours: [(start: Int64, totals: EnergyTotals)]
    ) -> BSONDocument {
        let doc = document(community: community, point: point, start: dayStart, totals: dayTotals, extra: ("day", day))
        doc.append(
            "hours",
            .array(
                hours.map { hour in
                    let entry = BSONDocument()
                    appendFigures(to: entry, start: hour.start, totals: hour.totals)
                    return .document(entry)
                }))
        return doc
    }

    private static func appendFigures(to doc: BSONDocument, start: Int64, totals t: EnergyTotals) {
        let fields: KeyValuePairs<String, BSONValue> = [
            "ts": .date(start * 1000),
            "consumed_kwh": .double(kwh(t.consumed)), "produced_kwh": .double(kwh(t.produced)), "shared_kwh": .double(kwh(t.shared)),
            "grid_kwh": .double(kwh(t.grid)), "surplus_kwh": .double(kwh(t.surplus)),
            "consumed_mwh": .int64(t.consumed), "produced_mwh": .int64(t.produced), "shared_mwh": .int64(t.shared),
            "grid_mwh": .int64(t.grid), "surplus_mwh": .int64(t.surplus),
            "intervals": .int32(Int32(t.intervals)), "expected_intervals": .int32(Int32(t.expectedIntervals)),
            "dso_intervals": .int32(Int32(t.dsoIntervals)),
        ]
        for (key, value) in fields { doc.append(key, value) }
    }

    static func kwh(_ mWh: Int64) -> Double { Double(mWh) / 1_000_000 }

    static func row(_ doc: BSONDocument) -> StoredRollup? {
        guard let ts = doc.int64("ts") else { return nil }
        var point: PointKey?
        if doc.string("scope") == "meter" {
            guard let zpText = doc.string("zp"), let zp = try? Zaehlpunkt(zpText),
                let direction = doc.string("direction").flatMap(Direction.init(rawValue:))
            else { return nil }
            point = PointKey(zaehlpunkt: zp, direction: direction)
        }
        let totals = EnergyTotals(
            consumed: doc.int64("consumed_mwh") ?? 0, produced: doc.int64("produced_mwh") ?? 0,
            shared: doc.int64("shared_mwh") ?? 0, grid: doc.int64("grid_mwh") ?? 0,
            surplus: doc.int64("surplus_mwh") ?? 0, intervals: Int(doc.int64("intervals") ?? 0),
            expectedIntervals: Int(doc.int64("expected_intervals") ?? 0), dsoIntervals: Int(doc.int64("dso_intervals") ?? 0))
        return StoredRollup(bucketStart: ts / 1000, point: point, totals: totals)
    }
}
