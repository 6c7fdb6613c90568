import EnergyCore
import EnergyTestSupport
import Foundation
import Synchronization
import Testing

@testable import EnergyStore

/// Leases over day ranges and month rebuilds, on both backends: what lets rollups of disjoint
/// days of one community run at once.
@Suite struct DayLeaseTests {
    static func days(_ from: String, _ to: String) throws -> Range<LocalDate> { try LocalDate(from)..<LocalDate(to) }

    @Test(arguments: Backend.allCases)
    func disjointDaysAreLeasedAtOnceOverlappingOnesAreRefused(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let store = fixture.store
        let week1 = try Self.days("2026-01-01", "2026-01-08")
        let week2 = try Self.days("2026-01-08", "2026-01-15")
        #expect(try store.acquireLease("rollup/c", days: [week1], holder: "a", now: 1000, seconds: 60) == nil)
        #expect(try store.acquireLease("rollup/c", days: [week2], holder: "b", now: 1000, seconds: 60) == nil, "adjacent: disjoint")
        // Overlapping a's days: refused, naming a's claim, and nothing of c is stored, not even
        // the part of its request that was free.
        let free = try Self.days("2026-02-01", "2026-02-05")
        let held = try store.acquireLease(
            "rollup/c", days: [free, try Self.days("2026-01-07", "2026-01-09")], holder: "c", now: 1010, seconds: 60)
        #expect(held?.holder == "a" || held?.holder == "b")
        #expect(held?.holder != "a" || held == Lease(holder: "a", expires: 1060, days: week1))
        #expect(try store.leaseClaims("rollup/c").allSatisfy { $0.holder != "c" })
        // Every day (the lease as it was before day ranges) overlaps everything.
        #expect(try store.acquireLease("rollup/c", holder: "d", now: 1010, seconds: 60) != nil)
        // Another lease name is another work.
        #expect(try store.acquireLease("rollup/other", holder: "d", now: 1010, seconds: 60) == nil)
        #expect(try store.acquireLease("rollup/c", days: [free], holder: "c", now: 1010, seconds: 60) == nil)
        #expect(Set(try store.leaseClaims("rollup/c").map(\.holder)) == ["a", "b", "c"])
    }

    @Test(arguments: Backend.allCases)
    func aClaimIsRenewedByItsHolderAndExpiresOtherwise(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let store = fixture.store
        let week = try Self.days("2026-03-01", "2026-03-08")
        let day = try Self.days("2026-03-04", "2026-03-05")
        #expect(try store.acquireLease("rollup/c", days: [week], holder: "a", now: 1000, seconds: 60) == nil)
        #expect(try store.acquireLease("rollup/c", days: [week], holder: "a", now: 1050, seconds: 60) == nil)  // renewal
        #expect(
            try store.acquireLease("rollup/c", days: [day], holder: "b", now: 1100, seconds: 60)
                == Lease(holder: "a", expires: 1110, days: week))
        #expect(try store.acquireLease("rollup/c", days: [day], holder: "b", now: 1109, seconds: 60) != nil)
        // a was killed and renews no more: at its expiry the days are free.
        #expect(try store.acquireLease("rollup/c", days: [day], holder: "b", now: 1110, seconds: 60) == nil)
        #expect(try store.leaseClaims("rollup/c") == [LeaseClaim(holder: "b", days: day, expires: 1170)], "the expired claim is gone")
        // Released: another holder takes the days at once.
        try store.releaseLease("rollup/c", holder: "a")  // not a's any more: no effect
        #expect(try store.acquireLease("rollup/c", days: [week], holder: "a", now: 1120, seconds: 60) != nil)
        try store.releaseLease("rollup/c", holder: "b")
        #expect(try store.acquireLease("rollup/c", days: [week], holder: "a", now: 1120, seconds: 60) == nil)
    }

    /// A lease document as versions before day leases wrote it (one holder, no days) is a claim
    /// on every day until it expires, then replaced by the versioned document.
    @Test func aMongoLeaseOfAnEarlierVersionHoldsEveryDay() throws {
        let fixture = try TestStore(.mongodb)
        let mongo = try #require(fixture.store as? MongoStore)
        let old = try mongo.db.bulk("leases")
        try old.insert(BSONDocument(["_id": .string("rollup/c"), "holder": .string("old-binary"), "expires": .date(1_060_000)]))
        _ = try old.execute()
        let week = try Self.days("2026-03-01", "2026-03-08")
        #expect(
            try mongo.acquireLease("rollup/c", days: [week], holder: "a", now: 1000, seconds: 60)
                == Lease(holder: "old-binary", expires: 1060))
        #expect(try mongo.acquireLease("rollup/c", days: [week], holder: "a", now: 1060, seconds: 60) == nil)
        #expect(try mongo.leaseClaims("rollup/c") == [LeaseClaim(holder: "a", days: week, expires: 1120)])
    }

    /// Eight connections ask at once: for the same days exactly one gets them, for disjoint days
    /// all do. Whatever the interleaving, so no timing is asserted.
    @Test(arguments: Backend.allCases)
    func concurrentHoldersNeverShareADay(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let connections = try (0..<8).map { _ in try fixture.store.openAnotherConnection() }
        let january = try Self.days("2026-01-01", "2026-02-01")
        for round in ["same days", "disjoint days"] {
            let taken = Mutex<[String]>([])
            let failures = Mutex<[String]>([])
            let group = DispatchGroup()
            for (i, store) in connections.enumerated() {
                let days =
                    round == "same days"
                    ? [january] : [january.lowerBound.adding(days: 3 * i)..<january.lowerBound.adding(days: 3 * i + 3)]
                nonisolated(unsafe) let store = store
                group.enter()
                Thread {
                    defer { group.leave() }
                    do {
                        if try store.acquireLease("rollup/c", days: days, holder: "w\(i)", now: 1000, seconds: 60) == nil {
                            taken.withLock { $0.append("w\(i)") }
                        }
                    } catch { failures.withLock { $0.append("\(error)") } }
                }.start()
            }
            group.wait()
            #expect(failures.withLock { $0 }.isEmpty, "\(round)")
            let winners = taken.withLock { $0 }
            #expect(winners.count == (round == "same days" ? 1 : 8), "\(round): \(winners)")
            if round == "same days" { try fixture.store.releaseLease("rollup/c", holder: winners.first ?? "") }
        }
        #expect(try fixture.store.leaseClaims("rollup/c").count == 8)
    }

    /// Run A rebuilds October while run B stores another October day and rebuilds October too:
    /// whichever commits last has read both days, so the month holds both (no lost update).
    @Test(arguments: Backend.allCases)
    func aMonthRebuiltWhileAnotherRunStoresADayKeepsThatDay(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let (community, points) = (fixture.community, fixture.community.pointKeys)
        let a = try #require(fixture.store as? any RollupStoreBackend)
        let b = try fixture.store.openAnotherConnection()
        let month = try LocalMonth("2026-10")
        var allocator = community.allocator()
        func day(_ text: String, value: Int64) throws -> DayAllocation {
            let date = try LocalDate(text)
            let quarterHours = community.calendar.quarterHours(of: date)
            let values = [Int64](repeating: value, count: quarterHours.count * points.count)
            return DayAllocation(date: date, firstQuarterHour: quarterHours.lowerBound, values: values, allocator: &allocator)
        }
        try a.saveDay(try day("2026-10-01", value: 250), community: community, points: points, clearing: nil)
        let second = try day("2026-10-02", value: 400)
        let bDone = DispatchSemaphore(value: 0)
        var bWaitedFor = false
        let bError = Mutex<String?>(nil)
        var started = false
        try a.rebuildMonth(month, community: community.id) { scan in
            var days: [StoredRollup] = []
            try scan { days.append($0) }
            if !started {
                // B starts while A is inside its rebuild, having read only the 1st. A waits a
                // little for B: without the month's serialization B would finish meanwhile and
                // A's write would drop B's day. With it, B waits for A (or A is retried).
                started = true
                nonisolated(unsafe) let b = b
                nonisolated(unsafe) let second = second
                Thread.detachNewThread {
                    do {
                        try b.saveDay(second, community: community, points: points, clearing: nil)
                        try b.refreshMonth(month, community: community, points: points)
                    } catch { bError.withLock { $0 = "\(error)" } }
                    bDone.signal()
                }
                bWaitedFor = bDone.wait(timeout: .now() + 2) == .success
            }
            return MonthRollups.rows(month, from: days, points: points, calendar: community.calendar)
        }
        if !bWaitedFor { bDone.wait() }
        #expect(bError.withLock { $0 } == nil)
        let days = try a.dayRollups(community: community.id, from: month.firstDay, to: month.next.firstDay)
        #expect(Set(days.map(\.bucketStart)).count == 2)
        let expected = MonthRollups.rows(month, from: days, points: points, calendar: community.calendar)
        let stored = try a.monthRollups(community: community.id, from: month, to: month.next)
        #expect(stored.count == expected.count)
        for row in expected { #expect(stored.first { $0.point == row.point } == row) }
    }
}
