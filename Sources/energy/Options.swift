import ArgumentParser
import EnergyCore
import EnergyJobs
import EnergyReports
import EnergyStore
import Foundation
import Logging

/// `--store`: where the data lives.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Store: sqlite:PATH or mongodb://HOST/DATABASE. Default: $ENERGY_STORE, else $MONGODB_URI, else \(StoreOptions.defaultPath).",
            valueName: "uri"))
    var store: String?

    private static var environmentStore: String? {
        let env = ProcessInfo.processInfo.environment
        for name in ["ENERGY_STORE", "MONGODB_URI"] {
            if let value = env[name], !value.isEmpty { return value }
        }
        return nil
    }

    /// Whether the store comes from ENERGY_STORE or MONGODB_URI.
    var fromEnvironment: Bool { Self.environmentStore != nil }

    static var defaultPath: String {
        let base =
            ProcessInfo.processInfo.environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.local/share")
        return base + "/energy/energy.sqlite"
    }

    /// The location asked for, or the environment's, or the default.
    func location(default fallback: String? = nil) throws -> StoreLocation {
        if let store { return try StoreLocation.parse(store) }
        if let env = Self.environmentStore { return try StoreLocation.parse(env) }
        let path = fallback ?? Self.defaultPath
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return .sqlite(path: path)
    }

    func open(default fallback: String? = nil, evenIfMarkedDamaged: Bool = false) throws -> any ReadingStore {
        try location(default: fallback).open(evenIfMarkedDamaged: evenIfMarkedDamaged)
    }
}

/// `--community FILE`: the community file.
struct CommunityOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The community file (YAML).", valueName: "file"))
    var community: String

    func load() throws -> Community {
        try CommunityLoader.load(path: community)
    }
}

enum CommunityLoader {
    static func load(path: String) throws -> Community {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError(
                "cannot read community file \(path): \(FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")"
            )
        }
        guard let text = String(data: data, encoding: .utf8) else { throw CLIError("\(path) is not UTF-8 text") }
        let community = try CommunityFile.parse(text, source: path)
        // The parser's tree of a large file is freed by now; without this its pages would stay
        // resident for the whole run (see ProcessHeap).
        ProcessHeap.trim()
        return community
    }
}

/// `--from DATE --to DATE`, local dates, `--to` exclusive.
struct DateRangeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("First local date (YYYY-MM-DD).", valueName: "date"))
    var from: String?

    @Option(help: ArgumentHelp("Local date after the last one (exclusive).", valueName: "date"))
    var to: String?

    func range(required: Bool) throws -> (LocalDate, LocalDate)? {
        switch (from, to) {
        case (nil, nil):
            if required { throw ValidationError("give --from and --to (local dates, --to exclusive)") }
            return nil
        case let (f?, t?):
            let start = try parse(f, "--from")
            let end = try parse(t, "--to")
            guard start < end else { throw ValidationError("--from \(f) must be before --to \(t) (--to is exclusive)") }
            return (start, end)
        default:
            throw ValidationError("give both --from and --to")
        }
    }

    private func parse(_ text: String, _ flag: String) throws -> LocalDate {
        do { return try LocalDate(text) } catch { throw ValidationError("\(flag): \(error)") }
    }
}

/// An error for the person at the terminal.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Prints an error the way every command does and exits with `code`. A store file SQLite finds
/// damaged gets the advice to check it.
func fail(_ error: Error, code: Int32 = 1) -> ExitCode {
    var text = "\(error)"
    if let sqlite = error as? SQLiteError, DamageMark.meansDamage(sqlite.code) {
        text += "\nthe store file is damaged: run energy check --store … to see how, and restore it from a backup"
    } else if "\(error)".contains("malformed") || "\(error)".contains("not a database") {
        text += "\nthe store file looks damaged: run energy check --store … to see how, and restore it from a backup"
    }
    FileHandle.standardError.write(Data("error: \(text)\n".utf8))
    return ExitCode(code)
}

/// `--log-level`: of the commands that run services or jobs. The CLI sets up logging once, at
/// start-up, from it (`EnergyCommand.main`).
struct LoggingOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Log this level and above: trace, debug, info, notice, warning, error or critical. Logs go to standard error: "
                + "JSON lines when it is not a terminal, readable lines when it is.", valueName: "level"))
    var logLevel: Logger.Level = .info
}

/// A command whose logging `--log-level` sets.
protocol LoggingCommand {
    var logging: LoggingOptions { get }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Runs a command body, turning errors into a message and exit code 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch let validation as ValidationError {
        throw validation
    } catch let held as LeaseHeld {
        throw held
    } catch {
        throw fail(error)
    }
}

/// The time readings may have: earlier or later ones are rejected with a reason by every source.
struct PlausibleTimeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Reject readings before this day (UTC).", valueName: "yyyy-mm-dd"))
    var earliestReading = "2000-01-01"

    @Option(help: ArgumentHelp("Reject readings from this day on (UTC; default: ten years from today).", valueName: "yyyy-mm-dd"))
    var latestReading: String?

    func validate() throws { _ = try times(now: SystemClock().unixSeconds) }

    func times(now: Int64) throws -> PlausibleTimes {
        var times = PlausibleTimes(now: now)
        do { times.earliest = QuarterHour(index: Int64(try LocalDate(earliestReading).daysSinceEpoch) * 96) } catch {
            throw ValidationError("--earliest-reading: \(error)")
        }
        if let latestReading {
            do { times.end = QuarterHour(index: Int64(try LocalDate(latestReading).daysSinceEpoch) * 96) } catch {
                throw ValidationError("--latest-reading: \(error)")
            }
        }
        guard times.earliest < times.end else { throw ValidationError("--earliest-reading must be before --latest-reading") }
        return times
    }
}
