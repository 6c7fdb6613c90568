/// What went wrong making a PDF: what was being done, libharu's error number and what it means.
///
/// ```swift
/// do {
///     try StatementPDF(document).write(to: "/no/such/folder/M001.pdf")
/// } catch let error as PDFError {
///     print(error)   // writing /no/such/folder/M001.pdf: cannot create the file (does the folder exist …?) (libharu error 0x1017 …)
/// }
/// ```
public struct PDFError: Error, Equatable, CustomStringConvertible {
    /// libharu's error number (`HPDF_*` in hpdf_error.h); 0 if libharu reported none.
    public var code: UInt
    /// libharu's detail number (often the system's errno); 0 if none.
    public var detail: UInt
    /// What was being done, e.g. `writing out/M001.pdf`.
    public var doing: String

    public init(code: UInt, detail: UInt, doing: String) {
        self.code = code
        self.detail = detail
        self.doing = doing
    }

    public var description: String {
        guard code != 0 else { return "\(doing): failed" }
        let hex = String(code, radix: 16, uppercase: true)
        return "\(doing): \(Self.meaning(code)) (libharu error 0x\(hex), detail \(detail))"
    }

    /// What the errors a caller can run into mean, and what to do; the numbers are those of hpdf_error.h.
    static func meaning(_ code: UInt) -> String {
        switch code {
        case 0x1015: return "out of memory"  // HPDF_FAILD_TO_ALLOC_MEM
        case 0x1016: return "the file could not be written (is the disk full?)"  // HPDF_FILE_IO_ERROR
        case 0x1017: return "cannot create the file (does the folder exist and is it writable?)"  // HPDF_FILE_OPEN_ERROR
        case 0x1021: return "this libharu was built without zlib and cannot compress"  // HPDF_INVALID_COMPRESSION_MODE
        case 0x1022: return "the date is not valid"  // HPDF_INVALID_DATE_TIME
        case 0x102B, 0x102F: return "unknown font or encoding (only the 14 built-in fonts are available)"
        case 0x1050: return "the font size is out of range"  // HPDF_PAGE_INVALID_FONT_SIZE
        case 0x1051: return "drawing operations in the wrong order (a bug in the caller)"  // HPDF_PAGE_INVALID_GMODE
        case 0x1057: return "a coordinate or size is out of range"  // HPDF_REAL_OUT_OF_RANGE
        case 0x105B: return "the text is too long"  // HPDF_STRING_OUT_OF_RANGE
        case 0x1066: return "compressing failed (zlib)"  // HPDF_ZLIB_ERROR
        default: return "libharu failed; see hpdf_error.h for the number"
        }
    }
}
