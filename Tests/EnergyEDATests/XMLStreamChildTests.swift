import EnergyEDA
import Testing

/// `forEachChild` reads a small element whole and moves past it; `next()` goes on after it.
@Suite struct XMLStreamChildTests {
    @Test func readsTheChildrenAndGoesOnAfterTheElement() throws {
        let text = """
            <r>
              <EP n="1">
                <DTF>a</DTF>
                <BQ>0.<![CDATA[25]]></BQ>
                <MM/>
              </EP>
              <EP/>
              <after>x</after>
            </r>
            """
        let xml = try XMLStream(bytes: Array(text.utf8), name: "t.xml")
        var seen: [String] = []
        while let event = try xml.next() {
            switch event {
            case .start where xml.isNamed("EP"):
                seen.append("EP line \(xml.nodeLine)")
                try xml.forEachChild { child in
                    var value: [UInt8] = []
                    child.forEachText { value += $0 }
                    let name = child.isNamed("DTF") ? "DTF" : child.isNamed("BQ") ? "BQ" : child.isNamed("MM") ? "MM" : "?"
                    seen.append("\(name)=\(String(decoding: value, as: UTF8.self))")
                }
            case .start: seen.append("<\(xml.localName)>")
            case .end: seen.append("</\(xml.localName)>")
            case .text: seen.append(xml.text)
            }
        }
        #expect(seen == ["<r>", "EP line 2", "DTF=a", "BQ=0.25", "MM=", "EP line 7", "<after>", "x", "</after>", "</r>"])
    }

    @Test func malformedContentOfTheElementIsAnError() throws {
        let xml = try XMLStream(bytes: Array("<r>\n<EP><BQ>1</MM></EP>\n</r>".utf8), name: "broken.xml")
        #expect(throws: XMLStreamError.self) {
            while let event = try xml.next() {
                if event == .start, xml.isNamed("EP") { try xml.forEachChild { _ in } }
            }
        }
    }
}
