import EnergyBilling
import EnergyCore
import EnergyTestSupport
import Foundation
import Testing

/// SEPA files validated against the real ISO 20022 XSDs (see `SEPAValidator`) and read back: the
/// counts and control sums the validator reads are compared with sums computed here from the cents.
struct SEPAFileTests {
    /// Valid IBANs (check digits computed with ISO 7064 mod 97).
    static let ibans = [
        "AT632011100000000000", "AT362011100000000001", "AT092011100000000002", "AT792011100000000003", "AT522011100000000004",
        "AT252011100000000005", "AT952011100000000006", "DE89370400440532013000",
    ]

    /// 2026-11-03T08:15:00Z in unix seconds.
    static let createdAt = Int64(LocalDate(year: 2026, month: 11, day: 3)?.daysSinceEpoch ?? 0) * 86_400 + 8 * 3600 + 15 * 60

    static func member(_ i: Int, _ name: String, bic: String? = nil) throws -> SEPAParty {
        SEPAParty(name: name, iban: try IBAN(ibans[i % ibans.count]), bic: try bic.map { text throws(BankingError) in try BIC(text) })
    }

    static func debit(_ number: String, _ cents: Int64, _ party: SEPAParty, _ sequence: SEPASequence) throws -> SEPATransaction {
        SEPATransaction(
            endToEndID: number, amount: Money(cents: cents), counterparty: party, remittance: "Abrechnung Oktober 2026, Rechnung \(number)",
            mandate: .init(id: "EEG-M-\(number)", signedOn: try LocalDate("2025-03-01"), sequence: sequence))
    }

    static func file(_ transactions: [SEPATransaction], bic: Bool = true, date: String = "2026-11-10") throws -> SEPAFile {
        let communityBIC = try BIC("GIBAATWWXXX")
        return SEPAFile(
            messageID: "EEG-2026-11", createdAt: createdAt, initiator: "EEG Sonnenfeld & Umgebung",
            account: SEPAParty(
                name: "EEG Sonnenfeld & Umgebung", iban: try IBAN("AT86 2011 1000 0000 4242"), bic: bic ? communityBIC : nil),
            creditorID: try CreditorID("AT32ZZZ0123456789"), date: try LocalDate(date), transactions: transactions)
    }

    /// The sum of the cents as the control sum's decimal text.
    static func sum(_ transactions: [SEPATransaction]) -> String { Money(cents: transactions.reduce(0) { $0 + $1.amount.cents }).text }

    @Test func firstAndRecurringDebitsGetOnePaymentBlockEach() throws {
        let debits = [
            try Self.debit("2026-0001", 4250, try Self.member(0, "Anna Amsel", bic: "GIBAATWWXXX"), .first),
            try Self.debit("2026-0002", 12_345, try Self.member(1, "Bernd Berger", bic: "BKAUATWW"), .recurring),
            try Self.debit("2026-0003", 1, try Self.member(7, "Clara Cramer", bic: "COBADEFFXXX"), .first),
        ]
        let xml = try #require(try SEPADirectDebitFile.xml(try Self.file(debits)))
        let report = try SEPAValidator.check(xml, schema: "pain.008.001.08")
        #expect(report.valid, "\(report.errors)")
        #expect(report.namespace == SEPADirectDebitFile.namespace)
        #expect(report.messageID == "EEG-2026-11")
        #expect(report.count == "3")
        #expect(report.controlSum == "165.96")  // 42.50 + 123.45 + 0.01
        #expect(report.controlSum == Self.sum(debits))
        #expect(report.payments.map(\.id) == ["EEG-2026-11-FRST", "EEG-2026-11-RCUR"])
        #expect(report.payments.map(\.sequence) == ["FRST", "RCUR"])
        #expect(report.payments.map(\.count) == ["2", "1"])
        #expect(report.payments.map(\.controlSum) == [Self.sum([debits[0], debits[2]]), Self.sum([debits[1]])])
        #expect(report.payments.map(\.sumOfAmounts) == ["42.51", "123.45"])
        #expect(report.payments.map(\.endToEndIDs) == [["2026-0001", "2026-0003"], ["2026-0002"]])
        for fragment in [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "<CreDtTm>2026-11-03T08:15:00Z</CreDtTm>",
            "<ReqdColltnDt>2026-11-10</ReqdColltnDt>",
            "<Cd>CORE</Cd>", "<ChrgBr>SLEV</ChrgBr>", "<Id>AT32ZZZ0123456789</Id>", "<Prtry>SEPA</Prtry>", "<BICFI>BKAUATWW</BICFI>",
            "<InstdAmt Ccy=\"EUR\">0.01</InstdAmt>", "<MndtId>EEG-M-2026-0002</MndtId>", "<DtOfSgntr>2025-03-01</DtOfSgntr>",
            "<Nm>EEG Sonnenfeld + Umgebung</Nm>",
        ] {
            #expect(xml.contains(fragment), "\(fragment)")
        }
    }

    @Test func withoutBICsEveryAgentSaysNotProvided() throws {
        let debits = [
            try Self.debit("2026-0001", 100, try Self.member(0, "Anna Amsel"), .recurring),
            try Self.debit("2026-0002", 200, try Self.member(1, "Bernd Berger"), .recurring),
        ]
        let xml = try #require(try SEPADirectDebitFile.xml(try Self.file(debits, bic: false)))
        let report = try SEPAValidator.check(xml, schema: "pain.008.001.08")
        #expect(report.valid, "\(report.errors)")
        #expect(!xml.contains("BICFI"))
        // The creditor's agent and each debtor's agent.
        #expect(xml.components(separatedBy: "<Id>NOTPROVIDED</Id>").count - 1 == 3)
        #expect(report.payments.map(\.sequence) == ["RCUR"])
    }

    @Test func namesAreTransliteratedEscapedAndCut() throws {
        let long = String(repeating: "Müller-Lüdenscheidt ", count: 6)  // 126 characters, more with ue
        let debits = [
            try Self.debit("2026-0001", 1000, try Self.member(0, "Jürgen Groß & Söhne <GmbH>"), .first),
            try Self.debit("2026-0002", 2000, try Self.member(1, "Ærøskøbing Čelaković 'O'Brien' \"Quote\""), .first),
            SEPATransaction(
                endToEndID: "2026-0003", amount: Money(cents: 3000), counterparty: try Self.member(2, long),
                remittance: "Zeile 1\nZeile 2 — 12 € " + String(repeating: "Überschuss ", count: 20),
                mandate: .init(id: "M-3", signedOn: try LocalDate("2026-11-10"), sequence: .first)),
        ]
        let xml = try #require(try SEPADirectDebitFile.xml(try Self.file(debits)))
        let report = try SEPAValidator.check(xml, schema: "pain.008.001.08")
        #expect(report.valid, "\(report.errors)")
        let names = report.payments.flatMap(\.names)
        #expect(names[0] == "Juergen Gross + Soehne GmbH")
        #expect(names[1] == "AEroskobing Celakovic 'O'Brien' 'Quote'")
        #expect(names[2].count == 70)
        #expect(names[2].hasPrefix("Mueller-Luedenscheidt Mueller-Luedenscheidt"))
        let remittance = report.payments.flatMap(\.remittances)[2]
        #expect(remittance.hasPrefix("Zeile 1 Zeile 2 - 12 EUR Ueberschuss Ueberschuss"))
        #expect(remittance.count <= 140)
        #expect(xml.contains("<Nm>AEroskobing Celakovic &apos;O&apos;Brien&apos; &apos;Quote&apos;</Nm>"))
        #expect(!xml.contains("&amp;") && !xml.contains("ü"))
    }

    /// 500 debits with pseudo-random amounts from 0.01 to 999999.99 (a fixed seed, so a failure
    /// repeats): the control sums read back equal the exact sums of the cents.
    @Test func fiveHundredRandomAmountsAddUpExactly() throws {
        var random = SplitMix64(seed: 20_261_103)
        var debits: [SEPATransaction] = []
        for i in 1...500 {
            let cents = Int64(random.next() % 99_999_999) + 1
            let sequence: SEPASequence = random.next() % 4 == 0 ? .first : .recurring
            let number = "2026-" + String(10_000 + i)
            debits.append(try Self.debit(number, cents, try Self.member(i, "Mitglied \(i)"), sequence))
        }
        let xml = try #require(try SEPADirectDebitFile.xml(try Self.file(debits)))
        let report = try SEPAValidator.check(xml, schema: "pain.008.001.08")
        #expect(report.valid, "\(report.errors)")
        #expect(report.count == "500")
        #expect(report.controlSum == Self.sum(debits))
        for (payment, sequence) in zip(report.payments, SEPASequence.allCases) {
            let batch = debits.filter { $0.mandate?.sequence == sequence }
            #expect(payment.count == String(batch.count))
            #expect(payment.controlSum == Self.sum(batch))
            #expect(payment.sumOfAmounts == Self.sum(batch))
            #expect(payment.endToEndIDs == batch.map(\.endToEndID))
        }
        #expect(report.payments.count == 2)
    }

    @Test func creditTransferFileIsValid() throws {
        let transfers = [
            SEPATransaction(
                endToEndID: "2026-0004", amount: Money(cents: 24_588), counterparty: try Self.member(3, "Peter Pröll", bic: "RZOOAT2L"),
                remittance: "Gutschrift Oktober 2026, 2026-0004"),
            SEPATransaction(
                endToEndID: "2026-0005", amount: Money(cents: 7), counterparty: try Self.member(4, "Solar & Söhne OG"),
                remittance: "Gutschrift 2026-0005",
                mandate: .init(id: "ignored", signedOn: try LocalDate("2030-01-01"), sequence: .first)),
        ]
        let xml = try #require(try SEPACreditTransferFile.xml(try Self.file(transfers)))
        let report = try SEPAValidator.check(xml, schema: "pain.001.001.09")
        #expect(report.valid, "\(report.errors)")
        #expect(report.namespace == SEPACreditTransferFile.namespace)
        #expect(report.count == "2")
        #expect(report.controlSum == "245.95")
        #expect(report.controlSum == Self.sum(transfers))
        #expect(report.payments.map(\.id) == ["EEG-2026-11-TRF"])
        #expect(report.payments.map(\.controlSum) == [Self.sum(transfers)])
        #expect(report.payments.map(\.sumOfAmounts) == ["245.95"])
        #expect(report.payments.flatMap(\.names) == ["Peter Proell", "Solar + Soehne OG"])
        #expect(xml.contains("<ReqdExctnDt>\n        <Dt>2026-11-10</Dt>\n      </ReqdExctnDt>"))
        #expect(xml.contains("<PmtMtd>TRF</PmtMtd>") && !xml.contains("SeqTp") && !xml.contains("Mndt"))
        // The payee's agent only where the BIC is known; the community's with its BIC.
        #expect(xml.components(separatedBy: "<CdtrAgt>").count - 1 == 1)
        #expect(xml.contains("<BICFI>GIBAATWWXXX</BICFI>"))
    }

    /// The validator check can fail: files broken on purpose are reported invalid.
    @Test func theValidatorRejectsBrokenFiles() throws {
        let debits = [try Self.debit("2026-0001", 4250, try Self.member(0, "Anna Amsel"), .first)]
        let xml = try #require(try SEPADirectDebitFile.xml(try Self.file(debits)))
        let withoutDate = xml.replacingOccurrences(of: "<ReqdColltnDt>2026-11-10</ReqdColltnDt>", with: "")
        #expect(withoutDate != xml)
        let negative = xml.replacingOccurrences(of: ">42.50</InstdAmt>", with: ">-42.50</InstdAmt>")
        #expect(negative != xml)
        let badSequence = xml.replacingOccurrences(of: "<SeqTp>FRST</SeqTp>", with: "<SeqTp>FIRST</SeqTp>")
        for broken in [withoutDate, negative, badSequence] {
            let report = try SEPAValidator.check(broken, schema: "pain.008.001.08")
            #expect(!report.valid)
            #expect(!report.errors.isEmpty)
        }
        // A direct debit is not a credit transfer.
        let asTransfer = try SEPAValidator.check(xml, schema: "pain.001.001.09")
        #expect(!asTransfer.valid)
    }

    @Test func noTransactionsNoFileAndTheSameInputGivesTheSameBytes() throws {
        let empty = try Self.file([])
        let none = (try SEPADirectDebitFile.xml(empty), try SEPACreditTransferFile.xml(empty))
        #expect(none.0 == nil && none.1 == nil)
        let debits = [
            try Self.debit("2026-0002", 500, try Self.member(1, "Bernd"), .recurring),
            try Self.debit("2026-0001", 400, try Self.member(0, "Anna"), .first),
        ]
        let file = try Self.file(debits)
        let debitTwice = (try SEPADirectDebitFile.xml(file), try SEPADirectDebitFile.xml(file))
        let transferTwice = (try SEPACreditTransferFile.xml(file), try SEPACreditTransferFile.xml(file))
        #expect(debitTwice.0 != nil && debitTwice.0 == debitTwice.1)
        #expect(transferTwice.0 != nil && transferTwice.0 == transferTwice.1)
    }

    /// `CreDtTm` is the creation time in UTC: 1_793_664_000 s is 2026-11-03T00:00:00Z (20760 days
    /// after 1970-01-01); one second before the epoch is 1969-12-31T23:59:59Z.
    @Test func theCreationTimeIsWrittenInUTC() throws {
        var file = try Self.file([try Self.debit("2026-0001", 400, try Self.member(0, "Anna"), .first)])
        file.createdAt = 1_793_664_000
        let midnight = try SEPADirectDebitFile.xml(file) ?? ""
        #expect(midnight.contains("<CreDtTm>2026-11-03T00:00:00Z</CreDtTm>"))
        file.createdAt = -1
        let beforeEpoch = try SEPACreditTransferFile.xml(file) ?? ""
        #expect(beforeEpoch.contains("<CreDtTm>1969-12-31T23:59:59Z</CreDtTm>"))
    }
}
