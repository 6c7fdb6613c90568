/// The rows of one worksheet, streamed: each ``next()`` reads one `row` element of the sheet's
/// XML and gives its cells by column.
///
/// Rows and cells without an `r` attribute (some writers leave them out) follow the one before.
/// Rows that are not in the file (nothing in them) are not returned: look at ``XLSXRow/number``.
/// ```swift
/// let rows = try workbook.rows(ofSheet: "Energiedaten")
/// while let row = try rows.next() {
///     for cell in row.cells { print(cell.reference, cell.text) }
/// }
/// ```
public final class XLSXRows {
    /// The sheet's part inside the ZIP file, and the workbook's name, for messages.
    public let part: String
    public let file: String

    private let stream: XLSXPartStream
    private let xml: XMLStream
    private let sharedStrings: XLSXSharedStrings
    private var rowNumber = 0
    private var done = false
    /// The row being read, kept between rows so that reading allocates nothing once warm.
    private var buffer = Buffer()

    /// A row's cells as they are read: texts, entries, and column → entry.
    private struct Buffer {
        var bytes: [UInt8] = []
        var entries: [XLSXRow.Entry] = []
        /// Column → index in `entries` + 1 (0: no cell).
        var slots: [Int32] = []
        /// Element names seen, by their identity in the XML reader.
        var tags: [(name: UnsafeRawPointer, tag: Tag)] = []
    }

    /// The tag of the current element. Names are told apart by their identity in the XML reader
    /// (see ``XMLStream/localNameIdentity``; libxml2 keeps each name for the document's life), so
    /// bytes are compared only the first time a name is seen.
    private func tag(_ buffer: inout Buffer) -> Tag {
        guard let name = xml.localNameIdentity else { return .other }
        for known in buffer.tags where known.name == name { return known.tag }
        let tag = xml.withLocalName(Tag.init)
        // A sheet has a handful of element names; the cap only bounds a pathological document.
        if buffer.tags.count < 64 { buffer.tags.append((name, tag)) }
        return tag
    }

    /// The elements the row reader tells apart.
    private enum Tag {
        case c, v, t, row, rPh, sheetData, other

        init(_ name: UnsafeBufferPointer<UInt8>) {
            switch name.count {
            case 1:
                switch name[0] {
                case UInt8(ascii: "c"): self = .c
                case UInt8(ascii: "v"): self = .v
                case UInt8(ascii: "t"): self = .t
                default: self = .other
                }
            case 3:
                self = name.elementsEqual("row".utf8) ? .row : name.elementsEqual("rPh".utf8) ? .rPh : .other
            case 9:
                self = name.elementsEqual("sheetData".utf8) ? .sheetData : .other
            default:
                self = .other
            }
        }
    }

    init(stream: XLSXPartStream, part: String, file: String, sharedStrings: XLSXSharedStrings) throws(XLSXError) {
        self.stream = stream
        self.part = part
        self.file = file
        self.sharedStrings = sharedStrings
        do {
            xml = try XMLStream(name: part, source: stream.read)
        } catch {
            stream.cancel()
            throw XLSXError(file: file, message: error.description)
        }
    }

    deinit { stream.cancel() }

    /// The next row that has a `row` element; nil after the last.
    public func next() throws(XLSXError) -> XLSXRow? {
        guard !done else { return nil }
        // The buffer is worked on as a local (a class's stored properties would be checked for
        // exclusive access on every cell).
        var buffer = Buffer()
        swap(&buffer, &self.buffer)
        defer { swap(&buffer, &self.buffer) }
        do {
            return try readRow(&buffer)
        } catch let error as XLSXError {
            done = true
            throw error
        } catch {
            done = true
            throw XLSXError(file: file, message: "\(error)")
        }
    }

    private func readRow(_ buffer: inout Buffer) throws -> XLSXRow? {
        let xml = self.xml
        var inRow = false
        var inCell = false
        var inValue = false
        var phoneticDepth = 0
        var kind = XLSXCell.Kind.number
        var column = 0
        var start = 0
        var hasValue = false
        while let event = try xml.next() {
            if event == .text {
                if inValue {
                    xml.withTextBytes { buffer.bytes.append(contentsOf: $0) }
                    hasValue = true
                }
                continue
            }
            let tag = self.tag(&buffer)
            if event == .start {
                switch tag {
                case .v where inCell, .t where inCell && phoneticDepth == 0:
                    inValue = true
                    hasValue = true
                case .rPh:
                    phoneticDepth += 1
                case .c where !inCell:
                    inCell = true
                    kind = .number
                    var reference: Int?
                    xml.forEachAttribute { name, value in
                        guard name.count == 1 else { return }
                        if name[0] == UInt8(ascii: "r") {
                            reference = XLSXCell.column(ofReference: value)
                        } else if name[0] == UInt8(ascii: "t") {
                            kind = Self.kind(value)
                        }
                    }
                    column = reference ?? (buffer.entries.last.map { Int($0.column) + 1 } ?? 1)
                    start = buffer.bytes.count
                    hasValue = false
                case .row where !inCell:
                    inRow = true
                    rowNumber = xml.attribute("r").flatMap { Int($0) } ?? rowNumber + 1
                    for entry in buffer.entries { buffer.slots[Int(entry.column)] = 0 }
                    buffer.entries.removeAll(keepingCapacity: true)
                    buffer.bytes.removeAll(keepingCapacity: true)
                default:
                    break
                }
            } else {
                switch tag {
                case .v, .t: inValue = false
                case .rPh: phoneticDepth -= 1
                case .c where inCell:
                    inCell = false
                    try finishCell(&buffer, column: column, kind: hasValue ? kind : .empty, start: start)
                case .row where inRow:
                    return XLSXRow(
                        number: rowNumber, entries: buffer.entries, bytes: buffer.bytes, strings: sharedStrings.bytes, slots: buffer.slots)
                case .sheetData:
                    done = true
                    return nil
                default:
                    break
                }
            }
        }
        done = true
        return nil
    }

    private func finishCell(_ buffer: inout Buffer, column: Int, kind: XLSXCell.Kind, start: Int) throws(XLSXError) {
        var entry = XLSXRow.Entry(column: Int32(column), kind: kind, start: start, end: buffer.bytes.count)
        if kind == .sharedString {
            // The cell holds the string's index; the entry points into the shared strings instead.
            var index = 0
            var digits = 0
            for byte in buffer.bytes[start...] where byte != UInt8(ascii: " ") {
                let digit = Int(byte) - Int(UInt8(ascii: "0"))
                guard (0...9).contains(digit), digits < 10 else {
                    index = -1
                    break
                }
                index = index * 10 + digit
                digits += 1
            }
            guard digits > 0, index >= 0, index < sharedStrings.count else {
                let reference = XLSXCell.columnName(column) + String(rowNumber)
                let text = String(decoding: buffer.bytes[start...], as: UTF8.self)
                throw XLSXError(
                    file: file,
                    message: "\(part): cell \(reference) refers to shared string '\(text)', but the workbook has \(sharedStrings.count)")
            }
            buffer.bytes.removeSubrange(start...)
            let range = sharedStrings.range(at: index)
            entry = XLSXRow.Entry(column: Int32(column), kind: kind, start: range.lowerBound, end: range.upperBound)
        }
        if column >= buffer.slots.count { buffer.slots.append(contentsOf: repeatElement(0, count: column + 1 - buffer.slots.count)) }
        // A second cell for the same column (not valid, but possible) replaces the first.
        if buffer.slots[column] != 0 {
            buffer.entries[Int(buffer.slots[column]) - 1] = entry
        } else {
            buffer.entries.append(entry)
            buffer.slots[column] = Int32(buffer.entries.count)
        }
    }

    private static func kind(_ value: UnsafeBufferPointer<UInt8>) -> XLSXCell.Kind {
        switch value.count {
        case 1:
            switch value[0] {
            case UInt8(ascii: "s"): return .sharedString
            case UInt8(ascii: "b"): return .boolean
            case UInt8(ascii: "e"): return .error
            case UInt8(ascii: "d"): return .date
            default: return .number
            }
        case 3: return value.elementsEqual("str".utf8) ? .formulaString : .number
        case 9: return value.elementsEqual("inlineStr".utf8) ? .inlineString : .number
        default: return .number
        }
    }
}

/// One row of a worksheet: its cells by column number (from 1). Holds its texts; keep it as long
/// as you like (the stream then copies its buffers for the next row).
public struct XLSXRow: Sendable {
    struct Entry: Sendable {
        var column: Int32
        var kind: XLSXCell.Kind
        /// The text's bytes in the row's own bytes, or in the shared strings for `.sharedString`.
        var start: Int
        var end: Int
    }

    /// The row number, from 1.
    public let number: Int
    private let entries: [Entry]
    private let bytes: [UInt8]
    private let strings: [UInt8]
    /// Column → index in `entries` + 1 (0: no cell).
    private let slots: [Int32]

    init(number: Int, entries: [Entry], bytes: [UInt8], strings: [UInt8], slots: [Int32]) {
        self.number = number
        self.entries = entries
        self.bytes = bytes
        self.strings = strings
        self.slots = slots
    }

    /// The cell in column `column` (1 is `A`); nil if the row has none there.
    public subscript(column: Int) -> XLSXCell? {
        guard column > 0, column < slots.count, slots[column] != 0 else { return nil }
        return cell(entries[Int(slots[column]) - 1])
    }

    /// The row's cells in file order (usually by column).
    public var cells: [XLSXCell] { entries.map(cell) }

    /// The highest column that has a cell (0 for an empty row).
    public var lastColumn: Int { entries.map { Int($0.column) }.max() ?? 0 }

    private func cell(_ entry: Entry) -> XLSXCell {
        XLSXCell(
            row: number, column: Int(entry.column), kind: entry.kind, storage: entry.kind == .sharedString ? strings : bytes,
            range: entry.start..<entry.end)
    }
}
