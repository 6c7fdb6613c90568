import EnergyBilling
import EnergyCore
import EnergyReports
import EnergyStore
import Foundation
import Hummingbird

/// The API's routes under `{base}/api/v1`: one community (the server's community file), its
/// metering points' rollups and readings, statements and job runs. Members see only their own
/// metering points and statements; everything community-wide is for administrators.
public struct CommunityRoutes: Sendable {
    let server: APIServer
    var community: Community { server.community }
    var limits: RangeLimits { server.configuration.limits }

    /// Every route, relative to `{base}/api/v1` (all GET). The OpenAPI document lists exactly
    /// these; a test holds the two together.
    public static let paths = [
        "me", "points", "community/rollups", "points/{zaehlpunkt}/rollups", "points/{zaehlpunkt}/readings",
        "statements", "statements/{number}", "runs", "community/reconciliation",
    ]

    func register(on api: RouterGroup<APIRequestContext>) {
        typealias Handler = @Sendable (Request, APIRequestContext) async throws -> Response
        let handlers: [String: Handler] = [
            "me": { try me($0, $1) },
            "points": { try points($0, $1) },
            "community/rollups": { try await communityRollups($0, $1) },
            "points/{zaehlpunkt}/rollups": { try await pointRollups($0, $1) },
            "points/{zaehlpunkt}/readings": { try await readings($0, $1) },
            "statements": { try await statements($0, $1) },
            "statements/{number}": { try await statement($0, $1) },
            "runs": { try await runs($0, $1) },
            "community/reconciliation": { try await reconciliation($0, $1) },
        ]
        for path in Self.paths {
            guard let handler = handlers[path] else { preconditionFailure("route \(path) has no handler") }
            api.get(RouterPath(path), use: handler)
        }
    }

    // MARK: Who and what

    func me(_ request: Request, _ context: APIRequestContext) throws -> Response {
        let caller = try caller(context)
        _ = try QueryParameters(query: request.uri.query, allowed: [])
        return APIServer.json(
            .object([
                ("subject", .string(caller.subject)), ("role", .string(caller.role.rawValue)), ("member_id", .optional(caller.memberID)),
                ("community", .string(community.id)), ("metering_points", .array(visiblePoints(caller).map(pointJSON))),
            ]))
    }

    func points(_ request: Request, _ context: APIRequestContext) throws -> Response {
        let caller = try caller(context)
        _ = try QueryParameters(query: request.uri.query, allowed: [])
        return APIServer.json(
            .object([("community", .string(community.id)), ("metering_points", .array(visiblePoints(caller).map(pointJSON)))]))
    }

    // MARK: Rollups and readings

    func communityRollups(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try caller(context)
        let query = try QueryParameters(query: request.uri.query, allowed: ["granularity", "from", "to"])
        try caller.requireAdmin("the community's rollups")
        return try await rollups(query: query, zaehlpunkt: nil)
    }

    func pointRollups(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try caller(context)
        let query = try QueryParameters(query: request.uri.query, allowed: ["granularity", "from", "to"])
        let zaehlpunkt = try readablePoint(context, caller)
        return try await rollups(query: query, zaehlpunkt: zaehlpunkt)
    }

    private func rollups(query: QueryParameters, zaehlpunkt: Zaehlpunkt?) async throws -> Response {
        let granularity = try query.choice("granularity", default: Granularity.day)
        let (from, to) = try query.dateRange(maxDays: maxDays(granularity))
        let community = community
        // The answer depends on the stored data and these (the community is the server's): one
        // remembered per store connection until the data changes (StoreConnections.answer).
        let key = [zaehlpunkt?.description ?? "*", granularity.rawValue, from.description, to.description].joined(separator: "|")
        let body = try await storeAnswer(key) { store in
            let report = try RollupReport(
                store: store, community: community, scope: zaehlpunkt == nil ? .community : .meter,
                zaehlpunkt: zaehlpunkt, granularity: granularity, from: from, to: to)
            // The zone's offset looked up once per span it holds, not through Foundation for every
            // row; the rows written straight into bytes (RollupRowsJSON).
            var offsets = community.calendar.offsetCache()
            let rows = RollupRowsJSON.render(report.rows, offsets: &offsets)
            return APIServer.jsonBytes(
                .object([
                    ("community", .string(community.id)), ("zaehlpunkt", .optional(zaehlpunkt?.description)),
                    ("granularity", .string(granularity.rawValue)), ("from", .string(from.description)), ("to", .string(to.description)),
                    ("stale_days", .array(report.staleDays.map { .string($0.description) })), ("rows", .rendered(rows)),
                ]), capacity: rows.count + 512 + 14 * report.staleDays.count)
        }
        return APIServer.json(bytes: body)
    }

    func readings(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try caller(context)
        let query = try QueryParameters(query: request.uri.query, allowed: ["from", "to"])
        let zaehlpunkt = try readablePoint(context, caller)
        let (from, to) = try query.dateRange(maxDays: limits.readingsDays)
        let keys = community.pointKeys.filter { $0.zaehlpunkt == zaehlpunkt }
        let range = community.calendar.quarterHours(from: from, to: to)
        let id = community.id
        let values = try await store { store in
            var values: [(QuarterHour, Int, Int64)] = []
            try store.scanReadings(community: id, points: keys, in: range) { qh, index, mWh in values.append((qh, index, mWh)) }
            return values.map { ReadingValue(start: $0.0, direction: keys[$0.1].direction, milliwattHours: $0.2) }
        }
        let calendar = community.calendar
        return APIServer.json(
            .object([
                ("community", .string(id)), ("zaehlpunkt", .string(zaehlpunkt.description)),
                ("from", .string(from.description)), ("to", .string(to.description)),
                (
                    "readings",
                    .array(
                        values.map { value in
                            .object([
                                ("start", .string(calendar.isoString(value.start.startSeconds))),
                                ("direction", .string(value.direction.rawValue)),
                                ("kwh", .number(Energy.kilowattHoursText(value.milliwattHours))),
                            ])
                        })
                ),
            ]))
    }

    // MARK: Statements and runs

    func statements(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try caller(context)
        let query = try QueryParameters(query: request.uri.query, allowed: ["year"])
        var from = LocalDate(year: 1970, month: 1, day: 1)!
        var to = LocalDate(year: 9999, month: 1, day: 1)!
        if let text = query["year"] {
            guard let year = Int(text), (1970...9998).contains(year), let first = LocalDate(year: year, month: 1, day: 1) else {
                throw APIError.badRequest("'year' must be a year like 2026, not '\(text)'")
            }
            from = first
            to = LocalDate(year: year + 1, month: 1, day: 1)!
        }
        let id = community.id
        let range = (from, to)
        let issued = try await store { try $0.issuedStatements(community: id, from: range.0, to: range.1) }
            .filter { caller.mayRead(statementsOf: $0.memberID) }
        let calendar = community.calendar
        let base = server.configuration.basePath + "/api/v1/statements/"
        // Cancelled is derived: a cancellation refers to the statement (rows never change).
        let cancelled = Set(issued.filter { $0.kind == .cancellation }.compactMap(\.reference))
        return APIServer.json(
            .object([
                ("community", .string(id)),
                (
                    "statements",
                    .array(
                        issued.map { s in
                            .object([
                                ("number", .string(s.number)), ("period", .string(s.period)), ("from", .string(s.from.description)),
                                ("to", .string(s.to.description)), ("member_id", .string(s.memberID)), ("incomplete", .bool(s.incomplete)),
                                ("issued_at", .string(calendar.isoString(s.issuedAt))), ("kind", .string(s.kind.rawValue)),
                                (
                                    "status",
                                    .string(s.kind == .cancellation ? "cancellation" : cancelled.contains(s.number) ? "cancelled" : "final")
                                ),
                                ("reference", s.reference.map { .string($0) } ?? .null),
                                ("xlsx", .string(base + s.number + "?format=xlsx")), ("csv", .string(base + s.number + "?format=csv")),
                                ("pdf", .string(base + s.number + "?format=pdf")),
                            ])
                        })
                ),
            ]))
    }

    /// A final statement's file, rendered again from the stored data (no billing run, no files):
    /// the same figures give the same bytes, and if the data changed since the statement was
    /// issued the answer is 409.
    func statement(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try caller(context)
        let query = try QueryParameters(query: request.uri.query, allowed: ["format"])
        let format = try query.choice("format", default: DocumentFormat.xlsx).billing
        let number = try context.parameters.require("number")
        let pieces = number.split(separator: "-")
        guard pieces.count == 2, pieces[0].count == 4, pieces[1].count >= 4, pieces[1].count <= 9,
            let year = Int(pieces[0]), let sequence = Int(pieces[1]), pieces.allSatisfy({ $0.allSatisfy(\.isASCII) }),
            let first = LocalDate(year: year, month: 1, day: 1), let next = LocalDate(year: year + 1, month: 1, day: 1)
        else {
            throw APIError.badRequest("'\(number)' is not a statement number like 2026-0007")
        }
        let community = community
        let found = try await store { try $0.issuedStatements(community: community.id, from: first, to: next) }
            .first { $0.year == year && $0.sequence == sequence }
        guard let found, caller.mayRead(statementsOf: found.memberID) else {
            if caller.isAdmin { throw APIError.notFound("no statement \(number) in community '\(community.id)'") }
            throw APIError.forbidden("statement \(number) is not one of member '\(caller.memberID ?? "")'s")
        }
        let period: BillingPeriod
        do { period = try BillingPeriod(found.period) } catch {
            throw APIError.internalError("statement \(number) has a stored period '\(found.period)' that does not parse")
        }
        let bytes: Data
        do {
            bytes = try await store { store in try IssuedStatementRenderer(store: store, community: community).render(found, as: format) }
        } catch let error as BillingError {
            throw APIError(.conflict, "statement_changed", "statement \(number) cannot be reproduced: \(error)")
        }
        var headers = HTTPFields()
        headers[.contentType] =
            switch format {
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case .pdf: "application/pdf"
            default: "text/csv; charset=utf-8"
            }
        let stem = BillingRun.fileStem(
            period: period, memberID: found.memberID, number: found.number, cancellation: found.kind == .cancellation)
        headers[.contentDisposition] = "attachment; filename=\"\(stem).\(format.rawValue)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func runs(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try caller(context)
        let query = try QueryParameters(query: request.uri.query, allowed: ["limit"])
        try caller.requireAdmin("job runs")
        var limit = 50
        if let text = query["limit"] {
            guard let n = Int(text), (1...1000).contains(n) else { throw APIError.badRequest("'limit' must be 1 to 1000, not '\(text)'") }
            limit = n
        }
        let id = community.id
        let count = limit
        let runs = try await store { try $0.jobRuns(community: id, limit: count) }
        let calendar = community.calendar
        return APIServer.json(
            .object([
                ("community", .string(id)),
                (
                    "runs",
                    .array(
                        runs.map { run in
                            .object([
                                ("id", .int(run.id)), ("command", .string(run.command)),
                                ("started_at", .string(calendar.isoString(run.startedAt))),
                                ("finished_at", .optional(run.finishedAt.map(calendar.isoString))),
                                ("outcome", .optional(run.result?.outcome.rawValue)),
                                ("first_day", .optional(run.result?.firstDay?.description)),
                                ("last_day", .optional(run.result?.lastDay?.description)),
                                ("days", run.result.map { .int($0.days) } ?? .null),
                                ("readings", run.result.map { .int($0.readings) } ?? .null),
                                ("message", .optional(run.result?.message)),
                            ])
                        })
                ),
            ]))
    }

    // MARK: Helpers

    func caller(_ context: APIRequestContext) throws(APIError) -> Caller {
        guard let caller = context.caller else { throw .unauthorized("no caller") }
        return caller
    }

    /// The `{zaehlpunkt}` of the path, if it is well-formed and the caller may read it. A member
    /// gets 403 for any point not theirs, existing or not, so the answers do not reveal whose
    /// points exist.
    private func readablePoint(_ context: APIRequestContext, _ caller: Caller) throws(APIError) -> Zaehlpunkt {
        guard let text = context.parameters.get("zaehlpunkt") else { throw .badRequest("no metering point in the path") }
        // Only an escaped segment goes through Foundation's decoder.
        let decoded = text.contains("%") ? (text.removingPercentEncoding ?? text) : text
        if let op = QueryParameters.operatorLike(decoded) {
            throw .badRequest("the metering point contains '\(op)': operators are not accepted")
        }
        let zaehlpunkt: Zaehlpunkt
        do { zaehlpunkt = try Zaehlpunkt(decoded) } catch { throw .badRequest("'\(decoded)' is not a Zaehlpunkt: \(error)") }
        guard caller.mayRead(zaehlpunkt, in: community) else {
            if caller.isAdmin { throw .notFound("\(zaehlpunkt) is not a metering point of community '\(community.id)'") }
            throw .forbidden("\(zaehlpunkt) is not a metering point of member '\(caller.memberID ?? "")'")
        }
        guard community.has(zaehlpunkt) else { throw .notFound("\(zaehlpunkt) is not a metering point of community '\(community.id)'") }
        return zaehlpunkt
    }

    private func visiblePoints(_ caller: Caller) -> [MeteringPoint] {
        community.meteringPoints.filter { caller.isAdmin || $0.memberID == caller.memberID }
    }

    private func pointJSON(_ point: MeteringPoint) -> JSONText {
        .object([
            ("zaehlpunkt", .string(point.zaehlpunkt.description)), ("direction", .string(point.direction.rawValue)),
            ("member_id", .string(point.memberID)),
        ])
    }

    func maxDays(_ granularity: Granularity) -> Int {
        switch granularity {
        case .quarterHour: return limits.quarterHourDays
        case .hour: return limits.hourDays
        case .day: return limits.dayDays
        case .month: return limits.monthDays
        }
    }

    /// Store work off the event loop; a store failure is 503 (the store is the part that is down).
    func store<T: Sendable>(_ body: @escaping @Sendable (any ReadingStore) throws -> T) async throws -> T {
        try await storeFailures { try await server.stores.withStore(body) }
    }

    /// An answer's body from the store, remembered per connection until the data changes
    /// (`StoreConnections.answer`); failures as `store`'s.
    func storeAnswer(_ key: String, _ body: @escaping @Sendable (any ReadingStore) throws -> [UInt8]) async throws -> [UInt8] {
        try await storeFailures { try await server.stores.answer(key, body) }
    }

    private func storeFailures<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as APIError {
            throw error
        } catch let error as BillingError {
            throw error
        } catch {
            throw APIError.unavailable("the store failed: \(error)")
        }
    }
}

struct ReadingValue: Sendable {
    var start: QuarterHour
    var direction: Direction
    var milliwattHours: Int64
}

/// The formats one statement can be downloaded in (the SEPA files belong to a billing run).
enum DocumentFormat: String, CaseIterable {
    case xlsx, csv, pdf
    var billing: BillingRun.Format {
        switch self {
        case .xlsx: .xlsx
        case .csv: .csv
        case .pdf: .pdf
        }
    }
}
