import EnergyCore

/// The XML of the `Energiedaten` worksheet that ``EDAWorkbookWriter`` writes, made a piece at a
/// time: the prologue, each header row, each quarter-hour row, the epilogue. The writer makes the
/// pieces twice (once to count the bytes the ZIP entry needs to know beforehand, once to write
/// them), so a month of 1,000 points is never held whole.
///
/// Strings are inline (`t="inlineStr"`), numbers are numbers; empty cells are left out.
/// ```swift
/// var bytes: [UInt8] = []
/// for piece in 0..<sheet.pieces { sheet.write(piece, into: &bytes) }
/// ```
struct EDAWorkbookSheet {
    /// A header cell.
    enum Cell {
        case text(String)
        case integer(Int)
        case kWh(Int64)
    }

    /// A value column's data: mWh per quarter hour (negative: no value) and its quality column's
    /// EDA codes (nil for columns without one, the TOTAL columns).
    struct Column {
        var values: [Int64]
        var qualities: [Quality?]?
    }

    /// Header rows: column-A label, then cells by column number (from 2).
    let header: [(label: String, cells: [Int: Cell])]
    /// The value columns, by their column number.
    let columns: [(number: Int, column: Column)]
    /// Column A of each quarter-hour row.
    let times: [String]
    /// Each column's letters, by column number.
    private let names: [[UInt8]]

    init(header: [(label: String, cells: [Int: Cell])], columns: [(number: Int, column: Column)], times: [String]) {
        self.header = header
        self.columns = columns
        self.times = times
        let last = max(header.flatMap(\.cells.keys).max() ?? 1, columns.map { $0.number + 1 }.max() ?? 1)
        names = (0...last).map { Array(XLSXCell.columnName($0).utf8) }
    }

    var pieces: Int { header.count + times.count + 2 }

    private static let prologue = Array(
        (#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
            + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#).utf8)
    private static let epilogue = Array("</sheetData></worksheet>".utf8)
    /// The rest of an `MM` cell after its reference, by quality code.
    private static let qualityCells = Quality.allCases.map { Array(#" t="inlineStr"><is><t>\#($0.edaCode)</t></is></c>"#.utf8) }

    /// Appends piece `piece` to `bytes`.
    func write(_ piece: Int, into bytes: inout [UInt8]) {
        if piece == 0 { return bytes.append(contentsOf: Self.prologue) }
        if piece == pieces - 1 { return bytes.append(contentsOf: Self.epilogue) }
        let row = piece
        let digits = Array(String(row).utf8)
        bytes.append(contentsOf: #"<row r=""#.utf8)
        bytes.append(contentsOf: digits)
        bytes.append(contentsOf: #"">"#.utf8)
        if row <= header.count {
            let (label, cells) = header[row - 1]
            text(label, column: 1, row: digits, into: &bytes)
            for column in cells.keys.sorted() {
                switch cells[column] {
                case let .text(value): text(value, column: column, row: digits, into: &bytes)
                case let .integer(value): number(Array(String(value).utf8), column: column, row: digits, into: &bytes)
                case let .kWh(value): number(Self.kWh(value), column: column, row: digits, into: &bytes)
                case nil: break
                }
            }
        } else {
            let index = row - header.count - 1
            text(times[index], column: 1, row: digits, into: &bytes)
            for (number, column) in columns where column.values[index] >= 0 {
                reference(number, digits, into: &bytes)
                bytes.append(contentsOf: "><v>".utf8)
                Self.kWh(column.values[index], into: &bytes)
                bytes.append(contentsOf: "</v></c>".utf8)
                if let quality = column.qualities?[index] {
                    reference(number + 1, digits, into: &bytes)
                    bytes.append(contentsOf: Self.qualityCells[quality.code])
                }
            }
        }
        bytes.append(contentsOf: "</row>".utf8)
    }

    private func reference(_ column: Int, _ row: [UInt8], into bytes: inout [UInt8]) {
        bytes.append(contentsOf: #"<c r=""#.utf8)
        bytes.append(contentsOf: names[column])
        bytes.append(contentsOf: row)
        bytes.append(UInt8(ascii: "\""))
    }

    private func text(_ value: String, column: Int, row: [UInt8], into bytes: inout [UInt8]) {
        reference(column, row, into: &bytes)
        bytes.append(contentsOf: #" t="inlineStr"><is><t>"#.utf8)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            default: bytes.append(byte)
            }
        }
        bytes.append(contentsOf: "</t></is></c>".utf8)
    }

    private func number(_ text: [UInt8], column: Int, row: [UInt8], into bytes: inout [UInt8]) {
        reference(column, row, into: &bytes)
        bytes.append(contentsOf: "><v>".utf8)
        bytes.append(contentsOf: text)
        bytes.append(contentsOf: "</v></c>".utf8)
    }

    /// mWh as the shortest kWh decimal: `0.123`, `12`, `-1.5`.
    static func kWh(_ milliwattHours: Int64) -> [UInt8] {
        var text: [UInt8] = []
        kWh(milliwattHours, into: &text)
        return text
    }

    static func kWh(_ milliwattHours: Int64, into text: inout [UInt8]) {
        if milliwattHours < 0 { text.append(UInt8(ascii: "-")) }
        let magnitude = milliwattHours.magnitude
        digits(magnitude / 1_000_000, into: &text)
        var fraction = magnitude % 1_000_000
        guard fraction != 0 else { return }
        var places = 6
        while fraction % 10 == 0 {
            fraction /= 10
            places -= 1
        }
        text.append(UInt8(ascii: "."))
        var divisor: UInt64 = 1
        for _ in 1..<places { divisor *= 10 }
        while divisor > 0 {
            text.append(UInt8(ascii: "0") + UInt8(fraction / divisor % 10))
            divisor /= 10
        }
    }

    private static func digits(_ value: UInt64, into text: inout [UInt8]) {
        var divisor: UInt64 = 1
        while value / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            text.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }
}
