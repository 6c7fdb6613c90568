@preconcurrency import CLibXML2
import Foundation

/// A forward-only XML reader over libxml2's `xmlTextReader`: the one wrapper of libxml2, used for
/// the CR_MSG documents and the parts of an XLSX workbook.
///
/// Empty elements (`<a/>`) give a `.start` and an `.end` like any other. No network access, no
/// entity expansion (a document cannot make the reader fetch or inflate anything).
/// ```swift
/// let xml = try XMLStream(bytes: Array(data), name: "record.xml")
/// while let event = try xml.next() {
///     if event == .start, xml.isNamed("EP") { … xml.attribute("MeterCode") … }
///     if event == .text { print(xml.text) }
/// }
/// ```
public final class XMLStream {
    public enum Event: Sendable, Equatable { case start, end, text }

    /// The document's name in error messages (a file path, or a path inside a ZIP file).
    public let name: String
    private let bytes: [UInt8]
    private let source: Source?
    private let reader: xmlTextReaderPtr
    /// An empty element's start was returned; its end comes next.
    private var pendingEnd = false
    private var current: Event = .start
    /// The reader already stands on the node `next()` returns (after `forEachChild` moved past an
    /// element).
    private var positioned = false

    /// libxml2 sets up its global state once, before any thread parses (its rule for programs
    /// that parse on several threads at once, as the importer and the tests do).
    private static let libraryReady: Bool = {
        xmlInitParser()
        return true
    }()

    public init(bytes: [UInt8], name: String) throws(XMLStreamError) {
        _ = Self.libraryReady
        self.bytes = bytes
        self.source = nil
        self.name = name
        let options = Int32(
            XML_PARSE_NONET.rawValue | XML_PARSE_COMPACT.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let made = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlReaderForMemory($0, Int32(buffer.count), nil, nil, options)
                }
            } ?? nil
        }
        guard bytes.count < Int(Int32.max), let made else {
            throw XMLStreamError(document: name, line: 0, message: bytes.isEmpty ? "the document is empty" : "cannot read the document")
        }
        reader = made
    }

    /// Reads the document from `source` as it is needed, a buffer at a time, instead of from
    /// one array: for parts too large to hold (a workbook's sheet streamed out of its ZIP file).
    /// `source` fills the buffer it is given and returns how many bytes it wrote, 0 at the end;
    /// what it throws ends the reading and is reported as the document's error.
    public init(name: String, source: @escaping (UnsafeMutableBufferPointer<UInt8>) throws -> Int) throws(XMLStreamError) {
        self.bytes = []
        self.name = name
        let box = Source(source)
        self.source = box
        let options = Int32(
            XML_PARSE_NONET.rawValue | XML_PARSE_COMPACT.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let read: xmlInputReadCallback = { context, buffer, length in
            guard let context, let buffer, length > 0 else { return 0 }
            let box = Unmanaged<Source>.fromOpaque(context).takeUnretainedValue()
            return box.read(UnsafeMutableRawPointer(buffer).bindMemory(to: UInt8.self, capacity: Int(length)), Int(length))
        }
        // The reader holds the box unretained: `self.source` keeps it alive as long as the reader.
        guard let made = xmlReaderForIO(read, nil, Unmanaged.passUnretained(box).toOpaque(), nil, nil, options) else {
            throw XMLStreamError(document: name, line: 0, message: "cannot read the document")
        }
        reader = made
    }

    deinit { xmlFreeTextReader(reader) }

    /// The pull source of a streamed document, and what it threw.
    private final class Source {
        let body: (UnsafeMutableBufferPointer<UInt8>) throws -> Int
        var error: (any Error)?

        init(_ body: @escaping (UnsafeMutableBufferPointer<UInt8>) throws -> Int) { self.body = body }

        func read(_ buffer: UnsafeMutablePointer<UInt8>, _ length: Int) -> Int32 {
            guard error == nil else { return -1 }
            do {
                return Int32(clamping: min(length, try body(UnsafeMutableBufferPointer(start: buffer, count: length))))
            } catch {
                self.error = error
                return -1
            }
        }
    }

    /// The next start, end or text event; nil at the end of the document. Comments, processing
    /// instructions and whitespace between elements are skipped.
    public func next() throws(XMLStreamError) -> Event? {
        if pendingEnd {
            pendingEnd = false
            current = .end
            return .end
        }
        while true {
            if positioned {
                positioned = false
            } else {
                let status = xmlTextReaderRead(reader)
                if status == 0 { return nil }
                if status < 0 { throw failure() }
            }
            switch xmlTextReaderNodeType(reader) {
            case 1:  // element
                pendingEnd = xmlTextReaderIsEmptyElement(reader) == 1
                current = .start
                return .start
            case 15:  // end of element
                current = .end
                return .end
            case 3, 4:  // text, CDATA
                current = .text
                return .text
            default:
                continue
            }
        }
    }

    /// The local name (without prefix) of the current element.
    public var localName: String { xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? "" }

    /// Whether the current element's local name is `name` (no String made).
    public func isNamed(_ name: StaticString) -> Bool { Self.equals(xmlTextReaderConstLocalName(reader), name) }

    /// Whether the C string `local` is `name`.
    fileprivate static func equals(_ local: UnsafePointer<xmlChar>?, _ name: StaticString) -> Bool {
        guard let local else { return false }
        return name.withUTF8Buffer { wanted in
            var i = 0
            while i < wanted.count {
                if local[i] != wanted[i] { return false }
                i += 1
            }
            return local[i] == 0
        }
    }

    /// Calls `body` with the current element's local name as bytes (no String made): one call
    /// to tell several names apart.
    public func withLocalName<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try body(Self.buffer(xmlTextReaderConstLocalName(reader)))
    }

    /// Where the current node's local name is kept. libxml2 keeps each name once per document
    /// (in its dictionary, which this reader does not switch off), so while the stream lives,
    /// equal names have equal identities: a hot loop can tell its few names apart by comparing
    /// this, and look at the bytes (``withLocalName(_:)``) only the first time it sees one.
    public var localNameIdentity: UnsafeRawPointer? { xmlTextReaderConstLocalName(reader).map { UnsafeRawPointer($0) } }

    /// The current text node's content.
    public var text: String { xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? "" }

    /// Calls `body` with the current text node's bytes (no String made).
    public func withTextBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        guard let value = xmlTextReaderConstValue(reader) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: value, count: strlen(UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self))))
    }

    /// Calls `body` with each attribute of the current element: its local name and its value as
    /// bytes (no String made; the hot path of a worksheet's cells).
    public func forEachAttribute(_ body: (_ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) throws -> Void) rethrows
    {
        guard current == .start, xmlTextReaderMoveToFirstAttribute(reader) == 1 else { return }
        defer { xmlTextReaderMoveToElement(reader) }
        repeat {
            try body(Self.buffer(xmlTextReaderConstLocalName(reader)), Self.buffer(xmlTextReaderConstValue(reader)))
        } while xmlTextReaderMoveToNextAttribute(reader) == 1
    }

    private static func buffer(_ text: UnsafePointer<xmlChar>?) -> UnsafeBufferPointer<UInt8> {
        guard let text else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: text, count: strlen(UnsafeRawPointer(text).assumingMemoryBound(to: CChar.self)))
    }

    /// An attribute of the current element, by its qualified name.
    public func attribute(_ name: String) -> String? {
        guard current == .start, let value = xmlTextReaderGetAttribute(reader, name) else { return nil }
        defer { xmlFree(value) }
        return String(cString: value)
    }

    /// The line the reader is at, for error messages.
    public var line: Int { Int(xmlTextReaderGetParserLineNumber(reader)) }

    /// The line of the current node itself: `line` is where the parser is, which runs ahead of the
    /// node by up to a buffer of input, so a message about one element names this one.
    public var nodeLine: Int {
        guard let node = xmlTextReaderCurrentNode(reader) else { return line }
        let found = Int(xmlGetLineNo(node))
        return found > 0 ? found : line
    }

    /// The namespace URI of the current element, "" when it has none.
    public var namespaceURI: String { xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) } ?? "" }

    /// Reads the text content of the current element up to its end (for `<a>text</a>`).
    public func elementText() throws(XMLStreamError) -> String {
        guard current == .start, !pendingEnd else {
            if pendingEnd { _ = try next() }
            return ""
        }
        var content = ""
        var depth = 0
        while let event = try next() {
            switch event {
            case .text: if depth == 0 { content += text }
            case .start: depth += 1
            case .end:
                if depth == 0 { return content }
                depth -= 1
            }
        }
        return content
    }

    /// A child element of the element `forEachChild(_:)` reads whole.
    public struct Child {
        fileprivate let node: xmlNodePtr

        /// Whether the child's local name is `name` (no String made).
        public func isNamed(_ name: StaticString) -> Bool { XMLStream.equals(node.pointee.name, name) }

        /// Calls `body` with each piece of the child's text (a text or CDATA node; entity references
        /// are not expanded, so they give nothing).
        public func forEachText(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
            var next = node.pointee.children
            while let text = next {
                if text.pointee.type == XML_TEXT_NODE || text.pointee.type == XML_CDATA_SECTION_NODE, let content = text.pointee.content {
                    body(UnsafeBufferPointer(start: content, count: strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))))
                }
                next = text.pointee.next
            }
        }
    }

    /// At an element's `.start`: reads the element whole, calls `body` for each of its child
    /// elements and moves past its end (the next `next()` returns what follows it). For small,
    /// record-like elements (a CR_MSG `EP`) that are read by the hundred thousand: one call instead
    /// of an event per node.
    public func forEachChild(_ body: (Child) -> Void) throws(XMLStreamError) {
        guard current == .start else { return }
        current = .end
        if pendingEnd {  // an empty element: no children
            pendingEnd = false
            return
        }
        guard let element = xmlTextReaderExpand(reader) else { throw failure() }
        var next = element.pointee.children
        while let child = next {
            if child.pointee.type == XML_ELEMENT_NODE { body(Child(node: child)) }
            next = child.pointee.next
        }
        let status = xmlTextReaderNext(reader)
        if status < 0 { throw failure() }
        positioned = status == 1
    }

    private func failure() -> XMLStreamError {
        if let error = source?.error {
            return XMLStreamError(document: name, line: line, message: "cannot read the document: \(error)")
        }
        if let error = xmlGetLastError() {
            let message =
                error.pointee.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "malformed XML"
            return XMLStreamError(document: name, line: Int(error.pointee.line), message: message)
        }
        return XMLStreamError(document: name, line: line, message: "malformed XML")
    }
}

/// The document is not well-formed XML.
public struct XMLStreamError: Error, Equatable, CustomStringConvertible {
    public var document: String
    public var line: Int
    public var message: String
    public var description: String { "\(document)\(line > 0 ? ":\(line)" : ""): not well-formed XML: \(message)" }
}
