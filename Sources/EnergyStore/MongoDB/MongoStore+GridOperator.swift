import EnergyCore

/// The grid operator's figures in MongoDB: the `dso_figures` collection, one document per
/// (community, Zaehlpunkt, quarter hour, meter code) with the same fields as a reading plus
/// `code` (the meter code as EDA spells it, e.g. `1-1:2.9.0 G.03`).
extension MongoStore {
    static func figureKey(_ figure: GridOperatorFigure, community: String) -> BSONDocument {
        BSONDocument([
            "community": .string(community), "zaehlpunkt": .string(figure.zaehlpunkt.description),
            "start": date(figure.start.startSeconds), "code": .string(figure.meterCode.rawValue),
        ])
    }

    public func insertFiguresIgnoringDuplicates(_ figures: [GridOperatorFigure], community: Community) throws -> [Bool] {
        let bulk = try db.bulk("dso_figures")
        for figure in figures {
            let doc = Self.figureKey(figure, community: community.id)
            doc.append("direction", .string(figure.meterCode.direction.rawValue))
            doc.append("mwh", .int64(figure.milliwattHours))
            doc.append("kwh", .double(Double(figure.milliwattHours) / 1_000_000))
            doc.append("quality", .string(figure.quality.rawValue))
            try bulk.insert(doc)
        }
        let result = try bulk.execute()
        var inserted = [Bool](repeating: true, count: figures.count)
        for index in result.duplicateIndices where index >= 0 && index < figures.count { inserted[index] = false }
        return inserted
    }

    private struct FigureKey: Hashable {
        var zaehlpunkt: String
        var code: String
        var start: Int64
    }

    public func storedFigureValues(of figures: [GridOperatorFigure], at indices: [Int], community: Community) throws -> [Int: StoredReading]
    {
        guard !indices.isEmpty else { return [:] }
        let starts = indices.map { figures[$0].start.startSeconds }
        let zaehlpunkte = Set(indices.map { figures[$0].zaehlpunkt.description })
        var stored: [FigureKey: StoredReading] = [:]
        try db.find(
            "dso_figures",
            filter: BSONDocument([
                "community": .string(community.id),
                "zaehlpunkt": .document(BSONDocument(["$in": .array(zaehlpunkte.sorted().map { .string($0) })])),
                "start": .document(BSONDocument(["$gte": Self.date(starts.min() ?? 0), "$lte": Self.date(starts.max() ?? 0)])),
            ])
        ) { doc in
            guard let zp = doc.string("zaehlpunkt"), let code = doc.string("code"), let start = doc.int64("start"),
                let mwh = doc.int64("mwh")
            else { return }
            stored[FigureKey(zaehlpunkt: zp, code: code, start: start / 1000)] = StoredReading(
                milliwattHours: mwh, quality: doc.string("quality").flatMap(Quality.init(rawValue:)) ?? .estimated)
        }
        var values: [Int: StoredReading] = [:]
        for index in indices {
            let figure = figures[index]
            values[index] =
                stored[
                    FigureKey(zaehlpunkt: figure.zaehlpunkt.description, code: figure.meterCode.rawValue, start: figure.start.startSeconds)]
        }
        return values
    }

    public func applyFigures(_ updates: [LedgerUpdate<GridOperatorFigure>], community: Community, recordedAt: Int64) throws {
        guard !updates.isEmpty else { return }
        let fixes = try db.bulk("dso_figures")
        let log = try db.bulk("corrections")
        for change in updates {
            let figure = change.entry
            try fixes.updateOne(
                filter: Self.figureKey(figure, community: community.id),
                update: BSONDocument([
                    "$set": .document(
                        BSONDocument([
                            "mwh": .int64(figure.milliwattHours), "kwh": .double(Double(figure.milliwattHours) / 1_000_000),
                            "quality": .string(figure.quality.rawValue),
                        ]))
                ]), upsert: false)
            let record = Self.figureKey(figure, community: community.id)
            record.append("direction", .string(figure.meterCode.direction.rawValue))
            record.append("old_mwh", .int64(change.old.milliwattHours))
            record.append("new_mwh", .int64(figure.milliwattHours))
            record.append("old_quality", .string(change.old.quality.rawValue))
            record.append("new_quality", .string(figure.quality.rawValue))
            record.append("recorded_at", Self.date(recordedAt))
            try log.insert(record)
        }
        _ = try fixes.execute()
        _ = try log.execute()
    }

    @discardableResult
    public func scanGridOperatorFigures(
        community: String, points: [PointKey], in range: Range<QuarterHour>,
        _ body: (QuarterHour, Int, MeterCode, Int64) throws -> Void
    ) throws -> Int {
        var indexOf: [PointKey: Int] = [:]
        for (i, key) in points.enumerated() { indexOf[key] = i }
        var count = 0
        try db.find(
            "dso_figures",
            filter: BSONDocument([
                "community": .string(community),
                "start": .document(
                    BSONDocument(["$gte": Self.date(range.lowerBound.startSeconds), "$lt": Self.date(range.upperBound.startSeconds)])),
            ]),
            options: BSONDocument([
                "projection": .document(
                    BSONDocument(["_id": .int32(0), "zaehlpunkt": .int32(1), "code": .int32(1), "start": .int32(1), "mwh": .int32(1)]))
            ])
        ) { doc in
            guard let zpText = doc.string("zaehlpunkt"), let zp = try? Zaehlpunkt(zpText),
                let code = doc.string("code").flatMap(MeterCode.init(rawValue:)), let start = doc.int64("start"),
                let mwh = doc.int64("mwh"), let index = indexOf[PointKey(zaehlpunkt: zp, direction: code.direction)]
            else { return }
            guard start % 1000 == 0 else {
                throw StoreError.damaged(location, "dso_figures of \(zp) hold a start of \(start) ms, not whole seconds")
            }
            try StoreError.checkStored(
                start: start / 1000, milliwattHours: mwh, in: range, location: location, table: "dso_figures", point: index)
            try body(QuarterHour(index: start / 1000 / QuarterHour.seconds), index, code, mwh)
            count += 1
        }
        return count
    }

    public func unreliableValues(community: String, points: [PointKey], in range: Range<QuarterHour>) throws -> [UnreliableValue] {
        let wanted = Set(points)
        let window = BSONDocument(["$gte": Self.date(range.lowerBound.startSeconds), "$lt": Self.date(range.upperBound.startSeconds)])
        var found: [UnreliableValue] = []
        for (collection, scoped) in [("readings", false), ("dso_figures", true)] {
            let filter = BSONDocument(["start": .document(window), "quality": .string(Quality.estimated.rawValue)])
            if scoped { filter.append("community", .string(community)) }
            try db.find(collection, filter: filter) { doc in
                guard let zpText = doc.string("zaehlpunkt"), let zp = try? Zaehlpunkt(zpText),
                    let direction = doc.string("direction").flatMap(Direction.init(rawValue:)), let start = doc.int64("start")
                else { return }
                let point = PointKey(zaehlpunkt: zp, direction: direction)
                guard wanted.contains(point) else { return }
                found.append(
                    UnreliableValue(
                        point: point, start: QuarterHour(index: start / 1000 / QuarterHour.seconds),
                        meterCode: scoped ? doc.string("code").flatMap(MeterCode.init(rawValue:)) : nil))
            }
        }
        return found.sorted { ($0.start, $0.point.zaehlpunkt) < ($1.start, $1.point.zaehlpunkt) }
    }
}
