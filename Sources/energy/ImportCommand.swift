import ArgumentParser
import EnergyCore
import EnergyIngest
import Foundation
import Logging

struct ImportCommand: ParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import readings from canonical CSV files (zaehlpunkt,start,direction,kwh,quality).",
        discussion: """
            Valid rows are stored, bad rows are listed with their line number and reason. Importing \
            the same file again changes nothing; a changed value is recorded as a correction and \
            marks its day for the next rollup. Exit code 2 if any row was rejected.
            """
    )

    @OptionGroup var communityOptions: CommunityOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Print at most this many rejected rows (all are counted).")
    var showRejected = 50

    @Argument(help: ArgumentHelp("CSV files to import; - for standard input.", valueName: "readings.csv"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one CSV file") }
    }

    func run() throws {
        let rejected = try reportingErrors { () throws -> Int in
            let community = try communityOptions.load()
            let store = try storeOptions.open()
            let logger = Logger(label: "energy.import")
            var rejectedTotal = 0
            for file in files {
                let size = ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int) ?? 0
                var bar = ProgressBar("importing \((file as NSString).lastPathComponent)", total: size)
                var shown = 0
                let result = try CSVImport(store: store, community: community).run(
                    path: file,
                    onRejection: { rejection in
                        if shown < showRejected {
                            logger.warning("\(file):\(rejection.line): \(rejection.reason)")
                            shown += 1
                        }
                    }, onProgress: { bar.update($0) })
                rejectedTotal += result.rejected
                let s = result.stored
                bar.finish(
                    "\(file): \(result.rows) rows: \(s.inserted) new, \(s.corrected) corrected, \(s.unchanged) unchanged, "
                        + "\(result.rejected) rejected; \(s.dirtyDays.count) days to roll up in \(store.location)")
                if result.rejected > shown { logger.warning("\(file): \(result.rejected - shown) more rejected rows not shown") }
            }
            return rejectedTotal
        }
        if rejected > 0 { throw ExitCode(2) }
    }
}
