import EnergyCore
import EnergyEDA
import EnergyTestSupport
import Foundation
import Testing

@Suite struct XLSXReaderTests {
    /// A workbook as some other writer might make it: no `r` attributes, the sheet not called
    /// sheet1.xml (and named by an absolute target), rich text and phonetic runs, every cell kind.
    static let parts: [(path: String, text: String)] = [
        (
            "[Content_Types].xml",
            #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>"#
        ),
        (
            "_rels/.rels",
            #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" "#
                + #"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
                + "</Relationships>"
        ),
        (
            "xl/workbook.xml",
            #"<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#
                + #"xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr date1904="1"/>"#
                + #"<x:sheets><x:sheet name="Info" sheetId="1" rel:id="rId7"/><x:sheet name="Energiedaten" sheetId="2" rel:id="rId3"/>"#
                + "</x:sheets></x:workbook>"
        ),
        (
            "xl/_rels/workbook.xml.rels",
            #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                + #"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" "#
                + #"Target="/xl/worksheets/values.xml"/>"#
                + #"<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" "#
                + #"Target="worksheets/../worksheets/info.xml"/>"#
                + #"<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" "#
                + #"Target="strings.xml"/></Relationships>"#
        ),
        (
            "xl/strings.xml",
            #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">"#
                + "<si><t>MeteringPointId</t></si>"
                + "<si><r><rPr><b/></rPr><t>Eigendeckung </t></r><r><t>gemeinschaftliche</t></r>"
                + "<rPh sb=\"0\" eb=\"1\"><t>phonetic</t></rPh></si>"
                + "<si><t>L&amp;1</t></si></sst>"
        ),
        (
            "xl/worksheets/info.xml",
            #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>"#
        ),
        (
            "xl/worksheets/values.xml",
            #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
                + #"<row><c t="s"><v>0</v></c><c t="inlineStr"><is><r><t>AT00</t></r><r><t>3</t></r></is></c><c t="s"><v>2</v></c></row>"#
                + #"<row><c t="s"><v>1</v></c><c r="D2"><v>1.5E-3</v></c><c s="3"/><c t="b"><v>1</v></c></row>"#
                + #"<row r="5"><c t="str"><f>A1</f><v>MeteringPointId</v></c><c t="e"><v>#N/A</v></c><c><v>46296.5</v></c></row>"#
                + "</sheetData><mergeCells count=\"0\"/></worksheet>"
        ),
    ]

    @Test func readsSheetsStringsAndCellsWithoutReferences() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/other.xlsx"
        try OpenPyXLScript.zip(Self.parts, to: path)
        let workbook = try XLSXReader(path: path)
        #expect(workbook.sheetNames == ["Info", "Energiedaten"])
        #expect(workbook.uses1904Dates)
        #expect(try workbook.rows(ofSheet: "Info").next() == nil)
        let rows = try workbook.rows(ofSheet: "Energiedaten")
        var seen: [String] = []
        while let row = try rows.next() {
            for cell in row.cells { seen.append("\(cell.reference) \(cell.kind) \(cell.text)") }
        }
        #expect(
            seen == [
                "A1 sharedString MeteringPointId", "B1 inlineString AT003", "C1 sharedString L&1",
                "A2 sharedString Eigendeckung gemeinschaftliche", "D2 number 1.5E-3", "E2 empty ", "F2 boolean 1",
                "A5 formulaString MeteringPointId", "B5 error #N/A", "C5 number 46296.5",
            ])
    }

    @Test func cellsAreFoundByColumn() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/other.xlsx"
        try OpenPyXLScript.zip(Self.parts, to: path)
        let rows = try XLSXReader(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))), name: "other.xlsx").rows(
            ofSheet: "Energiedaten")
        _ = try rows.next()
        let row = try #require(try rows.next())
        #expect(row.number == 2)
        #expect(row[4]?.number == 0.0015)
        #expect(row[3] == nil)
        #expect(row[5]?.isEmpty == true)
        #expect(row.lastColumn == 6)
        #expect(XLSXCell.columnName(28) == "AB")
        #expect(XLSXCell.columnName(16_384) == "XFD")
    }

    @Test func whatIsNotAWorkbookIsAnError() throws {
        let folder = TemporaryFolder()
        #expect(throws: XLSXError(file: "x.xlsx", message: "not an XLSX workbook (not a ZIP file)")) {
            try XLSXReader(bytes: Array("PK, but not really".utf8), name: "x.xlsx")
        }
        #expect(throws: XLSXError(file: folder.path + "/missing.xlsx", message: "no such file")) {
            try XLSXReader(path: folder.path + "/missing.xlsx")
        }
        let path = folder.path + "/broken.xlsx"
        var parts = Self.parts
        parts[parts.count - 1].text = parts[parts.count - 1].text.replacingOccurrences(of: "<v>2</v>", with: "<v>12</v>")
        try OpenPyXLScript.zip(parts, to: path)
        let workbook = try XLSXReader(path: path)
        #expect(throws: XLSXError(file: path, message: "no sheet 'Tabelle1' (the workbook has 'Info', 'Energiedaten')")) {
            try workbook.rows(ofSheet: "Tabelle1")
        }
        let rows = try workbook.rows(ofSheet: "Energiedaten")
        #expect(
            throws: XLSXError(file: path, message: "xl/worksheets/values.xml: cell C1 refers to shared string '12', but the workbook has 3")
        ) {
            try rows.next()
        }
    }

    @Test func aDamagedSheetIsAnErrorNotWrongFigures() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/damaged.xlsx"
        try OpenPyXLScript.zip(Self.parts, to: path, stored: true)
        // One digit of a value changed inside the ZIP file: still well-formed XML, but not what was zipped.
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let value = Array("46296.5".utf8)
        let at = try #require(bytes.indices.first { bytes[$0..<min($0 + value.count, bytes.count)].elementsEqual(value) })
        bytes[at] = UInt8(ascii: "5")
        let rows = try XLSXReader(bytes: bytes, name: "damaged.xlsx").rows(ofSheet: "Energiedaten")
        do {
            while try rows.next() != nil {}
            Issue.record("no error")
        } catch {
            #expect(error.message.contains("xl/worksheets/values.xml is damaged (its checksum does not match its contents)"))
        }
    }

    @Test func aSheetLeftEarlyLetsItsThreadGo() throws {
        // Several chunks of XML: the extracting thread waits on the reader, and must end when the
        // rows are dropped.
        let data = try EDAWorkbookTestData(from: "2026-10-01", to: "2026-11-01")
        let bytes = try EDAWorkbookWriter(calendar: EDAWorkbookTestData.vienna).write(
            points: data.points, figures: data.figures, from: data.from, to: data.to)
        let workbook = try XLSXReader(bytes: bytes, name: "month.xlsx")
        for _ in 0..<3 {
            let rows = try workbook.rows(ofSheet: "Energiedaten")
            #expect(try rows.next()?[1]?.text == "MeteringPointId")
        }
        // Two streams of one workbook at once each read their own.
        let first = try workbook.rows(ofSheet: "Energiedaten")
        let second = try workbook.rows(ofSheet: "Energiedaten")
        var count = 0
        while let row = try first.next(), let other = try second.next() {
            #expect(row.number == other.number)
            #expect(row.cells.map(\.text) == other.cells.map(\.text))
            count += 1
        }
        #expect(count == 15 + 2_980)  // header rows and the quarter hours of October
    }
}
