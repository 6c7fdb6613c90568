import EnergyCore
import EnergySimulator
import Testing

@Suite struct CommunitySimulatorTests {
    let community = DemoCommunity.make(members: 20, seed: 3)

    func simulate(_ seed: UInt64, _ from: String, _ days: Int) throws -> [Reading] {
        var out: [Reading] = []
        let start = try LocalDate(from)
        CommunitySimulator(community: community, seed: seed).simulate(from: start, to: start.adding(days: days)) { out += $0 }
        return out
    }

    @Test func reproducibleAndIndependentOfWhereTheRangeStarts() throws {
        let three = try simulate(1, "2026-10-24", 3)
        #expect(three == (try simulate(1, "2026-10-24", 3)))
        let lastTwo = try simulate(1, "2026-10-25", 2)
        #expect(Array(three.suffix(lastTwo.count)) == lastTwo)
        #expect(three != (try simulate(2, "2026-10-24", 3)))
        #expect(three.count == community.meteringPoints.count * (96 + 100 + 96))
    }

    @Test func valuesArePlausible() throws {
        let readings = try simulate(1, "2026-06-15", 7)
        #expect(readings.allSatisfy { $0.milliwattHours >= 0 && $0.milliwattHours <= Reading.plausibleMaximumMilliwattHours })
        let pv = readings.filter { $0.point.direction == .generation }
        let vienna = community.calendar
        // No production at local midnight, some at noon.
        #expect(pv.filter { vienna.isoString($0.start.startSeconds).contains("T00:00") }.allSatisfy { $0.milliwattHours == 0 })
        #expect(pv.filter { vienna.isoString($0.start.startSeconds).contains("T12:00") }.contains { $0.milliwattHours > 0 })
        // A household's week in June is a few dozen kWh, not thousands.
        let household = try #require(community.meteringPoints.first { if case .standardLoad(.h0, _)? = $0.profile { true } else { false } })
        let week = readings.filter { $0.point == household.key }.map(\.milliwattHours).reduce(0, +)
        #expect(week > 10_000_000 && week < 200_000_000)
    }

    @Test func demoCommunityHasTheAdvertisedShape() throws {
        let demo = DemoCommunity.make(members: 50)
        #expect(demo.members.count == 50)
        #expect(Set(demo.meteringPoints.map(\.key)).count == demo.meteringPoints.count)
        #expect(demo.meteringPoints.contains { $0.direction == .generation })
        let text = CommunityFile.render(demo)
        #expect(try CommunityFile.parse(text, source: "demo").members == demo.members)
        let fixed = DemoCommunity.make(members: 50, allocation: .static)
        #expect(fixed.meteringPoints.filter { $0.direction == .consumption }.allSatisfy { $0.staticSharePPM > 0 })
        #expect(try CommunityFile.parse(CommunityFile.render(fixed), source: "static").members == fixed.members)
    }
}
