import EnergyCore
import EnergyStore
import Foundation
import Logging
import Metrics

/// Runs a job that writes (rollup, billing) the one way every such job runs: under a lease if it
/// needs one, recorded in the store's job log with a typed outcome, its days and counts, logged
/// (at debug level: the commands print their own summary and errors for people), and counted in
/// metrics (`energy_job_runs_total{command,outcome}`,
/// `energy_job_duration_seconds{command}`).
///
/// ```swift
/// let runner = JobRunner(store: store, clock: SystemClock(), logger: Logger(label: "energy.rollup"))
/// let lease = JobRunner.LeaseRequest(name: "rollup/eeg-demo", days: [october], seconds: 300, work: "rollup")
/// let days = try runner.run("rollup", community: "eeg-demo", lease: lease) { context in
///     try context.renewLease()
///     return (31, JobSummary(days: 31))
/// }
/// ```
public struct JobRunner {
    public let store: any ReadingStore
    public let clock: any WallClock
    public var logger: Logger

    public init(store: any ReadingStore, clock: any WallClock = SystemClock(), logger: Logger = Logger(label: "energy.jobs")) {
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// A lease that keeps two runs of the same work on overlapping days apart.
    public struct LeaseRequest: Sendable {
        public var name: String
        /// The local days the run works on (nil: every day); runs on disjoint days go ahead at once.
        public var days: [Range<LocalDate>]?
        public var seconds: Int64
        /// The work the lease guards, for the message when it is held ("rollup of community 'x'").
        public var work: String

        public init(name: String, days: [Range<LocalDate>]? = nil, seconds: Int64, work: String) {
            self.name = name
            self.days = days
            self.seconds = seconds
            self.work = work
        }
    }

    /// What a running job can do: renew its lease (throws ``LeaseHeld`` if another holder took it).
    public struct Context {
        let renew: () throws -> Void
        public let clock: any WallClock
        public func renewLease() throws { try renew() }
    }

    /// Runs `body`. `failure` is what the job log says about a failed run (days, a message prefix).
    /// Throws ``LeaseHeld`` without running `body` while another holder has the lease.
    public func run<T>(
        _ command: String, community: String, lease: LeaseRequest? = nil, failure: JobSummary = JobSummary(),
        _ body: (Context) throws -> (T, JobSummary)
    ) throws -> T {
        let holder = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
        let take = { () throws -> Void in
            guard let lease else { return }
            if let other = try store.acquireLease(
                lease.name, days: lease.days, holder: holder, now: clock.unixSeconds, seconds: lease.seconds)
            {
                throw LeaseHeld(work: lease.work, lease: other)
            }
        }
        try take()
        defer { if let lease { try? store.releaseLease(lease.name, holder: holder) } }
        if let lease {
            // Our days are ours: an earlier run of this job that never finished and whose claim
            // has expired was killed. One on other days that still holds its claim is running.
            let dead = try store.abandonUnfinishedRuns(
                command, community: community, lease: lease.name, holder: holder, startedBefore: clock.unixSeconds,
                at: clock.unixSeconds)
            if !dead.isEmpty { logger.warning("marked runs \(dead) of \(command) as abandoned: they ended without finishing") }
        }
        let started = clock.now()
        let runID = try store.startRun(
            command, community: community, holder: lease == nil ? nil : holder, startedAt: clock.unixSeconds)
        var log = logger
        log[metadataKey: "command"] = "\(command)"
        log[metadataKey: "community"] = "\(community)"
        log[metadataKey: "run"] = "\(runID)"
        log.debug("job started")
        do {
            let (value, summary) = try body(Context(renew: take, clock: clock))
            try store.finishRun(runID, summary.result(.ok), finishedAt: clock.unixSeconds)
            record(command, .ok, since: started)
            log.debug("job finished", metadata: ["days": "\(summary.days)", "readings": "\(summary.readings)"])
            return value
        } catch {
            var summary = failure
            summary.message += String("\(error)".prefix(500))
            try? store.finishRun(runID, summary.result(.failed), finishedAt: clock.unixSeconds)
            record(command, .failed, since: started)
            log.debug("job failed", metadata: ["error": "\(error)"])
            throw error
        }
    }

    private func record(_ command: String, _ outcome: JobOutcome, since started: Date) {
        Counter(label: "energy_job_runs_total", dimensions: [("command", command), ("outcome", outcome.rawValue)]).increment()
        Metrics.Timer(label: "energy_job_duration_seconds", dimensions: [("command", command)], preferredDisplayUnit: .seconds)
            .recordInterval(since: started, clock: clock)
    }
}

extension Metrics.Timer {
    fileprivate func recordInterval(since started: Date, clock: any WallClock) {
        recordNanoseconds(Int64(max(0, clock.now().timeIntervalSince(started)) * 1_000_000_000))
    }
}

/// What a job did, for the job log.
public struct JobSummary: Sendable, Equatable {
    public var firstDay: LocalDate?
    public var lastDay: LocalDate?
    public var days: Int
    public var readings: Int
    public var message: String

    public init(firstDay: LocalDate? = nil, lastDay: LocalDate? = nil, days: Int = 0, readings: Int = 0, message: String = "") {
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.days = days
        self.readings = readings
        self.message = message
    }

    func result(_ outcome: JobOutcome) -> JobRunResult {
        JobRunResult(outcome: outcome, firstDay: firstDay, lastDay: lastDay, days: days, readings: readings, message: message)
    }
}

/// Another run holds the lease of the same work.
public struct LeaseHeld: Error, CustomStringConvertible {
    /// "rollup of community 'eeg-demo'"
    public var work: String
    public var lease: Lease
    public var description: String {
        let days = lease.days.map { " on days \($0.lowerBound) to \($0.upperBound.adding(days: -1))" } ?? ""
        return "another \(work) is running\(days) (\(lease.holder), lease until \(UTCTimestamp.format(lease.expires))); "
            + "not starting a second one on the same days"
    }
}
