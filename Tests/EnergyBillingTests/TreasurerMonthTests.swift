import EnergyBilling
import EnergyCore
import EnergyJobs
import EnergyStore
import EnergyTestSupport
import Foundation
import Testing

/// The treasurer's month end to end on a store on disk: PDF invoices with the particulars, the
/// bank's SEPA files (valid against the ISO 20022 schemas, sums equal to the statements, FRST then
/// RCUR), members without SEPA data listed for bank transfer, and a correction by cancel and reissue.
@Suite(.serialized) struct TreasurerMonthTests {
    static let yaml = """
        community:
          id: eeg-kassa
          name: EEG Kassa
          timezone: Europe/Vienna
          allocation: dynamic
          vatId: ATU12345678
          address: {street: Hauptplatz 1, postalCode: "2000", city: Sonnenfeld, country: AT}
          sepa: {creditorId: AT88ZZZ00000000001, iban: AT862011100000004242, bic: GIBAATWWXXX}
        members:
          - id: P
            name: Sonnenhof Gruber
            address: {street: Feldweg 3, postalCode: "2000", city: Sonnenfeld, country: AT}
            sepa: {iban: AT823200000000002002, mandateId: MANDATE-P, mandateSignedOn: 2026-01-10}
            meteringPoints:
              - {zaehlpunkt: \(ThreeMemberCommunity.plant), direction: generation}
          - id: A
            name: Anna Müller
            address: {street: Weg 1, postalCode: "2000", city: Sonnenfeld, country: AT}
            sepa: {iban: AT463200000000001001, mandateId: MANDATE-0001, mandateSignedOn: 2026-01-15}
            meteringPoints:
              - {zaehlpunkt: \(ThreeMemberCommunity.pointA), direction: consumption}
          - id: B
            name: Bernd Berger
            meteringPoints:
              - {zaehlpunkt: \(ThreeMemberCommunity.pointB), direction: consumption, participation: 50}
        tariffs: {consumption: 0.1234, generation: 0.0875, memberFee: {amount: 3, per: month}, vat: {consumption: 20, generation: 10, memberFee: 20}}
        """

    func text(_ path: String) throws -> String {
        try PDFFixture.text(of: [UInt8](try #require(FileManager.default.contents(atPath: path))))
    }

    func xml(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func invoicesBankFilesAndACorrectionByCancelAndReissue() throws {
        let community = try CommunityFile.parse(Self.yaml, source: "kassa.yaml")
        let folder = TemporaryFolder()
        let store = try SQLiteStore(path: folder.path + "/e.sqlite")
        let fixture = BillingFixture(store: store, community: community, folder: folder)
        try fixture.add(from: "2026-10-01", to: "2026-12-01")
        let run = BillingRun(store: store, community: community)
        let all: Set<BillingRun.Format> = [.pdf, .xlsx, .csv, .sepa]
        func bill(_ period: String, _ dir: String) throws -> BillingRun.Result {
            try run.run(.init(period: try BillingPeriod(period), mode: .final, formats: all, directory: folder.path + "/" + dir))
        }

        let october = try bill("2026-10", "oct")
        #expect(october.numbers == ["2026-0001", "2026-0002", "2026-0003"])
        let (p, a, b) = (october.figures.statements[0], october.figures.statements[1], october.figures.statements[2])
        #expect(p.total.cents < 0 && a.total.cents > 0 && b.total.cents > 0)

        // The invoice carries the particulars (read back by pdftotext).
        let invoice = try text(folder.path + "/oct/statement-2026-0002-A.pdf")
        for particular in [
            "EEG Kassa", "Hauptplatz 1", "ATU12345678", "Anna Müller", "Weg 1", "2026-0002", "Oktober 2026", PDFFixture.german(a.total),
            "SEPA-Lastschrift", "MANDATE-0001", ThreeMemberCommunity.pointA,
        ] {
            #expect(invoice.contains(particular), "\(particular) in \(invoice)")
        }

        // Direct debits: A (owes, has a mandate), first collection; credit transfer: P (is owed).
        let debits = try SEPAValidator.check(try xml(folder.path + "/oct/sepa-direct-debits-2026-0001.xml"), schema: "pain.008.001.08")
        #expect(debits.valid, "\(debits.errors)")
        #expect(debits.payments.map(\.sequence) == ["FRST"] && debits.payments[0].endToEndIDs == ["2026-0002"])
        #expect(debits.controlSum == a.total.text && debits.payments[0].sumOfAmounts == a.total.text)
        let issuedOn = try #require(october.issuedOn)
        #expect(
            try xml(folder.path + "/oct/sepa-direct-debits-2026-0001.xml").contains(
                "<ReqdColltnDt>\(TargetCalendar.adding(businessDays: 5, to: issuedOn))</ReqdColltnDt>"))
        let credits = try SEPAValidator.check(try xml(folder.path + "/oct/sepa-credit-transfers-2026-0001.xml"), schema: "pain.001.001.09")
        #expect(credits.valid, "\(credits.errors)")
        #expect(credits.controlSum == (-p.total).text && credits.payments[0].endToEndIDs == ["2026-0001"])
        // B has no SEPA data: listed for a bank transfer, on screen and in a file.
        #expect(october.bankTransfers.map(\.number) == ["2026-0003"] && october.bankTransfers[0].amount == b.total)
        #expect(
            try String(contentsOfFile: folder.path + "/oct/bank-transfers-2026-0001.csv", encoding: .utf8).contains(
                "2026-0003,B,Bernd Berger,member_pays,\(b.total.text),EUR"))

        // November: A's mandate collects again, now recurring.
        _ = try bill("2026-11", "nov")
        let november = try SEPAValidator.check(try xml(folder.path + "/nov/sepa-direct-debits-2026-0004.xml"), schema: "pain.008.001.08")
        #expect(november.valid && november.payments.map(\.sequence) == ["RCUR"] && november.payments[0].endToEndIDs == ["2026-0005"])

        // A corrected October reading: cancel A's and B's statements (both shares changed).
        let qh = community.calendar.quarterHours(of: try LocalDate("2026-10-07")).lowerBound
        _ = try store.upsert([Reading(point: community.pointKeys[1], start: qh, milliwattHours: 2_000_000)], community: community)
        let job = RollupJob(store: store, community: community)
        _ = try job.run(try job.plan(.range(from: try LocalDate("2026-10-07"), to: try LocalDate("2026-10-08"))))
        var cancelled: [BillingRun.CancelResult] = []
        for number in ["2026-0002", "2026-0003"] {
            cancelled.append(
                try run.cancel(
                    .init(number: number, reason: "Zählerstand vom 7.10. korrigiert", formats: all, directory: folder.path + "/fix")))
        }
        #expect(cancelled.map(\.cancellation.number) == ["2026-0007", "2026-0008"])
        let storno = try text(folder.path + "/fix/cancellation-2026-0007-A.pdf")
        for particular in [
            "Stornorechnung", "Storniert Rechnung Nr. 2026-0002", "Zählerstand vom 7.10. korrigiert", PDFFixture.german(-a.total),
        ] {
            #expect(storno.contains(particular), "\(particular) in \(storno)")
        }
        // The refund of A's collection goes back to A's account; B is paid back by hand.
        let refund = try SEPAValidator.check(try xml(folder.path + "/fix/sepa-credit-transfers-2026-0007.xml"), schema: "pain.001.001.09")
        #expect(refund.valid && refund.controlSum == a.total.text && refund.payments[0].endToEndIDs == ["2026-0007"])
        #expect(cancelled[1].bankTransfers.contains { $0.number == "2026-0008" && $0.amount == -b.total })

        // The reissue: new numbers, a recurring collection for A, every other file as it was.
        let reissue = try bill("2026-10", "reissue")
        #expect(reissue.numbers == ["2026-0001", "2026-0009", "2026-0010"])
        let newA = reissue.figures.statements[1]
        #expect(try text(folder.path + "/reissue/statement-2026-0009-A.pdf").contains("Ersetzt Rechnung Nr. 2026-0002"))
        let again = try SEPAValidator.check(try xml(folder.path + "/reissue/sepa-direct-debits-2026-0009.xml"), schema: "pain.008.001.08")
        #expect(again.valid && again.payments.map(\.sequence) == ["RCUR"] && again.controlSum == newA.total.text)
        for name in [
            "statement-2026-0001-P.pdf", "statement-2026-0001-P.xlsx", "sepa-direct-debits-2026-0001.xml",
            "sepa-credit-transfers-2026-0001.xml",
            "bank-transfers-2026-0001.csv",
        ] {
            let first = FileManager.default.contents(atPath: folder.path + "/oct/" + name)
            #expect(first != nil && first == FileManager.default.contents(atPath: folder.path + "/reissue/" + name), "\(name)")
        }
        let rerun = try bill("2026-10", "rerun")
        #expect(rerun.reissued && rerun.numbers == reissue.numbers)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path + "/reissue") {
            #expect(
                FileManager.default.contents(atPath: folder.path + "/reissue/" + name)
                    == FileManager.default.contents(atPath: folder.path + "/rerun/" + name), "\(name)")
        }

        // A collection date the bank cannot use is refused, naming the next business day.
        do {
            var options = BillingRun.Options(
                period: try BillingPeriod("2026-10"), mode: .final, formats: [.sepa], directory: folder.path + "/sat")
            options.collectionDate = try LocalDate("2026-12-26")
            _ = try run.run(options)
            Issue.record("26 December is a TARGET holiday")
        } catch {
            #expect("\(error)".contains("2026-12-28"), "\(error)")
        }
    }
}
