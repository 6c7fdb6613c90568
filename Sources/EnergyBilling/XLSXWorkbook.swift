import CXLSXWriter
import Foundation

// The only file that touches libxlsxwriter: a thin, safe wrapper. A workbook and its sheets,
// formats and charts belong to one thread at a time; nothing here is shared between workbooks.

/// An XLSX file being written. Cells are written sheet by sheet, row by row (the workbook runs in
/// libxlsxwriter's constant-memory mode, so a finished row is already on disk); `close()` writes
/// the file. The file is byte-reproducible: the creation time in its metadata is the `created`
/// given here, not the clock.
///
/// ```swift
/// let book = try XLSXWorkbook(path: "out.xlsx", created: 1_793_487_600, title: "Statement")
/// let sheet = try book.addSheet("Summary")
/// let money = book.addFormat(numberFormat: "#,##0.00")
/// try sheet.write(0, 0, "Total")
/// try sheet.write(0, 1, 12.5, money)
/// try book.close()
/// ```
final class XLSXWorkbook {
    private var handle: UnsafeMutablePointer<lxw_workbook>?
    let path: String
    private let temporaryFolder: UnsafeMutablePointer<CChar>?

    /// libxlsxwriter writes every part of the file to a temporary file before zipping it: in
    /// memory (`/dev/shm`) when the machine has it, which saves much of the time spent in the kernel.
    static let temporaryFolderPath: String? = {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory) && isDirectory.boolValue
            && FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : nil
    }()

    init(path: String, created: Int64, title: String, author: String = "", company: String = "") throws(XLSXError) {
        self.path = path
        temporaryFolder = Self.temporaryFolderPath.map { strdup($0) }
        var options = lxw_workbook_options(constant_memory: 1, tmpdir: temporaryFolder, use_zip64: 0)
        guard let workbook = workbook_new_opt(path, &options) else {
            throw XLSXError(path: path, message: "cannot create the file (does the folder exist and is it writable?)")
        }
        handle = workbook
        // The strings are copied by libxlsxwriter; ours are freed right after.
        let owned: [UnsafeMutablePointer<CChar>?] = [strdup(title), strdup(author), strdup(company)]
        defer { for pointer in owned { free(pointer) } }
        var properties = lxw_doc_properties()
        properties.title = owned[0]
        properties.author = owned[1]
        properties.company = owned[2]
        properties.created = time_t(created)
        try check(workbook_set_properties(workbook, &properties), "setting the document properties")
    }

    deinit {
        // Not closed (an error on the way): release the memory and temporary files, write nothing.
        if let handle { lxw_workbook_free(handle) }
        free(temporaryFolder)
    }

    private var workbook: UnsafeMutablePointer<lxw_workbook> {
        guard let handle else { preconditionFailure("XLSX workbook \(path) used after close") }
        return handle
    }

    func addSheet(_ name: String) throws(XLSXError) -> XLSXSheet {
        guard let sheet = workbook_add_worksheet(workbook, name) else {
            throw XLSXError(path: path, message: "cannot add a sheet named '\(name)' (at most 31 characters, no []:*?/\\)")
        }
        return XLSXSheet(pointer: sheet, path: path)
    }

    /// A cell format: an Excel number format code (e.g. `yyyy-mm-dd`, `#,##0.00`) and/or bold.
    func addFormat(numberFormat: String? = nil, bold: Bool = false) -> XLSXFormat {
        let format = workbook_add_format(workbook)
        if let format {
            if let numberFormat { format_set_num_format(format, numberFormat) }
            if bold { format_set_bold(format) }
        }
        return XLSXFormat(pointer: format)
    }

    func addChart(_ kind: XLSXChart.Kind) throws(XLSXError) -> XLSXChart {
        let type: Int
        switch kind {
        case .line: type = Int(LXW_CHART_LINE.rawValue)
        case .column: type = Int(LXW_CHART_COLUMN.rawValue)
        }
        guard let chart = workbook_add_chart(workbook, UInt8(type)) else { throw XLSXError(path: path, message: "cannot add a chart") }
        return XLSXChart(pointer: chart)
    }

    /// Writes the file. The workbook cannot be used afterwards.
    func close() throws(XLSXError) {
        guard let handle else { return }
        self.handle = nil
        try check(workbook_close(handle), "writing the file")
    }

    private func check(_ error: lxw_error, _ doing: String) throws(XLSXError) {
        guard error != LXW_NO_ERROR else { return }
        throw XLSXError(path: path, message: "\(doing): \(String(cString: lxw_strerror(error)))")
    }
}

/// A cell format of one workbook (nil pointer: the default format).
struct XLSXFormat {
    fileprivate let pointer: UnsafeMutablePointer<lxw_format>?
    static var none: XLSXFormat { XLSXFormat(pointer: nil) }
}

/// One sheet of a workbook. Rows are written in ascending order (constant-memory mode).
struct XLSXSheet {
    fileprivate let pointer: UnsafeMutablePointer<lxw_worksheet>
    let path: String

    func write(_ row: Int, _ column: Int, _ text: String, _ format: XLSXFormat = .none) throws(XLSXError) {
        try check(worksheet_write_string(pointer, lxw_row_t(row), lxw_col_t(column), text, format.pointer), row, column)
    }

    func write(_ row: Int, _ column: Int, _ number: Double, _ format: XLSXFormat = .none) throws(XLSXError) {
        try check(worksheet_write_number(pointer, lxw_row_t(row), lxw_col_t(column), number, format.pointer), row, column)
    }

    /// A formula with the value it computes, so readers that do not calculate (or calculate
    /// lazily) still show the figure.
    func write(_ row: Int, _ column: Int, formula: String, cached value: Double, _ format: XLSXFormat = .none) throws(XLSXError) {
        try check(worksheet_write_formula_num(pointer, lxw_row_t(row), lxw_col_t(column), formula, format.pointer, value), row, column)
    }

    /// Width (in characters) of columns `first...last`.
    func setColumns(_ first: Int, _ last: Int, width: Double) {
        _ = worksheet_set_column(pointer, lxw_col_t(first), lxw_col_t(last), width, nil)
    }

    func freezePanes(rows: Int, columns: Int) {
        worksheet_freeze_panes(pointer, lxw_row_t(rows), lxw_col_t(columns))
    }

    func insert(_ chart: XLSXChart, row: Int, column: Int, scaleX: Double = 1, scaleY: Double = 1) throws(XLSXError) {
        var options = lxw_chart_options()
        options.x_scale = scaleX
        options.y_scale = scaleY
        try check(worksheet_insert_chart_opt(pointer, lxw_row_t(row), lxw_col_t(column), chart.pointer, &options), row, column)
    }

    private func check(_ error: lxw_error, _ row: Int, _ column: Int) throws(XLSXError) {
        guard error != LXW_NO_ERROR else { return }
        throw XLSXError(path: path, message: "cell \(XLSXSheet.cellName(row, column)): \(String(cString: lxw_strerror(error)))")
    }

    /// `A1` notation of a zero-based cell.
    static func cellName(_ row: Int, _ column: Int, absolute: Bool = false) -> String {
        var name = ""
        var c = column
        repeat {
            name = String(UnicodeScalar(UInt8(65 + c % 26))) + name
            c = c / 26 - 1
        } while c >= 0
        return absolute ? "$\(name)$\(row + 1)" : "\(name)\(row + 1)"
    }
}

/// A chart of a workbook, drawn from cell ranges.
struct XLSXChart {
    enum Kind { case line, column }
    fileprivate let pointer: UnsafeMutablePointer<lxw_chart>

    /// Adds a series; ranges are formulas such as `=Daily!$A$2:$A$32`.
    func addSeries(name: String, categories: String, values: String) {
        guard let series = chart_add_series(pointer, categories, values) else { return }
        chart_series_set_name(series, name)
    }

    func setTitle(_ title: String) { chart_title_set_name(pointer, title) }

    func setAxisNames(x: String, y: String) {
        chart_axis_set_name(pointer.pointee.x_axis, x)
        chart_axis_set_name(pointer.pointee.y_axis, y)
    }

    func legendAtBottom() { chart_legend_set_position(pointer, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue)) }
}

/// What went wrong writing an XLSX file, and which.
public struct XLSXError: Error, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}
