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
}
