import ArgumentParser
import EnergyCore
import EnergyReports
import Foundation

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List recent job runs (rollups) recorded in the store."
    )

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Only runs of this community id.")
    var communityID: String?

    @Option(help: "How many runs to list.")
    var limit = 20

    func run() throws {
        try reportingErrors {
            let store = try storeOptions.open()
            var table = TextTable(columns: [
                .init("id", right: true), .init("command"), .init("community"), .init("started (UTC)"),
                .init("seconds", right: true), .init("outcome"), .init("days"), .init("readings", right: true),
                .init("message"),
            ])
            for run in try store.jobRuns(community: communityID, limit: limit) {
                let r = run.result
                let days = r.flatMap { result in result.firstDay.map { "\($0)…\(result.lastDay ?? $0) (\(result.days))" } } ?? ""
                table.add([
                    "\(run.id)", run.command, run.community, UTCTimestamp.format(run.startedAt),
                    run.finishedAt.map { "\($0 - run.startedAt)" } ?? "", r?.outcome.rawValue ?? "running", days,
                    r.map { "\($0.readings)" } ?? "", r?.message ?? "",
                ])
            }
            print(table.render(), terminator: "")
        }
    }
}
