import EnergyBilling
import EnergyCore
import EnergyTestSupport
import Foundation
import Testing

/// Where things are on page 1: the page rendered by pdftoppm as a grayscale image at 40 dpi
/// (an A4 page is 331 × 468 pixels; 1 pt is 40/72 px) and its regions checked for ink.
@Suite struct StatementPDFLayoutTests {
    /// A binary PGM (P5) image: width, height and one byte per pixel (0 black … maxval white).
    struct GrayImage {
        let width: Int
        let height: Int
        let pixels: [UInt8]

        init?(pgm data: [UInt8]) {
            // The header: "P5", width, height, maxval, separated by white space, then one space.
            var tokens: [String] = []
            var index = 0
            while tokens.count < 4, index < data.count {
                while index < data.count, data[index] == 0x20 || data[index] == 0x0A || data[index] == 0x0D || data[index] == 0x09 {
                    index += 1
                }
                if index < data.count, data[index] == UInt8(ascii: "#") {
                    while index < data.count, data[index] != 0x0A { index += 1 }
                    continue
                }
                let start = index
                while index < data.count, !(data[index] == 0x20 || data[index] == 0x0A || data[index] == 0x0D || data[index] == 0x09) {
                    index += 1
                }
                tokens.append(String(decoding: data[start..<index], as: UTF8.self))
            }
            index += 1
            guard tokens.count == 4, tokens[0] == "P5", let width = Int(tokens[1]), let height = Int(tokens[2]), tokens[3] == "255",
                data.count - index >= width * height
            else { return nil }
            self.width = width
            self.height = height
            pixels = Array(data[index..<(index + width * height)])
        }

        /// Pixels darker than mid-gray in the rectangle of columns `x` and rows `y` (from the top).
        func darkPixels(x: Range<Int>, y: Range<Int>) -> Int {
            var count = 0
            for row in y.clamped(to: 0..<height) {
                for column in x.clamped(to: 0..<width) where pixels[row * width + column] < 128 { count += 1 }
            }
            return count
        }
    }

    @Test func pageOneHasTheHeaderTableAndChartInPlaceAndWhiteMargins() throws {
        let folder = TemporaryFolder()
        let pdf = try PDFFixture.file(try StatementPDF(try PDFFixture.document(points: 3)).render(), in: folder)
        _ = try PDFFixture.run("pdftoppm", ["-gray", "-r", "40", "-f", "1", "-l", "1", "-singlefile", pdf, folder.path + "/page"])
        let image = try #require(GrayImage(pgm: Array(try Data(contentsOf: URL(fileURLWithPath: folder.path + "/page.pgm")))))
        #expect(image.width == 331 && image.height == 468)
        // px of a distance in pt.
        func px(_ points: Double) -> Int { Int(points * 40 / 72) }
        // The community at the top right, the member in the window (50 mm from the top, left).
        #expect(image.darkPixels(x: px(300)..<px(550), y: px(40)..<px(60)) > 20, "community name")
        #expect(image.darkPixels(x: px(57)..<px(250), y: px(142)..<px(200)) > 20, "member's address in the window")
        #expect(image.darkPixels(x: px(350)..<px(550), y: px(142)..<px(200)) > 20, "number, date, period")
        // The title 100 mm (283 pt) from the top, then the table.
        #expect(image.darkPixels(x: px(45)..<px(200), y: px(283)..<px(305)) > 20, "title")
        #expect(image.darkPixels(x: px(45)..<px(550), y: px(310)..<px(400)) > 200, "table")
        // The chart in the lower part of the page, above the footer.
        #expect(image.darkPixels(x: px(85)..<px(550), y: px(560)..<px(780)) > 200, "chart")
        // Margins: nothing in the outer 25 pt (~9 mm) on the left and right, the top 25 pt and the bottom 25 pt.
        #expect(image.darkPixels(x: 0..<px(25), y: 0..<image.height) == 0, "left margin")
        #expect(image.darkPixels(x: px(570)..<image.width, y: 0..<image.height) == 0, "right margin")
        #expect(image.darkPixels(x: 0..<image.width, y: 0..<px(25)) == 0, "top margin")
        #expect(image.darkPixels(x: 0..<image.width, y: (image.height - px(25))..<image.height) == 0, "bottom margin")
    }
}
