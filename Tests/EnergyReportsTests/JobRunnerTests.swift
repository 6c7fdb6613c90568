import EnergyCore
import EnergyJobs
import EnergyStore
import EnergyTestSupport
import Testing

/// The job runner on a test clock: leases expire and runs are stamped without waiting.
@Suite struct JobRunnerTests {
    @Test func aHeldLeaseBlocksUntilItExpiresOnTheClockAndRunsAreStampedByIt() throws {
        let f = try SimulatedFixture()
        let clock = ManualClock(at: 1_793_000_000)
        let job = RollupJob(store: f.store, community: f.community, runner: JobRunner(store: f.store, clock: clock))
        let plan = try job.plan(.range(from: f.from, to: f.to))
        // Another worker took the community's lease a moment ago, for 300 s.
        #expect(try f.store.acquireLease("rollup/\(f.community.id)", holder: "other", now: clock.unixSeconds, seconds: 300) == nil)
        clock.advance(seconds: 299)
        #expect(throws: LeaseHeld.self) { try job.run(plan) }
        #expect(try f.store.jobRuns(community: f.community.id, limit: 5).isEmpty, "a blocked run is not recorded")
        clock.advance(seconds: 1)  // the other holder's lease has expired now
        let started = clock.unixSeconds
        _ = try job.run(plan)
        let runs = try f.store.jobRuns(community: f.community.id, limit: 5)
        #expect(runs.count == 1)
        #expect(runs.first?.startedAt == started && runs.first?.finishedAt == started)
        #expect(runs.first?.succeeded == true && runs.first?.result?.days == plan.days.count)
        // Released after the run: another holder takes it at once.
        #expect(try f.store.acquireLease("rollup/\(f.community.id)", holder: "next", now: clock.unixSeconds, seconds: 300) == nil)
    }

    @Test func aKilledRunIsMarkedAbandonedByTheNextHolderOfItsLease() throws {
        let f = try SimulatedFixture()
        let clock = ManualClock(at: 1_793_000_000)
        let job = RollupJob(store: f.store, community: f.community, runner: JobRunner(store: f.store, clock: clock))
        let plan = try job.plan(.range(from: f.from, to: f.to))
        // What a killed rollup leaves: its run recorded as started, its lease held until it expires.
        let killed = try f.store.startRun(RollupJob.commandName, community: f.community.id, startedAt: clock.unixSeconds)
        #expect(try f.store.acquireLease("rollup/\(f.community.id)", holder: "killed", now: clock.unixSeconds, seconds: 300) == nil)
        let other = try f.store.startRun("bill", community: f.community.id, startedAt: clock.unixSeconds)
        clock.advance(seconds: 100)
        #expect(throws: LeaseHeld.self) { try job.run(plan) }
        #expect(try f.store.jobRuns(community: f.community.id, limit: 5).first { $0.id == killed }?.result == nil, "still running")
        clock.advance(seconds: 200)
        _ = try job.run(plan)
        let runs = try f.store.jobRuns(community: f.community.id, limit: 5)
        let abandoned = try #require(runs.first { $0.id == killed })
        #expect(abandoned.result?.outcome == .abandoned && abandoned.finishedAt == clock.unixSeconds)
        #expect(runs.first { $0.id == other }?.result == nil, "a run of another job is not this lease's to judge")
        #expect(runs.first?.result?.outcome == .ok)
    }

    @Test func aRunOnOtherDaysGoesAheadAndLeavesARunningWorkerAloneUntilItsClaimExpires() throws {
        let f = try SimulatedFixture()
        let clock = ManualClock(at: 1_793_000_000)
        let job = RollupJob(store: f.store, community: f.community, runner: JobRunner(store: f.store, clock: clock))
        let plan = try job.plan(.onlyRange(from: f.from, to: f.to))
        // A backfill worker on days far from the plan's, recorded and holding its claim.
        let later = f.to.adding(days: 400)..<f.to.adding(days: 430)
        #expect(
            try f.store.acquireLease(
                RollupJob.leaseName(f.community.id), days: [later], holder: "worker-7", now: clock.unixSeconds, seconds: 300) == nil)
        let worker = try f.store.startRun(
            RollupJob.commandName, community: f.community.id, holder: "worker-7", startedAt: clock.unixSeconds)
        clock.advance(seconds: 100)
        _ = try job.run(plan)
        #expect(try f.store.jobRuns(community: f.community.id, limit: 5).first { $0.id == worker }?.result == nil, "still running")
        // Its claim overlaps a run of its days: that one is refused.
        let overlapping = try job.plan(.onlyRange(from: later.lowerBound.adding(days: 29), to: later.upperBound.adding(days: 1)))
        #expect(throws: LeaseHeld.self) { try job.run(overlapping) }
        clock.advance(seconds: 200)  // the worker was killed: its claim has expired
        _ = try job.run(plan)
        let abandoned = try #require(try f.store.jobRuns(community: f.community.id, limit: 5).first { $0.id == worker })
        #expect(abandoned.result?.outcome == .abandoned && abandoned.finishedAt == clock.unixSeconds)
    }

    @Test func aFailedJobIsRecordedAsFailedWithItsMessageAndRethrown() throws {
        let f = try SimulatedFixture()
        let runner = JobRunner(store: f.store, clock: ManualClock(at: 1_793_000_000))
        struct Broken: Error, CustomStringConvertible { var description: String { "the disk is full" } }
        #expect(throws: Broken.self) {
            try runner.run("bill", community: f.community.id, failure: JobSummary(days: 3, message: "final 2026-10: ")) {
                _ -> (Int, JobSummary) in
                throw Broken()
            }
        }
        let run = try #require(try f.store.jobRuns(community: f.community.id, limit: 1).first)
        #expect(run.command == "bill" && run.result?.outcome == .failed)
        #expect(run.result?.message == "final 2026-10: the disk is full" && run.result?.days == 3)
    }
}
