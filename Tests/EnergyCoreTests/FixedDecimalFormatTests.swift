import Testing

@testable import EnergyCore

@Suite struct FixedDecimalFormatTests {
    @Test func handComputedTexts() {
        #expect(FixedDecimal.text(244, scale: 6) == "0.000244")
        #expect(FixedDecimal.text(-244, scale: 6) == "-0.000244")
        #expect(FixedDecimal.text(12_345_678_901, scale: 6, decimals: 3, rounding: .halfAwayFromZero, grouping: ",") == "12,345.679")
        #expect(FixedDecimal.text(-400, scale: 6, decimals: 3, rounding: .halfAwayFromZero, grouping: ",") == "0.000")
        #expect(FixedDecimal.text(-500, scale: 6, decimals: 3, rounding: .halfAwayFromZero) == "-0.001")
        #expect(FixedDecimal.text(999_999_500, scale: 6, decimals: 3, rounding: .halfAwayFromZero, grouping: ",") == "1,000.000")
        #expect(FixedDecimal.text(1250, scale: 2, trimmingZeros: true) == "12.5")
        #expect(FixedDecimal.text(1200, scale: 2, trimmingZeros: true) == "12")
        #expect(FixedDecimal.text(85_000, scale: 6, trimmingZeros: true) == "0.085")
        #expect(FixedDecimal.text(-5, scale: 2) == "-0.05")
        #expect(FixedDecimal.text(7, scale: 0) == "7")
        #expect(FixedDecimal.text(Int64.min, scale: 6) == "-9223372036854.775808")
        #expect(Money(cents: -1234).text == "-12.34")
        #expect(Energy.kilowattHoursText(1_500_000, decimals: 2) == "1.50")
    }

    /// Every exact text parses back to the value it came from; trimmed texts too.
    @Test func exactTextsRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let value = Int64.random(in: -10_000_000_000_000...10_000_000_000_000, using: &generator)
            for scale in [0, 2, 4, 6] {
                #expect(try FixedDecimal.parse(FixedDecimal.text(value, scale: scale), decimals: scale) == value)
                #expect(try FixedDecimal.parse(FixedDecimal.text(value, scale: scale, trimmingZeros: true), decimals: scale) == value)
            }
            var bytes: [UInt8] = []
            FixedDecimal.append(value, scale: 6, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == Energy.kilowattHoursText(value))
        }
    }

    /// Rounded texts for people differ from the value by at most half the last digit shown.
    @Test func roundedTextsAreWithinHalfAUnit() throws {
        for value in stride(from: Int64(-3_000_000), through: 3_000_000, by: 997) {
            let text = FixedDecimal.text(value, scale: 6, decimals: 3, rounding: .halfAwayFromZero, grouping: ",")
            let back = try FixedDecimal.parse(text.replacingOccurrences(of: ",", with: ""), decimals: 6)
            #expect(abs(back - value) <= 500, "\(value) -> \(text)")
        }
    }
}
