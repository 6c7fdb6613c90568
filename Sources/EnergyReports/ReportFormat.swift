import EnergyCore
import Foundation

/// How a report is printed.
public enum ReportFormat: String, Sendable, CaseIterable {
    case table, csv, json
}

/// Turns report rows into text.
///
/// CSV columns: `bucket_start,scope,zaehlpunkt,consumed_kwh,produced_kwh,shared_kwh,grid_kwh,surplus_kwh,intervals,expected_intervals,dso_intervals`
/// (`dso_intervals`: the quarter hours whose share is the grid operator's allocation);
/// `bucket_start` is local ISO 8601 with its offset, energies have exactly six decimals.
/// ```swift
/// print(ReportWriter(calendar: community.calendar).csv(report.rows), terminator: "")
/// ```
public struct ReportWriter: Sendable {
    public let calendar: LocalCalendar

    public init(calendar: LocalCalendar) { self.calendar = calendar }

    public static let csvHeader =
        "bucket_start,scope,zaehlpunkt,consumed_kwh,produced_kwh,shared_kwh,grid_kwh,surplus_kwh,intervals,expected_intervals,dso_intervals"

    public func render(_ rows: [ReportRow], as format: ReportFormat) -> String {
        switch format {
        case .csv: return csv(rows)
        case .json: return json(rows)
        case .table: return table(rows)
        }
    }

    public func csv(_ rows: [ReportRow]) -> String {
        var out = Self.csvHeader + "\n"
        out.reserveCapacity(rows.count * 120)
        for row in rows {
            let t = row.totals
            out += calendar.isoString(row.bucketStart)
            out += row.point.map { ",meter,\($0.zaehlpunkt)," } ?? ",community,,"
            out += kwh(t.consumed) + "," + kwh(t.produced) + "," + kwh(t.shared) + "," + kwh(t.grid) + "," + kwh(t.surplus)
            out += ",\(t.intervals),\(t.expectedIntervals),\(t.dsoIntervals)\n"
        }
        return out
    }

    public func json(_ rows: [ReportRow]) -> String {
        JSONText.lines(
            rows.map { row in
                let t = row.totals
                var fields: [(String, JSONText)] = [
                    ("bucket_start", .string(calendar.isoString(row.bucketStart))),
                    ("scope", .string(row.point == nil ? "community" : "meter")),
                    ("zaehlpunkt", .optional(row.point?.zaehlpunkt.description)),
                ]
                if let point = row.point { fields.append(("direction", .string(point.direction.rawValue))) }
                // kWh as exact decimal numbers, and the integer mWh they come from.
                fields += [
                    ("consumed_kwh", .number(kwh(t.consumed))), ("produced_kwh", .number(kwh(t.produced))),
                    ("shared_kwh", .number(kwh(t.shared))), ("grid_kwh", .number(kwh(t.grid))), ("surplus_kwh", .number(kwh(t.surplus))),
                    ("consumed_mwh", .int(t.consumed)), ("produced_mwh", .int(t.produced)), ("shared_mwh", .int(t.shared)),
                    ("grid_mwh", .int(t.grid)), ("surplus_mwh", .int(t.surplus)),
                    ("intervals", .int(t.intervals)), ("expected_intervals", .int(t.expectedIntervals)),
                    ("dso_intervals", .int(t.dsoIntervals)),
                ]
                return .object(fields)
            })
    }

    public func table(_ rows: [ReportRow]) -> String {
        var table = TextTable(columns: [
            .init("bucket start"), .init("zaehlpunkt"), .init("consumed kWh", right: true), .init("produced kWh", right: true),
            .init("shared kWh", right: true), .init("grid kWh", right: true), .init("surplus kWh", right: true),
            .init("intervals", right: true),
        ])
        for row in rows {
            let t = row.totals
            table.add([
                calendar.isoString(row.bucketStart), row.point.map { "\($0.zaehlpunkt)" } ?? "community",
                kwh3(t.consumed), kwh3(t.produced), kwh3(t.shared), kwh3(t.grid), kwh3(t.surplus),
                "\(t.intervals)/\(t.expectedIntervals)",
            ])
        }
        return table.render()
    }

    private func kwh(_ mWh: Int64) -> String { Energy.kilowattHoursText(mWh) }
    private func kwh3(_ mWh: Int64) -> String { Formatting.kilowattHours(mWh) }
}

/// Number formats for people (tables), never for files.
public enum Formatting {
    /// kWh rounded half away from zero to three decimals, with thousands separators: `12,345.679`.
    public static func kilowattHours(_ mWh: Int64, decimals: Int = 3) -> String {
        FixedDecimal.text(mWh, scale: 6, decimals: decimals, rounding: .halfAwayFromZero, grouping: ",")
    }

    public static func percent(_ ratio: Double?) -> String {
        guard let ratio, ratio.isFinite else { return "–" }
        return String(format: "%.1f %%", ratio * 100)
    }
}
