import EnergyCore
import EnergyTestSupport
import Testing

/// Tariffs over time: `tariffs:` as a list with `validFrom` dates.
@Suite struct TariffScheduleTests {
    let base = ThreeMemberCommunity.yaml(id: "eeg-t", name: "EEG T")

    func parse(_ tariffs: String) throws -> Community {
        try CommunityFile.parse(base + "\n" + tariffs, source: "c.yaml")
    }

    let twoTariffs = """
        tariffs:
          - {consumption: 0.12, generation: 0.08, memberFee: {amount: 3, per: month}}
          - validFrom: 2026-10-15
            consumption: 0.14
            generation: 0.09
            memberFee: {amount: 4, per: month}
            vat: {consumption: 20}
        """

    @Test func aListOfTariffsIsReadInOrderAndWrittenBackTheSame() throws {
        let community = try parse(twoTariffs)
        let schedule = try #require(community.tariffs)
        #expect(schedule.tariffs.count == 2 && schedule.tariffs[0].validFrom == nil)
        #expect(schedule.tariffs[1].validFrom == (try LocalDate("2026-10-15")))
        #expect(community.tariff == schedule.tariffs[1], "the newest tariff")
        #expect(schedule.tariff(on: try LocalDate("2026-10-14"))?.consumptionPrice == (try EnergyPrice("0.12")))
        #expect(schedule.tariff(on: try LocalDate("2026-10-15"))?.consumptionPrice == (try EnergyPrice("0.14")))
        let again = try CommunityFile.parse(CommunityFile.render(community), source: "again.yaml")
        #expect(again.tariffs == schedule)
        // A single mapping stays a mapping.
        let single = try parse("tariffs: {consumption: 0.1, generation: 0.05}")
        #expect(CommunityFile.render(single).contains("tariffs:\n  currency: EUR\n"))
    }

    @Test func aPeriodIsSplitWhereTheTariffChanges() throws {
        let schedule = try #require(try parse(twoTariffs).tariffs)
        let october = try schedule.segments(from: try LocalDate("2026-10-01"), to: try LocalDate("2026-11-01"))
        #expect(october.map { "\($0.days.lowerBound)..<\($0.days.upperBound)" } == ["2026-10-01..<2026-10-15", "2026-10-15..<2026-11-01"])
        let september = try schedule.segments(from: try LocalDate("2026-09-01"), to: try LocalDate("2026-10-01"))
        #expect(september.count == 1 && september[0].tariff.validFrom == nil)
        let pricing = try PeriodPricing(schedule, period: try BillingPeriod("2026-10"))
        #expect(pricing.slots.map(\.days?.lowerBound.description) == ["2026-10-01", "2026-10-15"])
        // The member fee of each tariff for its days: 3 × 14/31 and 4 × 17/31, rounded.
        #expect(pricing.fees.map(\.amount.text) == ["1.35", "2.19"])
        let quarter = try PeriodPricing(schedule, period: try BillingPeriod("2026-Q4"))
        #expect(
            quarter.fees.map(\.amount) == [Money.proRata(Money(cents: 900), 14, over: 92), Money.proRata(Money(cents: 1200), 78, over: 92)])
        let calendar = try parse(twoTariffs).calendar
        let hours = calendar.quarterHours(from: try LocalDate("2026-10-01"), to: try LocalDate("2026-11-01"))
        let slots = pricing.slotIndices(of: hours, calendar: calendar)
        let before = calendar.quarterHours(from: try LocalDate("2026-10-01"), to: try LocalDate("2026-10-15")).count
        #expect(slots.prefix(before).allSatisfy { $0 == 0 } && slots.dropFirst(before).allSatisfy { $0 == 1 })
    }

    @Test func aScheduleWithAGapOrInDisorderIsRefusedNamingTheEntry() throws {
        let cases: [(String, String)] = [
            (
                "tariffs:\n  - {validFrom: 2026-10-15, consumption: 0.1, generation: 0.05}\n",
                "no tariff is valid"
            ),
            (
                "tariffs:\n  - {consumption: 0.1, generation: 0.05}\n  - {consumption: 0.2, generation: 0.05}\n",
                "tariffs[1]: 'validFrom' is missing"
            ),
            (
                "tariffs:\n  - {consumption: 0.1, generation: 0.05}\n  - {validFrom: 2026-10-15, consumption: 0.2, generation: 0.05}\n"
                    + "  - {validFrom: 2026-10-01, consumption: 0.3, generation: 0.05}\n",
                "tariffs[2]: 'validFrom' 2026-10-01 is not after the previous tariff's 2026-10-15"
            ),
            (
                "tariffs:\n  - {consumption: 0.1, generation: 0.05}\n  - {validFrom: 2026-10-15, currency: CHF, consumption: 0.2, generation: 0.05}\n",
                "tariffs[1]: currency CHF differs from EUR"
            ),
            (
                "tariffs:\n  - {validFrom: 2026-13-01, consumption: 0.1, generation: 0.05}\n",
                "tariffs[0].validFrom: '2026-13-01' is not a date"
            ),
            ("tariffs: []\n", "non-empty list of tariffs"),
        ]
        for (yaml, message) in cases {
            do {
                let community = try parse(yaml)
                // A schedule starting later than a period is refused when that period is priced.
                _ = try community.tariffs?.segments(from: try LocalDate("2026-10-01"), to: try LocalDate("2026-11-01"))
                Issue.record("accepted: \(yaml)")
            } catch {
                #expect("\(error)".contains(message), "\(error)")
                if let fileError = error as? CommunityFileError { #expect(fileError.line != nil && fileError.source == "c.yaml") }
            }
        }
    }
}
