import EnergyCore
import Foundation

/// The CSV files of a billing run (RFC 4180: comma-separated, CRLF line ends, fields quoted when
/// they hold a comma, a quote or a line break; UTF-8; a point as decimal separator; kWh with six
/// decimals, money with two).
///
/// ```swift
/// let text = StatementCSV.accounting(figures, numbers: result.numbers, issuedOn: result.issuedOn)
/// ```
public enum StatementCSV {
    /// One row per member and statement, for the treasurer's accounting.
    public static let accountingColumns = [
        "statement_number", "status", "issued_on", "community", "period", "from", "to", "member_id", "member_name", "currency",
        "community_energy_kwh", "energy_taken_kwh", "community_energy_net", "generation_credit_net", "member_fee_net",
        "net", "vat", "total", "missing_quarter_hours", "dso_quarter_hours",
    ]

    /// One row per line of one member's statement.
    public static let detailColumns = [
        "statement_number", "member_id", "line", "kind", "zaehlpunkt", "window", "energy_kwh", "price_per_kwh", "vat_rate_percent",
        "vat_base", "amount", "currency",
    ]

    /// `numbers[i]` is the statement number of `figures.statements[i]` (nil in a preview). Rows
    /// are in statement-number order (numbered statements first), so reordering the members in the
    /// community file does not change the file of an issued run.
    public static func accounting(_ figures: BillingFigures, numbers: [String?], issuedOn: LocalDate? = nil) -> String {
        var out = row(accountingColumns)
        let order = figures.statements.indices.sorted { a, b in
            switch (numbers[a], numbers[b]) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
        for i in order {
            let statement = figures.statements[i]
            func sum(_ kind: LineKind) -> Money { statement.lines.filter { $0.kind == kind }.reduce(.zero) { $0 + $1.amount } }
            var received: Int64 = 0
            var taken: Int64 = 0
            for p in statement.points {
                if p.point.direction == .consumption { received += p.totals.shared } else { taken += p.totals.shared }
            }
            out += row([
                numbers[i] ?? "", numbers[i] == nil ? "preview" : "final", numbers[i] == nil ? "" : issuedOn?.description ?? "",
                figures.community.id, figures.period.label,
                figures.period.from.description, figures.period.to.adding(days: -1).description, statement.member.id,
                statement.member.name, figures.tariff.currency,
                Energy.kilowattHoursText(received), Energy.kilowattHoursText(taken),
                sum(.communityEnergy).text, sum(.generationCredit).text, sum(.memberFee).text,
                statement.net.text, statement.vat.text, statement.total.text, String(statement.missingQuarterHours),
                String(statement.gridOperatorQuarterHours),
            ])
        }
        return out
    }

    public static func detail(_ statement: MemberStatement, number: String?, currency: String) -> String {
        var out = row(detailColumns)
        for line in statement.lines {
            out += row([
                number ?? "", statement.member.id, line.text, line.kind.rawValue, line.zaehlpunkt?.description ?? "", line.window ?? "",
                line.energy.map { Energy.kilowattHoursText($0.milliwattHours) } ?? "", line.price?.text ?? "",
                line.rate?.text ?? "", line.base?.text ?? "", line.amount.text, currency,
            ])
        }
        out += row([number ?? "", statement.member.id, "Net", "net", "", "", "", "", "", "", statement.net.text, currency])
        out += row([number ?? "", statement.member.id, "VAT", "vat_total", "", "", "", "", "", "", statement.vat.text, currency])
        out += row([number ?? "", statement.member.id, "Total", "total", "", "", "", "", "", "", statement.total.text, currency])
        return out
    }

    static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
