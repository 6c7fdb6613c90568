import EnergyBilling
import EnergyCore
import EnergyTestSupport
import Foundation
import Testing

/// Statement PDFs read back with poppler (pdftotext, pdfinfo, pdftoppm): the particulars, the
/// languages, cancellations and reissues, the payment notes, page flow, reproducibility, the
/// character set and where things are on the page.
@Suite struct StatementPDFTests {
    @Test func aGermanStatementShowsEveryParticular() throws {
        let document = try PDFFixture.document(points: 3)
        let bytes = try StatementPDF(document).render()
        #expect(bytes.starts(with: Array("%PDF-".utf8)))
        let text = try PDFFixture.text(of: bytes)
        for expected in [
            "EEG Sonnenfeld Süd", "Hauptplatz 1", "AT-2000 Sonnenfeld", "UID: ATU12345678", "Anna Müller-Weiß", "Lärchenweg 7",
            "Abrechnung Nr. 2026-0001", "04.12.2026", "Oktober 2026", "Mitgliedsnummer A", "Zählpunkt", "Bezogene Gemeinschaftsenergie",
            "Mitgliedsbeitrag", "USt. 20 % auf Gemeinschaftsenergie", "USt. 20 % auf Mitgliedsbeitrag", "0,1234 €",
            "Daten unvollständig: 12 von 2.976 Viertelstunden ohne Messwert.",
            "Aufteilung: die des Netzbetreibers (EDA) für 2.900 von 2.964 Viertelstunden", "Seite 1 von 1",
            "Verbrauch und Gemeinschaftsenergie je Tag", "IBAN AT86 2011 1000 0000 4242",
        ] {
            #expect(text.contains(expected), "\(expected) in the PDF's text")
        }
        for line in document.lines {
            #expect(text.contains(PDFFixture.german(line.amount)), "amount \(PDFFixture.german(line.amount))")
            if let energy = line.energy { #expect(text.contains(PDFFixture.german(energy)), "energy \(PDFFixture.german(energy))") }
            if let zaehlpunkt = line.zaehlpunkt { #expect(text.contains(zaehlpunkt.description)) }
        }
        // The figures are the sums of the lines, formatted the German way.
        let net = document.lines.filter { $0.kind != .vat }.reduce(Money.zero) { $0 + $1.amount }
        let vat = document.lines.filter { $0.kind == .vat }.reduce(Money.zero) { $0 + $1.amount }
        #expect(net.cents > 100_000, "the net amount needs a thousands separator")
        #expect(text.contains("Netto \(PDFFixture.german(net))"))
        #expect(text.contains("USt. \(PDFFixture.german(vat))"))
        #expect(text.contains("Gesamtbetrag \(PDFFixture.german(net + vat))"))
        #expect(PDFFixture.german(Energy(milliwattHours: 1_234_567_891)) == "1.234,568 kWh")
    }

    @Test func anEnglishStatementIsInEnglish() throws {
        let document = try PDFFixture.document(language: .en)
        let text = try PDFFixture.text(of: try StatementPDF(document).render())
        let english = PDFFixture.english(document.total)
        #expect(document.total.cents > 100_000, "the total needs a thousands separator")
        for expected in [
            "Statement No. 2026-0001", "2026-12-04", "October 2026", "Member no. A", "Metering point", "Community energy received",
            "VAT 20 % on community energy", "Total \(english)", "Page 1 of 1", "VAT ID: ATU12345678",
            "Allocation: the grid operator's allocation (EDA) for 2900 of 2964 quarter hours",
            "Data incomplete: 12 of 2,976 quarter hours without a reading.", "Please transfer the amount to IBAN AT86 2011 1000 0000 4242",
        ] {
            #expect(text.contains(expected), "\(expected) in the PDF's text")
        }
        #expect(!text.contains("Gesamtbetrag") && !text.contains("Seite"))
    }

    @Test func aCancellationNegatesTheAmountsAndNamesTheStatementAndReason() throws {
        let document = try PDFFixture.document(
            kind: .cancellation, number: "2026-0007", reference: "2026-0001", reason: "Falscher Zählpunkt zugeordnet",
            member: try PDFFixture.member(mandate: true))
        #expect(document.total.cents < 0)
        let text = try PDFFixture.text(of: try StatementPDF(document).render())
        for expected in [
            "Stornorechnung Nr. 2026-0007", "Storniert Rechnung Nr. 2026-0001", "Grund: Falscher Zählpunkt zugeordnet",
            "Gesamtbetrag \(PDFFixture.german(document.total))", "Der Betrag wird Ihnen auf IBAN AT46 3200 0000 0000 1001 überwiesen.",
        ] {
            #expect(text.contains(expected), "\(expected) in the PDF's text")
        }
        for line in document.lines { #expect(text.contains(PDFFixture.german(line.amount)) && line.amount.cents < 0) }
    }

    @Test func aReissueNamesTheStatementItReplaces() throws {
        let text = try PDFFixture.text(of: try StatementPDF(try PDFFixture.document(number: "2026-0008", reference: "2026-0001")).render())
        #expect(text.contains("Abrechnung Nr. 2026-0008") && text.contains("Ersetzt Rechnung Nr. 2026-0001"))
        #expect(!text.contains("Storniert") && !text.contains("Grund:"))
        let english = try PDFFixture.text(
            of: try StatementPDF(try PDFFixture.document(number: "2026-0008", reference: "2026-0001", language: .en)).render())
        #expect(english.contains("Replaces statement 2026-0001"))
    }

    @Test func thePaymentNoteFollowsTheMandateAndTheSign() throws {
        let debit = try PDFFixture.text(
            of: try StatementPDF(try PDFFixture.document(member: try PDFFixture.member(mandate: true))).render())
        #expect(
            debit.contains(
                "Der Betrag wird per SEPA-Lastschrift (Mandat MANDATE-0001, Gläubiger-ID AT88ZZZ00000000001) von IBAN AT46 3200 0000 0000 1001 eingezogen."
            ))
        let transfer = try PDFFixture.text(of: try StatementPDF(try PDFFixture.document()).render())
        #expect(
            transfer.contains(
                "Bitte überweisen Sie den Betrag auf IBAN AT86 2011 1000 0000 4242 (BIC GIBAATWWXXX) unter Angabe der Nummer 2026-0001."))
        let noAccount = try PDFFixture.text(of: try StatementPDF(try PDFFixture.document(bank: false)).render())
        #expect(noAccount.contains("Bitte überweisen Sie den Betrag unter Angabe der Nummer 2026-0001.") && !noAccount.contains("IBAN"))
        let creditDocument = try PDFFixture.document(credit: true)
        #expect(creditDocument.total.cents < 0)
        let credit = try PDFFixture.text(of: try StatementPDF(creditDocument).render())
        #expect(credit.contains("Der Betrag wird Ihnen überwiesen.") && credit.contains("Von der Gemeinschaft abgenommene Energie"))
        #expect(!credit.contains("Lastschrift") && !credit.contains("Bitte überweisen"))
        let preview = try PDFFixture.text(of: try StatementPDF(try PDFFixture.document(kind: .preview, number: nil)).render())
        #expect(preview.contains("Vorschau") && preview.contains("bitte nicht bezahlen") && !preview.contains("Nr."))
    }

    @Test func sixtyLinesFlowOntoFurtherPagesWithTheHeaderRepeated() throws {
        let document = try PDFFixture.document(points: 60)
        let bytes = try StatementPDF(document).render()
        let pages = try #require(try PDFFixture.pageCount(of: bytes))
        #expect(pages >= 2)
        let text = try PDFFixture.text(of: bytes)
        for point in 1...60 { #expect(text.contains(try PDFFixture.zaehlpunkt(point).description), "point \(point)") }
        for line in document.lines { #expect(text.contains(PDFFixture.german(line.amount))) }
        #expect(text.contains("Seite 1 von \(pages)") && text.contains("Seite \(pages) von \(pages)"))
        #expect(text.contains("Abrechnung Nr. 2026-0001 – Fortsetzung"))
        // The table's header on the first page and again on the next.
        #expect(text.components(separatedBy: "Position Zählpunkt Energie Preis/kWh USt. Betrag").count - 1 >= 2)
        #expect(text.contains("Gesamtbetrag \(PDFFixture.german(document.total))"))
    }

    @Test func renderingTwiceGivesTheSameBytesWithTheCreationDateOfThePeriod() throws {
        let document = try PDFFixture.document(points: 5)
        let first = try StatementPDF(document).render()
        let second = try StatementPDF(document).render()
        #expect(first == second)
        // The day after the period, 00:00 UTC; no /ID (libharu writes one only when encrypting).
        let next = document.period.to
        let date = String(format: "D:%04d%02d%02d000000+00'00'", next.year, next.month, next.day)
        let raw = String(decoding: first, as: UTF8.self)
        #expect(raw.contains("/CreationDate (\(date))"))
        #expect(!raw.contains("/ID"))
        var other = document
        other.number = "2026-0002"
        #expect(try StatementPDF(other).render() != first)
    }

    @Test func umlautsTheEuroSignAndDashesSurvive() throws {
        let name = "Jörg Größer-Übel – Bäckerei € ÄÖÜ äöü ß"
        let text = try PDFFixture.text(of: try StatementPDF(try PDFFixture.document(member: try PDFFixture.member(name: name))).render())
        #expect(text.contains(name))
        // A character WinAnsiEncoding lacks prints as a question mark.
        let greek = try PDFFixture.text(
            of: try StatementPDF(try PDFFixture.document(member: try PDFFixture.member(name: "Ωmega Ltd"))).render())
        #expect(greek.contains("?mega Ltd"))
    }

    @Test func writingIntoAMissingFolderSaysSo() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/missing/statement.pdf"
        let error = try #require(throws: PDFError.self) { try StatementPDF(try PDFFixture.document()).write(to: path) }
        #expect(error.code == 0x1017 && error.description.contains(path) && error.description.contains("does the folder exist"))
        try StatementPDF(try PDFFixture.document()).write(to: folder.path + "/statement.pdf")
        #expect(try PDFFixture.pageCount(of: Array(try Data(contentsOf: URL(fileURLWithPath: folder.path + "/statement.pdf")))) == 1)
    }
}
