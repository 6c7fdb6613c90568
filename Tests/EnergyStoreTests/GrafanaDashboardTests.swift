import EnergyCore
import EnergyJobs
import EnergyReports
import EnergySimulator
import EnergyTestSupport
import Foundation
import Testing

@testable import EnergyStore

/// Runs the aggregation pipelines of the committed Grafana dashboard against the test MongoDB
/// after a rollup, the way the meln5674 MongoDB plugin would, and checks them against `RollupReport`.
@Suite struct GrafanaDashboardTests {
    static let dashboardPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy/grafana/dashboards/energy-community.json").path

    struct Query {
        var collection: String
        var aggregation: String
        var valueFields: [String]
        var timeseries = false
        var autoTimeBound = false
        var autoTimeBoundAtStart = false
    }

    func queries() throws -> (panels: [String: Query], variable: Query) {
        let data = try #require(FileManager.default.contents(atPath: Self.dashboardPath))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var panels: [String: Query] = [:]
        for panel in json["panels"] as? [[String: Any]] ?? [] {
            let target = try #require((panel["targets"] as? [[String: Any]])?.first)
            #expect(target["timestampField"] as? String == "ts")
            #expect((target["datasource"] as? [String: Any])?["uid"] as? String == "energy-mongodb")
            panels[panel["title"] as? String ?? ""] = Query(
                collection: target["collection"] as? String ?? "",
                aggregation: target["aggregation"] as? String ?? "",
                valueFields: target["valueFields"] as? [String] ?? [],
                timeseries: target["queryType"] as? String == "Timeseries",
                autoTimeBound: target["autoTimeBound"] as? Bool ?? false,
                autoTimeBoundAtStart: target["autoTimeBoundAtStart"] as? Bool ?? false)
        }
        let variables = (json["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        let zp = try #require(variables.first { $0["name"] as? String == "zaehlpunkt" }?["query"] as? [String: Any])
        return (
            panels, Query(collection: zp["collection"] as? String ?? "", aggregation: zp["aggregation"] as? String ?? "", valueFields: [])
        )
    }

    /// What Grafana and the plugin do to a query: Grafana replaces the variables in the
    /// aggregation text (`$community`, `$zaehlpunkt`, and the range as `$__from`/`$__to` in ms);
    /// for time series with the automatic time bound the plugin adds `{$match: {ts: {$gte: from,
    /// $lte: to}}}` before the pipeline or, by default, after it.
    func run(
        _ query: Query, on store: MongoStore, community: String, zaehlpunkt: String = "", from: Int64, to: Int64
    ) throws -> [[String: Any]] {
        let fromMs = from * 1000
        let toMs = to * 1000 - 1  // Grafana's range end is inclusive
        let stages = query.aggregation.replacingOccurrences(of: "\"$community\"", with: "\"\(community)\"")
            .replacingOccurrences(of: "\"$zaehlpunkt\"", with: "\"\(zaehlpunkt)\"")
            .replacingOccurrences(of: "$__from", with: String(fromMs)).replacingOccurrences(of: "$__to", with: String(toMs))
        let bound =
            "{\"$match\": {\"ts\": {\"$gte\": {\"$date\": {\"$numberLong\": \"\(fromMs)\"}}, \"$lte\": {\"$date\": {\"$numberLong\": \"\(toMs)\"}}}}}"
        var pipelineText = String(stages.dropFirst().dropLast())
        if query.timeseries && query.autoTimeBound {
            pipelineText = query.autoTimeBoundAtStart ? bound + ", " + pipelineText : pipelineText + ", " + bound
        }
        let pipeline = try BSONDocument(json: "{\"pipeline\": [\(pipelineText)]}")
        var rows: [[String: Any]] = []
        try store.db.aggregate(query.collection, pipeline: pipeline) { doc in
            rows.append(try JSONSerialization.jsonObject(with: Data(doc.json.utf8)) as? [String: Any] ?? [:])
        }
        return rows
    }

    func number(_ value: Any?) -> Double {
        if let d = value as? Double { return d }
        if let i = value as? Int { return Double(i) }
        if let n = value as? NSNumber { return n.doubleValue }
        return .nan
    }

    @Test func dashboardQueriesGiveTheReportsFigures() throws {
        let fixture = try TestStore(.mongodb)
        let store = try #require(fixture.store as? MongoStore)
        let community = DemoCommunity.make(members: 6, seed: 4, id: "eeg-grafana")
        let from = try LocalDate("2026-10-24")
        let to = try LocalDate("2026-10-27")
        CommunitySimulator(community: community, seed: 4).simulate(from: from, to: to) { readings in
            _ = try? store.upsert(readings, community: community)
        }
        let job = RollupJob(store: store, community: community)
        _ = try job.run(try job.plan(.range(from: from, to: to)))
        let start = community.calendar.startOfDay(from)
        let end = community.calendar.startOfDay(to)
        let total = try RollupReport(store: store, community: community, scope: .community, granularity: .month, from: from, to: to).rows[0]
            .totals
        let meters = try RollupReport(store: store, community: community, scope: .meter, granularity: .month, from: from, to: to).rows
        #expect(total.intervals == community.meteringPoints.count * (96 + 100 + 96))
        let (panels, variable) = try queries()
        #expect(panels.count == 5)
        func kwh(_ mWh: Int64) -> Double { Double(mWh) / 1_000_000 }

        let hourly = try run(
            try #require(panels["Community: produced, consumed, shared (kWh per hour)"]), on: store,
            community: community.id, from: start, to: end)
        #expect(hourly.count == 24 + 25 + 24)
        for (field, expected) in [("produced_kwh", total.produced), ("consumed_kwh", total.consumed), ("shared_kwh", total.shared)] {
            #expect(abs(hourly.map { number($0[field]) }.reduce(0, +) - kwh(expected)) < 1e-6, "\(field)")
        }

        let totals = try run(
            try #require(panels["Totals of the time range (kWh)"]), on: store, community: community.id, from: start, to: end)
        #expect(totals.count == 1)
        for (field, expected) in [
            ("produced_kwh", total.produced), ("consumed_kwh", total.consumed), ("shared_kwh", total.shared),
            ("grid_kwh", total.grid), ("surplus_kwh", total.surplus),
        ] {
            #expect(abs(number(totals[0][field]) - kwh(expected)) < 1e-9, "\(field)")
        }

        let gauge = try run(
            try #require(panels["Self-sufficiency (shared / consumed)"]), on: store, community: community.id, from: start, to: end)
        #expect(abs(number(gauge.first?["self_sufficiency"]) - Double(total.shared) / Double(total.consumed)) < 1e-12)

        let table = try run(
            try #require(panels["Totals per metering point (kWh)"]), on: store, community: community.id, from: start, to: end)
        #expect(table.count == community.meteringPoints.count)
        for row in meters {
            let point = try #require(row.point)
            let found = try #require(
                table.first {
                    $0["zp"] as? String == point.zaehlpunkt.description && $0["direction"] as? String == point.direction.rawValue
                })
            #expect(abs(number(found["consumed_kwh"]) - kwh(row.totals.consumed)) < 1e-9)
            #expect(abs(number(found["shared_kwh"]) - kwh(row.totals.shared)) < 1e-9)
            #expect(Int(number(found["intervals"])) == row.totals.intervals)
        }

        let zps = try run(variable, on: store, community: community.id, from: start, to: end).compactMap { $0["value"] as? String }
        #expect(zps == Array(Set(community.meteringPoints.map(\.zaehlpunkt.description))).sorted())
        let meter = try #require(meters.first { $0.point?.direction == .consumption })
        let series = try run(
            try #require(panels["Metering point $zaehlpunkt (kWh per hour)"]), on: store, community: community.id,
            zaehlpunkt: meter.point!.zaehlpunkt.description, from: start, to: end)
        #expect(series.count == 24 + 25 + 24)
        #expect(abs(series.map { number($0["consumed_kwh"]) }.reduce(0, +) - kwh(meter.totals.consumed)) < 1e-6)

        // A narrower dashboard range: the tables sum only its days, the hour charts show only its
        // hours, also when the range starts in the middle of a day.
        let firstDay = try RollupReport(
            store: store, community: community, scope: .community, granularity: .day, from: from, to: from.adding(days: 1)
        ).rows[0].totals
        let oneDay = try run(
            try #require(panels["Totals of the time range (kWh)"]), on: store, community: community.id,
            from: start, to: community.calendar.startOfDay(from.adding(days: 1)))
        #expect(oneDay.count == 1)
        #expect(abs(number(oneDay.first?["consumed_kwh"]) - kwh(firstDay.consumed)) < 1e-6)
        let midDay = try run(
            try #require(panels["Community: produced, consumed, shared (kWh per hour)"]), on: store,
            community: community.id, from: start + 6 * 3600, to: start + 30 * 3600)
        #expect(midDay.count == 24)
    }
}
