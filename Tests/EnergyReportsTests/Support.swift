import EnergyCore
import EnergySimulator
import EnergyStore
import EnergyTestSupport
import Foundation

/// A store in a temporary folder, filled with a simulated community for some days.
struct SimulatedFixture {
    let folder = TemporaryFolder()
    let store: any ReadingStore
    let community: Community
    let from: LocalDate
    let to: LocalDate

    init(members: Int = 8, allocation: AllocationKey = .dynamic, from: String = "2026-10-24", days: Int = 3) throws {
        store = try SQLiteStore(path: folder.path + "/e.sqlite")
        community = DemoCommunity.make(members: members, seed: 7, allocation: allocation)
        self.from = try LocalDate(from)
        to = self.from.adding(days: days)
        try CommunitySimulator(community: community, seed: 7).simulate(from: self.from, to: to) { readings in
            _ = try store.upsert(readings, community: community)
        }
    }
}
