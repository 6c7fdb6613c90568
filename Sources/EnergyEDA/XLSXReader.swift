import Foundation
import ZIPFoundation

/// A thin streaming reader of XLSX workbooks: the sheet list, the shared strings, and one sheet's
/// rows, streamed from the ZIP file a row at a time (a month of 1,000 metering points is some
/// 18 million cells; no DOM is built, and the sheet is never held whole in memory).
///
/// Sheets are found through `xl/workbook.xml` and its relationships, so a sheet need not be
/// called `sheet1.xml`. Only what is needed to read cell values is read: no styles, no formulas
/// (a formula cell gives its cached value), no number formats (a date is the serial number it is
/// stored as; ``uses1904Dates`` says from which day it counts).
/// ```swift
/// let workbook = try XLSXReader(path: "RC108175_20260701T00_0020260731T23_45.xlsx")
/// let rows = try workbook.rows(ofSheet: "Energiedaten")
/// while let row = try rows.next() {
///     if let cell = row[1] { print(cell.reference, cell.text) }   // A1, A2, …
/// }
/// ```
public final class XLSXReader {
    /// The file (path) the workbook came from, for messages.
    public let name: String
    /// The workbook's sheets, in the workbook's order.
    public let sheetNames: [String]
    /// Whether serial dates count from 1904-01-01 (old Mac workbooks) instead of 1899-12-30.
    public let uses1904Dates: Bool

    private let archive: Archive
    /// Opens the workbook's ZIP file again: each sheet stream reads its own (on a thread of its
    /// own), so streams of one workbook do not share a file position.
    private let reopen: @Sendable () throws -> Archive
    /// Sheet name → the path of its part inside the ZIP file.
    private let sheetParts: [String: String]
    private let sharedStringsPart: String?
    private var sharedStrings: XLSXSharedStrings?

    /// Opens the workbook at `path`.
    public convenience init(path: String) throws(XLSXError) {
        let open: @Sendable () throws -> Archive = { try Archive(url: URL(fileURLWithPath: path), accessMode: .read) }
        let archive: Archive
        do {
            archive = try open()
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            throw XLSXError(file: path, message: exists ? "not an XLSX workbook (not a ZIP file)" : "no such file")
        }
        try self.init(archive: archive, reopen: open, name: path)
    }

    /// Opens a workbook held in memory; `name` names it in messages. The bytes go to a temporary
    /// file first: ZIPFoundation's in-memory archives trap on some damaged files (a seek past
    /// the end), its file archives answer them with an error.
    public convenience init(bytes: [UInt8], name: String) throws(XLSXError) {
        guard !bytes.isEmpty else { throw XLSXError(file: name, message: "the file is empty") }
        let path = NSTemporaryDirectory() + "energy-workbook-" + UUID().uuidString + ".xlsx"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw XLSXError(file: name, message: "cannot write a temporary copy to \(path)")
        }
        let open: @Sendable () throws -> Archive = { try Archive(url: URL(fileURLWithPath: path), accessMode: .read) }
        let archive: Archive
        do { archive = try open() } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw XLSXError(file: name, message: "not an XLSX workbook (not a ZIP file)")
        }
        do { try self.init(archive: archive, reopen: open, name: name, temporaryFile: path) } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// A copy this reader made (removed with it).
    private let temporaryFile: String?

    deinit { if let temporaryFile { try? FileManager.default.removeItem(atPath: temporaryFile) } }

    private init(
        archive: Archive, reopen: @escaping @Sendable () throws -> Archive, name: String, temporaryFile: String? = nil
    ) throws(XLSXError) {
        self.temporaryFile = temporaryFile
        self.archive = archive
        self.reopen = reopen
        self.name = name
        // The package's relationships name the workbook part; every writer calls it xl/workbook.xml.
        let rootRelations = try Self.relationships(in: archive, part: "_rels/.rels", of: "", name: name)
        let workbookPart = rootRelations.first { $0.type.hasSuffix("/officeDocument") }?.target ?? "xl/workbook.xml"
        let workbook = try Self.workbook(in: archive, part: workbookPart, name: name)
        // Parts the workbook names are relative to its folder (`xl/`), its relationships in `xl/_rels/`.
        let folder = workbookPart.split(separator: "/").dropLast().joined(separator: "/")
        let prefix = folder.isEmpty ? "" : folder + "/"
        let file = workbookPart.split(separator: "/").last.map(String.init) ?? ""
        let relations = try Self.relationships(in: archive, part: prefix + "_rels/" + file + ".rels", of: folder, name: name)
        var parts: [String: String] = [:]
        for sheet in workbook.sheets {
            if let target = relations.first(where: { $0.id == sheet.relation })?.target { parts[sheet.name] = target }
        }
        sheetNames = workbook.sheets.map(\.name).filter { parts[$0] != nil }
        sheetParts = parts
        uses1904Dates = workbook.uses1904Dates
        let sharedStrings = relations.first { $0.type.hasSuffix("/sharedStrings") }?.target ?? prefix + "sharedStrings.xml"
        sharedStringsPart = archive[sharedStrings] != nil ? sharedStrings : nil
    }

    /// Streams the rows of sheet `sheet` (its exact name, see ``sheetNames``).
    public func rows(ofSheet sheet: String) throws(XLSXError) -> XLSXRows {
        guard let part = sheetParts[sheet], archive[part] != nil else {
            throw XLSXError(
                file: name, message: "no sheet '\(sheet)' (the workbook has \(sheetNames.map { "'\($0)'" }.joined(separator: ", ")))")
        }
        let strings = try loadSharedStrings()
        let own: Archive
        do {
            own = try reopen()
        } catch {
            throw XLSXError(file: name, message: "cannot open the workbook again: \(error)")
        }
        guard let entry = own[part] else { throw XLSXError(file: name, message: "the workbook changed while it was read: \(part) is gone") }
        return try XLSXRows(stream: XLSXPartStream(archive: own, entry: entry), part: part, file: name, sharedStrings: strings)
    }

    private func loadSharedStrings() throws(XLSXError) -> XLSXSharedStrings {
        if let sharedStrings { return sharedStrings }
        var strings = XLSXSharedStrings()
        if let part = sharedStringsPart {
            let xml = try Self.stream(archive, part: part, name: name)
            do {
                try strings.read(xml)
            } catch {
                throw XLSXError(file: name, message: "\(part): \(error)")
            }
        }
        sharedStrings = strings
        return strings
    }

    /// A small part (workbook, relationships), read whole.
    private static func stream(_ archive: Archive, part: String, name: String) throws(XLSXError) -> XMLStream {
        guard let entry = archive[part] else { throw XLSXError(file: name, message: "not an XLSX workbook: it has no \(part)") }
        var bytes: [UInt8] = []
        do {
            let checksum = try archive.extract(entry, skipCRC32: false) { bytes.append(contentsOf: $0) }
            guard checksum == entry.checksum else {
                throw XLSXError(file: name, message: "\(part) is damaged (its checksum does not match its contents)")
            }
            return try XMLStream(bytes: bytes, name: part)
        } catch let error as XLSXError {
            throw error
        } catch {
            throw XLSXError(file: name, message: "cannot read \(part): \(error)")
        }
    }

    private struct Relationship {
        var id: String
        var type: String
        var target: String
    }

    private static func relationships(
        in archive: Archive, part: String, of folder: String, name: String
    ) throws(XLSXError) -> [Relationship] {
        guard archive[part] != nil else { return [] }
        let xml = try stream(archive, part: part, name: name)
        var found: [Relationship] = []
        do {
            while let event = try xml.next() {
                guard event == .start, xml.isNamed("Relationship") else { continue }
                let target = xml.attribute("Target") ?? ""
                found.append(
                    Relationship(id: xml.attribute("Id") ?? "", type: xml.attribute("Type") ?? "", target: resolve(target, in: folder)))
            }
        } catch {
            throw XLSXError(file: name, message: error.description)
        }
        return found
    }

    /// A relationship target relative to the folder of the part that names it (or absolute).
    private static func resolve(_ target: String, in folder: String) -> String {
        var path: [Substring] = target.hasPrefix("/") ? [] : folder.split(separator: "/")
        for piece in target.split(separator: "/") {
            if piece == ".." {
                _ = path.popLast()
            } else if piece != "." {
                path.append(piece)
            }
        }
        return path.joined(separator: "/")
    }

    private struct Workbook {
        var sheets: [(name: String, relation: String)] = []
        var uses1904Dates = false
    }

    private static func workbook(in archive: Archive, part: String, name: String) throws(XLSXError) -> Workbook {
        let xml = try stream(archive, part: part, name: name)
        var workbook = Workbook()
        do {
            while let event = try xml.next() {
                guard event == .start else { continue }
                if xml.isNamed("sheet") {
                    var sheetName = ""
                    var relation = ""
                    xml.forEachAttribute { key, value in
                        // `name` and the relationship's `r:id` (whatever the namespace's prefix).
                        if key.elementsEqual("name".utf8) { sheetName = String(decoding: value, as: UTF8.self) }
                        if key.elementsEqual("id".utf8) { relation = String(decoding: value, as: UTF8.self) }
                    }
                    workbook.sheets.append((sheetName, relation))
                } else if xml.isNamed("workbookPr") {
                    workbook.uses1904Dates = ["1", "true"].contains(xml.attribute("date1904")?.lowercased() ?? "")
                }
            }
        } catch {
            throw XLSXError(file: name, message: error.description)
        }
        return workbook
    }
}

/// The workbook cannot be read: not a ZIP file, parts missing or not XML, a cell that refers to a
/// shared string that does not exist, no such sheet.
public struct XLSXError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
