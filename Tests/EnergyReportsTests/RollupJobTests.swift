import EnergyCore
import EnergyJobs
import EnergyReports
import EnergySimulator
import EnergyStore
import EnergyTestSupport
import Testing

@Suite struct RollupJobTests {
    @Test(arguments: [AllocationKey.dynamic, .static])
    func energyIsConservedEveryDay(key: AllocationKey) throws {
        let f = try SimulatedFixture(allocation: key)
        let job = RollupJob(store: f.store, community: f.community)
        let result = try job.run(try job.plan(.range(from: f.from, to: f.to)))
        #expect(result.days.count == 3)
        #expect(result.readings == f.community.meteringPoints.count * (96 + 100 + 96))
        let rows = try f.store.dayRollups(community: f.community.id, from: f.from, to: f.to)
        #expect(rows.count == 3 * (f.community.meteringPoints.count + 1))
        for dayStart in Set(rows.map(\.bucketStart)) {
            let day = rows.filter { $0.bucketStart == dayStart }
            let community = try #require(day.first { $0.point == nil }).totals
            let consumers = day.filter { $0.point?.direction == .consumption }.map(\.totals)
            let generators = day.filter { $0.point?.direction == .generation }.map(\.totals)
            #expect(community.shared == consumers.map(\.shared).reduce(0, +))
            #expect(community.shared == generators.map(\.shared).reduce(0, +))
            #expect(community.consumed == consumers.map(\.consumed).reduce(0, +))
            #expect(community.produced == generators.map(\.produced).reduce(0, +))
            #expect(community.grid + community.shared == community.consumed)
            #expect(community.surplus + community.shared == community.produced)
            #expect(community.shared <= min(community.consumed, community.produced))
            #expect(community.shared > 0)
            for t in consumers + generators { #expect(t.shared >= 0 && t.grid >= 0 && t.surplus >= 0) }
        }
        #expect(try f.store.dirtyDays(community: f.community.id).isEmpty)
    }

    @Test func rollingUpTwiceWritesTheSameRollups() throws {
        let f = try SimulatedFixture()
        let job = RollupJob(store: f.store, community: f.community)
        func snapshot() throws -> ([StoredRollup], [StoredRollup], [[Int64]]) {
            var series: [[Int64]] = []
            try f.store.allocationSeries(community: f.community.id, from: f.from, to: f.to) { series.append($0.interleaved) }
            return (
                try f.store.dayRollups(community: f.community.id, from: f.from, to: f.to),
                try f.store.monthRollups(community: f.community.id, from: f.from.localMonth, to: f.from.localMonth.next), series
            )
        }
        _ = try job.run(try job.plan(.range(from: f.from, to: f.to)))
        let first = try snapshot()
        _ = try job.run(try job.plan(.range(from: f.from, to: f.to)))
        let second = try snapshot()
        #expect(first.0 == second.0 && first.1 == second.1 && first.2 == second.2)
        #expect(first.0.count == 3 * (f.community.meteringPoints.count + 1))
        #expect(first.2.count == 3 * f.community.meteringPoints.count)
    }

    @Test func monthRollupsAreTheSumOfTheirDays() throws {
        let f = try SimulatedFixture()
        let job = RollupJob(store: f.store, community: f.community)
        _ = try job.run(try job.plan(.range(from: f.from, to: f.to)))
        let days = try f.store.dayRollups(community: f.community.id, from: f.from, to: f.to)
        let months = try f.store.monthRollups(community: f.community.id, from: f.from.localMonth, to: f.from.localMonth.next)
        #expect(months.count == f.community.meteringPoints.count + 1)
        for month in months {
            var sum = EnergyTotals()
            for day in days where day.point == month.point { sum.add(day.totals) }
            #expect(month.totals.consumed == sum.consumed && month.totals.shared == sum.shared && month.totals.intervals == sum.intervals)
            let points = month.point == nil ? f.community.meteringPoints.count : 1
            #expect(month.totals.expectedIntervals == (31 * 96 + 4) * points)
        }
    }

    @Test func aCorrectionIsPickedUpByTheNextNightlyRun() throws {
        let f = try SimulatedFixture()
        let job = RollupJob(store: f.store, community: f.community)
        _ = try job.run(try job.plan(.range(from: f.from, to: f.to)))
        let day = f.from.adding(days: 1)
        let consumer = try #require(f.community.pointKeys.first { $0.direction == .consumption })
        let qh = f.community.calendar.quarterHours(of: day).lowerBound.advanced(by: 50)
        let summary = try f.store.upsert([Reading(point: consumer, start: qh, milliwattHours: 9_999_999)], community: f.community)
        #expect(summary.corrected == 1)
        #expect(try f.store.dirtyDays(community: f.community.id).map(\.date) == [day])
        let plan = try job.plan(.sinceLastRun(today: f.to.adding(days: 1)))
        #expect(plan.days.contains(day))
        #expect(plan.days.contains(f.to))  // yesterday
        _ = try job.run(plan)
        #expect(try f.store.dirtyDays(community: f.community.id).isEmpty)
        let report = try RollupReport(
            store: f.store, community: f.community, scope: .meter, zaehlpunkt: consumer.zaehlpunkt,
            granularity: .quarterHour, from: day, to: day.adding(days: 1))
        #expect(report.rows[50].totals.consumed == 9_999_999)
        // Nothing new: the next nightly run does only yesterday.
        let next = try job.plan(.sinceLastRun(today: f.to.adding(days: 1)))
        #expect(next.days == [f.to])
    }

    @Test func handComputedDay() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteStore(path: folder.path + "/e.sqlite")
        let zp = try (1...3).map { try Zaehlpunkt("AT003000000000000000000000000000\($0)") }
        let community = Community(
            id: "hand", name: "hand", calendar: try LocalCalendar(timeZoneIdentifier: "Europe/Vienna"),
            allocationKey: .dynamic,
            members: [
                Member(id: "P", name: "Plant", meteringPoints: [MeteringPoint(zaehlpunkt: zp[0], direction: .generation, memberID: "P")]),
                Member(id: "A", name: "A", meteringPoints: [MeteringPoint(zaehlpunkt: zp[1], direction: .consumption, memberID: "A")]),
                Member(id: "B", name: "B", meteringPoints: [MeteringPoint(zaehlpunkt: zp[2], direction: .consumption, memberID: "B")]),
            ])
        let day = try LocalDate("2026-06-01")
        let q0 = community.calendar.quarterHours(of: day).lowerBound
        let keys = community.pointKeys
        _ = try store.upsert(
            [
                Reading(point: keys[0], start: q0, milliwattHours: 900), Reading(point: keys[1], start: q0, milliwattHours: 1000),
                Reading(point: keys[2], start: q0, milliwattHours: 500), Reading(point: keys[0], start: q0.next, milliwattHours: 2000),
                Reading(point: keys[1], start: q0.next, milliwattHours: 300), Reading(point: keys[2], start: q0.next, milliwattHours: 100),
            ], community: community)
        let job = RollupJob(store: store, community: community)
        _ = try job.run(try job.plan(.range(from: day, to: day.adding(days: 1))))
        let report = try RollupReport(
            store: store, community: community, scope: .community, granularity: .day, from: day, to: day.adding(days: 1))
        #expect(
            report.rows.map(\.totals) == [
                EnergyTotals(
                    consumed: 1900, produced: 2900, shared: 1300, grid: 600, surplus: 1600,
                    intervals: 6, expectedIntervals: 288)
            ])
        let meters = try RollupReport(
            store: store, community: community, scope: .meter, granularity: .quarterHour, from: day, to: day.adding(days: 1))
        let first = meters.rows.filter { $0.bucketStart == q0.startSeconds }
        #expect(first.map(\.totals.shared) == [900, 600, 300])
        #expect(report.staleDays.isEmpty)
    }
}
