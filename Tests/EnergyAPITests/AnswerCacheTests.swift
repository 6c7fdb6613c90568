import EnergyCore
import EnergyJobs
import EnergyStore
import Foundation
import Testing

@testable import EnergyAPI

/// Rollup answers are remembered per store connection until the data changes: on the real server
/// on loopback, an import and a rollup through another connection (as `energy import` and
/// `energy rollup` in other processes) show at once, and every answer is the one a server that
/// remembers nothing gives.
@Suite struct AnswerCacheTests {
    @Test func anImportAndARollupShowInTheNextAnswer() async throws {
        let fixture = try APIFixture.shared()
        let community = fixture.community
        let folder = NSTemporaryDirectory() + "energy-answer-cache-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/e.sqlite"
        let from = try LocalDate("2026-10-01")
        let to = try LocalDate("2026-10-08")
        let changed = try LocalDate("2026-10-03")

        /// Every point's readings of `days`: the plant's fixed, the members' `consumption`.
        @Sendable func readings(_ days: Range<QuarterHour>, consumption: Int64) -> [Reading] {
            days.flatMap { qh in
                community.pointKeys.enumerated().map { i, key in
                    Reading(point: key, start: qh, milliwattHours: i == 0 ? 600_000 : consumption)
                }
            }
        }
        // A week stored and rolled up.
        do {
            let store = try SQLiteStore(path: path)
            _ = try store.upsert(readings(community.calendar.quarterHours(from: from, to: to), consumption: 300_000), community: community)
            let job = RollupJob(store: store, community: community)
            _ = try job.run(try job.plan(.range(from: from, to: to)))
        }

        let paths = [
            "/points/\(APIFixture.pointA)/rollups?granularity=day&from=2026-10-01&to=2026-10-08",
            "/points/\(APIFixture.pointA)/rollups?granularity=hour&from=2026-10-03&to=2026-10-04",
            "/community/rollups?granularity=day&from=2026-10-01&to=2026-10-08",
        ]
        try await APIHarness.run(fixture: fixture, issuer: nil, store: try SQLiteStore(path: path)) { cached in
            try await APIHarness.run(fixture: fixture, issuer: nil, store: try SQLiteStore(path: path), answersPerConnection: 0) {
                reference in
                // Another connection writes, as an import and a rollup in other processes would.
                let writer = try SQLiteStore(path: path)
                let job = RollupJob(store: writer, community: community)
                /// Each path asked several times (remembered after the first): the reference's answer.
                func answers() async throws -> [String] {
                    var texts: [String] = []
                    for path in paths {
                        let expected = try await reference.api(path, token: nil)
                        #expect(expected.status == 200, "\(path): \(expected.text)")
                        for _ in 0..<3 {
                            let answer = try await cached.api(path, token: nil)
                            #expect(answer.status == 200 && answer.text == expected.text, "\(path)")
                        }
                        texts.append(expected.text)
                    }
                    return texts
                }
                let rolledUp = try await answers()

                // A correction of one day through another connection: the day turns stale.
                _ = try writer.upsert(readings(community.calendar.quarterHours(of: changed), consumption: 400_000), community: community)
                let imported = try await answers()
                #expect(imported[0] != rolledUp[0] && imported[0].contains("\"stale_days\":[\"2026-10-03\"]"), "\(imported[0])")
                #expect(imported[2] != rolledUp[2])

                // Its rollup: the new figures.
                _ = try job.run(try job.plan(.range(from: changed, to: changed.adding(days: 1))))
                let again = try await answers()
                #expect(again[0] != imported[0] && again[0].contains("\"stale_days\":[]"), "\(again[0])")
                #expect(again[1] != rolledUp[1], "the hours of the corrected day changed")
                #expect(again[2] != imported[2])
            }
        }
    }

    @Test func theCacheStaysWithinItsBoundsAndForgetsAtANewVersion() {
        let cache = AnswerCache(maximumCount: 2, maximumBytes: 4)
        let v1 = StoreDataVersion(others: 1, own: 0)
        let v2 = StoreDataVersion(others: 2, own: 0)
        #expect(cache.answer(for: "a", at: v1) == nil)
        cache.remember([1], for: "a", at: v1)
        cache.remember([2], for: "b", at: v1)
        cache.remember([1, 2, 3, 4, 5], for: "big", at: v1)
        #expect(cache.answer(for: "a", at: v1) == [1])
        #expect(cache.answer(for: "big", at: v1) == nil, "longer than maximumBytes")
        cache.remember([3], for: "c", at: v1)
        #expect(cache.count == 2)
        #expect(cache.answer(for: "a", at: v1) == nil, "the oldest went first")
        #expect(cache.answer(for: "c", at: v1) == [3])
        // Computed from data read at an older version: not kept under the new one.
        #expect(cache.answer(for: "c", at: v2) == nil)
        #expect(cache.count == 0)
        cache.remember([4], for: "d", at: v1)
        #expect(cache.answer(for: "d", at: v2) == nil)
        #expect(AnswerCache(maximumCount: 0).count == 0)

        // The byte budget: the oldest answers go until the rest fit.
        let budget = AnswerCache(maximumCount: 10, maximumBytes: 4, budgetBytes: 6)
        #expect(budget.answer(for: "a", at: v1) == nil)
        budget.remember([1, 1, 1], for: "a", at: v1)
        #expect(budget.answer(for: "a", at: v1) == [1, 1, 1])
        budget.remember([2, 2, 2], for: "b", at: v1)
        budget.remember([3, 3], for: "c", at: v1)
        #expect(budget.count == 2 && budget.storedBytes == 5)
        #expect(budget.answer(for: "a", at: v1) == nil)
        budget.remember([4], for: "c", at: v1)
        #expect(budget.storedBytes == 4 && budget.answer(for: "c", at: v1) == [4])
    }
}
