import EnergyBilling
import EnergyCore
import EnergyStore

/// A billing run (preview or final) recorded in the job log like every job that writes.
///
/// ```swift
/// let result = try BillingJob(store: store, community: community).run(options)
/// print(result.numbers)
/// ```
public struct BillingJob {
    public let store: any ReadingStore
    public let community: Community
    /// The job log, logging, metrics and the clock that stamps issue dates.
    public var runner: JobRunner

    public init(store: any ReadingStore, community: Community, runner: JobRunner? = nil) {
        self.store = store
        self.community = community
        self.runner = runner ?? JobRunner(store: store)
    }

    public func run(_ options: BillingRun.Options) throws -> BillingRun.Result {
        let what = "\(options.mode.rawValue) \(options.period)"
        let days = JobSummary(firstDay: options.period.from, lastDay: options.period.to.adding(days: -1), message: "\(what): ")
        return try runner.run(BillingRun.commandName, community: community.id, failure: days) { _ in
            var billing = BillingRun(store: store, community: community)
            billing.clock = runner.clock
            let result = try billing.run(options)
            var summary = days
            summary.days = result.figures.days.count
            summary.message = "\(what): \(result.figures.statements.count) statements"
            return (result, summary)
        }
    }

    /// Cancels an issued statement (Storno), recorded in the job log as `bill`.
    public func cancel(_ options: BillingRun.CancelOptions) throws -> BillingRun.CancelResult {
        let what = "cancel \(options.number)"
        return try runner.run(BillingRun.commandName, community: community.id, failure: JobSummary(message: "\(what): ")) { _ in
            var billing = BillingRun(store: store, community: community)
            billing.clock = runner.clock
            let result = try billing.cancel(options)
            let summary = JobSummary(
                firstDay: result.cancelled.from, lastDay: result.cancelled.to.adding(days: -1),
                message:
                    "\(what): cancellation \(result.cancellation.number) of \(result.cancelled.period), member \(result.cancelled.memberID)"
            )
            return (result, summary)
        }
    }
}
