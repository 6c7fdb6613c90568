/// A workbook's shared strings (`xl/sharedStrings.xml`), kept as one byte array with offsets: a
/// workbook whose values are text has millions of them, and cells refer to them by index.
///
/// Rich text is the concatenation of its runs; phonetic runs (`rPh`, readings of East Asian text)
/// are not part of the string.
/// ```swift
/// var strings = XLSXSharedStrings()
/// try strings.read(try XMLStream(bytes: part, name: "xl/sharedStrings.xml"))
/// strings.count          // 2
/// strings.string(at: 1)  // "Energiedaten"
/// ```
struct XLSXSharedStrings: Sendable {
    /// Every string's UTF-8 bytes, one after the other.
    private(set) var bytes: [UInt8] = []
    /// Where string `i` starts in `bytes`; it ends where `i + 1` starts (one extra entry at the end).
    private var starts: [Int] = [0]

    var count: Int { starts.count - 1 }

    func range(at index: Int) -> Range<Int> { starts[index]..<starts[index + 1] }

    func string(at index: Int) -> String { String(decoding: bytes[range(at: index)], as: UTF8.self) }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        starts.append(bytes.count)
    }

    /// Reads the `sst` part: each `si` is one string, the text of its `t` elements (of the `si`
    /// itself, or of its `r` runs) concatenated.
    mutating func read(_ xml: XMLStream) throws(XMLStreamError) {
        var inItem = false
        var inText = false
        var phoneticDepth = 0
        while let event = try xml.next() {
            switch event {
            case .start:
                if xml.isNamed("si") {
                    inItem = true
                } else if xml.isNamed("rPh") {
                    phoneticDepth += 1
                } else if xml.isNamed("t") {
                    inText = inItem && phoneticDepth == 0
                }
            case .text:
                if inText { xml.withTextBytes { bytes.append(contentsOf: $0) } }
            case .end:
                if xml.isNamed("t") {
                    inText = false
                } else if xml.isNamed("rPh") {
                    phoneticDepth -= 1
                } else if xml.isNamed("si") {
                    inItem = false
                    starts.append(bytes.count)
                }
            }
        }
    }
}
