/// One cell of a worksheet row, as stored: its kind and its text (a number as it is written in the
/// file, a shared string resolved to its text), with its reference (`F17`) for messages.
///
/// No String is made unless asked for: ``withBytes(_:)`` gives the text's UTF-8 bytes.
/// ```swift
/// if let cell = row[6], cell.kind == .number {
///     cell.withBytes { bytes in … }   // "0.123", "1.5E-3"
/// }
/// print(cell.reference, cell.text)    // F17 0.123
/// ```
public struct XLSXCell: Sendable {
    /// What the cell holds (its `t` attribute).
    public enum Kind: UInt8, Sendable {
        /// A number (also a date: a serial day count with a date format); the text is the number.
        case number
        /// A string from the shared strings table.
        case sharedString
        /// A string stored in the cell (`inlineStr`).
        case inlineString
        /// A formula's string result (`str`).
        case formulaString
        /// `0` or `1`.
        case boolean
        /// An error value such as `#N/A`.
        case error
        /// An ISO 8601 date text (`t="d"`, rarely written).
        case date
        /// A cell element without a value (a formatted empty cell).
        case empty
    }

    /// The row number, from 1.
    public let row: Int
    /// The column number, from 1 (`A` is 1).
    public let column: Int
    public let kind: Kind
    private let storage: [UInt8]
    private let range: Range<Int>

    init(row: Int, column: Int, kind: Kind, storage: [UInt8], range: Range<Int>) {
        self.row = row
        self.column = column
        self.kind = kind
        self.storage = storage
        self.range = range
    }

    /// Whether the cell holds text (a shared, inline or formula string).
    public var isText: Bool { kind == .sharedString || kind == .inlineString || kind == .formulaString }

    /// Whether the cell holds nothing: no value, or a string that is empty.
    public var isEmpty: Bool { range.isEmpty }

    /// The cell's text: the string, or the number as written in the file.
    public var text: String { String(decoding: storage[range], as: UTF8.self) }

    /// Calls `body` with the UTF-8 bytes of ``text`` (no String made).
    public func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try storage.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[range]))
        }
    }

    /// The number of a `.number` cell (nil for other kinds or text that is not a number).
    public var number: Double? { kind == .number ? Double(text) : nil }

    /// `F17`.
    public var reference: String { Self.columnName(column) + String(row) }

    /// The letters of column `column` (1 is `A`, 27 is `AA`).
    public static func columnName(_ column: Int) -> String {
        var letters: [UInt8] = []
        var rest = column
        while rest > 0 {
            let digit = (rest - 1) % 26
            letters.append(UInt8(ascii: "A") + UInt8(digit))
            rest = (rest - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    /// The column number of a reference such as `F17` or `AB3` (its letters); nil if it has none.
    public static func column(ofReference reference: UnsafeBufferPointer<UInt8>) -> Int? {
        var column = 0
        var index = 0
        while index < reference.count {
            var letter = reference[index]
            if letter >= UInt8(ascii: "a") && letter <= UInt8(ascii: "z") { letter -= 32 }
            guard letter >= UInt8(ascii: "A") && letter <= UInt8(ascii: "Z") else { break }
            column = column * 26 + Int(letter - UInt8(ascii: "A")) + 1
            // XLSX allows 16,384 columns (XFD); more letters are not a reference.
            guard column <= 16_384 else { return nil }
            index += 1
        }
        return column > 0 ? column : nil
    }
}
