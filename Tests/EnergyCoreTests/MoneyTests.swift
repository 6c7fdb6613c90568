import EnergyCore
import Testing

@Suite struct MoneyTests {
    func kWh(_ text: String) throws -> Energy { try Energy(kilowattHours: text) }

    @Test func anEnergyLineIsRoundedHalfAwayFromZeroToTheCent() throws {
        // 1 kWh at 0.125 is exactly 12.5 cents: the half goes up, and for a credit down.
        #expect(Money.amount(of: try kWh("1"), at: try EnergyPrice("0.125")) == Money(cents: 13))
        #expect(Money.amount(of: try kWh("-1"), at: try EnergyPrice("0.125")) == Money(cents: -13))
        // Just below the half rounds down: 0.999999 kWh x 0.125 = 12.4999875 cents.
        #expect(Money.amount(of: try kWh("0.999999"), at: try EnergyPrice("0.125")) == Money(cents: 12))
        // 12.345678 kWh x 0.1234 = 1.5234566652 EUR.
        #expect(Money.amount(of: try kWh("12.345678"), at: try EnergyPrice("0.1234")).text == "1.52")
        // 1 mWh at any sane price is nothing; 1728 kWh x 0.1234 = 213.2352.
        #expect(Money.amount(of: Energy(milliwattHours: 1), at: try EnergyPrice("0.5")) == .zero)
        #expect(Money.amount(of: try kWh("1728"), at: try EnergyPrice("0.1234")).text == "213.24")
    }

    @Test func largeFiguresStayExact() throws {
        // 1 TWh (10^15 mWh) at 999.999999 per kWh: the product (10^24) does not fit 64 bits, the result does.
        let energy = Energy(milliwattHours: 1_000_000_000_000_000)
        let amount = Money.amount(of: energy, at: EnergyPrice(microUnitsPerKilowattHour: 999_999_999))
        #expect(amount.cents == 99_999_999_900_000)
    }

    @Test func percentagesAndProRataFollowTheSameRule() throws {
        #expect(Money.percentage(try Percentage("20"), of: try Money("1.23")).text == "0.25")  // 0.246
        #expect(Money.percentage(try Percentage("20"), of: try Money("-2.57")).text == "-0.51")  // -0.514
        #expect(Money.percentage(try Percentage("10"), of: try Money("0.05")).text == "0.01")  // 0.005 exactly
        #expect(Money.percentage(try Percentage("10"), of: try Money("-0.05")).text == "-0.01")
        #expect(Money.percentage(try Percentage("12.5"), of: try Money("100")).text == "12.50")
        #expect(Money.proRata(try Money("30"), 1, over: 12).text == "2.50")
        #expect(Money.proRata(try Money("10"), 1, over: 12).text == "0.83")
        #expect(Money.proRata(try Money("10"), 3, over: 12).text == "2.50")
    }

    @Test func moneyTextHasTwoDecimalsAndASign() throws {
        #expect(Money(cents: 5).text == "0.05")
        #expect(Money(cents: -5).text == "-0.05")
        #expect(Money(cents: 123_456).text == "1234.56")
        #expect(try Money("2.5").cents == 250)
        #expect(throws: EnergyParseError.self) { try Money("2.555") }
        #expect(try EnergyPrice("0.085").text == "0.085")
    }

    @Test func aStatementIsTheSumOfItsRoundedLines() throws {
        let tariff = try Tariff(
            consumptionPrice: EnergyPrice("0.1234"), generationPrice: EnergyPrice("0.0875"), memberFee: Money("3"),
            vat: VATRates(consumption: Percentage("20"), generation: Percentage("10"), memberFee: Percentage("20")))
        let zp = try Zaehlpunkt("AT0030000000000000000000000000002")
        let point = MeteringPoint(zaehlpunkt: zp, direction: .consumption, memberID: "A")
        var totals = EnergyTotals()
        totals.consumed = 2_880_000_000
        totals.shared = 1_728_000_000
        totals.grid = 1_152_000_000
        let member = Member(id: "A", name: "A", meteringPoints: [point])
        let statement = MemberStatement(
            member: member, points: [PointFigures(point: point, totals: totals, sharedPerWindow: [1_728_000_000])],
            pricing: PeriodPricing(tariff, period: try BillingPeriod("2026-10")))
        #expect(statement.lines.map(\.amount.text) == ["213.24", "3.00", "42.65", "0.60"])
        #expect(statement.net.text == "216.24" && statement.vat.text == "43.25" && statement.total.text == "259.49")
        #expect(
            statement.lines.map(\.text) == [
                "Community energy received \(zp)", "Member fee", "VAT 20 % on community energy",
                "VAT 20 % on member fee",
            ])
    }

    @Test func billingPeriodsAreMonthsQuartersAndYears() throws {
        let month = try BillingPeriod("2026-10")
        #expect(month.from.description == "2026-10-01" && month.to.description == "2026-11-01" && month.months == 1)
        let quarter = try BillingPeriod("2026-Q4")
        #expect(quarter.from.description == "2026-10-01" && quarter.to.description == "2027-01-01" && quarter.months == 3)
        let year = try BillingPeriod("2026")
        #expect(year.from.description == "2026-01-01" && year.to.description == "2027-01-01" && year.months == 12 && year.year == 2026)
        #expect(quarter.overlaps(from: month.from, to: month.to) && !year.overlaps(from: quarter.to, to: quarter.to.adding(days: 31)))
        for bad in ["2026-13", "2026-Q5", "26-10", "2026-1", "", "2026-10-01"] {
            #expect(throws: BillingPeriodError.self) { try BillingPeriod(bad) }
        }
    }
}
