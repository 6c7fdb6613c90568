import EnergyCore

/// The record of job runs, and the leases that keep two runs of the same job apart.
///
/// ```swift
/// if let other = try store.acquireLease("rollup/eeg-demo", holder: me, now: clock.unixSeconds, seconds: 300) { … }
/// let id = try store.startRun("rollup", community: "eeg-demo", startedAt: clock.unixSeconds)
/// try store.finishRun(id, JobRunResult(outcome: .ok, days: 31), finishedAt: clock.unixSeconds)
/// ```
public protocol JobLog: AnyObject {
    /// Takes or renews the lease `name` for `holder` until `now + seconds`. Returns nil when the
    /// lease is ours, or the other holder while it has not expired.
    func acquireLease(_ name: String, holder: String, now: Int64, seconds: Int64) throws -> Lease?

    /// Gives the lease back if `holder` has it.
    func releaseLease(_ name: String, holder: String) throws

    /// Records that a run of `command` started; returns its id.
    func startRun(_ command: String, community: String, startedAt: Int64) throws -> Int64
    /// Records how run `id` ended.
    func finishRun(_ id: Int64, _ result: JobRunResult, finishedAt: Int64) throws
    /// The latest runs, newest first; of every community if `community` is nil.
    func jobRuns(community: String?, limit: Int) throws -> [JobRun]
}

extension JobLog {
    /// Marks every unfinished run of `command` for `community` that started before `startedBefore`
    /// as abandoned. Called by the next holder of the job's lease: while the lease was held by
    /// another process those runs could not be running any more, once it is ours they cannot.
    /// Returns their ids.
    @discardableResult
    public func abandonUnfinishedRuns(_ command: String, community: String, startedBefore: Int64, at now: Int64) throws -> [Int64] {
        let dead = try jobRuns(community: community, limit: 1_000).filter {
            $0.command == command && $0.finishedAt == nil && $0.startedAt < startedBefore
        }
        for run in dead {
            try finishRun(
                run.id,
                JobRunResult(outcome: .abandoned, message: "ended without finishing (killed?); the next run found its lease expired"),
                finishedAt: now)
        }
        return dead.map(\.id)
    }
}

/// Who holds a lease, and until when (Unix seconds).
public struct Lease: Sendable, Equatable {
    public var holder: String
    public var expires: Int64
}

/// How a job run ended, as the job log stores it (`ok`, `failed`; `running` until it ends;
/// `abandoned`: its process ended without saying, e.g. killed, as the next holder of its lease found).
public enum JobOutcome: String, Sendable, Equatable, CaseIterable {
    case running, ok, failed, abandoned

    /// The stored text; anything this version does not know reads as failed.
    public init(stored: String) { self = JobOutcome(rawValue: stored) ?? .failed }
}

/// How a job ended.
public struct JobRunResult: Sendable, Equatable {
    public var outcome: JobOutcome
    public var firstDay: LocalDate?
    public var lastDay: LocalDate?
    public var days: Int
    public var readings: Int
    public var message: String
    public init(
        outcome: JobOutcome, firstDay: LocalDate? = nil, lastDay: LocalDate? = nil, days: Int = 0, readings: Int = 0, message: String = ""
    ) {
        self.outcome = outcome
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.days = days
        self.readings = readings
        self.message = message
    }
}

/// A recorded job run.
public struct JobRun: Sendable, Equatable {
    public var id: Int64
    public var command: String
    public var community: String
    public var startedAt: Int64
    public var finishedAt: Int64?
    public var result: JobRunResult?

    /// Whether the run finished successfully.
    public var succeeded: Bool { result?.outcome == .ok }
}
