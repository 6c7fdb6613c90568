import EnergyCore

// The readings primitives of the shared upsert (ReadingLedgerBackend), and the rollup's scan.
//
// The import spends its time here, so the upsert avoids SQLite's per-statement work: what a
// batch already has stored is read in one range scan (or, for a batch spread over a long time,
// one lookup per reading), and only the readings not stored are inserted, in key order, many per
// INSERT. Before, each reading took its own `INSERT … ON CONFLICT DO NOTHING` and each one already
// stored a second statement to read it back: starting, running and halting a statement three
// million times cost more than the B-tree work itself (profiled with perf: sqlite3VdbeExec,
// cursor open and close, statement halt).
extension SQLiteStore {
    /// Rows per multi-row INSERT (4 parameters each, well under SQLite's limit of 32,766).
    static let rowsPerInsert = 256

    /// A reading's primary key in `readings`: (start, point), compared in that order.
    struct ReadingKey: Hashable, Comparable {
        var start: Int64
        var point: Int64
        static func < (a: ReadingKey, b: ReadingKey) -> Bool { (a.start, a.point) < (b.start, b.point) }
    }

    public func writingReadings<T>(_ body: () throws -> T) throws -> T { try db.transaction { try body() } }

    public func insertIgnoringDuplicates(_ readings: [Reading], community: Community) throws -> [Bool] {
        foundStored = nil
        var keys: [ReadingKey] = []
        keys.reserveCapacity(readings.count)
        var lastKey: PointKey?
        var lastID: Int64 = 0
        // Strictly increasing keys (the usual file, in time order) are in key order already;
        // otherwise the batch is sorted first.
        var increasing = true
        for reading in readings {
            if reading.point != lastKey {
                if let id = pointTable.find(reading.point) {
                    lastID = id
                } else {
                    lastID = try pointID(reading.point)
                    pointTable.insert(reading.point, id: lastID)
                }
                lastKey = reading.point
            }
            let key = ReadingKey(start: reading.start.startSeconds, point: lastID)
            if increasing, let previous = keys.last, !(previous < key) { increasing = false }
            keys.append(key)
        }
        // The batch in key order (the same key twice: file order), walked beside what is stored.
        let order = increasing ? Array(keys.indices) : keys.indices.sorted { (keys[$0], $0) < (keys[$1], $1) }
        var stored = try StoredCursor(self, keys: keys)
        var inserted = [Bool](repeating: false, count: readings.count)
        var found: [Int: StoredReading] = [:]
        var fresh: [Int] = []
        fresh.reserveCapacity(readings.count)
        var previous: (key: ReadingKey, value: StoredReading)?
        for index in order {
            let key = keys[index]
            // The same reading twice in one batch: the second finds the first (or what was
            // stored before it), as it would in the table.
            if let previous, previous.key == key {
                found[index] = previous.value
                continue
            }
            if let old = try stored.value(at: key) {
                if found.isEmpty { found.reserveCapacity(readings.count) }
                found[index] = old
                previous = (key, old)
            } else {
                inserted[index] = true
                fresh.append(index)
                previous = (key, StoredReading(milliwattHours: readings[index].milliwattHours, quality: readings[index].quality))
            }
        }
        try insertNew(fresh, of: readings, keys: keys)
        foundStored = found
        return inserted
    }

    /// What is stored, asked for in increasing key order: from one range scan over the batch's
    /// time span when that span holds few more readings than the batch, else a lookup per key.
    private struct StoredCursor {
        private var keys: [ReadingKey] = []
        private var values: [StoredReading] = []
        private var next = 0
        private let lookup: SQLiteStatement?

        init(_ store: SQLiteStore, keys batch: [ReadingKey]) throws {
            guard var low = batch.first?.start else {
                lookup = nil
                return
            }
            var high = low
            for key in batch {
                low = min(low, key.start)
                high = max(high, key.start)
            }
            let quarterHours = (high - low) / QuarterHour.seconds + 1
            guard quarterHours <= (4 * batch.count + 4096) / max(store.pointsByID.count, 1) else {
                lookup = try store.db.prepare("SELECT mwh, quality FROM readings WHERE start = ?1 AND point = ?2")
                return
            }
            lookup = nil
            let scan = try store.db.prepare(
                "SELECT start, point, mwh, quality FROM readings WHERE start >= ?1 AND start <= ?2 ORDER BY start, point")
            try scan.bind(1, low)
            try scan.bind(2, high)
            while try scan.step() {
                keys.append(ReadingKey(start: scan.int64(0), point: scan.int64(1)))
                values.append(Self.value(scan, 2))
            }
        }

        static func value(_ statement: SQLiteStatement, _ column: Int32) -> StoredReading {
            StoredReading(
                milliwattHours: statement.int64(column), quality: Quality(code: Int(statement.int64(column + 1))) ?? .estimated)
        }

        /// The stored value of `key`; keys must be asked for in increasing order.
        mutating func value(at key: ReadingKey) throws -> StoredReading? {
            if let lookup {
                try lookup.bind(1, key.start)
                try lookup.bind(2, key.point)
                defer { lookup.reset() }
                return try lookup.step() ? Self.value(lookup, 0) : nil
            }
            while next < keys.count, keys[next] < key { next += 1 }
            return next < keys.count && keys[next] == key ? values[next] : nil
        }
    }

    /// Inserts `readings[i]` for each `i` in `order`, `rowsPerInsert` rows per statement. None of
    /// them is stored (the transaction holds the write lock since they were looked up), so a
    /// conflict would be an error, not a duplicate.
    private func insertNew(_ order: [Int], of readings: [Reading], keys: [ReadingKey]) throws {
        func sql(rows: Int) -> String {
            "INSERT INTO readings (start, point, mwh, quality) VALUES "
                + Array(repeating: "(?,?,?,?)", count: rows).joined(separator: ",")
        }
        func bind(_ statement: SQLiteStatement, _ slice: ArraySlice<Int>) throws {
            var parameter: Int32 = 1
            for index in slice {
                try statement.bind(parameter, keys[index].start)
                try statement.bind(parameter + 1, keys[index].point)
                try statement.bind(parameter + 2, readings[index].milliwattHours)
                try statement.bind(parameter + 3, Int64(readings[index].quality.code))
                parameter += 4
            }
            _ = try statement.step()
            statement.reset()
        }
        var position = 0
        if order.count >= Self.rowsPerInsert {
            let many = try db.prepare(sql(rows: Self.rowsPerInsert))
            while order.count - position >= Self.rowsPerInsert {
                try bind(many, order[position..<position + Self.rowsPerInsert])
                position += Self.rowsPerInsert
            }
        }
        if position < order.count {
            try bind(try db.prepare(sql(rows: order.count - position)), order[position...])
        }
    }

    public func storedValues(of readings: [Reading], at indices: [Int]) throws -> [Int: StoredReading] {
        // The shared upsert asks right after the insert, for the readings it did not insert.
        if let found = foundStored, found.count == indices.count {
            foundStored = nil
            return found
        }
        let select = try db.prepare("SELECT mwh, quality FROM readings WHERE start = ?1 AND point = ?2")
        var values: [Int: StoredReading] = [:]
        for index in indices {
            guard let id = pointIDs[readings[index].point] else { continue }
            try select.bind(1, readings[index].start.startSeconds)
            try select.bind(2, id)
            defer { select.reset() }
            guard try select.step() else { continue }
            values[index] = StoredReading(
                milliwattHours: select.int64(0), quality: Quality(code: Int(select.int64(1))) ?? .estimated)
        }
        return values
    }

    public func apply(_ updates: [LedgerUpdate<Reading>], community: Community, recordedAt: Int64) throws {
        let update = try db.prepare("UPDATE readings SET mwh = ?3, quality = ?4 WHERE start = ?1 AND point = ?2")
        let correction = try db.prepare(
            """
            INSERT INTO corrections (point, start, old_mwh, new_mwh, old_quality, new_quality, recorded_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """)
        for change in updates {
            let id = try pointID(change.entry.point)
            let start = change.entry.start.startSeconds
            let quality = Int64(change.entry.quality.code)
            try update.run([.integer(start), .integer(id), .integer(change.entry.milliwattHours), .integer(quality)])
            try correction.run([
                .integer(id), .integer(start), .integer(change.old.milliwattHours), .integer(change.entry.milliwattHours),
                .integer(Int64(change.old.quality.code)), .integer(quality), .integer(recordedAt),
            ])
        }
    }

    public func markDirty(_ days: Set<LocalDate>, community: String) throws {
        let mark = try db.prepare(
            """
            INSERT INTO dirty_days (community, day, version) VALUES (?1, ?2, 1)
            ON CONFLICT (community, day) DO UPDATE SET version = version + 1
            """)
        for day in days { try mark.run([.text(community), .text(day.description)]) }
    }

    @discardableResult
    public func scanReadings(
        community: String, points: [PointKey], in range: Range<QuarterHour>,
        _ body: (QuarterHour, Int, Int64) throws -> Void
    ) throws -> Int {
        let indexByID = pointIndexByID(points)
        let statement = try db.prepare("SELECT start, point, mwh FROM readings WHERE start >= ?1 AND start < ?2")
        try statement.bind(1, range.lowerBound.startSeconds)
        try statement.bind(2, range.upperBound.startSeconds)
        var count = 0
        try db.transaction(immediate: false) {
            while try statement.step() {
                let id = Int(statement.int64(1))
                guard id >= 0, id < indexByID.count else { continue }
                let index = indexByID[id]
                guard index >= 0 else { continue }
                let start = statement.int64(0)
                let mwh = statement.int64(2)
                try StoreError.checkStored(start: start, milliwattHours: mwh, in: range, location: location, table: "readings", point: id)
                try body(QuarterHour(index: start / QuarterHour.seconds), Int(index), mwh)
                count += 1
            }
        }
        return count
    }
}
