import EnergyCore
import EnergyReports
import Hummingbird

extension CommunityRoutes {
    /// `GET community/reconciliation?from&to[&tolerance_mwh]` (administrators): the grid
    /// operator's allocation against ours, as `energy reconcile` computes it.
    func reconciliation(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try caller(context)
        let query = try QueryParameters(query: request.uri.query, allowed: ["from", "to", "tolerance_mwh"])
        try caller.requireAdmin("the reconciliation with the grid operator")
        let (from, to) = try query.dateRange(maxDays: maxDays(.day))
        let tolerance = try Self.tolerance(query["tolerance_mwh"])
        let community = community
        let check = try await store { store in
            try GridOperatorReconciliation(store: store, community: community, from: from, to: to, toleranceMilliwattHours: tolerance)
        }
        func kwh(_ mWh: Int64) -> JSONText { .number(Energy.kilowattHoursText(mWh)) }
        let points: [JSONText] = check.points.map { p in
            .object([
                ("day", .string(p.day.description)), ("zaehlpunkt", .string(p.point.zaehlpunkt.description)),
                ("direction", .string(p.point.direction.rawValue)), ("computed_shared_kwh", kwh(p.computedShared)),
                ("dso_shared_kwh", kwh(p.dsoShared)), ("difference_kwh", kwh(p.difference)),
                ("quarter_hours_differing", .int(p.quarterHoursDiffering)),
            ])
        }
        let days: [JSONText] = check.days.map { d in
            .object([
                ("day", .string(d.day.description)), ("computed_shared_kwh", kwh(d.computedShared)), ("dso_shared_kwh", kwh(d.dsoShared)),
                ("dso_taken_from_producers_kwh", kwh(d.dsoTakenFromProducers)), ("difference_kwh", kwh(d.difference)),
                ("quarter_hours_differing", .int(d.quarterHoursDiffering)),
                ("quarter_hours_not_conserving", .int(d.quarterHoursNotConserving)), ("dso_conserves", .bool(d.conserves)),
            ])
        }
        return APIServer.json(
            .object([
                ("community", .string(community.id)), ("from", .string(from.description)), ("to", .string(to.description)),
                ("tolerance_mwh", .int(tolerance)), ("agrees", .bool(check.agrees)), ("points", .array(points)), ("days", .array(days)),
            ]))
    }

    static func tolerance(_ text: String?) throws(APIError) -> Int64 {
        guard let text else { return 0 }
        guard let value = Int64(text), value >= 0 else { throw .badRequest("'tolerance_mwh' must be a whole number of mWh, 0 or more") }
        return value
    }
}
