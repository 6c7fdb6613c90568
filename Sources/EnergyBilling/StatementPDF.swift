import EnergyCore

/// One statement document as a PDF: A4 portrait, in the community's language (German unless it
/// says English). The community's name, address and UID at the top, the member's name and address
/// in the window of a DIN envelope, the title, number, date, period and member number; the lines in
/// a table that flows onto further pages (its header repeated), net, VAT and total; how the total is
/// paid, how complete the data is and whose allocation the shares are; a chart of the member's
/// days; on every page a footer with the community, its IBAN and "Seite n von N".
///
/// The bytes depend on the document only: the creation date in the metadata is 00:00 UTC of the
/// day after the period (as in the XLSX statements), so a rerun writes the same file.
///
/// ```swift
/// let document = StatementDocument(figures: figures, memberIndex: 0, kind: .statement, number: "2026-0001", issuedOn: today)
/// let bytes = try StatementPDF(document).render()     // [UInt8], starting with "%PDF-"
/// try StatementPDF(document).write(to: "out/2026-10_A_2026-0001.pdf")
/// ```
public struct StatementPDF: Sendable {
    public let document: StatementDocument

    public init(_ document: StatementDocument) { self.document = document }

    /// The PDF's bytes.
    public func render() throws(PDFError) -> [UInt8] {
        try draw().bytes()
    }

    /// Writes the PDF to `path` (the folder must exist).
    public func write(to path: String) throws(PDFError) {
        try draw().write(to: path)
    }

    private var text: StatementPDFText { StatementPDFText(language: document.community.language, currency: document.currency) }

    /// "Abrechnung Nr. 2026-0001", "Vorschau": the title and the number.
    private var heading: String {
        text.title(document.kind) + (document.number.map { " " + text.numbered($0) } ?? "")
    }

    private func draw() throws(PDFError) -> PDFDocument {
        let pdf = try PDFDocument(
            created: document.period.to, title: "\(heading) \(document.period.label) \(document.member.id)", author: document.community.name
        )
        let pages = try StatementPDFPages(pdf: pdf, text: text, heading: heading)
        try header(pages)
        try pages.table(document.lines)
        try pages.totals(net: document.net, vat: document.vat, total: document.total)
        try notes(pages)
        try StatementPDFChart(days: document.days, consumed: document.consumedPerDay, shared: document.sharedPerDay).draw(on: pages)
        var footer = document.community.name
        if let account = document.community.bankAccount { footer += " · IBAN \(account.iban.grouped)" }
        if let vatID = document.community.vatID { footer += " · \(text.vatIDLabel) \(vatID)" }
        try pages.footers(left: footer)
        return pdf
    }

    /// The community (top right), the sender line and the member (window, top left), the
    /// particulars (right of the window), the title and what the document cancels or replaces.
    private func header(_ pages: StatementPDFPages) throws(PDFError) {
        let page = pages.page
        let community = document.community
        let top = page.height
        let right = StatementPDFPages.right
        try page.fill(
            x: StatementPDFPages.left, y: top - 32, width: right - StatementPDFPages.left, height: 3, color: StatementPDFPages.accent)
        var y = top - 52
        try page.text(
            try pages.fitted(community.name, width: 300, font: .bold, size: 13), x: right, y: y, font: .bold, size: 13, align: .right)
        var communityLines = community.address?.lines ?? []
        if let vatID = community.vatID { communityLines.append("\(text.vatIDLabel): \(vatID)") }
        for line in communityLines {
            y -= 11
            try page.text(line, x: right, y: y, size: 8.5, color: StatementPDFPages.muted, align: .right)
        }

        // The sender line and the address in the window of a DIN envelope (20 mm from the left,
        // 45 to 90 mm from the top: 1 mm is 72 / 25.4 points).
        let mm: Float = 72 / 25.4
        let windowLeft = 20 * mm
        let sender = ([community.name] + (community.address?.lines ?? [])).joined(separator: " · ")
        try page.text(
            try pages.fitted(sender, width: 85 * mm, size: 6.5), x: windowLeft, y: top - 45 * mm, size: 6.5, color: StatementPDFPages.muted)
        try page.line(from: (windowLeft, top - 45 * mm - 2), to: (windowLeft + 85 * mm, top - 45 * mm - 2), width: 0.3, color: .gray(0.6))
        y = top - 50 * mm - 10
        for (i, line) in ([document.member.name] + (document.member.address?.lines ?? [])).enumerated() {
            try page.text(
                try pages.fitted(line, width: 85 * mm, font: i == 0 ? .bold : .regular, size: 10), x: windowLeft, y: y,
                font: i == 0 ? .bold : .regular, size: 10)
            y -= 12.5
        }

        // The particulars, right of the window.
        var particulars: [(String, String)] = []
        if let number = document.number { particulars.append((text.numberLabel, number)) }
        if let issued = document.issuedOn { particulars.append((text.dateLabel, text.date(issued))) }
        particulars.append((text.periodLabel, text.period(document.period)))
        particulars.append((text.memberLabel, document.member.id))
        y = top - 50 * mm - 10
        for (label, value) in particulars {
            try page.text(label, x: 350, y: y, size: 9, color: StatementPDFPages.muted)
            try page.text(try pages.fitted(value, width: 125, size: 9), x: right, y: y, size: 9, align: .right)
            y -= 13
        }

        // The title 100 mm from the top, then what this document cancels or replaces, and why.
        pages.y = top - 100 * mm
        try page.text(heading, x: StatementPDFPages.left, y: pages.y - 16, font: .bold, size: 16)
        pages.y -= 24
        if let reference = document.reference {
            let line = document.kind == .cancellation ? text.cancels(reference) : text.replaces(reference)
            try pages.paragraph(line, size: 10, font: .bold)
        }
        if document.kind == .cancellation, let reason = document.reason { try pages.paragraph(text.reason(reason), size: 10) }
        pages.y -= 10
    }

    /// Payment, data completeness and allocation, each a paragraph.
    private func notes(_ pages: StatementPDFPages) throws(PDFError) {
        pages.y -= 4
        try pages.paragraph(text.paymentNote(document), size: 9)
        pages.y -= 4
        try pages.paragraph(
            text.completeness(missing: document.missingQuarterHours, of: document.expectedQuarterHours), size: 8.5,
            color: StatementPDFPages.muted)
        try pages.paragraph(text.allocation(document.allocationNote), size: 8.5, color: StatementPDFPages.muted)
        pages.y -= 16
    }
}
