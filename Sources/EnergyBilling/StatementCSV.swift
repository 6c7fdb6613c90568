import EnergyCore
import Foundation

/// The CSV files of a billing run (RFC 4180: comma-separated, CRLF line ends, fields quoted when
/// they hold a comma, a quote or a line break; UTF-8; a point as decimal separator; kWh with six
/// decimals, money with two).
///
/// ```swift
/// let text = StatementCSV.detail(StatementDocument(figures: figures, memberIndex: 0, kind: .statement, number: "2026-0001", issuedOn: day))
/// ```
public enum StatementCSV {
    /// One row per document (statement, cancelled statement, cancellation), for the treasurer's accounting.
    public static let accountingColumns = [
        "statement_number", "status", "reference", "issued_on", "community", "period", "from", "to", "member_id", "member_name",
        "currency", "community_energy_kwh", "energy_taken_kwh", "community_energy_net", "generation_credit_net", "member_fee_net",
        "net", "vat", "total", "missing_quarter_hours", "dso_quarter_hours", "reason",
    ]

    /// One row per line of one member's statement.
    public static let detailColumns = [
        "statement_number", "member_id", "line", "kind", "zaehlpunkt", "window", "energy_kwh", "price_per_kwh", "vat_rate_percent",
        "vat_base", "amount", "currency",
    ]

    /// A row of the accounting CSV.
    struct Entry {
        var number: String?
        /// `preview`, `final`, `cancelled` or `cancellation`.
        var status: String
        /// A cancellation: the cancelled number; a reissue: the number it replaces.
        var reference: String?
        var reason: String?
        var issuedOn: LocalDate?
        var memberID: String
        /// What the row shows of the document: only its sums are kept, not its lines, so the rows
        /// of every member of a large community stay small until the file is written.
        var figures: Figures

        struct Figures {
            var memberName: String
            var currency: String
            var communityEnergyMWh: Int64
            var generationCreditMWh: Int64
            var communityEnergy: Money
            var generationCredit: Money
            var memberFee: Money
            var netCents: Int64
            var vatCents: Int64
            var totalCents: Int64
            var missingQuarterHours: Int
            var gridOperatorQuarterHours: Int

            init(_ c: IssuedContent) {
                memberName = c.memberName
                currency = c.currency
                communityEnergyMWh = c.energy(.communityEnergy)
                generationCreditMWh = c.energy(.generationCredit)
                communityEnergy = c.amount(.communityEnergy)
                generationCredit = c.amount(.generationCredit)
                memberFee = c.amount(.memberFee)
                netCents = c.netCents
                vatCents = c.vatCents
                totalCents = c.totalCents
                missingQuarterHours = c.missingQuarterHours
                gridOperatorQuarterHours = c.gridOperatorQuarterHours
            }
        }

        init(
            number: String?, status: String, reference: String? = nil, reason: String? = nil, issuedOn: LocalDate? = nil,
            memberID: String, content: IssuedContent
        ) {
            self.number = number
            self.status = status
            self.reference = reference
            self.reason = reason
            self.issuedOn = issuedOn
            self.memberID = memberID
            figures = Figures(content)
        }
    }

    /// Rows in number order (numbered documents first, previews in file order), so reordering
    /// the members in the community file does not change the file of an issued run.
    static func accounting(community: Community, period: BillingPeriod, _ entries: [Entry]) -> String {
        var out = row(accountingColumns)
        let order = entries.indices.sorted { a, b in
            switch (entries[a].number, entries[b].number) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
        for i in order {
            let e = entries[i]
            let c = e.figures
            out += row([
                e.number ?? "", e.status, e.reference ?? "", e.issuedOn?.description ?? "", community.id, period.label,
                period.from.description, period.to.adding(days: -1).description, e.memberID, c.memberName, c.currency,
                Energy.kilowattHoursText(c.communityEnergyMWh), Energy.kilowattHoursText(c.generationCreditMWh),
                c.communityEnergy.text, c.generationCredit.text, c.memberFee.text,
                Money(cents: c.netCents).text, Money(cents: c.vatCents).text, Money(cents: c.totalCents).text,
                String(c.missingQuarterHours), String(c.gridOperatorQuarterHours), e.reason ?? "",
            ])
        }
        return out
    }

    /// The lines of one document (a cancellation's negated).
    public static func detail(_ document: StatementDocument) -> String {
        var out = row(detailColumns)
        let number = document.number ?? ""
        let member = document.member.id
        let currency = document.currency
        for line in document.lines {
            out += row([
                number, member, line.text, line.kind.rawValue, line.zaehlpunkt?.description ?? "", line.window ?? "",
                line.energy.map { Energy.kilowattHoursText($0.milliwattHours) } ?? "", line.price?.text ?? "",
                line.rate?.text ?? "", line.base?.text ?? "", line.amount.text, currency,
            ])
        }
        out += row([number, member, "Net", "net", "", "", "", "", "", "", document.net.text, currency])
        out += row([number, member, "VAT", "vat_total", "", "", "", "", "", "", document.vat.text, currency])
        out += row([number, member, "Total", "total", "", "", "", "", "", "", document.total.text, currency])
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
