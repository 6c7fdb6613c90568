/// The pages of a statement PDF as they fill: a cursor from the top down, a new page when the
/// next block does not fit (with a short header, and the table's header again when a table is
/// running), wrapped paragraphs, and the footers once the page count is known.
///
/// ```swift
/// let pages = try StatementPDFPages(pdf: pdf, text: text, heading: "Abrechnung Nr. 2026-0001")
/// try pages.paragraph("Der Betrag wird Ihnen überwiesen.", size: 9)
/// try pages.footers(left: "EEG Sonnenfeld · IBAN AT86 2011 1000 0000 4242")
/// ```
final class StatementPDFPages {
    let pdf: PDFDocument
    let text: StatementPDFText
    /// Repeated at the top of every further page.
    let heading: String
    private(set) var pages: [PDFPage] = []
    /// The top of the next block, in points from the bottom of the page.
    var y: Float = 0
    /// Set while a table runs: a page break repeats its header.
    var tableRunning = false

    /// The printable area: 45 pt (~16 mm) margins left and right, the footer below `bottom`.
    static let left: Float = 45
    static let right: Float = 550
    static let bottom: Float = 70
    static let accent = PDFColor(red: 0.16, green: 0.47, blue: 0.29)
    static let muted = PDFColor.gray(0.35)

    init(pdf: PDFDocument, text: StatementPDFText, heading: String) throws(PDFError) {
        self.pdf = pdf
        self.text = text
        self.heading = heading
        let first = try pdf.addPage()
        pages = [first]
        y = first.height - 50
    }

    var page: PDFPage { pages[pages.count - 1] }

    /// Starts a new page: the heading and a rule, then the table's header if a table is running.
    func newPage() throws(PDFError) {
        let next = try pdf.addPage()
        pages.append(next)
        let top = next.height - 45
        try next.text("\(heading) – \(text.continued)", x: Self.left, y: top, font: .bold, size: 9, color: Self.muted)
        try next.line(from: (Self.left, top - 6), to: (Self.right, top - 6), width: 0.5, color: Self.accent)
        y = top - 24
        if tableRunning { try tableHeader() }
    }

    /// Breaks the page unless `height` points fit above the footer.
    func ensure(_ height: Float) throws(PDFError) {
        if y - height < Self.bottom { try newPage() }
    }

    /// `paragraph` wrapped to the printable width (or `width`), a line at a time onto the pages.
    func paragraph(
        _ paragraph: String, size: Float, font: PDFFont = .regular, color: PDFColor = .black, x: Float = left, width: Float? = nil
    ) throws(PDFError) {
        let leading = size * 1.3
        for line in try wrap(paragraph, width: width ?? (Self.right - x), font: font, size: size) {
            try ensure(leading)
            try page.text(line, x: x, y: y - size, font: font, size: size, color: color)
            y -= leading
        }
    }

    /// `text` in lines no wider than `width`, broken at spaces (a word wider than the line is cut).
    func wrap(_ text: String, width: Float, font: PDFFont = .regular, size: Float) throws(PDFError) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if try page.textWidth(candidate, font: font, size: size) <= width {
                current = candidate
                continue
            }
            if !current.isEmpty { lines.append(current) }
            current = String(word)
            // A single word too wide for the line: cut it where it fits.
            while current.count > 1, try page.textWidth(current, font: font, size: size) > width {
                var head = current
                while head.count > 1, try page.textWidth(head, font: font, size: size) > width { head.removeLast() }
                lines.append(head)
                current = String(current.dropFirst(head.count))
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// `text` cut to `width` with an ellipsis if it is wider.
    func fitted(_ text: String, width: Float, font: PDFFont = .regular, size: Float) throws(PDFError) -> String {
        guard try page.textWidth(text, font: font, size: size) > width else { return text }
        var cut = text
        while cut.count > 1, try page.textWidth(cut + "…", font: font, size: size) > width { cut.removeLast() }
        return cut + "…"
    }

    /// On every page: a rule, `left` (the community and its account) and "Seite n von N".
    func footers(left: String) throws(PDFError) {
        for (i, page) in pages.enumerated() {
            let label = text.page(i + 1, of: pages.count)
            try page.line(from: (Self.left, 50), to: (Self.right, 50), width: 0.5, color: .gray(0.6))
            let room = try Self.right - Self.left - page.textWidth(label, size: 7.5) - 12
            try page.text(try fitted(left, width: room, size: 7.5), x: Self.left, y: 38, size: 7.5, color: Self.muted)
            try page.text(label, x: Self.right, y: 38, size: 7.5, color: Self.muted, align: .right)
        }
    }
}
