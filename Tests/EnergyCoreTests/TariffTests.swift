import EnergyCore
import EnergyTestSupport
import Testing

@Suite struct TariffTests {
    static let community = """
        community: {id: eeg-t, timezone: Europe/Vienna}
        members:
          - id: A
            meteringPoints:
              - {zaehlpunkt: AT0030000000000000000000000000001, direction: consumption}
        """

    static let tariffs = TestTariffs.timeOfUse(generationVAT: 10, weekendEnd: "00:00")

    @Test func readsTariffsWithTimeOfUseWindows() throws {
        let c = try CommunityFile.parse(Self.community + "\n" + Self.tariffs, source: "t.yaml")
        let t = try #require(c.tariff)
        #expect(t.currency == "EUR" && t.consumptionPrice.microUnitsPerKilowattHour == 123_400 && t.generationPrice.text == "0.0875")
        #expect(t.memberFee.text == "30.00" && t.memberFeePeriod == .year && t.memberFee(months: 1).text == "2.50")
        #expect(t.vat.generation.basisPoints == 1000)
        #expect(t.windows.map(\.name) == ["night", "midday", "standard", "evening", "weekend"])
        #expect(t.windows[0].consumptionPrice.text == "0.0812" && t.windows[0].generationPrice.text == "0.0875")  // defaults to the base
        #expect(t.windows[4].toMinute == 1440 && t.windows[1].label == "mon-fri 10:00-16:00")
    }

    @Test func everyQuarterHourOfAMonthWithTheDSTChangeHasExactlyOneWindow() throws {
        let c = try CommunityFile.parse(Self.community + "\n" + Self.tariffs, source: "t.yaml")
        let t = try #require(c.tariff)
        var offsets = c.calendar.offsetCache()
        var counts = [Int](repeating: 0, count: t.windows.count)
        let month = try LocalMonth("2026-10")
        for qh in c.calendar.quarterHours(of: month) { counts[t.windowIndex(of: qh, offsets: &offsets)] += 1 }
        // 2980 quarter hours; 31 nights of 24 plus the repeated hour 02:00-03:00 of 2026-10-25 (4 more).
        // 22 weekdays: midday 24 each, standard 16 each, evening 32 each; 9 weekend days: 72 each.
        #expect(counts == [31 * 24 + 4, 22 * 24, 22 * 16, 22 * 32, 9 * 72])
        #expect(counts.reduce(0, +) == 2980)
        // The spring change skips 02:00-03:00 local: 2026-03-29 has 92 quarter hours, 20 of them at night.
        let spring = try LocalDate("2026-03-29")
        var night = 0
        for qh in c.calendar.quarterHours(of: spring) where t.windowIndex(of: qh, offsets: &offsets) == 0 { night += 1 }
        #expect(night == 20)
    }

    @Test func gapsAndOverlapsAreRefusedWithTheirPlace() throws {
        let gap = Self.tariffs.replacingOccurrences(of: "from: \"16:00\", to: \"24:00\"", with: "from: \"16:15\", to: \"24:00\"")
        let gapError = #expect(throws: CommunityFileError.self) { try CommunityFile.parse(Self.community + "\n" + gap, source: "t.yaml") }
        #expect(gapError?.description.contains("t.yaml:") == true)
        #expect(gapError?.description.contains("no window covers mon 16:00-16:15") == true)

        let overlap = Self.tariffs.replacingOccurrences(of: "from: \"10:00\", to: \"16:00\"", with: "from: \"09:45\", to: \"16:00\"")
        let overlapError = #expect(throws: CommunityFileError.self) {
            try CommunityFile.parse(Self.community + "\n" + overlap, source: "t.yaml")
        }
        #expect(overlapError?.description.contains("t.yaml:14: tariffs.timeOfUse[2]: 'standard' overlaps 'midday' on mon at 09:45") == true)

        let offGrid = Self.tariffs.replacingOccurrences(of: "\"10:00\"", with: "\"10:10\"")
        let offGridError = #expect(throws: CommunityFileError.self) {
            try CommunityFile.parse(Self.community + "\n" + offGrid, source: "t.yaml")
        }
        #expect(
            offGridError?.description.contains("tariffs.timeOfUse[1].from: '10:10' is not a local time on the quarter-hour grid") == true)
    }

    @Test func unknownKeysAndBadValuesNameTheLineAndPath() throws {
        let unknown = Self.tariffs.replacingOccurrences(of: "  generation: 0.0875", with: "  generation: 0.0875\n  discount: 5")
        let e1 = #expect(throws: CommunityFileError.self) { try CommunityFile.parse(Self.community + "\n" + unknown, source: "t.yaml") }
        #expect(e1?.description.hasPrefix("t.yaml:9: tariffs: unknown key 'discount'") == true)
        let negative = Self.tariffs.replacingOccurrences(of: "consumption: 0.1234", with: "consumption: -0.1")
        let e2 = #expect(throws: CommunityFileError.self) { try CommunityFile.parse(Self.community + "\n" + negative, source: "t.yaml") }
        #expect(e2?.description == "t.yaml:7: tariffs.consumption: a price cannot be negative")
        let badFee = Self.tariffs.replacingOccurrences(of: "per: year", with: "per: week")
        let e3 = #expect(throws: CommunityFileError.self) { try CommunityFile.parse(Self.community + "\n" + badFee, source: "t.yaml") }
        #expect(e3?.description.contains("tariffs.memberFee.per: 'week' is not a fee period") == true)
        let badDay = Self.tariffs.replacingOccurrences(of: "[sat, sun]", with: "[sat, sunday]")
        let e4 = #expect(throws: CommunityFileError.self) { try CommunityFile.parse(Self.community + "\n" + badDay, source: "t.yaml") }
        #expect(e4?.description.contains("'sunday' is not a weekday") == true)
    }

    @Test func renderedTariffsReadBackTheSame() throws {
        let c = try CommunityFile.parse(Self.community + "\n" + Self.tariffs, source: "t.yaml")
        let again = try CommunityFile.parse(CommunityFile.render(c), source: "rendered")
        #expect(again.tariff == c.tariff)
        #expect(again.tariff != nil)
        let plain = try CommunityFile.parse(Self.community + "\ntariffs: {consumption: 0.1, generation: 0.05}", source: "p.yaml")
        #expect(plain.tariff?.windows.count == 1 && plain.tariff?.memberFee == .zero)
        #expect(try CommunityFile.parse(CommunityFile.render(plain), source: "rendered").tariff == plain.tariff)
        #expect(try CommunityFile.parse(Self.community, source: "none.yaml").tariff == nil)
    }
}
