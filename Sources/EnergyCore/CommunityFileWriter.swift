import Foundation

extension CommunityFile {
    /// The community as YAML text that `parse` reads back to an equal community.
    public static func render(_ community: Community, header: String? = nil) -> String {
        var out = ""
        if let header {
            for line in header.split(separator: "\n", omittingEmptySubsequences: false) { out += "# \(line)\n" }
        }
        out += "community:\n"
        out += "  id: \(quoted(community.id))\n"
        out += "  name: \(quoted(community.name))\n"
        out += "  timezone: \(community.calendar.identifier)\n"
        out += "  allocation: \(community.allocationKey.rawValue)\n"
        if let ecid = community.ecid { out += "  ecid: \(ecid)\n" }
        out += "  site: {latitude: \(community.site.latitude), longitude: \(community.site.longitude)}\n"
        if let vatID = community.vatID { out += "  vatId: \(vatID)\n" }
        if let address = community.address { out += "  address: \(render(address))\n" }
        if let account = community.bankAccount {
            out += "  sepa: {creditorId: \(account.creditorID), iban: \(account.iban)\(account.bic.map { ", bic: \($0)" } ?? "")}\n"
        }
        if community.language != .de { out += "  language: \(community.language.rawValue)\n" }
        out += "members:\n"
        for member in community.members {
            out += "  - id: \(quoted(member.id))\n"
            out += "    name: \(quoted(member.name))\n"
            if let address = member.address { out += "    address: \(render(address))\n" }
            if let mandate = member.mandate {
                out += "    sepa: {iban: \(mandate.iban), mandateId: \(quoted(mandate.mandateID)), mandateSignedOn: \(mandate.signedOn)}\n"
            }
            out += "    meteringPoints:\n"
            for point in member.meteringPoints {
                var fields = [
                    "zaehlpunkt: \(point.zaehlpunkt)", "direction: \(point.direction.rawValue)",
                    "participation: \(decimalText(point.participationBasisPoints, decimals: 2))",
                ]
                if community.allocationKey == .static && point.direction == .consumption {
                    fields.append("share: \(decimalText(point.staticSharePPM, decimals: 4))")
                }
                switch point.profile {
                case let .standardLoad(kind, annual)?: fields.append("profile: {type: \(kind.rawValue), annualKwh: \(annual)}")
                case let .photovoltaic(kWp)?: fields.append("profile: {type: PV, kWp: \(kWp)}")
                case nil: break
                }
                out += "      - {\(fields.joined(separator: ", "))}\n"
            }
        }
        if let tariffs = community.tariffs { out += render(tariffs) }
        return out
    }

    static func render(_ address: PostalAddress) -> String {
        "{street: \(quoted(address.street)), postalCode: \(quoted(address.postalCode)), city: \(quoted(address.city)), "
            + "country: \(address.country)}"
    }

    /// The `tariffs:` block: a mapping for one tariff valid from the beginning, else a list.
    public static func render(_ schedule: TariffSchedule) -> String {
        if schedule.tariffs.count == 1, let tariff = schedule.tariffs.first, tariff.validFrom == nil {
            return "tariffs:\n" + render(tariff, indent: "  ", first: "  ")
        }
        return "tariffs:\n" + schedule.tariffs.map { render($0, indent: "    ", first: "  - ") }.joined()
    }

    /// One tariff's keys; `first` starts its first line (a list item's `- `).
    public static func render(_ tariff: Tariff, indent: String, first: String) -> String {
        var lines: [String] = []
        if let from = tariff.validFrom { lines.append("validFrom: \(from)") }
        lines.append("currency: \(tariff.currency)")
        lines.append("consumption: \(tariff.consumptionPrice.text)")
        lines.append("generation: \(tariff.generationPrice.text)")
        lines.append("memberFee: {amount: \(tariff.memberFee.text), per: \(tariff.memberFeePeriod.rawValue)}")
        lines.append(
            "vat: {consumption: \(tariff.vat.consumption.text), generation: \(tariff.vat.generation.text), "
                + "memberFee: \(tariff.vat.memberFee.text)}")
        var out = lines.enumerated().map { ($0.offset == 0 ? first : indent) + $0.element + "\n" }.joined()
        if !tariff.timeOfUse.isEmpty {
            out += indent + "timeOfUse:\n"
            for window in tariff.timeOfUse {
                let days = window.days.sorted().map { TariffWindow.weekdayNames[$0 - 1] }.joined(separator: ", ")
                out +=
                    indent + "  - {name: \(quoted(window.name)), days: [\(days)], from: \"\(TariffWindow.clock(window.fromMinute))\", "
                    + "to: \"\(TariffWindow.clock(window.toMinute))\", consumption: \(window.consumptionPrice.text), "
                    + "generation: \(window.generationPrice.text)}\n"
            }
        }
        return out
    }

    private static func quoted(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }

    /// `1250, decimals: 2` -> `12.5`
    static func decimalText(_ value: Int64, decimals: Int) -> String {
        FixedDecimal.text(value, scale: decimals, trimmingZeros: true)
    }
}
