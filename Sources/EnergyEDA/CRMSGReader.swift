import EnergyCore
import Foundation

/// Reads a grid operator's CR_MSG `ConsumptionRecord` (schema 01.30, 01.40 or 01.41): one metering
/// point's quarter-hour values per meter code, as ``GridOperatorFigure``s.
///
/// A file that cannot be trusted as a whole (not XML, not a ConsumptionRecord of a known version,
/// no valid `MeteringPoint`, a `MessageCode` other than `DATEN_CRMSG`) throws ``EDAFileError``.
/// Otherwise every valid value is kept and each bad one is refused on its own, with where and why
/// (see ``EDARejection``): a negative or decimal-comma `BQ`, a `DTT` not 15 minutes after `DTF`,
/// an unknown quality, a second value for the same quarter hour, a value outside the block's
/// period. Times are read with their offsets, so the autumn day's repeated hour stays two hours.
/// ```swift
/// let document = try CRMSGReader().read(path: "inbox/AT0030000000000000000000000000001_20261025.xml")
/// print(document.figures.count)   // 300 on 2026-10-25 for three meter codes
/// for rejection in document.rejections { print("\(document.name): \(rejection)") }
/// ```
public struct CRMSGReader: Sendable {
    public init() {}

    /// Reads the file at `path`; the document (and its errors) are named by the path.
    public func read(path: String) throws(EDAFileError) -> EDADocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EDAFileError(file: path, message: "cannot read the file (it does not exist or is not readable)")
        }
        return try read(Array(data), name: path)
    }

    /// Reads a document from its bytes; `name` names it in the document and in errors.
    public func read(_ bytes: [UInt8], name: String) throws(EDAFileError) -> EDADocument {
        do throws(Walk.Failure) {
            let xml: XMLStream
            do throws(XMLStreamError) {
                xml = try XMLStream(bytes: bytes, name: name)
            } catch {
                throw Walk.Failure(error)
            }
            var walk = Walk(xml: xml, name: name, size: bytes.count)
            try walk.root()
            return walk.result
        } catch {
            throw EDAFileError(file: name, message: error.message)
        }
    }
}

extension CRMSGReader {
    /// The walk through one document's structure, down to its `Energy` blocks (which
    /// ``CRMSGEnergyReader`` reads).
    private struct Walk {
        let xml: XMLStream
        let size: Int
        var version = CRMSGSchemaVersion.v01p41
        var messageCode: String?
        var zaehlpunkt: Zaehlpunkt?
        var energy: CRMSGEnergyReader?
        var result: EDADocument

        /// Why the file is refused as a whole: XML that is not well-formed, or a document that is not
        /// a CR_MSG this reader can trust.
        struct Failure: Error {
            var message: String

            init(_ message: String, line: Int) { self.message = "line \(line): \(message)" }

            init(_ error: XMLStreamError) {
                message = (error.line > 0 ? "line \(error.line): " : "") + "not well-formed XML: \(error.message)"
            }
        }

        init(xml: XMLStream, name: String, size: Int) {
            self.xml = xml
            self.size = size
            result = EDADocument(name: name)
        }

        mutating func root() throws(Failure) {
            guard try next() == .start else { throw Failure("the document has no root element", line: xml.line) }
            guard xml.isNamed("ConsumptionRecord") else {
                throw refuse("the root element is \(xml.localName), not a CR_MSG ConsumptionRecord")
            }
            guard let version = CRMSGSchemaVersion(namespace: xml.namespaceURI) else {
                let namespace = xml.namespaceURI.isEmpty ? "no namespace" : "namespace '\(xml.namespaceURI)'"
                throw refuse("ConsumptionRecord has \(namespace), not one of CR_MSG schema \(CRMSGSchemaVersion.knownList)")
            }
            self.version = version
            try children { walk throws(Failure) in
                if walk.xml.isNamed("MarketParticipantDirectory") {
                    try walk.marketParticipantDirectory()
                } else if walk.xml.isNamed("ProcessDirectory") {
                    try walk.processDirectory()
                } else {
                    try walk.skip()
                }
            }
            guard zaehlpunkt != nil else { throw refuse("ConsumptionRecord has no ProcessDirectory with a MeteringPoint") }
        }

        private mutating func marketParticipantDirectory() throws(Failure) {
            if let declared = xml.attribute("SchemaVersion")?.trimmingCharacters(in: .whitespaces), declared != version.rawValue {
                throw refuse("SchemaVersion \(declared) contradicts the namespace of schema \(version)")
            }
            try children { walk throws(Failure) in
                if walk.xml.isNamed("MessageCode") {
                    let line = walk.xml.nodeLine
                    let code = try walk.text()
                    guard code == "DATEN_CRMSG" else {
                        throw Failure("MessageCode '\(code)' is not DATEN_CRMSG (a CR_MSG with energy data)", line: line)
                    }
                    walk.messageCode = code
                } else {
                    try walk.skip()
                }
            }
        }

        private mutating func processDirectory() throws(Failure) {
            guard messageCode != nil else {
                throw refuse("ProcessDirectory comes without a MessageCode DATEN_CRMSG before it in MarketParticipantDirectory")
            }
            try children { walk throws(Failure) in
                let xml = walk.xml
                if xml.isNamed("Energy") {
                    guard walk.energy != nil else {
                        throw walk.refuse("Energy comes before MeteringPoint: its values would belong to no metering point")
                    }
                    do throws(XMLStreamError) {
                        try walk.energy?.read(into: &walk.result)
                    } catch {
                        throw Failure(error)
                    }
                } else if xml.isNamed("MeteringPoint") {
                    guard walk.zaehlpunkt == nil else { throw walk.refuse("ProcessDirectory has a second MeteringPoint") }
                    let line = xml.nodeLine
                    let text = try walk.text()
                    do throws(ZaehlpunktError) {
                        let zaehlpunkt = try Zaehlpunkt(text)
                        walk.zaehlpunkt = zaehlpunkt
                        // About 150 bytes an EP in the files the grid operators send.
                        let expected = walk.size / 150
                        walk.energy = CRMSGEnergyReader(xml: xml, zaehlpunkt: zaehlpunkt, version: walk.version, expectedValues: expected)
                        walk.result.figures.reserveCapacity(expected)
                    } catch {
                        throw Failure("MeteringPoint is not a metering point: \(error)", line: line)
                    }
                } else if xml.isNamed("ECID") {
                    let text = try walk.text()
                    walk.result.communityID = text.isEmpty ? nil : text
                } else {
                    try walk.skip()
                }
            }
            guard zaehlpunkt != nil else { throw refuse("ProcessDirectory has no MeteringPoint") }
        }

        private func refuse(_ message: String) -> Failure { Failure(message, line: xml.nodeLine) }

        private func next() throws(Failure) -> XMLStream.Event? {
            do throws(XMLStreamError) {
                return try xml.next()
            } catch {
                throw Failure(error)
            }
        }

        /// The current element's text, without the white space around it, through its end.
        private func text() throws(Failure) -> String {
            do throws(XMLStreamError) {
                return try xml.elementText().trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw Failure(error)
            }
        }

        /// Calls `body` at the start of each child of the current element, through the element's end.
        /// `body` reads the child through its end.
        private mutating func children(_ body: (inout Walk) throws(Failure) -> Void) throws(Failure) {
            while let event = try next() {
                switch event {
                case .start: try body(&self)
                case .end: return
                case .text: continue
                }
            }
        }

        /// Skips the current element through its end.
        private func skip() throws(Failure) {
            var depth = 0
            while let event = try next() {
                switch event {
                case .start: depth += 1
                case .end:
                    if depth == 0 { return }
                    depth -= 1
                case .text: continue
                }
            }
        }
    }
}
