import EnergyCore
import EnergyEDA
import EnergyTestSupport
import Foundation
import Testing

/// A file the reader cannot trust as a whole is refused with its name and line; a file that tries
/// to make the reader fetch or expand something gets nothing.
@Suite struct CRMSGFileErrorTests {
    typealias S = CRMSGSample

    struct BadFile: Sendable, CustomStringConvertible {
        var name: String
        var xml: String
        /// Where the message points: the line of this text in `xml`.
        var marker: String
        var message: String
        var description: String { name }
    }

    static let body = [S.energy(data: [S.data("1-1:2.9.0 G.03", S.hour())])]

    static let broken = S.document(energy: body).replacingOccurrences(of: "</cp:EnergyData>", with: "</cp:Energy>")

    static let brokenEP = S.document(energy: body).replacingOccurrences(of: "<cp:BQ>0.1</cp:BQ>", with: "<cp:BQ>0.1</cp:MM>")

    static let badFiles: [BadFile] = [
        BadFile(
            name: "not well-formed", xml: broken, marker: "</cp:Energy>",
            message:
                "not well-formed XML: Opening and ending tag mismatch: EnergyData line \(S.line(of: "<cp:EnergyData", in: broken)) and Energy"
        ),
        BadFile(
            name: "not well-formed inside an EP", xml: brokenEP, marker: "0.1</cp:MM>",
            message: "not well-formed XML: Opening and ending tag mismatch: BQ line \(S.line(of: "<cp:BQ>0.1", in: brokenEP)) and MM"),
        BadFile(
            name: "another root", xml: #"<?xml version="1.0"?>"# + "\n<MasterData><x/></MasterData>", marker: "<MasterData>",
            message: "the root element is MasterData, not a CR_MSG ConsumptionRecord"),
        BadFile(
            name: "unknown version",
            xml: S.document(namespace: "http://www.ebutilities.at/schemata/customerprocesses/consumptionrecord/01p99", energy: body),
            marker: "<cp:ConsumptionRecord",
            message: "ConsumptionRecord has namespace 'http://www.ebutilities.at/schemata/customerprocesses/consumptionrecord/01p99', "
                + "not one of CR_MSG schema 01.30, 01.40, 01.41"),
        BadFile(
            name: "version contradicting the namespace", xml: S.document(schemaVersion: "01.30", energy: body),
            marker: "<cp:MarketParticipantDirectory", message: "SchemaVersion 01.30 contradicts the namespace of schema 01.41"),
        BadFile(
            name: "another message", xml: S.document(messageCode: "ANFORDERUNG_ECP", energy: body), marker: "<cp:MessageCode>",
            message: "MessageCode 'ANFORDERUNG_ECP' is not DATEN_CRMSG (a CR_MSG with energy data)"),
        BadFile(
            name: "no metering point", xml: S.document(meteringPoint: nil, energy: body), marker: "<cp:Energy>",
            message: "Energy comes before MeteringPoint: its values would belong to no metering point"),
        BadFile(
            name: "invalid metering point", xml: S.document(meteringPoint: "AT003000000000000000000000000001", energy: body),
            marker: "<ct:MeteringPoint>",
            message: "MeteringPoint is not a metering point: Zaehlpunkt 'AT003000000000000000000000000001' has 32 characters, "
                + "expected 33 (AT and 31 of 0-9A-Z)"),
    ]

    @Test(arguments: badFiles)
    func aFileThatCannotBeTrustedIsRefusedWithItsNameAndLine(_ bad: BadFile) {
        #expect {
            _ = try S.read(bad.xml, name: "inbox/\(bad.name).xml")
        } throws: { error in
            let expected = EDAFileError(
                file: "inbox/\(bad.name).xml", message: "line \(S.line(of: bad.marker, in: bad.xml)): \(bad.message)")
            #expect(error as? EDAFileError == expected)
            return error as? EDAFileError == expected
        }
    }

    @Test func aFileWithoutMeteringPointOrEnergyIsRefused() {
        let xml = S.document(meteringPoint: nil, energy: [])
        #expect(throws: EDAFileError.self) { try S.read(xml) }
    }

    @Test func readPathNamesTheFile() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/AT0030000000000000000000000000001_20260302.xml"
        try Data(S.document(energy: Self.body).utf8).write(to: URL(fileURLWithPath: path))
        let document = try CRMSGReader().read(path: path)
        #expect(document.name == path)
        #expect(document.figures.count == 4)
        #expect(
            throws: EDAFileError(file: folder.path + "/missing.xml", message: "cannot read the file (it does not exist or is not readable)")
        ) {
            try CRMSGReader().read(path: folder.path + "/missing.xml")
        }
    }

    /// XXE: a DOCTYPE that declares external entities (a file, a URL) gets neither fetched nor
    /// expanded; the values that use them are refused, the others kept.
    @Test func externalEntitiesAreNeitherFetchedNorExpanded() throws {
        let folder = TemporaryFolder()
        let secret = "SECRET-\(UUID().uuidString)"
        try Data(secret.utf8).write(to: URL(fileURLWithPath: folder.path + "/secret.txt"))
        let doctype = """
            <!DOCTYPE cp:ConsumptionRecord [
            <!ENTITY xxe SYSTEM "file://\(folder.path)/secret.txt">
            <!ENTITY web SYSTEM "http://127.0.0.1:9/secret">
            ]>
            """
        let ep = S.ep("2026-03-02T10:15:00+01:00", "2026-03-02T10:30:00+01:00", bq: "&xxe;")
        let energy = [S.energy(data: [S.data("1-1:2.9.0 G.03", S.hour(replacing: 1, with: ep))])]
        let xml = S.document(ecid: "&xxe;&web;", doctype: doctype, energy: energy)
        let document = try S.read(xml)
        #expect(document.communityID == nil)
        let location = "Energy[1]/EnergyData[1-1:2.9.0 G.03]/EP[2] (line \(S.line(of: ep, in: xml)))"
        #expect(document.rejections == [EDARejection(location: location, reason: "BQ is empty")])
        #expect(document.figures.map(\.milliwattHours) == [100_000, 300_000, 400_000])
        #expect(!"\(document.rejections)\(document.unknownMeterCodes)".contains(secret))
    }

    /// An external DTD (through a parameter entity) is not loaded: the entity it would declare
    /// stays undeclared, which libxml2 refuses as not well-formed.
    @Test func anExternalDTDIsNotLoaded() throws {
        let folder = TemporaryFolder()
        let secret = "SECRET-\(UUID().uuidString)"
        try Data(#"<!ENTITY leak "\#(secret)">"#.utf8).write(to: URL(fileURLWithPath: folder.path + "/evil.dtd"))
        let doctype = """
            <!DOCTYPE cp:ConsumptionRecord [
            <!ENTITY % dtd SYSTEM "file://\(folder.path)/evil.dtd">
            %dtd;
            ]>
            """
        let xml = S.document(ecid: "&leak;", doctype: doctype, energy: Self.body)
        #expect {
            _ = try S.read(xml)
        } throws: { error in
            let message = (error as? EDAFileError)?.message ?? ""
            return message == "line \(S.line(of: "&leak;", in: xml)): not well-formed XML: Entity 'leak' not defined"
                && !message.contains(secret)
        }
    }

    /// Entities that expand into each other ("billion laughs") are not expanded either.
    @Test func nestedEntitiesAreNotExpanded() throws {
        var declarations = [#"<!ENTITY lol0 "lol">"#]
        for level in 1...9 { declarations.append("<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">") }
        let doctype = "<!DOCTYPE cp:ConsumptionRecord [\n" + declarations.joined(separator: "\n") + "\n]>"
        let xml = S.document(ecid: "&lol9;", doctype: doctype, energy: Self.body)
        do {
            let document = try S.read(xml)
            #expect(document.communityID == nil)
            #expect(document.figures.count == 4)
        } catch {
            // libxml2 may also stop such a document outright; it never expands it.
            #expect(error.message.contains("not well-formed XML"))
        }
    }
}
