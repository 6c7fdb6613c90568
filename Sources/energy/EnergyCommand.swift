import ArgumentParser
import EnergyService
import Logging

@main
struct EnergyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "energy",
        abstract: "Readings, allocation, rollups and reports for renewable energy communities.",
        discussion: """
            Stores: --store sqlite:PATH or mongodb://HOST/DATABASE (or the ENERGY_STORE or \
            MONGODB_URI variable); the default is \(StoreOptions.defaultPath).
            Dates are local dates of the community; --to is exclusive.
            Exit codes: 0 done (ingest: stopped by SIGTERM after acking its batch), 1 failed (or refused: bill), 2 done but some input rejected, 64 bad usage, 75 another rollup of the community is running.
            """,
        version: "0.1.0",
        subcommands: [
            DemoCommand.self, SimulateCommand.self, IngestCommand.self, ImportCommand.self, RollupCommand.self, ReportCommand.self,
            BillCommand.self, ReconcileCommand.self,
            RunsCommand.self, ServeCommand.self, CheckCommand.self,
        ]
    )

    /// Parses, sets up logging once (at the command's --log-level, else info), then runs.
    static func main() async {
        do {
            var command = try parseAsRoot()
            bootstrapLogging(level: (command as? any LoggingCommand)?.logging.logLevel ?? .info)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
