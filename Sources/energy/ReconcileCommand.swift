import ArgumentParser
import EnergyCore
import EnergyJobs
import EnergyReports
import EnergyStore
import Foundation
import Logging

struct ReconcileCommand: ParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Check the grid operator's allocation against ours, per day and metering point.",
        discussion: """
            For every quarter hour the grid operator (DSO) allocated, the share our allocation key \
            computes from the same readings is set against the DSO's (consumers: G.03; producers: \
            G.01T - P.01T or G.01 - P.01); difference = DSO - computed. Per day, the DSO's figures must \
            also conserve (its consumers received what its producers gave). CSV columns: \
            \(ReconciliationWriter.csvHeader). Exit code 0 when nothing differs beyond the tolerance, \
            3 when something does, 1 on failure. Each run is recorded in the job log (energy runs), \
            a run with differences as failed.
            """
    )

    @OptionGroup var communityOptions: CommunityOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var dates: DateRangeOptions

    @Option(help: ArgumentHelp("Instead of --from/--to: the last N local days up to today (the nightly job).", valueName: "n"))
    var lastDays: Int?

    @Option(help: "table (only what differs), csv or json (everything).")
    var format: ReportFormat = .table

    @Option(help: ArgumentHelp("A quarter hour differs when DSO and computed share are further apart than this.", valueName: "mWh"))
    var toleranceMwh: Int64 = 0

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func validate() throws {
        let range = try dates.range(required: lastDays == nil)
        if range != nil && lastDays != nil { throw ValidationError("give either --from/--to or --last-days") }
        if let lastDays, !(1...3660).contains(lastDays) { throw ValidationError("--last-days must be 1 to 3660") }
        if toleranceMwh < 0 { throw ValidationError("--tolerance-mwh must not be negative") }
    }

    /// Differences found: the job log's failure message and the exit code 3.
    struct Differences: Error, CustomStringConvertible {
        var description: String
    }

    func run() throws {
        let agrees = try reportingErrors { () throws -> Bool in
            let community = try communityOptions.load()
            let (from, to): (LocalDate, LocalDate)
            if let lastDays {
                let today = community.calendar.today()
                (from, to) = (today.adding(days: -lastDays), today)
            } else {
                guard let range = try dates.range(required: true) else { return true }
                (from, to) = range
            }
            let store = try storeOptions.open()
            let runner = JobRunner(store: store, logger: Logger(label: "energy.reconcile"))
            var check: GridOperatorReconciliation?
            do {
                try runner.run("reconcile", community: community.id, failure: JobSummary(firstDay: from, lastDay: to.adding(days: -1))) {
                    _ in
                    let result = try GridOperatorReconciliation(
                        store: store, community: community, from: from, to: to, toleranceMilliwattHours: toleranceMwh)
                    check = result
                    let differing = result.points.filter { $0.quarterHoursDiffering > 0 }.count
                    guard result.agrees else {
                        throw Differences(
                            description: "\(differing) metering-point days differ from the grid operator's allocation, "
                                + "\(result.days.filter { !$0.conserves }.count) days do not conserve")
                    }
                    return ((), JobSummary(firstDay: from, lastDay: to.adding(days: -1), days: result.days.count))
                }
            } catch is Differences {}
            guard let check else { return true }
            let text = ReconciliationWriter().render(check, as: format)
            try OutputFile.write(Data(text.utf8), to: output ?? "-")
            return check.agrees
        }
        if !agrees { throw ExitCode(3) }
    }
}
