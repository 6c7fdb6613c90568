import CHaru
import EnergyCore

// The only file that touches libharu: a thin, safe wrapper. A document and its pages belong to
// one thread at a time (libharu keeps no global state, each document its own memory).

/// A PDF document being drawn: A4 pages, the built-in fonts Helvetica and Helvetica-Bold
/// (WinAnsiEncoding; text is converted to CP1252, a character it lacks prints as `?`), text,
/// lines and filled rectangles. Coordinates are PDF points (1/72 inch) from the page's bottom
/// left corner. The output is byte-reproducible: the creation date is the one given here, and
/// libharu writes neither the clock nor a document /ID (it would only for an encrypted file).
///
/// ```swift
/// let pdf = try PDFDocument(created: try LocalDate("2026-11-01"), title: "Statement 2026-0001", author: "EEG Sonnenfeld")
/// let page = try pdf.addPage()
/// try page.text("Abrechnung", x: 56, y: page.height - 56, font: .bold, size: 16)
/// try page.text("1.234,56 €", x: page.width - 56, y: 700, size: 10, align: .right)
/// try page.line(from: (56, 690), to: (page.width - 56, 690))
/// let bytes = try pdf.bytes()
/// ```
final class PDFDocument {
    private let handle: HPDF_Doc
    /// Where libharu's error handler records the first error since the last check.
    private let errors: UnsafeMutablePointer<ErrorRecord>
    private let regular: HPDF_Font
    private let boldFont: HPDF_Font

    struct ErrorRecord {
        var code: HPDF_STATUS = 0
        var detail: HPDF_STATUS = 0
    }

    /// A document whose metadata says it was created at 00:00 UTC of `created`.
    init(created: LocalDate, title: String, author: String) throws(PDFError) {
        let record = UnsafeMutablePointer<ErrorRecord>.allocate(capacity: 1)
        record.initialize(to: ErrorRecord())
        // A C function pointer cannot capture anything: the record travels as libharu's user data.
        let handler: HPDF_Error_Handler = { code, detail, userData in
            guard let record = userData?.assumingMemoryBound(to: ErrorRecord.self) else { return }
            if record.pointee.code == 0 { record.pointee = ErrorRecord(code: code, detail: detail) }
        }
        guard let document = HPDF_New(handler, record) else {
            record.deallocate()
            throw PDFError(code: UInt(HPDF_FAILD_TO_ALLOC_MEM), detail: 0, doing: "creating a PDF document")
        }
        handle = document
        errors = record
        // Until every stored property is set, a throw would skip deinit: free by hand on the way out.
        do throws(PDFError) {
            try Self.check(HPDF_SetCompressionMode(document, UInt32(HPDF_COMP_ALL)), record, document, "setting the compression")
            var date = HPDF_Date()
            date.year = Int32(created.year)
            date.month = Int32(created.month)
            date.day = Int32(created.day)
            // "+00'00'" rather than "Z": libharu 2.3 writes "Z00'00'" for Z, which is not well-formed.
            date.ind = CChar(UInt8(ascii: "+"))
            try Self.check(HPDF_SetInfoDateAttr(document, HPDF_INFO_CREATION_DATE, date), record, document, "setting the creation date")
            try Self.check(HPDF_SetInfoAttr(document, HPDF_INFO_TITLE, WinAnsiText.cString(title)), record, document, "setting the title")
            try Self.check(
                HPDF_SetInfoAttr(document, HPDF_INFO_AUTHOR, WinAnsiText.cString(author)), record, document, "setting the author")
            regular = try Self.font(document, record, "Helvetica")
            boldFont = try Self.font(document, record, "Helvetica-Bold")
        } catch {
            HPDF_Free(document)
            record.deallocate()
            throw error
        }
    }

    deinit {
        HPDF_Free(handle)
        errors.deallocate()
    }

    /// A new A4 portrait page at the end of the document.
    func addPage() throws(PDFError) -> PDFPage {
        let page = HPDF_AddPage(handle)
        try check(page == nil ? 1 : 0, "adding a page")
        guard let page else { throw PDFError(code: 0, detail: 0, doing: "adding a page") }
        try check(HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT), "setting the page size")
        return PDFPage(handle: page, document: self)
    }

    /// The finished document's bytes.
    func bytes() throws(PDFError) -> [UInt8] {
        try check(HPDF_SaveToStream(handle), "writing the PDF to memory")
        let size = HPDF_GetStreamSize(handle)
        var read: HPDF_UINT32 = size
        var bytes = [UInt8](repeating: 0, count: Int(size))
        // The stream is read in one call of exactly its size, so libharu reports no end of stream.
        let status = bytes.withUnsafeMutableBufferPointer { HPDF_ReadFromStream(handle, $0.baseAddress, &read) }
        try check(status, "reading the PDF from memory")
        guard read == size else { throw PDFError(code: 0, detail: 0, doing: "reading the PDF from memory (\(read) of \(size) bytes)") }
        return bytes
    }

    /// Writes the finished document to `path`.
    func write(to path: String) throws(PDFError) {
        try check(HPDF_SaveToFile(handle, path), "writing \(path)")
    }

    // MARK: For the pages

    fileprivate func font(_ font: PDFFont) -> HPDF_Font { font == .bold ? boldFont : regular }

    /// Throws if `status` is not HPDF_OK or libharu reported an error since the last check, and
    /// clears the error so the document can be freed (and, in principle, used) afterwards.
    fileprivate func check(_ status: HPDF_STATUS, _ doing: @autoclosure () -> String) throws(PDFError) {
        try Self.check(status, errors, handle, doing())
    }

    private static func check(
        _ status: HPDF_STATUS, _ errors: UnsafeMutablePointer<ErrorRecord>, _ document: HPDF_Doc, _ doing: @autoclosure () -> String
    ) throws(PDFError) {
        let record = errors.pointee
        guard status != 0 || record.code != 0 else { return }
        errors.pointee = ErrorRecord()
        HPDF_ResetError(document)
        throw PDFError(code: UInt(record.code != 0 ? record.code : status), detail: UInt(record.detail), doing: doing())
    }

    private static func font(
        _ document: HPDF_Doc, _ errors: UnsafeMutablePointer<ErrorRecord>, _ name: String
    ) throws(PDFError) -> HPDF_Font {
        let font = HPDF_GetFont(document, name, "WinAnsiEncoding")
        try check(font == nil ? 1 : 0, errors, document, "loading the font \(name)")
        guard let font else { throw PDFError(code: 0, detail: 0, doing: "loading the font \(name)") }
        return font
    }
}

enum PDFFont { case regular, bold }

enum PDFAlignment { case left, right }

/// A colour by its red, green and blue parts (0 … 1).
struct PDFColor: Equatable {
    var red, green, blue: Float
    static let black = PDFColor(red: 0, green: 0, blue: 0)
    static let white = PDFColor(red: 1, green: 1, blue: 1)
    static func gray(_ level: Float) -> PDFColor { PDFColor(red: level, green: level, blue: level) }
}

/// One page of a `PDFDocument`; valid while the document is.
struct PDFPage {
    fileprivate let handle: HPDF_Page
    fileprivate unowned let document: PDFDocument

    var width: Float { HPDF_Page_GetWidth(handle) }
    var height: Float { HPDF_Page_GetHeight(handle) }

    /// How wide `text` is in `font` at `size` points.
    func textWidth(_ text: String, font: PDFFont = .regular, size: Float) throws(PDFError) -> Float {
        try document.check(HPDF_Page_SetFontAndSize(handle, document.font(font), size), "setting the font size \(size)")
        let width = HPDF_Page_TextWidth(handle, WinAnsiText.cString(text))
        try document.check(0, "measuring '\(text)'")
        return width
    }

    /// `text` with its baseline at `y`, starting at `x` (left) or ending there (right).
    func text(
        _ text: String, x: Float, y: Float, font: PDFFont = .regular, size: Float, color: PDFColor = .black, align: PDFAlignment = .left
    ) throws(PDFError) {
        let bytes = WinAnsiText.cString(text)
        try document.check(HPDF_Page_SetFontAndSize(handle, document.font(font), size), "setting the font size \(size)")
        let left = align == .left ? x : x - HPDF_Page_TextWidth(handle, bytes)
        try document.check(HPDF_Page_SetRGBFill(handle, color.red, color.green, color.blue), "setting the text colour")
        try document.check(HPDF_Page_BeginText(handle), "writing '\(text)'")
        try document.check(HPDF_Page_TextOut(handle, left, y, bytes), "writing '\(text)'")
        try document.check(HPDF_Page_EndText(handle), "writing '\(text)'")
    }

    /// A straight line.
    func line(from start: (x: Float, y: Float), to end: (x: Float, y: Float), width: Float = 0.5, color: PDFColor = .black) throws(PDFError)
    {
        try document.check(HPDF_Page_SetLineWidth(handle, width), "setting the line width \(width)")
        try document.check(HPDF_Page_SetRGBStroke(handle, color.red, color.green, color.blue), "setting the line colour")
        try document.check(HPDF_Page_MoveTo(handle, start.x, start.y), "drawing a line")
        try document.check(HPDF_Page_LineTo(handle, end.x, end.y), "drawing a line")
        try document.check(HPDF_Page_Stroke(handle), "drawing a line")
    }

    /// A filled rectangle whose bottom left corner is at (`x`, `y`).
    func fill(x: Float, y: Float, width: Float, height: Float, color: PDFColor) throws(PDFError) {
        try document.check(HPDF_Page_SetRGBFill(handle, color.red, color.green, color.blue), "setting the fill colour")
        try document.check(HPDF_Page_Rectangle(handle, x, y, width, height), "drawing a rectangle")
        try document.check(HPDF_Page_Fill(handle), "filling a rectangle")
    }
}
