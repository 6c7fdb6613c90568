import EnergyCore

/// A made-up but plausible community for demos and benchmarks: households (some with PV),
/// businesses, farms and two community-owned PV plants near Vienna.
///
/// ```swift
/// let community = DemoCommunity.make(members: 50, seed: 42)
/// ```
public enum DemoCommunity {
    static let families = [
        "Huber", "Gruber", "Wagner", "Müller", "Pichler", "Steiner", "Moser", "Mayer", "Hofer", "Bauer",
        "Leitner", "Berger", "Fuchs", "Eder", "Fischer", "Schmid", "Winkler", "Weber", "Schwarz", "Maier",
        "Schneider", "Reiter", "Mayr", "Schmidt", "Wimmer", "Egger", "Brunner", "Lang", "Baumgartner", "Auer",
    ]
    static let businesses = [
        "Bäckerei", "Tischlerei", "Gasthaus", "Friseursalon", "Autowerkstatt", "Nahversorger", "Arztpraxis", "Kindergarten",
    ]

    /// A community of `members` members (at least 3). `allocation` picks the key; with the static key
    /// every consuming point gets an equal share of production.
    public static func make(
        members count: Int, seed: UInt64 = 42, id: String = "eeg-demo",
        allocation: AllocationKey = .dynamic
    ) -> Community {
        let count = max(3, count)
        var members: [Member] = []
        var serial = 0
        func nextZaehlpunkt(_ direction: Direction) -> Zaehlpunkt {
            serial += 1
            let number = String(serial)
            let text =
                "AT0030000000000000000" + (direction == .consumption ? "1" : "2")
                + String(repeating: "0", count: 11 - number.count) + number
            // Built from digits only, so it is always valid.
            return try! Zaehlpunkt(text)
        }
        func unit(_ i: Int, _ salt: UInt64) -> Double { DeterministicNoise.unit(seed, UInt64(i), salt) }
        func rounded(_ value: Double, _ step: Double) -> Double { (value / step).rounded() * step }

        for i in 0..<count {
            let memberID = "M" + String(repeating: "0", count: max(0, 3 - String(i + 1).count)) + String(i + 1)
            var points: [MeteringPoint] = []
            var name: String
            switch i {
            case 0:
                name = "Gemeinde Sonnenfeld (Bürgerkraftwerk)"
                points.append(
                    MeteringPoint(
                        zaehlpunkt: nextZaehlpunkt(.generation), direction: .generation, memberID: memberID,
                        profile: .photovoltaic(kWp: max(30, Double(count) * 4))))
            case 1:
                name = "Volksschule Sonnenfeld"
                points.append(
                    MeteringPoint(
                        zaehlpunkt: nextZaehlpunkt(.consumption), direction: .consumption, memberID: memberID,
                        profile: .standardLoad(.g0, annualKWh: 28_000)))
                points.append(
                    MeteringPoint(
                        zaehlpunkt: nextZaehlpunkt(.generation), direction: .generation, memberID: memberID,
                        profile: .photovoltaic(kWp: 40)))
            default:
                let kind = unit(i, 1)
                let family = families[i % families.count]
                if kind < 0.08 {
                    name = "\(businesses[i % businesses.count]) \(family)"
                    points.append(
                        MeteringPoint(
                            zaehlpunkt: nextZaehlpunkt(.consumption), direction: .consumption, memberID: memberID,
                            profile: .standardLoad(.g0, annualKWh: rounded(12_000 + 40_000 * unit(i, 2), 100))))
                } else if kind < 0.14 {
                    name = "Hof \(family)"
                    points.append(
                        MeteringPoint(
                            zaehlpunkt: nextZaehlpunkt(.consumption), direction: .consumption, memberID: memberID,
                            profile: .standardLoad(.l0, annualKWh: rounded(8_000 + 20_000 * unit(i, 2), 100))))
                    points.append(
                        MeteringPoint(
                            zaehlpunkt: nextZaehlpunkt(.generation), direction: .generation, memberID: memberID,
                            profile: .photovoltaic(kWp: rounded(15 + 35 * unit(i, 3), 0.5))))
                } else {
                    name = "Familie \(family)"
                    points.append(
                        MeteringPoint(
                            zaehlpunkt: nextZaehlpunkt(.consumption), direction: .consumption, memberID: memberID,
                            profile: .standardLoad(.h0, annualKWh: rounded(2_000 + 3_500 * unit(i, 2), 50))))
                    if kind > 0.75 {
                        points.append(
                            MeteringPoint(
                                zaehlpunkt: nextZaehlpunkt(.generation), direction: .generation, memberID: memberID,
                                profile: .photovoltaic(kWp: rounded(4 + 8 * unit(i, 3), 0.1))))
                    }
                }
            }
            // Invoice particulars: an address for everyone, a direct-debit mandate for most.
            let address = PostalAddress(street: "Dorfstraße \(i + 1)", postalCode: "2000", city: "Sonnenfeld", country: "AT")
            var mandate: MemberMandate?
            if unit(i, 4) < 0.8, let iban = try? IBAN(country: "AT", bban: "32000" + String(100_000_000_000 + i).dropFirst()),
                let signed = LocalDate(year: 2025, month: 1 + i % 12, day: 15)
            {
                mandate = MemberMandate(iban: iban, mandateID: "EEG-DEMO-\(memberID)", signedOn: signed)
            }
            members.append(Member(id: memberID, name: name, meteringPoints: points, address: address, mandate: mandate))
        }
        if allocation == .static {
            let consumers = members.flatMap(\.meteringPoints).filter { $0.direction == .consumption }.count
            let each = Int64(1_000_000 / max(consumers, 1) / 100) * 100  // whole 0.01 % steps
            members = members.map { member in
                var member = member
                member.meteringPoints = member.meteringPoints.map { point in
                    var point = point
                    if point.direction == .consumption { point.staticSharePPM = each }
                    return point
                }
                return member
            }
        }
        // The calendar of Vienna always exists in tzdata; a failure here is a broken installation.
        let calendar = (try? LocalCalendar(timeZoneIdentifier: "Europe/Vienna")) ?? { fatalError("tzdata has no Europe/Vienna") }()
        var community = Community(
            id: id, name: "EEG Sonnenfeld (demo)", calendar: calendar, allocationKey: allocation, site: .vienna, members: members)
        community.address = PostalAddress(street: "Hauptplatz 1", postalCode: "2000", city: "Sonnenfeld", country: "AT")
        community.vatID = try? VATID("ATU12345678")
        // The example creditor id and account of the reference community file (check digits valid).
        if let creditor = try? CreditorID("AT88ZZZ00000000001"), let iban = try? IBAN("AT862011100000004242") {
            community.bankAccount = CommunityBankAccount(creditorID: creditor, iban: iban, bic: try? BIC("GIBAATWWXXX"))
        }
        return community
    }
}
