import EnergyEDA
import Testing

@Suite struct XMLStreamTests {
    @Test func readsElementsAttributesAndText() throws {
        let xml = try XMLStream(
            bytes: Array(#"<?xml version="1.0"?><a:root xmlns:a="urn:x"><a:EP MM="L1"><BQ>1.5</BQ></a:EP><e/></a:root>"#.utf8),
            name: "t.xml")
        var seen: [String] = []
        while let event = try xml.next() {
            switch event {
            case .start:
                seen.append("<\(xml.localName)\(xml.attribute("MM").map { " MM=\($0)" } ?? "")>")
                if xml.isNamed("BQ") {
                    seen.append(try xml.elementText())
                    seen.append("</BQ>")
                }
            case .end: seen.append("</\(xml.localName)>")
            case .text: seen.append(xml.text)
            }
        }
        #expect(seen == ["<root>", "<EP MM=L1>", "<BQ>", "1.5", "</BQ>", "</EP>", "<e>", "</e>", "</root>"])
    }

    @Test func malformedXMLNamesTheDocumentAndLine() throws {
        let xml = try XMLStream(bytes: Array("<a>\n<b></a>".utf8), name: "broken.xml")
        #expect(throws: XMLStreamError.self) {
            while try xml.next() != nil {}
        }
        do {
            while try xml.next() != nil {}
        } catch {
            #expect(error.description.hasPrefix("broken.xml:"))
        }
    }

    @Test func streamsFromASourceInSmallPiecesAndGivesAttributesAsBytes() throws {
        let document = Array(#"<sheetData><row r="1"><c r="AB1" t="s"><v>7</v></c></row></sheetData>"#.utf8)
        var offset = 0
        // Three bytes at a time: elements, attributes and texts cross the pieces.
        let xml = try XMLStream(name: "sheet.xml") { buffer in
            let count = min(3, buffer.count, document.count - offset)
            for i in 0..<count { buffer[i] = document[offset + i] }
            offset += count
            return count
        }
        var seen: [String] = []
        while let event = try xml.next() {
            if event == .start, xml.isNamed("c") {
                xml.forEachAttribute { name, value in
                    seen.append(String(decoding: name, as: UTF8.self) + "=" + String(decoding: value, as: UTF8.self))
                }
            }
            if event == .text { seen.append(xml.text) }
        }
        #expect(seen == ["r=AB1", "t=s", "7"])
    }

    @Test func aSourceThatFailsEndsTheDocumentWithItsError() throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "the ZIP entry is damaged" } }
        let start = Array("<a><b>".utf8)
        var offset = 0
        let xml = try XMLStream(name: "sheet.xml") { buffer in
            guard offset < start.count else { throw Broken() }
            let count = min(buffer.count, start.count - offset)
            for i in 0..<count { buffer[i] = start[offset + i] }
            offset += count
            return count
        }
        do {
            while try xml.next() != nil {}
            Issue.record("no error")
        } catch {
            #expect(error.description.contains("the ZIP entry is damaged"))
        }
    }
}
