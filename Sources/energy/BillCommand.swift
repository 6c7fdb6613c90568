import ArgumentParser
import EnergyBilling
import EnergyCore
import EnergyJobs
import Foundation

struct BillCommand: ParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "bill",
        abstract: "Write every member's statement for a period as XLSX and/or CSV.",
        discussion: """
            --preview numbers nothing and may be rerun. --final checks that every quarter hour has a \
            reading (refusing unless --allow-incomplete) and that none is an unreliable substitute \
            value of quality L3 (refusing unless --allow-unreliable), numbers each statement without \
            gaps per community and year and stores the numbers; rerunning it for the same period writes the \
            same files byte for byte, or refuses if the data changed since. The reconciliation \
            (members' community energy = energy taken from generators = community shared energy) is \
            printed; the run fails if it does not balance. Where the grid operator's allocation (EDA) \
            was imported, the community energy is the grid operator's (G.03) and the statements say \
            so. Exit codes: 0 written, 1 failed or refused.
            """
    )

    @OptionGroup var communityOptions: CommunityOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("A month (2026-10), a quarter (2026-Q4) or a year (2026), local calendar.", valueName: "period"))
    var period: String

    @Flag(help: "Preview (unnumbered, repeatable) or final (numbered, stored, immutable).")
    var mode: BillMode

    @Option(help: ArgumentHelp("Folder for the statements.", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("xlsx, csv or xlsx,csv.", valueName: "formats"))
    var format = "xlsx,csv"

    @Flag(help: "Bill although quarter hours are missing (counted as 0; the statements say so).")
    var allowIncomplete = false

    @Flag(help: "Issue final statements although values of quality L3 remain (each metering point and day is listed).")
    var allowUnreliable = false

    enum BillMode: String, EnumerableFlag {
        case preview, final
    }

    func formats() throws -> Set<BillingRun.Format> {
        var formats = Set<BillingRun.Format>()
        for name in format.split(separator: ",") {
            guard let f = BillingRun.Format(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw ValidationError("--format: '\(name)' is not a format (xlsx, csv or xlsx,csv)")
            }
            formats.insert(f)
        }
        if formats.isEmpty { throw ValidationError("--format: name xlsx, csv or both") }
        return formats
    }

    func validate() throws {
        do { _ = try BillingPeriod(period) } catch { throw ValidationError("--period: \(error)") }
        _ = try formats()
    }

    func run() throws {
        try reportingErrors {
            let community = try communityOptions.load()
            let store = try storeOptions.open()
            let options = BillingRun.Options(
                period: try BillingPeriod(period), mode: mode == .final ? .final : .preview,
                formats: try formats(), directory: out, allowIncomplete: allowIncomplete, allowUnreliable: allowUnreliable)
            let result = try BillingJob(store: store, community: community).run(options)
            print(Self.summary(result, options: options))
        }
    }

    static func summary(_ result: BillingRun.Result, options: BillingRun.Options) -> String {
        let r = result.reconciliation
        var lines = [
            "Reconciliation \(options.period): members received \(r.membersReceived) mWh = taken from generators "
                + "\(r.takenFromGenerators) mWh = community shared \(r.communityShared) mWh: balanced"
        ]
        if !result.overriddenUnreliable.isEmpty {
            let count = result.overriddenUnreliable.reduce(0) { $0 + $1.quarterHours }
            lines.append(
                "warning: --allow-unreliable: issued over \(count) quarter hours of quality L3:\n"
                    + result.overriddenUnreliable.map { "  \($0)" }.joined(separator: "\n"))
        }
        let c = result.completeness
        if !c.isComplete {
            lines.append("warning: the data is incomplete (the statements say so):\n" + c.report(limit: 10))
        }
        let statements = result.figures.statements
        let total = statements.reduce(Money.zero) { $0 + $1.total }
        let numbered = result.numbers.compactMap { $0 }
        switch options.mode {
        case .preview:
            lines.append("\(statements.count) preview statements (not numbered), total \(total.text) \(result.figures.tariff.currency)")
        case .final:
            let span = numbered.isEmpty ? "" : " \(numbered.first!) to \(numbered.last!)"
            lines.append(
                "\(statements.count) final statements\(span), total \(total.text) \(result.figures.tariff.currency)"
                    + (result.reissued ? " (already issued: the same files written again)" : ""))
        }
        lines.append("\(result.files.count) files → \(options.directory)")
        return lines.joined(separator: "\n")
    }
}
