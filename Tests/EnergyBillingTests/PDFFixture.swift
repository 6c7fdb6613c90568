import EnergyBilling
import EnergyCore
import EnergyTestSupport
import Foundation

/// Statement documents built by hand for the PDF tests (amounts computed with the billing's own
/// rounding rules), and poppler's tools to read the PDFs back.
///
/// ```swift
/// let document = try PDFFixture.document(points: 2)
/// let text = try PDFFixture.text(of: try StatementPDF(document).render())
/// ```
enum PDFFixture {
    static let price = EnergyPrice(microUnitsPerKilowattHour: 123_400)
    static let fee = Money(cents: 300)
    static let vat = Percentage(basisPoints: 2_000)

    static func community(language: StatementLanguage = .de, bank: Bool = true) throws -> Community {
        var community = try CommunityFile.parse(ThreeMemberCommunity.yaml(id: "eeg-pdf", name: "EEG Sonnenfeld Süd"), source: "pdf.yaml")
        community.address = PostalAddress(street: "Hauptplatz 1", postalCode: "2000", city: "Sonnenfeld", country: "AT")
        community.vatID = try VATID("ATU12345678")
        if bank {
            community.bankAccount = CommunityBankAccount(
                creditorID: try CreditorID("AT88ZZZ00000000001"), iban: try IBAN("AT86 2011 1000 0000 4242"), bic: try BIC("GIBAATWWXXX"))
        }
        community.language = language
        return community
    }

    static func member(name: String = "Anna Müller-Weiß", mandate: Bool = false) throws -> Member {
        Member(
            id: "A", name: name, meteringPoints: [],
            address: PostalAddress(street: "Lärchenweg 7", postalCode: "2000", city: "Sonnenfeld", country: "AT"),
            mandate: mandate
                ? MemberMandate(
                    iban: try IBAN("AT46 3200 0000 0000 1001"), mandateID: "MANDATE-0001", signedOn: try LocalDate("2026-01-15"))
                : nil)
    }

    /// The i-th test Zaehlpunkt: `AT00300000000000000000` and i in 11 digits.
    static func zaehlpunkt(_ i: Int) throws -> Zaehlpunkt {
        let digits = String(i)
        return try Zaehlpunkt("AT00300000000000000000" + String(repeating: "0", count: 11 - digits.count) + digits)
    }

    /// An energy line per point (received community energy, or energy taken from a generator if
    /// `credit`), a member fee unless `credit`, and the VAT lines; net, VAT and total are their sums.
    static func document(
        points: Int = 2, kind: StatementDocument.Kind = .statement, number: String? = "2026-0001", reference: String? = nil,
        reason: String? = nil, language: StatementLanguage = .de, member: Member? = nil, credit: Bool = false, bank: Bool = true
    ) throws -> StatementDocument {
        var lines: [StatementLine] = []
        var energyNet = Money.zero
        for i in 0..<points {
            let energy = Energy(milliwattHours: 12_345_678_912 + Int64(i) * 10_000_003)
            let amount = Money.amount(of: energy, at: price)
            let lineKind: LineKind = credit ? .generationCredit : .communityEnergy
            lines.append(
                StatementLine(
                    kind: lineKind, zaehlpunkt: try zaehlpunkt(i + 1), window: nil, energy: energy, price: price, rate: nil,
                    amount: credit ? -amount : amount))
            energyNet = energyNet + (credit ? -amount : amount)
        }
        let energyKind: LineKind = credit ? .generationCredit : .communityEnergy
        var vatLines = [
            StatementLine(
                kind: .vat, zaehlpunkt: nil, window: nil, energy: nil, price: nil, rate: vat, amount: Money.percentage(vat, of: energyNet),
                vatOn: energyKind, base: energyNet)
        ]
        if !credit {
            lines.append(StatementLine(kind: .memberFee, zaehlpunkt: nil, window: nil, energy: nil, price: nil, rate: nil, amount: fee))
            vatLines.append(
                StatementLine(
                    kind: .vat, zaehlpunkt: nil, window: nil, energy: nil, price: nil, rate: vat,
                    amount: Money.percentage(vat, of: fee), vatOn: .memberFee, base: fee))
        }
        lines += vatLines
        let sign: Int64 = kind == .cancellation ? -1 : 1
        lines = lines.map { line in
            var line = line
            line.amount = Money(cents: sign * line.amount.cents)
            line.base = line.base.map { Money(cents: sign * $0.cents) }
            line.energy = line.energy.map { Energy(milliwattHours: sign * $0.milliwattHours) }
            return line
        }
        let net = lines.filter { $0.kind != .vat }.reduce(Money.zero) { $0 + $1.amount }
        let tax = lines.filter { $0.kind == .vat }.reduce(Money.zero) { $0 + $1.amount }
        let period = try BillingPeriod("2026-10")
        let days = (0..<31).map { period.from.adding(days: $0) }
        return StatementDocument(
            kind: kind, number: number, issuedOn: try LocalDate("2026-12-04"), reference: reference, reason: reason,
            community: try community(language: language, bank: bank), member: try member ?? self.member(), period: period,
            currency: "EUR", lines: lines, net: net, vat: tax, total: net + tax, missingQuarterHours: 12, expectedQuarterHours: 2976,
            allocationNote: "the grid operator's allocation (EDA) for 2900 of 2964 quarter hours, our computed allocation for the rest",
            days: days, consumedPerDay: days.indices.map { Energy(milliwattHours: Int64(20_000_000 + 500_000 * $0)) },
            sharedPerDay: days.indices.map { Energy(milliwattHours: Int64(4_000_000 + 300_000 * ($0 % 7))) })
    }

    // MARK: Reading PDFs back

    /// Writes `bytes` to a file in `folder` and returns its path.
    static func file(_ bytes: [UInt8], in folder: TemporaryFolder, name: String = "statement.pdf") throws -> String {
        let path = folder.path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The text pdftotext finds (layout mode), with every run of white space one space, so that
    /// wrapped paragraphs read as one line.
    static func text(of bytes: [UInt8]) throws -> String {
        let folder = TemporaryFolder()
        let raw = try run("pdftotext", ["-layout", try file(bytes, in: folder), "-"])
        return raw.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func pageCount(of bytes: [UInt8]) throws -> Int? {
        let folder = TemporaryFolder()
        let info = try run("pdfinfo", [try file(bytes, in: folder)])
        let line = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
        return line.flatMap { Int($0.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)) }
    }

    /// Runs a poppler tool from /usr/bin and returns what it prints.
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// `money` the way a German statement prints it, by other means than the renderer: `-1.234,56 €`.
    static func german(_ money: Money) -> String { format(money, group: ".", decimal: ",") }

    /// `money` the way an English statement prints it: `-1,234.56 €`.
    static func english(_ money: Money) -> String { format(money, group: ",", decimal: ".") }

    private static func format(_ money: Money, group: String, decimal: String) -> String {
        (money.cents < 0 ? "-" : "") + grouped(money.cents.magnitude / 100, group) + decimal
            + String(format: "%02d", Int(money.cents.magnitude % 100)) + " €"
    }

    /// `energy` in kWh with three decimals (half away from zero), German: `1.234,568 kWh`.
    static func german(_ energy: Energy) -> String {
        let thousandths = (energy.milliwattHours.magnitude + 500) / 1_000
        return (energy.milliwattHours < 0 ? "-" : "") + grouped(thousandths / 1_000, ".") + ","
            + String(format: "%03d", Int(thousandths % 1_000))
            + " kWh"
    }

    private static func grouped(_ value: UInt64, _ separator: String) -> String {
        var digits = String(value)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        return ([digits] + groups).joined(separator: separator)
    }
}
