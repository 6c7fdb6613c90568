import EnergyCore
import EnergyStore

/// A community's figures over local days `from..<to`: totals and the members who received the
/// most community energy. What `energy demo` prints.
///
/// ```swift
/// let summary = try CommunitySummary(store: store, community: c, from: d1, to: d2)
/// print(summary.render(top: 10))
/// ```
public struct CommunitySummary: Sendable {
    public struct MemberFigures: Sendable, Equatable {
        public var memberID: String
        public var name: String
        /// As consumer: consumption and community share; as producer: production and what the community took.
        public var consumer = EnergyTotals()
        public var producer = EnergyTotals()
    }

    public let communityName: String
    public let from: LocalDate
    public let to: LocalDate
    public private(set) var totals = EnergyTotals()
    public private(set) var members: [MemberFigures] = []

    public init(store: any ReadingStore, community: Community, from: LocalDate, to: LocalDate) throws {
        communityName = community.name
        self.from = from
        self.to = to
        var memberOf: [PointKey: Int] = [:]
        for (m, member) in community.members.enumerated() {
            members.append(MemberFigures(memberID: member.id, name: member.name))
            for point in member.meteringPoints { memberOf[point.key] = m }
        }
        for row in try store.dayRollups(community: community.id, from: from, to: to) {
            guard let point = row.point else {
                totals.add(row.totals)
                continue
            }
            guard let m = memberOf[point] else { continue }
            if point.direction == .consumption { members[m].consumer.add(row.totals) } else { members[m].producer.add(row.totals) }
        }
    }

    /// Members ordered by community energy received, most first.
    public var membersByCommunityEnergy: [MemberFigures] {
        members.sorted { ($0.consumer.shared, $1.memberID) > ($1.consumer.shared, $0.memberID) }
    }

    public func render(top: Int) -> String {
        var out = "\(communityName), \(from) to \(to.adding(days: -1)) (local days)\n\n"
        var overview = TextTable(columns: [.init(""), .init("kWh", right: true)])
        overview.add(["produced", Formatting.kilowattHours(totals.produced)])
        overview.add(["consumed", Formatting.kilowattHours(totals.consumed)])
        overview.add(["shared in the community", Formatting.kilowattHours(totals.shared)])
        overview.add(["from the grid", Formatting.kilowattHours(totals.grid)])
        overview.add(["surplus to the grid", Formatting.kilowattHours(totals.surplus)])
        out += overview.render()
        out += "\nself-sufficiency (shared / consumed):   \(Formatting.percent(totals.selfSufficiency))\n"
        out += "self-consumption (shared / produced):   \(Formatting.percent(totals.selfConsumption))\n"
        out += "readings present: \(totals.intervals) of \(totals.expectedIntervals)\n\n"
        out += "Members with the most community energy:\n"
        var table = TextTable(columns: [
            .init("member"), .init("name"), .init("consumed kWh", right: true),
            .init("community kWh", right: true), .init("covered", right: true),
            .init("produced kWh", right: true),
        ])
        for member in membersByCommunityEnergy.prefix(top) {
            table.add([
                member.memberID, member.name, Formatting.kilowattHours(member.consumer.consumed),
                Formatting.kilowattHours(member.consumer.shared), Formatting.percent(member.consumer.selfSufficiency),
                member.producer.produced > 0 ? Formatting.kilowattHours(member.producer.produced) : "",
            ])
        }
        out += table.render()
        return out
    }
}
