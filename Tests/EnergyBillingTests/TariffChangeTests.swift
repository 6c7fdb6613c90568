import EnergyBilling
import EnergyCore
import EnergyJobs
import EnergyStore
import EnergyTestSupport
import Foundation
import Testing

/// A period priced by the tariffs valid on its days, and a final run that remembers them.
@Suite(.serialized) struct TariffChangeTests {
    static let changing = """
        tariffs:
          - {consumption: 0.1234, generation: 0.0875, memberFee: {amount: 3, per: month}, vat: {consumption: 20, generation: 10, memberFee: 20}}
          - {validFrom: 2026-10-15, consumption: 0.15, generation: 0.09, memberFee: {amount: 3, per: month}, vat: {consumption: 10, generation: 10, memberFee: 20}}
        """

    @Test func linesAreSplitWhereTheTariffChangesAndPricedByTheirOwnDays() throws {
        let f = try BillingFixture(tariff: Self.changing, from: "2026-10-01", to: "2026-11-01")
        let result = try BillingRun(store: f.store, community: f.community).run(
            .init(period: try BillingPeriod("2026-10"), mode: .preview, formats: [.csv], directory: f.folder.path + "/out"))
        let a = try #require(result.figures.statements.first { $0.member.id == "A" })
        let calendar = f.community.calendar
        let early = calendar.quarterHours(from: try LocalDate("2026-10-01"), to: try LocalDate("2026-10-15")).count
        let late = calendar.quarterHours(from: try LocalDate("2026-10-15"), to: try LocalDate("2026-11-01")).count
        // A receives 0.6 kWh in every quarter hour (the fixture): each line prices its own days.
        let energy = a.lines.filter { $0.kind == .communityEnergy }
        #expect(energy.map(\.energy) == [Energy(milliwattHours: Int64(early) * 600_000), Energy(milliwattHours: Int64(late) * 600_000)])
        #expect(
            energy.map(\.amount) == [
                Money.amount(of: Energy(milliwattHours: Int64(early) * 600_000), at: try EnergyPrice("0.1234")),
                Money.amount(of: Energy(milliwattHours: Int64(late) * 600_000), at: try EnergyPrice("0.15")),
            ])
        #expect(
            energy.map { $0.days.map { "\($0.lowerBound)..<\($0.upperBound)" } } == ["2026-10-01..<2026-10-15", "2026-10-15..<2026-11-01"])
        // VAT per rate: 20 % on the first half, 10 % on the second.
        let vat = a.lines.filter { $0.kind == .vat && $0.vatOn == .communityEnergy }
        #expect(vat.map(\.rate) == [try Percentage("20"), try Percentage("10")])
        #expect(vat.map(\.base) == energy.map(\.amount))
        #expect(a.total == a.lines.reduce(Money.zero) { $0 + $1.amount })
        // Nothing lost in the split: the lines hold all of A's community energy.
        #expect(energy.reduce(Int64(0)) { $0 + ($1.energy?.milliwattHours ?? 0) } == a.points[0].totals.shared)
    }

    @Test func aRerunOfAnIssuedPeriodWhoseTariffChangedIsRefusedNamingTheTariff() throws {
        let f = try BillingFixture(from: "2026-10-01", to: "2026-11-01")
        let period = try BillingPeriod("2026-10")
        let first = try BillingRun(store: f.store, community: f.community).run(
            .init(period: period, mode: .final, formats: [.csv], directory: f.folder.path + "/first"))
        func rerun(_ tariffs: String) throws -> BillingRun.Result {
            let community = try CommunityFile.parse(smallCommunityYAML + "\n" + tariffs, source: "test.yaml")
            return try BillingRun(store: f.store, community: community).run(
                .init(period: period, mode: .final, formats: [.csv], directory: f.folder.path + "/again"))
        }
        // October's price edited in place: refused, naming the tariff and the line that changed.
        do {
            _ = try rerun(flatTariffYAML.replacingOccurrences(of: "consumption: 0.1234", with: "consumption: 0.13"))
            Issue.record("an issued period re-priced with another tariff must be refused")
        } catch let error as BillingError {
            let text = "\(error)"
            #expect(
                text.contains("2026-10-01..<2026-11-01") && text.contains("consumption: 0.1234") && text.contains("consumption: 0.13"),
                "\(text)")
        }
        // A new tariff from December on leaves October as it was priced: the same numbers.
        let later = """
            tariffs:
              - {consumption: 0.1234, generation: 0.0875, memberFee: {amount: 3, per: month}, vat: {consumption: 20, generation: 10, memberFee: 20}}
              - {validFrom: 2026-12-01, consumption: 0.2, generation: 0.1}
            """
        let again = try rerun(later)
        #expect(again.numbers == first.numbers && again.reissued)
        #expect(
            FileManager.default.contents(atPath: f.folder.path + "/first/statement-2026-0002-A.csv")
                == FileManager.default.contents(atPath: f.folder.path + "/again/statement-2026-0002-A.csv"))
    }

    @Test func aReissueIsPricedAsThePeriodWasOrRefused() throws {
        let f = try BillingFixture(from: "2026-10-01", to: "2026-11-01")
        let period = try BillingPeriod("2026-10")
        _ = try BillingRun(store: f.store, community: f.community).run(
            .init(period: period, mode: .final, formats: [.csv], directory: f.folder.path + "/first"))
        _ = try BillingRun(store: f.store, community: f.community).cancel(
            .init(number: "2026-0001", reason: "address", formats: [.csv], directory: f.folder.path + "/cancel"))
        let repriced = try CommunityFile.parse(
            smallCommunityYAML + "\n" + flatTariffYAML.replacingOccurrences(of: "generation: 0.0875", with: "generation: 0.09"),
            source: "test.yaml")
        do {
            _ = try BillingRun(store: f.store, community: repriced).run(
                .init(period: period, mode: .final, formats: [.csv], directory: f.folder.path + "/reissue"))
            Issue.record("a reissue must not re-price the period with another tariff")
        } catch let error as BillingError {
            #expect("\(error)".contains("generation: 0.0875") && "\(error)".contains("generation: 0.09"), "\(error)")
        }
        // With the tariff the period was priced with, the reissue goes through.
        let reissue = try BillingRun(store: f.store, community: f.community).run(
            .init(period: period, mode: .final, formats: [.csv], directory: f.folder.path + "/reissue"))
        #expect(reissue.replacements.map(\.replaces) == ["2026-0001"])
    }
}
