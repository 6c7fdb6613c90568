import EnergyCore
import EnergyJobs
import EnergyStore
import EnergyTestSupport
import Foundation
import Testing

@testable import EnergyBilling

/// Statements on the grid operator's figures: the community energy is its G.03, and a final run
/// does not rest on values of quality L3.
@Suite struct GridOperatorBillingTests {
    let period = "2026-10"

    /// The small community's October with the DSO's figures (from `fixture`), rolled up.
    func store(_ fixture: GridOperatorFixture, in folder: TemporaryFolder) throws -> any ReadingStore {
        let store = try SQLiteStore(path: folder.path + "/e.sqlite")
        let figures = fixture.figures()
        _ = try store.upsert(figures.compactMap(\.reading), community: fixture.community)
        _ = try store.upsert(figures.filter { !$0.meterCode.isReading }, community: fixture.community)
        try rollUp(store, fixture.community)
        return store
    }

    func rollUp(_ store: any ReadingStore, _ community: Community) throws {
        let job = RollupJob(store: store, community: community)
        _ = try job.run(try job.plan(.range(from: try LocalDate("2026-10-01"), to: try LocalDate("2026-11-01"))))
    }

    func october(_ community: Community) throws -> GridOperatorFixture {
        var days: [LocalDate] = []
        var day = try LocalDate("2026-10-01")
        while day < (try LocalDate("2026-11-01")) {
            days.append(day)
            day = day.adding(days: 1)
        }
        return GridOperatorFixture(community: community, days: days)
    }

    @Test func theCommunityEnergyOfEveryLineIsTheDSOsG03() throws {
        let community = try CommunityFile.parse(
            smallCommunityYAML + "\n" + TestTariffs.timeOfUse(generationVAT: 0, weekendEnd: "24:00"), source: "t.yaml")
        let tariff = try #require(community.tariff)
        var fixture = try october(community)
        // The DSO allocates a little more than our key would, so the two can be told apart.
        fixture.inject(
            point: 1, quarterHour: community.calendar.quarterHours(of: try LocalDate("2026-10-07")).lowerBound.advanced(by: 50),
            extraShare: 3_333)
        let folder = TemporaryFolder()
        let store = try store(fixture, in: folder)
        let figures = try BillingFigures(store: store, community: community, tariff: tariff, period: try BillingPeriod(period))
        let g03 = fixture.figures().filter { $0.meterCode == .coveredShare }
        let windows = figures.pricing.slotIndices(of: figures.quarterHours, calendar: community.calendar)
        let energyLines = figures.statements.flatMap(\.lines).filter { $0.kind == .communityEnergy }
        #expect(energyLines.count >= 2 * 4, "both consumers have lines in at least four windows")
        for statement in figures.statements {
            for line in statement.lines where line.kind == .communityEnergy {
                let zaehlpunkt = try #require(line.zaehlpunkt)
                let window = try #require(tariff.windows.firstIndex { $0.name == line.window })
                let expected = g03.filter {
                    $0.zaehlpunkt == zaehlpunkt && Int(windows[Int($0.start.index - figures.quarterHours.lowerBound.index)]) == window
                }.reduce(0) { $0 + $1.milliwattHours }
                #expect(line.energy?.milliwattHours == expected, "\(zaehlpunkt) in \(line.window ?? "")")
                let price = try #require(line.price)
                #expect(line.amount == Money.amount(of: Energy(milliwattHours: expected), at: price))
            }
            if statement.points.contains(where: { $0.point.direction == .consumption }) {
                #expect(statement.gridOperatorQuarterHours == 2_980 && statement.allocationNote.contains("every quarter hour"))
            }
        }
        #expect(figures.reconciliation.balanced)
    }

    @Test func aFinalRunRefusesUnreliableValuesNamingThemAndAnOverrideListsThem() throws {
        let community = try CommunityFile.parse(smallCommunityYAML + "\n" + flatTariffYAML, source: "t.yaml")
        var fixture = try october(community)
        let day = try LocalDate("2026-10-12")
        let first = community.calendar.quarterHours(of: day).lowerBound
        for q in 0..<3 { fixture.qualities[.init(point: 2, start: first.advanced(by: Int64(40 + q)))] = .estimated }
        let folder = TemporaryFolder()
        let store = try store(fixture, in: folder)
        let run = BillingRun(store: store, community: community)
        let options = BillingRun.Options(period: try BillingPeriod(period), mode: .final, formats: [.csv], directory: folder.path + "/out")
        do {
            _ = try run.run(options)
            Issue.record("a final run over L3 values must refuse")
        } catch let BillingError.unreliable(days) {
            #expect(
                days == [
                    UnreliableDay(
                        point: community.pointKeys[2], date: day, quarterHours: 3, series: ["1-1:2.9.0 G.02", "1-1:2.9.0 G.03", "reading"])
                ])
            #expect(
                "\(BillingError.unreliable(days))".contains(
                    "AT0030000000000000000000000000003 (consumption) on 2026-10-12: 3 quarter hours"))
        }
        #expect(
            try store.issuedStatements(community: community.id, from: try LocalDate("2026-10-01"), to: try LocalDate("2026-11-01")).isEmpty)
        // The grid operator's measured values replace the L3 ones (a better quality is a correction).
        var better = fixture
        better.qualities = [:]
        let upgrade = better.figures().filter { figure in
            (40..<43).contains(Int(figure.start.index - first.index)) && figure.zaehlpunkt == community.pointKeys[2].zaehlpunkt
        }
        let readings = try store.upsert(upgrade.compactMap(\.reading), community: community)
        let dso = try store.upsert(upgrade.filter { !$0.meterCode.isReading }, community: community)
        #expect(readings.corrected == 3 && dso.corrected == 6)
        try rollUp(store, community)
        let issued = try run.run(options)
        #expect(issued.numbers.allSatisfy { $0 != nil } && issued.overriddenUnreliable.isEmpty)
    }

    @Test func allowUnreliableIssuesAndSaysWhatItOverrode() throws {
        let community = try CommunityFile.parse(smallCommunityYAML + "\n" + flatTariffYAML, source: "t.yaml")
        var fixture = try october(community)
        let start = community.calendar.quarterHours(of: try LocalDate("2026-10-30")).lowerBound.advanced(by: 5)
        fixture.qualities[.init(point: 0, start: start)] = .estimated
        let folder = TemporaryFolder()
        let store = try store(fixture, in: folder)
        var options = BillingRun.Options(period: try BillingPeriod(period), mode: .final, formats: [.csv], directory: folder.path + "/out")
        options.allowUnreliable = true
        let result = try BillingRun(store: store, community: community).run(options)
        #expect(result.numbers.allSatisfy { $0 != nil })
        #expect(
            result.overriddenUnreliable.map(\.description) == [
                "AT0030000000000000000000000000001 (generation) on 2026-10-30: 1 quarter hours (1-1:2.9.0 G.01T, 1-1:2.9.0 P.01T, reading)"
            ])
    }
}
