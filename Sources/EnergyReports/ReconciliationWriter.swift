import EnergyCore

/// Turns a ``GridOperatorReconciliation`` into text.
///
/// CSV columns: `day,zaehlpunkt,direction,computed_shared_kwh,dso_shared_kwh,difference_kwh,quarter_hours_differing,dso_conserves`.
/// One row per metering point and day the DSO allocated, then per day one row of the community
/// (`direction` = `community`, no Zaehlpunkt) whose `dso_conserves` says whether the DSO's
/// consumers received what its producers gave in every quarter hour. The table lists only what
/// differs; CSV and JSON list everything.
/// ```swift
/// print(ReconciliationWriter().render(check, as: .csv), terminator: "")
/// ```
public struct ReconciliationWriter: Sendable {
    public init() {}

    public static let csvHeader =
        "day,zaehlpunkt,direction,computed_shared_kwh,dso_shared_kwh,difference_kwh,quarter_hours_differing,dso_conserves"

    /// The rows in output order: each day's points, then that day's community row.
    private func rows(_ check: GridOperatorReconciliation) -> [Row] {
        var out: [Row] = []
        let byDay = Dictionary(grouping: check.points, by: \.day)
        for day in check.days {
            for p in byDay[day.day] ?? [] {
                out.append(
                    Row(
                        day: p.day, zaehlpunkt: p.point.zaehlpunkt.description, direction: p.point.direction.rawValue,
                        computed: p.computedShared, dso: p.dsoShared, differing: p.quarterHoursDiffering, conserves: nil))
            }
            out.append(
                Row(
                    day: day.day, zaehlpunkt: "", direction: "community", computed: day.computedShared, dso: day.dsoShared,
                    differing: day.quarterHoursDiffering, conserves: day.conserves))
        }
        return out
    }

    private struct Row {
        var day: LocalDate
        var zaehlpunkt: String
        var direction: String
        var computed: Int64
        var dso: Int64
        var differing: Int
        var conserves: Bool?
        var differs: Bool { differing > 0 || conserves == false }
    }

    public func render(_ check: GridOperatorReconciliation, as format: ReportFormat) -> String {
        switch format {
        case .csv: return csv(check)
        case .json: return json(check)
        case .table: return table(check)
        }
    }

    public func csv(_ check: GridOperatorReconciliation) -> String {
        var out = Self.csvHeader + "\n"
        for r in rows(check) {
            out += "\(r.day),\(r.zaehlpunkt),\(r.direction),\(kwh(r.computed)),\(kwh(r.dso)),\(kwh(r.dso - r.computed)),\(r.differing),"
            out += r.conserves.map { $0 ? "yes" : "no" } ?? ""
            out += "\n"
        }
        return out
    }

    public func json(_ check: GridOperatorReconciliation) -> String {
        JSONText.lines(
            rows(check).map { r in
                var fields: [(String, JSONText)] = [
                    ("day", .string(r.day.description)), ("zaehlpunkt", r.zaehlpunkt.isEmpty ? .null : .string(r.zaehlpunkt)),
                    ("direction", .string(r.direction)), ("computed_shared_kwh", .number(kwh(r.computed))),
                    ("dso_shared_kwh", .number(kwh(r.dso))), ("difference_kwh", .number(kwh(r.dso - r.computed))),
                    ("quarter_hours_differing", .int(r.differing)),
                ]
                if let conserves = r.conserves { fields.append(("dso_conserves", .bool(conserves))) }
                return .object(fields)
            })
    }

    public func table(_ check: GridOperatorReconciliation) -> String {
        let all = rows(check)
        let differing = all.filter(\.differs)
        var out = ""
        if !differing.isEmpty {
            var table = TextTable(columns: [
                .init("day"), .init("zaehlpunkt"), .init("computed kWh", right: true), .init("DSO kWh", right: true),
                .init("DSO − computed", right: true), .init("quarter hours", right: true), .init("DSO conserves"),
            ])
            for r in differing {
                table.add([
                    r.day.description, r.zaehlpunkt.isEmpty ? "community" : r.zaehlpunkt, kwh(r.computed), kwh(r.dso),
                    kwh(r.dso - r.computed), "\(r.differing)", r.conserves.map { $0 ? "yes" : "NO" } ?? "",
                ])
            }
            out += table.render()
        }
        let tolerance = check.toleranceMilliwattHours == 0 ? "" : " (tolerance \(check.toleranceMilliwattHours) mWh a quarter hour)"
        out +=
            "\(all.count - differing.count) of \(all.count) rows agree\(tolerance); "
            + "\(check.days.count) days with grid-operator figures from \(check.from) to \(check.to)"
            + (check.days.filter { !$0.conserves }.isEmpty ? "" : "; the DSO's figures do not conserve on some days")
            + "\n"
        return out
    }

    private func kwh(_ mWh: Int64) -> String { Energy.kilowattHoursText(mWh) }
}
