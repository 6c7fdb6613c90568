import EnergyCore
import EnergyStore
import Foundation

/// Recomputes allocations and rollups for whole local days of one community.
///
/// Allocation couples every member of a quarter hour, so the unit of work is (community, local
/// day). Running it twice on the same readings writes the same rollups.
/// ```swift
/// let job = RollupJob(store: store, community: community)
/// let plan = try job.plan(.range(from: d1, to: d2))
/// let result = try job.run(plan)
/// ```
public struct RollupJob {
    public let store: any ReadingStore
    public let community: Community
    /// How long a run's lease lasts without renewal; renewed after every day, so a killed run
    /// blocks the next one for at most this long.
    public var leaseSeconds = RollupJob.defaultLeaseSeconds

    /// Leases, the job log, logging and metrics.
    public var runner: JobRunner

    public init(store: any ReadingStore, community: Community, runner: JobRunner? = nil) {
        self.store = store
        self.community = community
        self.runner = runner ?? JobRunner(store: store)
    }

    /// Which days to do.
    public enum Selection: Sendable {
        /// Local days `from..<to`, plus every dirty day.
        case range(from: LocalDate, to: LocalDate)
        /// Local days `from..<to` only (dirty ones among them too): dirty days elsewhere are left
        /// to other runs, so workers on disjoint ranges never claim the same days.
        case onlyRange(from: LocalDate, to: LocalDate)
        /// Every day since the last successful run up to yesterday, plus every dirty day.
        case sinceLastRun(today: LocalDate)
    }

    /// The days a run will compute, in order, with the dirty mark each one clears.
    public struct Plan: Sendable {
        public var days: [LocalDate]
        public var dirty: [LocalDate: DirtyDay]
    }

    public static let commandName = "rollup"

    public func plan(_ selection: Selection) throws -> Plan {
        var dirty = try store.dirtyDays(community: community.id)
        if case let .onlyRange(from, to) = selection { dirty.removeAll { $0.date < from || $0.date >= to } }
        var days = Set(dirty.map(\.date))
        switch selection {
        case let .range(from, to), let .onlyRange(from, to):
            var day = from
            while day < to {
                days.insert(day)
                day = day.adding(days: 1)
            }
        case let .sinceLastRun(today):
            let yesterday = today.adding(days: -1)
            days.insert(yesterday)
            let previous = try store.jobRuns(community: community.id, limit: 50)
                .first { $0.command == Self.commandName && $0.succeeded && $0.result?.lastDay != nil }
            if var day = previous?.result?.lastDay?.adding(days: 1) {
                while day < yesterday {
                    days.insert(day)
                    day = day.adding(days: 1)
                }
            }
        }
        return Plan(days: days.sorted(), dirty: Dictionary(dirty.map { ($0.date, $0) }, uniquingKeysWith: { $1 }))
    }

    /// What a run did.
    public struct Result: Sendable {
        public var days: [LocalDate]
        public var readings: Int
        public var months: [LocalMonth]
        public var community: EnergyTotals
    }

    public static let defaultLeaseSeconds: Int64 = 300

    /// The lease every rollup of `community` claims its days of.
    public static func leaseName(_ community: String) -> String { "\(commandName)/\(community)" }

    /// Computes and stores every day of the plan, then the months they fall in. `progress` is
    /// called after each day with (done, total). Runs of one community on disjoint days work at
    /// once; one whose days overlap a running one's throws ``LeaseHeld``. Each run is recorded
    /// in the job log.
    public func run(_ plan: Plan, progress: (Int, Int) -> Void = { _, _ in }) throws -> Result {
        let lease = JobRunner.LeaseRequest(
            name: Self.leaseName(community.id), days: DayLeases.spans(of: plan.days), seconds: leaseSeconds,
            work: "rollup of community '\(community.id)'")
        return try runner.run(Self.commandName, community: community.id, lease: lease) { context in
            let result = try compute(plan, renewLease: context.renewLease, progress: progress)
            return (
                result,
                JobSummary(firstDay: result.days.first, lastDay: result.days.last, days: result.days.count, readings: result.readings)
            )
        }
    }

    private func compute(_ plan: Plan, renewLease: () throws -> Void, progress: (Int, Int) -> Void) throws -> Result {
        let points = community.pointKeys
        var allocator = community.allocator()
        var readings = 0
        var total = EnergyTotals()
        var months = Set<LocalMonth>()
        let reader = DayReader(store: try store.openAnotherConnection(), community: community, days: plan.days)
        defer { reader.cancel() }
        var done = 0
        while let input = try reader.next() {
            let day = DayAllocation(
                date: input.date, firstQuarterHour: input.quarterHours.lowerBound, values: input.values,
                allocator: &allocator, gridOperator: input.gridOperator)
            try store.saveDay(day, community: community, points: points, clearing: plan.dirty[input.date])
            readings += input.readings
            total.add(day.communityTotals)
            months.insert(input.date.localMonth)
            done += 1
            // The day's buffers (the reader's on its own thread's arena) are free now: give their
            // pages back, or the allocator keeps the largest days of the run resident.
            ProcessHeap.trim()
            try renewLease()
            progress(done, plan.days.count)
        }
        // Other runs may be storing days of the same months: each rebuild reads the stored days
        // in the transaction that writes the month (see RollupStoreBackend.rebuildMonth).
        for month in months.sorted() {
            try store.refreshMonth(month, community: community, points: points)
        }
        return Result(days: plan.days, readings: readings, months: months.sorted(), community: total)
    }

}
