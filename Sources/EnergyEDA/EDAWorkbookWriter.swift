import EnergyCore
import Foundation
import ZIPFoundation

/// Writes the grid operator's figures as the EDA portal's quarter-hour workbook (sheet
/// `Energiedaten`), as ``EDAWorkbookReader`` reads it: for round trips and the import benchmark.
///
/// A minimal valid XLSX (content types, relationships, workbook, one sheet with inline strings and
/// numbers as numbers), written with ZIPFoundation. Per point, in the order given, a value column
/// and its `MM` quality column for each series it has figures of (in the label table's order); a
/// producer also gets the community-wide production column (its producers' own production added
/// up, or their participating production when there is none); TOTAL columns at the end. Column A
/// holds each quarter hour's local start (`25.10.2026 02:00`, twice in the autumn); a point's data
/// period runs from its first to its last figure.
/// ```swift
/// let writer = EDAWorkbookWriter(calendar: vienna, spelling: .current)
/// let points = [EDAWorkbookWriter.Point(zaehlpunkt: zp, direction: .consumption, name: "Anna Amsel")]
/// let bytes = try writer.write(points: points, figures: figures, from: try LocalDate("2026-10-01"), to: try LocalDate("2026-11-01"))
/// ```
public struct EDAWorkbookWriter: Sendable {
    /// The two spellings of the header labels seen in exports.
    public enum Spelling: Sendable, CaseIterable {
        /// `MeteringPointId`, `Energydirection`, `MeterCode`, `Data Period start`.
        case current
        /// `MeteringpointID`, `Energy direction`, `Metercode`, `Period start`.
        case older
    }

    /// A metering point of the workbook.
    public struct Point: Sendable, Equatable {
        public var zaehlpunkt: Zaehlpunkt
        public var direction: Direction
        public var name: String

        public init(zaehlpunkt: Zaehlpunkt, direction: Direction, name: String) {
            self.zaehlpunkt = zaehlpunkt
            self.direction = direction
            self.name = name
        }
    }

    public let calendar: LocalCalendar
    public var spelling: Spelling
    /// Deflate the sheet (as the portal does); off, a month of 1,000 points writes much faster.
    public var compressed: Bool

    public init(calendar: LocalCalendar, spelling: Spelling = .current, compressed: Bool = true) {
        self.calendar = calendar
        self.spelling = spelling
        self.compressed = compressed
    }

    /// The workbook of `figures` of local days `from` up to, not including, `to`, as bytes.
    public func write(
        points: [Point], figures: [GridOperatorFigure], from: LocalDate, to: LocalDate
    ) throws(EDAWorkbookWriterError)
        -> [UInt8]
    {
        let sheet = try EDAWorkbookContent(points: points, figures: figures, calendar: calendar, days: from..<to, older: spelling == .older)
            .sheet()
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            try write(sheet, to: archive)
            guard let data = archive.data else { throw EDAWorkbookWriterError(message: "the workbook could not be made in memory") }
            return [UInt8](data)
        } catch let error as EDAWorkbookWriterError {
            throw error
        } catch {
            throw EDAWorkbookWriterError(message: "cannot write the workbook: \(error)")
        }
    }

    /// Writes the workbook to `path` (replacing a file there).
    public func write(
        points: [Point], figures: [GridOperatorFigure], from: LocalDate, to: LocalDate, path: String
    )
        throws(EDAWorkbookWriterError)
    {
        let sheet = try EDAWorkbookContent(points: points, figures: figures, calendar: calendar, days: from..<to, older: spelling == .older)
            .sheet()
        do {
            try? FileManager.default.removeItem(atPath: path)
            let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
            try write(sheet, to: archive)
        } catch {
            throw EDAWorkbookWriterError(message: "cannot write \(path): \(error)")
        }
    }

    /// A fixed time for the ZIP entries, so that the same figures give the same bytes.
    private static let entryDate = Date(timeIntervalSince1970: 1_767_225_600)

    private func write(_ sheet: EDAWorkbookSheet, to archive: Archive) throws {
        let method: CompressionMethod = compressed ? .deflate : .none
        for (path, text) in Self.parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: Self.entryDate, compressionMethod: method
            ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
        // The entry's size comes first: the pieces are made once to count them, once to write them.
        var size: Int64 = 0
        var scratch: [UInt8] = []
        for piece in 0..<sheet.pieces {
            sheet.write(piece, into: &scratch)
            size += Int64(scratch.count)
            scratch.removeAll(keepingCapacity: true)
        }
        var next = 0
        var offset = 0
        try archive.addEntry(
            with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: size, modificationDate: Self.entryDate,
            compressionMethod: method, bufferSize: 256 * 1024
        ) { _, wanted in
            while scratch.count - offset < wanted && next < sheet.pieces {
                if offset > 0 {
                    scratch.removeSubrange(0..<offset)
                    offset = 0
                }
                sheet.write(next, into: &scratch)
                next += 1
            }
            let count = min(wanted, scratch.count - offset)
            defer { offset += count }
            return Data(scratch[offset..<offset + count])
        }
    }

    private static let parts: [(String, String)] = [
        (
            "[Content_Types].xml",
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
                + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
                + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
                + #"<Default Extension="xml" ContentType="application/xml"/>"#
                + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
                + #"<Override PartName="/xl/worksheets/sheet1.xml" "#
                + #"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#
        ),
        (
            "_rels/.rels",
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
                + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" "#
                + #"Target="xl/workbook.xml"/></Relationships>"#
        ),
        (
            "xl/workbook.xml",
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
                + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#
                + #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
                + #"<sheets><sheet name="Energiedaten" sheetId="1" r:id="rId1"/></sheets></workbook>"#
        ),
        (
            "xl/_rels/workbook.xml.rels",
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
                + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" "#
                + #"Target="worksheets/sheet1.xml"/></Relationships>"#
        ),
    ]
}

/// The figures cannot be written as an EDA workbook (a figure of a point not given, of a series
/// the workbook has no column for, outside the days, or twice), or the file cannot be written.
public struct EDAWorkbookWriterError: Error, Equatable, CustomStringConvertible {
    public var message: String

    public init(message: String) { self.message = message }

    public var description: String { message }
}
