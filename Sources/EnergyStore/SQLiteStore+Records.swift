import EnergyCore
import Foundation

// Leases, statements and job runs: the records around the energy data.
extension SQLiteStore {
    // MARK: Leases

    public func updateLeaseClaims(_ name: String, _ change: ([LeaseClaim]) -> [LeaseClaim]?) throws {
        // BEGIN IMMEDIATE takes the write lock before the read: no other holder reads the same
        // claims and writes its own in between.
        try db.transaction {
            let select = try db.prepare("SELECT holder, first_day, end_day, expires FROM leases WHERE name = ?1")
            try select.bind([.text(name)])
            var stored: [LeaseClaim] = []
            while try select.step() {
                var days: Range<LocalDate>?
                if !select.isNull(1) {
                    guard let first = try? LocalDate(select.text(1)), let end = try? LocalDate(select.text(2)), first <= end else {
                        throw StoreError.damaged(location, "lease \(name) has a claim of malformed days")
                    }
                    days = first..<end
                }
                stored.append(LeaseClaim(holder: select.text(0), days: days, expires: select.int64(3)))
            }
            guard let claims = change(stored) else { return }
            try db.prepare("DELETE FROM leases WHERE name = ?1").run([.text(name)])
            let insert = try db.prepare("INSERT INTO leases (name, holder, first_day, end_day, expires) VALUES (?1, ?2, ?3, ?4, ?5)")
            for claim in claims {
                try insert.run([
                    .text(name), .text(claim.holder), claim.days.map { .text($0.lowerBound.description) } ?? .null,
                    claim.days.map { .text($0.upperBound.description) } ?? .null, .integer(claim.expires),
                ])
            }
        }
    }

    // MARK: Statements

    public func issuedStatements(community: String, from: LocalDate, to: LocalDate) throws -> [IssuedStatement] {
        let statement = try db.prepare(
            """
            SELECT year, sequence, period, first_day, end_day, member, fingerprint, incomplete, issued_at,
                   kind, reference, reason, pricing, document FROM statements
            WHERE community = ?1 AND first_day < ?3 AND end_day > ?2 ORDER BY year, sequence
            """)
        try statement.bind([.text(community), .text(from.description), .text(to.description)])
        var issued: [IssuedStatement] = []
        while try statement.step() {
            guard let first = try? LocalDate(statement.text(3)), let end = try? LocalDate(statement.text(4)) else {
                throw SQLiteError(
                    code: 0, message: "statement \(statement.int64(0))-\(statement.int64(1)) has a malformed period", context: "statements")
            }
            var row = IssuedStatement(
                community: community, year: Int(statement.int64(0)), sequence: Int(statement.int64(1)),
                period: statement.text(2), from: first, to: end, memberID: statement.text(5),
                fingerprint: statement.text(6), incomplete: statement.int64(7) != 0,
                issuedAt: statement.int64(8))
            guard let kind = IssuedStatement.Kind(rawValue: statement.text(9)) else {
                throw SQLiteError(
                    code: 0, message: "statement \(row.number) has an unknown kind '\(statement.text(9))'", context: "statements")
            }
            row.kind = kind
            row.reference = statement.isNull(10) ? nil : statement.text(10)
            row.reason = statement.isNull(11) ? nil : statement.text(11)
            row.pricing = statement.text(12)
            row.document = statement.text(13)
            issued.append(row)
        }
        return issued
    }

    public func numberingStatements<T>(_ body: () throws -> T) throws -> T {
        // BEGIN IMMEDIATE takes the write lock first, so two runs cannot read the same last number.
        try db.transaction { try body() }
    }

    public func lastStatementSequence(community: String, year: Int) throws -> Int {
        Int(
            try db.scalarInt(
                "SELECT MAX(sequence) FROM statements WHERE community = ?1 AND year = ?2", [.text(community), .integer(Int64(year))]) ?? 0)
    }

    public func insertStatements(_ statements: [IssuedStatement]) throws {
        let insert = try db.prepare(
            """
            INSERT INTO statements (community, year, sequence, period, first_day, end_day, member, fingerprint, incomplete, issued_at,
                                    kind, reference, reason, pricing, document)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
            """)
        for s in statements {
            try insert.run([
                .text(s.community), .integer(Int64(s.year)), .integer(Int64(s.sequence)), .text(s.period), .text(s.from.description),
                .text(s.to.description), .text(s.memberID), .text(s.fingerprint), .integer(s.incomplete ? 1 : 0), .integer(s.issuedAt),
                .text(s.kind.rawValue), s.reference.map { .text($0) } ?? .null, s.reason.map { .text($0) } ?? .null, .text(s.pricing),
                .text(s.document),
            ])
        }
    }

    public func firstCollections(community: String, mandates: [String: String]) throws -> [String: String] {
        try db.transaction {
            let insert = try db.prepare(
                "INSERT OR IGNORE INTO mandate_collections (community, mandate, first_statement) VALUES (?1, ?2, ?3)")
            let select = try db.prepare("SELECT first_statement FROM mandate_collections WHERE community = ?1 AND mandate = ?2")
            var first: [String: String] = [:]
            for (mandate, number) in mandates.sorted(by: { $0.key < $1.key }) {
                try insert.run([.text(community), .text(mandate), .text(number)])
                try select.bind([.text(community), .text(mandate)])
                if try select.step() { first[mandate] = select.text(0) }
                select.reset()
            }
            return first
        }
    }

    // MARK: Job runs

    public func startRun(_ command: String, community: String, holder: String?, startedAt: Int64) throws -> Int64 {
        let statement = try db.prepare(
            "INSERT INTO job_runs (command, community, started_at, outcome, holder) VALUES (?1, ?2, ?3, 'running', ?4) RETURNING id")
        try statement.bind([.text(command), .text(community), .integer(startedAt), holder.map { .text($0) } ?? .null])
        guard try statement.step() else { throw SQLiteError(code: 1, message: "no id returned", context: "job_runs") }
        return statement.int64(0)
    }

    public func finishRun(_ id: Int64, _ result: JobRunResult, finishedAt: Int64) throws {
        try db.prepare(
            """
            UPDATE job_runs SET finished_at = ?2, outcome = ?3, first_day = ?4, last_day = ?5, days = ?6, readings = ?7, message = ?8
            WHERE id = ?1
            """
        ).run([
            .integer(id), .integer(finishedAt), .text(result.outcome.rawValue),
            result.firstDay.map { .text($0.description) } ?? .null, result.lastDay.map { .text($0.description) } ?? .null,
            .integer(Int64(result.days)), .integer(Int64(result.readings)), .text(result.message),
        ])
    }

    public func jobRuns(community: String?, limit: Int) throws -> [JobRun] {
        let statement = try db.prepare(
            """
            SELECT id, command, community, started_at, finished_at, outcome, first_day, last_day, days, readings, message, holder
            FROM job_runs WHERE ?1 IS NULL OR community = ?1 ORDER BY id DESC LIMIT ?2
            """)
        try statement.bind([community.map { .text($0) } ?? .null, .integer(Int64(limit))])
        var runs: [JobRun] = []
        while try statement.step() {
            var run = JobRun(
                id: statement.int64(0), command: statement.text(1), community: statement.text(2),
                startedAt: statement.int64(3), finishedAt: statement.isNull(4) ? nil : statement.int64(4), result: nil,
                holder: statement.isNull(11) ? nil : statement.text(11))
            if !statement.isNull(4) {
                run.result = JobRunResult(
                    outcome: JobOutcome(stored: statement.text(5)), firstDay: try? LocalDate(statement.text(6)),
                    lastDay: try? LocalDate(statement.text(7)), days: Int(statement.int64(8)),
                    readings: Int(statement.int64(9)), message: statement.text(10))
            }
            runs.append(run)
        }
        return runs
    }

    // MARK: Integrity

    public func checkIntegrity() throws -> [String] {
        var findings: [String] = []
        let check = try db.prepare("PRAGMA integrity_check(20)")
        while try check.step() {
            if check.text(0) != "ok" { findings.append("SQLite: \(check.text(0))") }
        }
        // The whole file was read: the damage mark now says what SQLite found, or goes.
        let mark = DamageMark(storePath: path)
        if let first = findings.first { mark.record("energy check found it damaged (\(first))") } else { mark.clear() }
        let invariants: [(String, String)] = [
            (
                "readings of point ids no metering point has",
                "SELECT COUNT(*) FROM readings WHERE point NOT IN (SELECT id FROM metering_points)"
            ),
            (
                "readings with a negative or absurd energy",
                "SELECT COUNT(*) FROM readings WHERE mwh < 0 OR mwh > \(Reading.plausibleMaximumMilliwattHours)"
            ),
            ("readings starting off the quarter-hour grid", "SELECT COUNT(*) FROM readings WHERE start % 900 != 0"),
            ("readings of an unknown quality", "SELECT COUNT(*) FROM readings WHERE quality NOT IN (0, 1, 2)"),
            (
                "grid-operator values of point ids no metering point has",
                "SELECT COUNT(*) FROM dso_figures WHERE point NOT IN (SELECT id FROM metering_points)"
            ),
            (
                "grid-operator values with a negative or absurd energy",
                "SELECT COUNT(*) FROM dso_figures WHERE mwh < 0 OR mwh > \(Reading.plausibleMaximumMilliwattHours)"
            ),
            ("grid-operator values starting off the quarter-hour grid", "SELECT COUNT(*) FROM dso_figures WHERE start % 900 != 0"),
        ]
        for (what, sql) in invariants {
            // A table SQLite cannot read is already in the integrity check's findings.
            guard let count = try? db.scalarInt(sql), count > 0 else { continue }
            findings.append("\(count) \(what)")
        }
        return findings
    }
}
