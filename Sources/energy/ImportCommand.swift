import ArgumentParser
import EnergyCore
import EnergyIngest
import EnergyStore
import Foundation
import Logging

struct ImportCommand: ParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import readings and the grid operator's figures: canonical CSV, CR_MSG XML or EDA workbooks.",
        discussion: """
            The format is told by each file's content (--format forces one): the canonical CSV \
            (zaehlpunkt,start,direction,kwh,quality), the grid operator's CR_MSG ConsumptionRecord \
            XML, or the EDA portal's quarter-hour workbook (.xlsx). A folder imports every file in \
            it. The meter readings (G.01) are stored as readings, the grid operator's allocation \
            (G.02, G.03, P.01 …) as the community's DSO figures. Valid values are stored, bad ones \
            are listed with where and why. Importing the same file again changes nothing; a changed \
            value is a correction and marks its day for the next rollup; a value of worse quality \
            than the stored one is kept out (counted, not an error). Exit code 2 if anything was \
            rejected, 1 if a file could not be read at all.
            """
    )

    @OptionGroup var communityOptions: CommunityOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var plausibleTimes: PlausibleTimeOptions

    @Option(help: "Read every file as this format instead of telling it by content: csv, crmsg or eda-xlsx.")
    var format: ImportFormat?

    @Option(help: "Print at most this many rejected rows or values per file (all are counted).")
    var showRejected = 50

    @Argument(help: ArgumentHelp("Files or folders to import; - for a CSV on standard input.", valueName: "file"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one file or folder") }
    }

    /// What a run found, for the exit code.
    private struct Outcome {
        var rejected = 0
        var failedFiles = 0
    }

    func run() throws {
        let outcome = try reportingErrors { () throws -> Outcome in
            let community = try communityOptions.load()
            let store = try storeOptions.open()
            let logger = Logger(label: "energy.import")
            var outcome = Outcome()
            // CSV files one by one; then the grid operator's files together (read ahead on a
            // second thread, stored in time order across files), each group in argument order.
            var gridOperatorFiles: [String] = []
            for file in try ImportFormat.files(for: files) {
                do {
                    let kind = try format ?? (file == "-" ? .csv : ImportFormat.detect(path: file))
                    guard kind == .csv else {
                        gridOperatorFiles.append(file)
                        continue
                    }
                    let importer = FileImporter(
                        store: store, community: community, file: file, showRejected: showRejected, logger: logger,
                        plausible: try plausibleTimes.times(now: SystemClock().unixSeconds))
                    outcome.rejected += try importer.importCSV()
                } catch {
                    // One unreadable file does not stop the others; the run exits 1 at the end.
                    logger.error("\(error)")
                    outcome.failedFiles += 1
                }
            }
            if !gridOperatorFiles.isEmpty {
                try importGridOperatorFiles(gridOperatorFiles, store: store, community: community, logger: logger, outcome: &outcome)
            }
            return outcome
        }
        if outcome.failedFiles > 0 { throw ExitCode(1) }
        if outcome.rejected > 0 { throw ExitCode(2) }
    }
}

extension ImportCommand {
    /// The grid operator's files: a line per file as it is read (its values, what was rejected),
    /// then one line for what the store did with all of them.
    private func importGridOperatorFiles(
        _ paths: [String], store: any ReadingStore, community: Community, logger: Logger, outcome: inout Outcome
    ) throws {
        var values = 0
        var rejected = 0
        var read = 0
        var edaImport = EDAImport(store: store, community: community)
        edaImport.plausible = try plausibleTimes.times(now: SystemClock().unixSeconds)
        let stored = try edaImport.run(files: paths, format: format) { file, result in
            switch result {
            case let .failure(error):
                logger.error("\(error)")
                outcome.failedFiles += 1
            case let .success(result):
                read += 1
                values += result.values
                rejected += result.rejected
                for code in result.unknownMeterCodes { logger.warning("\(file): unknown meter code '\(code)' skipped") }
                for rejection in result.rejections.prefix(showRejected) { logger.warning("\(file): \(rejection)") }
                if result.rejections.count > showRejected {
                    logger.warning("\(file): \(result.rejections.count - showRejected) more rejections not shown")
                }
                print(
                    "\(file): \(result.values) values (\(result.readings) readings, \(result.figures) grid-operator figures), "
                        + "\(result.rejected) rejected")
            }
        }
        outcome.rejected += rejected
        print(
            "\(read) grid-operator file\(read == 1 ? "" : "s"): \(values) values: \(stored.countsText), \(rejected) rejected; "
                + "\(stored.dirtyDays.count) days to roll up in \(store.location)")
    }
}

extension ImportFormat: ExpressibleByArgument {}

/// One file's import and its summary line.
private struct FileImporter {
    let store: any ReadingStore
    let community: Community
    let file: String
    let showRejected: Int
    let logger: Logger
    let plausible: PlausibleTimes

    /// Returns the number of rejected rows.
    func importCSV() throws -> Int {
        let size = ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int) ?? 0
        var bar = ProgressBar("importing \((file as NSString).lastPathComponent)", total: size)
        var shown = 0
        var csvImport = CSVImport(store: store, community: community)
        csvImport.plausible = plausible
        let result = try csvImport.run(
            path: file,
            onRejection: { rejection in
                if shown < showRejected {
                    logger.warning("\(file):\(rejection.line): \(rejection.reason)")
                    shown += 1
                }
            }, onProgress: { bar.update($0) })
        let s = result.stored
        bar.finish(
            "\(file): \(result.rows) rows: \(s.countsText), \(result.rejected) rejected; "
                + (result.blankLines > 0 ? "\(result.blankLines) empty lines skipped; " : "")
                + "\(s.dirtyDays.count) days to roll up in \(store.location)")
        if result.rejected > shown { logger.warning("\(file): \(result.rejected - shown) more rejected rows not shown") }
        return result.rejected
    }
}
