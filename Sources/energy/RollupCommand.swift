import ArgumentParser
import EnergyCore
import EnergyJobs
import EnergyReports
import Foundation

struct RollupCommand: ParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollup",
        abstract: "Allocate community energy and compute rollups for whole local days.",
        discussion: """
            Recomputes the days asked for plus every day whose readings changed since its last \
            rollup (with --only-range: only the changed days among those asked for). Idempotent: \
            running it again on the same readings writes the same rollups. Runs of one community on \
            disjoint days work at once; one whose days overlap a running one's exits 75.
            """
    )

    @OptionGroup var communityOptions: CommunityOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var dates: DateRangeOptions

    @Flag(help: "Every day since the last successful run up to yesterday, plus changed days (for the nightly job).")
    var sinceLastRun = false

    @Flag(
        help: """
            Only the days from --from to --to, changed ones among them included; changed days outside are left to \
            another run (for backfill workers on disjoint ranges, which would otherwise all claim every changed day).
            """)
    var onlyRange = false

    @Option(
        help: "Seconds a run's lease lasts without renewal (renewed after each day); a killed run blocks the next one at most this long.")
    var leaseSeconds: Int64 = RollupJob.defaultLeaseSeconds

    func validate() throws {
        let range = try dates.range(required: false)
        if sinceLastRun && range != nil { throw ValidationError("give either --from/--to or --since-last-run, not both") }
        if !sinceLastRun && range == nil { throw ValidationError("give --from and --to, or --since-last-run") }
        if onlyRange && range == nil { throw ValidationError("--only-range needs --from and --to") }
        if leaseSeconds < 1 { throw ValidationError("--lease-seconds must be at least 1") }
    }

    /// Exit code when another rollup of the community holds a lease on some of the same days
    /// (EX_TEMPFAIL: try later).
    static let leaseHeldExitCode: Int32 = 75

    func run() throws {
        do {
            try rollup()
        } catch let held as LeaseHeld {
            throw fail(held, code: Self.leaseHeldExitCode)
        }
    }

    private func rollup() throws {
        try reportingErrors {
            let community = try communityOptions.load()
            let store = try storeOptions.open()
            var job = RollupJob(store: store, community: community)
            job.leaseSeconds = leaseSeconds
            let selection: RollupJob.Selection
            if let (from, to) = try dates.range(required: false) {
                selection = onlyRange ? .onlyRange(from: from, to: to) : .range(from: from, to: to)
            } else {
                selection = .sinceLastRun(today: community.calendar.today())
            }
            let plan = try job.plan(selection)
            var bar = ProgressBar("rolling up", total: plan.days.count)
            let result = try job.run(plan) { done, _ in bar.update(done) }
            let span = result.days.isEmpty ? "" : " (\(result.days.first!) to \(result.days.last!))"
            bar.finish(
                "rolled up \(result.days.count) days\(span) of \(community.id): \(result.readings) readings, "
                    + "\(plan.dirty.count) changed days included")
        }
    }
}
