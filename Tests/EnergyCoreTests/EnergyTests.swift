import EnergyCore
import EnergyTestSupport
import Testing

@Suite struct EnergyTests {
    @Test(
        arguments: [
            ("0.000244", 244), ("12", 12_000_000), ("1.5", 1_500_000), (".5", 500_000), ("5.", 5_000_000),
            ("0.1234560", 123_456), ("+2.25", 2_250_000), ("-1", -1_000_000), ("0", 0), ("9999.999999", 9_999_999_999),
        ] as [(String, Int64)])
    func parsesDecimalKilowattHoursExactly(text: String, mWh: Int64) throws {
        #expect(try Energy(kilowattHours: text).milliwattHours == mWh)
    }

    @Test(arguments: ["", "abc", "1e3", "NaN", "inf", "1,5", "1.2.3", " 1", "0.0000001", "-", ".", "99999999999999999999"])
    func rejectsWhatIsNotADecimal(text: String) {
        #expect(throws: EnergyParseError.self) { try Energy(kilowattHours: text) }
    }

    @Test func tooManyDecimalsSaysSo() {
        #expect(throws: EnergyParseError.tooManyDecimals("0.0000001", allowed: 6)) { try Energy(kilowattHours: "0.0000001") }
    }

    @Test func formatsWithSixDecimalsAndParsesBack() throws {
        var random = SplitMix64(seed: 1)
        for _ in 0..<2000 {
            let value = Int64(bitPattern: random.next()) % 1_000_000_000_000
            let text = Energy.kilowattHoursText(value)
            #expect(text.split(separator: ".").last?.count == 6)
            #expect(try Energy(kilowattHours: text).milliwattHours == value)
        }
        #expect(Energy(milliwattHours: 244).kilowattHoursText == "0.000244")
        #expect(Energy(milliwattHours: -1_500_000).kilowattHoursText == "-1.500000")
    }

    @Test func fixedDecimalScales() throws {
        #expect(try FixedDecimal.parse("12.5", decimals: 2) == 1250)
        #expect(try FixedDecimal.parse("100", decimals: 2) == 10_000)
        #expect(throws: EnergyParseError.self) { try FixedDecimal.parse("12.345", decimals: 2) }
    }
}
