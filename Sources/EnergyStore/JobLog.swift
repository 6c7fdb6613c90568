import EnergyCore

/// The record of job runs, and the leases that keep two runs of the same work apart: a lease is
/// named after the work ("rollup/eeg-demo") and each holder claims local days of it (or every
/// day), so runs on disjoint day ranges go ahead at once and overlapping ones exclude each other.
///
/// ```swift
/// let january = try LocalDate("2026-01-01")..<LocalDate("2026-02-01")
/// if let other = try store.acquireLease("rollup/eeg-demo", days: [january], holder: me, now: clock.unixSeconds, seconds: 300) { … }
/// let id = try store.startRun("rollup", community: "eeg-demo", holder: me, startedAt: clock.unixSeconds)
/// try store.finishRun(id, JobRunResult(outcome: .ok, days: 31), finishedAt: clock.unixSeconds)
/// ```
public protocol JobLog: AnyObject {
    /// Takes or renews `holder`'s claim on the local days `days` of lease `name` (every day when
    /// nil) until `now + seconds`, replacing its earlier claims. Returns nil when the days are
    /// ours, or another holder's live claim that overlaps them (then nothing changes).
    func acquireLease(_ name: String, days: [Range<LocalDate>]?, holder: String, now: Int64, seconds: Int64) throws -> Lease?

    /// Gives back every claim of `holder` on lease `name`.
    func releaseLease(_ name: String, holder: String) throws

    /// The claims stored for lease `name`, expired ones included.
    func leaseClaims(_ name: String) throws -> [LeaseClaim]

    /// Records that a run of `command` started, by the lease holder `holder` if it has one;
    /// returns its id.
    func startRun(_ command: String, community: String, holder: String?, startedAt: Int64) throws -> Int64
    /// Records how run `id` ended.
    func finishRun(_ id: Int64, _ result: JobRunResult, finishedAt: Int64) throws
    /// The latest runs, newest first; of every community if `community` is nil.
    func jobRuns(community: String?, limit: Int) throws -> [JobRun]
}

extension JobLog {
    /// Takes or renews `holder`'s lease `name` over every day.
    public func acquireLease(_ name: String, holder: String, now: Int64, seconds: Int64) throws -> Lease? {
        try acquireLease(name, days: nil, holder: holder, now: now, seconds: seconds)
    }

    /// Records that a run of `command` started without a lease.
    public func startRun(_ command: String, community: String, startedAt: Int64) throws -> Int64 {
        try startRun(command, community: community, holder: nil, startedAt: startedAt)
    }

    /// Marks every unfinished run of `command` for `community` that started before `startedBefore`
    /// and can no longer be running as abandoned, as a holder of lease `lease` (which every run
    /// of the command takes before it starts) judges at `now`: a run whose holder has no live
    /// claim on the lease any more, and a run recorded without a holder (by a version before day
    /// leases) once no other holder has a live claim. A run on other days that still holds its
    /// claim is left alone. Returns their ids.
    @discardableResult
    public func abandonUnfinishedRuns(
        _ command: String, community: String, lease: String, holder: String, startedBefore: Int64, at now: Int64
    ) throws -> [Int64] {
        func unfinished() throws -> [JobRun] {
            try jobRuns(community: community, limit: 1_000).filter {
                $0.command == command && $0.finishedAt == nil && $0.startedAt < startedBefore
            }
        }
        // Runs first, claims second: a run listed here took its claim before it was recorded and
        // gives it back only after it finished, so one alive and unfinished shows a live claim.
        // Read again last: one that finished meanwhile is not touched.
        let candidates = try unfinished()
        let holders = Set(DayLeases.live(try leaseClaims(lease), now: now).map(\.holder))
        let othersLive = holders.contains { $0 != holder }
        let suspects = Set(
            candidates.filter { run in
                if let owner = run.holder { return owner != holder && !holders.contains(owner) }
                return !othersLive
            }.map(\.id))
        let dead = try unfinished().filter { suspects.contains($0.id) }
        for run in dead {
            try finishRun(
                run.id,
                JobRunResult(outcome: .abandoned, message: "ended without finishing (killed?); the next run found its lease expired"),
                finishedAt: now)
        }
        return dead.map(\.id)
    }
}

/// Who holds a lease, and until when (Unix seconds); `days`: the local days of its claim (nil:
/// every day).
public struct Lease: Sendable, Equatable {
    public var holder: String
    public var expires: Int64
    public var days: Range<LocalDate>? = nil
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
    /// The lease holder that ran it (nil: it took no lease, or ran before day leases).
    public var holder: String? = nil

    /// Whether the run finished successfully.
    public var succeeded: Bool { result?.outcome == .ok }
}
