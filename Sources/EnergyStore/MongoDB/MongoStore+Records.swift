import EnergyCore
import Foundation

// Statements, job runs and the benchmark baseline: the records around the energy data.
extension MongoStore {
    // MARK: Statements

    public func issuedStatements(community: String, from: LocalDate, to: LocalDate) throws -> [IssuedStatement] {
        var issued: [IssuedStatement] = []
        try db.find(
            "statements",
            filter: BSONDocument([
                "community": .string(community), "first_day": .document(BSONDocument(["$lt": .string(to.description)])),
                "end_day": .document(BSONDocument(["$gt": .string(from.description)])),
            ]), options: BSONDocument(["sort": .document(BSONDocument(["year": .int32(1), "sequence": .int32(1)]))])
        ) { doc in
            guard let year = doc.int64("year"), let sequence = doc.int64("sequence"),
                let first = doc.string("first_day").flatMap({ try? LocalDate($0) }),
                let end = doc.string("end_day").flatMap({ try? LocalDate($0) })
            else {
                throw MongoError(server: pool.server, code: 0, message: "statement \(doc.string("_id") ?? "?") is malformed")
            }
            var row = IssuedStatement(
                community: community, year: Int(year), sequence: Int(sequence), period: doc.string("period") ?? "",
                from: first, to: end, memberID: doc.string("member") ?? "", fingerprint: doc.string("fingerprint") ?? "",
                incomplete: (doc.int64("incomplete") ?? 0) != 0, issuedAt: (doc.int64("issued_at") ?? 0) / 1000)
            guard let kind = IssuedStatement.Kind(rawValue: doc.string("kind") ?? "statement") else {
                throw MongoError(
                    server: pool.server, code: 0, message: "statement \(row.number) has an unknown kind '\(doc.string("kind") ?? "")'")
            }
            row.kind = kind
            row.reference = doc.string("reference")
            row.reason = doc.string("reason")
            row.pricing = doc.string("pricing") ?? ""
            row.document = doc.string("document") ?? ""
            issued.append(row)
        }
        return issued
    }

    public func numberingStatements<T>(_ body: () throws -> T) throws -> T {
        // The number is part of _id, so two runs that read the same last number cannot both
        // insert it: the second one's transaction fails as a whole and issues nothing.
        var result: T?
        try atomically { session in
            numberingSession = session
            defer { numberingSession = nil }
            result = try body()
        }
        guard let result else { throw MongoError(server: pool.server, code: 0, message: "statement numbering returned nothing") }
        return result
    }

    public func lastStatementSequence(community: String, year: Int) throws -> Int {
        var sequence = 0
        try db.find(
            "statements", filter: BSONDocument(["community": .string(community), "year": .int64(Int64(year))]),
            options: BSONDocument(["sort": .document(BSONDocument(["sequence": .int32(-1)])), "limit": .int64(1)])
        ) { doc in
            sequence = Int(doc.int64("sequence") ?? 0)
        }
        return sequence
    }

    public func insertStatements(_ statements: [IssuedStatement]) throws {
        guard let first = statements.first else { return }
        let insert = try db.bulk("statements", session: numberingSession)
        for s in statements {
            let document = BSONDocument([
                "_id": .string("\(s.community)/\(s.year)/\(s.sequence)"), "community": .string(s.community),
                "year": .int64(Int64(s.year)), "sequence": .int64(Int64(s.sequence)), "period": .string(s.period),
                "first_day": .string(s.from.description), "end_day": .string(s.to.description), "member": .string(s.memberID),
                "fingerprint": .string(s.fingerprint), "incomplete": .int32(s.incomplete ? 1 : 0), "issued_at": Self.date(s.issuedAt),
                "kind": .string(s.kind.rawValue), "pricing": .string(s.pricing), "document": .string(s.document),
            ])
            if let reference = s.reference {
                document.append("reference", .string(reference))
                document.append("reference_key", .string("\(s.community)/\(s.kind.rawValue)/\(reference)"))
            } else if s.kind == .statement {
                document.append("first_issue", .string("\(s.community)/\(s.period)/\(s.memberID)"))
            }
            if let reason = s.reason { document.append("reason", .string(reason)) }
            try insert.insert(document)
        }
        let result = try insert.execute()
        guard result.duplicateIndices.isEmpty else {
            throw MongoError(
                server: pool.server, code: 11000,
                message:
                    "statement numbers of \(first.community) \(first.year) were taken by another billing run at the same time; run it again"
            )
        }
    }

    public func firstCollections(community: String, mandates: [String: String]) throws -> [String: String] {
        guard !mandates.isEmpty else { return [:] }
        // Insert-if-absent by _id: a mandate already recorded keeps its first statement.
        let insert = try db.bulk("mandate_collections")
        for (mandate, number) in mandates.sorted(by: { $0.key < $1.key }) {
            try insert.insert(
                BSONDocument([
                    "_id": .string("\(community)/\(mandate)"), "community": .string(community), "mandate": .string(mandate),
                    "first_statement": .string(number),
                ]))
        }
        _ = try insert.execute()
        var first: [String: String] = [:]
        try db.find("mandate_collections", filter: BSONDocument(["community": .string(community)])) { doc in
            if let mandate = doc.string("mandate"), mandates[mandate] != nil, let number = doc.string("first_statement") {
                first[mandate] = number
            }
        }
        return first
    }

    // MARK: Integrity

    public func checkIntegrity() throws -> [String] {
        var findings: [String] = []
        for collection in ["readings", "dso_figures", "allocations", "rollups_hour", "rollups_day", "rollups_month", "statements"] {
            do {
                let reply = try db.command(BSONDocument(["validate": .string(collection)]))
                let answer = try? JSONSerialization.jsonObject(with: Data(reply.json.utf8)) as? [String: Any]
                if answer?["valid"] as? Bool == false { findings.append("MongoDB: collection \(collection) does not validate") }
            } catch let error as MongoError where error.code == 26 {
                continue  // the collection does not exist (yet)
            }
        }
        let limit = Reading.plausibleMaximumMilliwattHours
        for (collection, what) in [("readings", "readings"), ("dso_figures", "grid-operator values")] {
            let reply = try db.command(
                BSONDocument([
                    "count": .string(collection),
                    "query": .document(
                        BSONDocument([
                            "$or": .array([
                                .document(BSONDocument(["mwh": .document(BSONDocument(["$lt": .int64(0)]))])),
                                .document(BSONDocument(["mwh": .document(BSONDocument(["$gt": .int64(limit)]))])),
                            ])
                        ])),
                ]))
            let bad = reply.int64("n") ?? 0
            if bad > 0 { findings.append("\(bad) \(what) with a negative or absurd energy") }
        }
        return findings
    }

    // MARK: Benchmark baseline

    /// The same reading documents `upsert` writes, as one unordered bulk insert into `collection`
    /// (created with the same indexes as `readings`), with no comparison and no dirty marks: the
    /// baseline the import is measured against.
    public func insertReadingsWithoutChecks(_ readings: [Reading], community: Community, into collection: String) throws {
        try db.command(
            BSONDocument([
                "createIndexes": .string(collection),
                "indexes": .array(
                    MongoSchema.indexes
                        .filter { $0.0 == "readings" }
                        .map {
                            .document(BSONDocument(["key": .document(BSONDocument($0.2)), "name": .string($0.1), "unique": .bool($0.3)]))
                        }),
            ]))
        let bulk = try db.bulk(collection)
        for reading in readings {
            try bulk.insert(
                BSONDocument([
                    "community": .string(community.id), "zaehlpunkt": .string(reading.point.zaehlpunkt.description),
                    "start": Self.date(reading.start.startSeconds), "direction": .string(reading.point.direction.rawValue),
                    "mwh": .int64(reading.milliwattHours), "kwh": .double(Double(reading.milliwattHours) / 1_000_000),
                    "quality": .string(reading.quality.rawValue),
                ]))
        }
        _ = try bulk.execute()
    }

    /// Drops the store's database (benchmarks and tests start from nothing).
    public func dropDatabase() throws { try db.command(BSONDocument(["dropDatabase": .int32(1)])) }

    // MARK: Job runs

    public func startRun(_ command: String, community: String, holder: String?, startedAt: Int64) throws -> Int64 {
        let reply = try db.command(
            BSONDocument([
                "findAndModify": .string("counters"), "query": .document(BSONDocument(["_id": .string("job_runs")])),
                "update": .document(BSONDocument(["$inc": .document(BSONDocument(["seq": .int64(1)]))])),
                "upsert": .bool(true), "new": .bool(true),
            ]))
        guard let id = reply.int64("value.seq") else { throw MongoError(server: pool.server, code: 0, message: "no job run id returned") }
        let insert = try db.bulk("job_runs")
        let run = BSONDocument([
            "_id": .int64(id), "command": .string(command), "community": .string(community),
            "started_at": Self.date(startedAt), "outcome": .string("running"),
        ])
        if let holder { run.append("holder", .string(holder)) }
        try insert.insert(run)
        _ = try insert.execute()
        return id
    }

    public func finishRun(_ id: Int64, _ result: JobRunResult, finishedAt: Int64) throws {
        let update = try db.bulk("job_runs")
        try update.updateOne(
            filter: BSONDocument(["_id": .int64(id)]),
            update: BSONDocument([
                "$set": .document(
                    BSONDocument([
                        "finished_at": Self.date(finishedAt), "outcome": .string(result.outcome.rawValue),
                        "first_day": result.firstDay.map { .string($0.description) } ?? .null,
                        "last_day": result.lastDay.map { .string($0.description) } ?? .null,
                        "days": .int64(Int64(result.days)), "readings": .int64(Int64(result.readings)), "message": .string(result.message),
                    ]))
            ]), upsert: false)
        _ = try update.execute()
    }

    public func jobRuns(community: String?, limit: Int) throws -> [JobRun] {
        var runs: [JobRun] = []
        let filter = community.map { BSONDocument(["community": .string($0)]) } ?? BSONDocument()
        try db.find(
            "job_runs", filter: filter,
            options: BSONDocument([
                "sort": .document(BSONDocument(["_id": .int32(-1)])),
                "limit": .int64(Int64(limit)),
            ])
        ) { doc in
            guard let id = doc.int64("_id"), let started = doc.int64("started_at") else { return }
            var run = JobRun(
                id: id, command: doc.string("command") ?? "", community: doc.string("community") ?? "",
                startedAt: started / 1000, finishedAt: doc.int64("finished_at").map { $0 / 1000 }, result: nil,
                holder: doc.string("holder"))
            if run.finishedAt != nil {
                run.result = JobRunResult(
                    outcome: JobOutcome(stored: doc.string("outcome") ?? ""),
                    firstDay: doc.string("first_day").flatMap { try? LocalDate($0) },
                    lastDay: doc.string("last_day").flatMap { try? LocalDate($0) }, days: Int(doc.int64("days") ?? 0),
                    readings: Int(doc.int64("readings") ?? 0), message: doc.string("message") ?? "")
            }
            runs.append(run)
        }
        return runs
    }
}
