import EnergyCore

/// The grid operator's figures in SQLite: the `dso_figures` table (migration 5), one row per
/// (community, quarter hour, point, meter code).
extension SQLiteStore {
    public func insertFiguresIgnoringDuplicates(_ figures: [GridOperatorFigure], community: Community) throws -> [Bool] {
        let insert = try db.prepare(
            """
            INSERT INTO dso_figures (community, start, point, code, mwh, quality) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (community, start, point, code) DO NOTHING
            """)
        try insert.bind(1, community.id)
        var inserted = [Bool](repeating: false, count: figures.count)
        var lastKey: PointKey?
        var lastID: Int64 = 0
        for (index, figure) in figures.enumerated() {
            let key = figure.point
            if key != lastKey {
                lastID = try pointID(key)
                lastKey = key
            }
            try insert.bind(2, figure.start.startSeconds)
            try insert.bind(3, lastID)
            try insert.bind(4, Int64(figure.meterCode.code))
            try insert.bind(5, figure.milliwattHours)
            try insert.bind(6, Int64(figure.quality.code))
            _ = try insert.step()
            insert.reset()
            inserted[index] = db.changes == 1
        }
        return inserted
    }

    public func storedFigureValues(of figures: [GridOperatorFigure], at indices: [Int], community: Community) throws -> [Int: StoredReading]
    {
        let select = try db.prepare(
            "SELECT mwh, quality FROM dso_figures WHERE community = ?1 AND start = ?2 AND point = ?3 AND code = ?4")
        try select.bind(1, community.id)
        var values: [Int: StoredReading] = [:]
        for index in indices {
            let figure = figures[index]
            guard let id = pointIDs[figure.point] else { continue }
            try select.bind(2, figure.start.startSeconds)
            try select.bind(3, id)
            try select.bind(4, Int64(figure.meterCode.code))
            defer { select.reset() }
            guard try select.step() else { continue }
            values[index] = StoredReading(milliwattHours: select.int64(0), quality: Quality(code: Int(select.int64(1))) ?? .estimated)
        }
        return values
    }

    public func applyFigures(_ updates: [LedgerUpdate<GridOperatorFigure>], community: Community, recordedAt: Int64) throws {
        let update = try db.prepare(
            "UPDATE dso_figures SET mwh = ?5, quality = ?6 WHERE community = ?1 AND start = ?2 AND point = ?3 AND code = ?4")
        let correction = try db.prepare(
            """
            INSERT INTO corrections (point, start, old_mwh, new_mwh, old_quality, new_quality, recorded_at, community, meter_code)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """)
        for change in updates {
            let figure = change.entry
            let id = try pointID(figure.point)
            let code = Int64(figure.meterCode.code)
            let quality = Int64(figure.quality.code)
            try update.run([
                .text(community.id), .integer(figure.start.startSeconds), .integer(id), .integer(code), .integer(figure.milliwattHours),
                .integer(quality),
            ])
            try correction.run([
                .integer(id), .integer(figure.start.startSeconds), .integer(change.old.milliwattHours), .integer(figure.milliwattHours),
                .integer(Int64(change.old.quality.code)), .integer(quality), .integer(recordedAt), .text(community.id), .integer(code),
            ])
        }
    }

    @discardableResult
    public func scanGridOperatorFigures(
        community: String, points: [PointKey], in range: Range<QuarterHour>,
        _ body: (QuarterHour, Int, MeterCode, Int64) throws -> Void
    ) throws -> Int {
        let indexByID = pointIndexByID(points)
        let statement = try db.prepare(
            "SELECT start, point, code, mwh FROM dso_figures WHERE community = ?1 AND start >= ?2 AND start < ?3")
        try statement.bind([.text(community), .integer(range.lowerBound.startSeconds), .integer(range.upperBound.startSeconds)])
        var count = 0
        try db.transaction(immediate: false) {
            while try statement.step() {
                let id = Int(statement.int64(1))
                guard id >= 0, id < indexByID.count, indexByID[id] >= 0, let code = MeterCode(code: Int(statement.int64(2))) else {
                    continue
                }
                let start = statement.int64(0)
                let mwh = statement.int64(3)
                try StoreError.checkStored(
                    start: start, milliwattHours: mwh, in: range, location: location, table: "dso_figures", point: id)
                try body(QuarterHour(index: start / QuarterHour.seconds), Int(indexByID[id]), code, mwh)
                count += 1
            }
        }
        return count
    }

    public func unreliableValues(community: String, points: [PointKey], in range: Range<QuarterHour>) throws -> [UnreliableValue] {
        let indexByID = pointIndexByID(points)
        var found: [UnreliableValue] = []
        // Both queries run on the partial indexes of quality 2 (migration 5).
        let readings = try db.prepare("SELECT start, point, NULL FROM readings WHERE quality = 2 AND start >= ?1 AND start < ?2")
        try readings.bind([.integer(range.lowerBound.startSeconds), .integer(range.upperBound.startSeconds)])
        let figures = try db.prepare(
            "SELECT start, point, code FROM dso_figures WHERE quality = 2 AND community = ?3 AND start >= ?1 AND start < ?2")
        try figures.bind([.integer(range.lowerBound.startSeconds), .integer(range.upperBound.startSeconds), .text(community)])
        for statement in [readings, figures] {
            while try statement.step() {
                let id = Int(statement.int64(1))
                guard id >= 0, id < indexByID.count, indexByID[id] >= 0 else { continue }
                found.append(
                    UnreliableValue(
                        point: points[Int(indexByID[id])], start: QuarterHour(index: statement.int64(0) / QuarterHour.seconds),
                        meterCode: statement.isNull(2) ? nil : MeterCode(code: Int(statement.int64(2)))))
            }
        }
        return found.sorted { ($0.start, $0.point.zaehlpunkt) < ($1.start, $1.point.zaehlpunkt) }
    }

    /// Point id -> index into `points` (or -1), as a dense array: the scans' hot path.
    func pointIndexByID(_ points: [PointKey]) -> [Int32] {
        var indexByID = [Int32](repeating: -1, count: Int((pointsByID.keys.max() ?? 0) + 1))
        for (i, key) in points.enumerated() {
            if let id = pointIDs[key] { indexByID[Int(id)] = Int32(i) }
        }
        return indexByID
    }
}
