import ArgumentParser
import EnergyBilling
import EnergyCore
import EnergyJobs
import EnergyStore
import Foundation

struct BillCommand: ParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "bill",
        abstract: "Write every member's statement for a period (XLSX, CSV, PDF, SEPA), or cancel one.",
        discussion: """
            --preview numbers nothing and may be rerun. --final checks that every quarter hour has a \
            reading (refusing unless --allow-incomplete) and that none is an unreliable substitute \
            value of quality L3 (refusing unless --allow-unreliable), numbers each statement without \
            gaps per community and year and stores the numbers; rerunning it for the same period writes the \
            same files byte for byte, or refuses if the data changed since. The reconciliation \
            (members' community energy = energy taken from generators = community shared energy) is \
            printed; the run fails if it does not balance. Where the grid operator's allocation (EDA) \
            was imported, the community energy is the grid operator's (G.03) and the statements say \
            so. --format sepa (final runs) writes the bank's files: pain.008.001.08 direct debits for \
            members who owe and have a mandate, pain.001.001.09 credit transfers for members the \
            community pays, and a list of members who pay or are paid by bank transfer. \
            --cancel NUMBER --reason TEXT cancels an issued statement with a cancellation document \
            (its own number, every amount negated); the next --final of that period issues the member \
            a new statement. Exit codes: 0 written, 1 failed or refused.
            """
    )

    @OptionGroup var communityOptions: CommunityOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("A month (2026-10), a quarter (2026-Q4) or a year (2026), local calendar.", valueName: "period"))
    var period: String?

    @Flag(help: "Preview (unnumbered, repeatable) or final (numbered, stored, immutable).")
    var mode: BillMode?

    @Option(help: ArgumentHelp("Cancel this issued statement (e.g. 2026-0007) with a cancellation document.", valueName: "number"))
    var cancel: String?

    @Option(help: ArgumentHelp("Why the statement is cancelled (printed on the cancellation; required with --cancel).", valueName: "text"))
    var reason: String?

    @Option(
        help: ArgumentHelp(
            "SEPA collection / execution date (default: five TARGET business days after the statements were issued).",
            valueName: "yyyy-mm-dd"))
    var collectionDate: String?

    @Option(help: ArgumentHelp("Folder for the statements.", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("Comma-separated: xlsx, csv, pdf, sepa (final runs and cancellations).", valueName: "formats"))
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
                throw ValidationError("--format: '\(name)' is not a format (xlsx, csv, pdf, sepa, comma-separated)")
            }
            formats.insert(f)
        }
        if formats.isEmpty { throw ValidationError("--format: name one or more of xlsx, csv, pdf, sepa") }
        return formats
    }

    func validate() throws {
        let formats = try formats()
        _ = try date()
        if let cancel {
            guard period == nil, mode == nil else { throw ValidationError("--cancel takes no --period, --preview or --final") }
            guard IssuedStatement.parse(number: cancel) != nil else {
                throw ValidationError("--cancel: '\(cancel)' is not a statement number like 2026-0007")
            }
            guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--cancel needs --reason TEXT: why the statement is cancelled (it is printed on the cancellation)")
            }
            return
        }
        if reason != nil { throw ValidationError("--reason goes with --cancel NUMBER") }
        guard let period else { throw ValidationError("name the --period to bill (or --cancel NUMBER --reason TEXT)") }
        do { _ = try BillingPeriod(period) } catch { throw ValidationError("--period: \(error)") }
        guard let mode else { throw ValidationError("say --preview or --final") }
        if mode == .preview && formats.contains(.sepa) {
            throw ValidationError("--format sepa: SEPA files are written by final runs only (a preview moves no money)")
        }
    }

    func date() throws -> LocalDate? {
        guard let collectionDate else { return nil }
        do { return try LocalDate(collectionDate) } catch { throw ValidationError("--collection-date: \(error)") }
    }

    func run() throws {
        try reportingErrors {
            let community = try communityOptions.load()
            let store = try storeOptions.open()
            let job = BillingJob(store: store, community: community)
            if let cancel {
                let result = try job.cancel(
                    .init(number: cancel, reason: reason ?? "", formats: try formats(), directory: out, collectionDate: try date()))
                print(Self.summary(result, directory: out))
                return
            }
            var options = BillingRun.Options(
                period: try BillingPeriod(period ?? ""), mode: mode == .final ? .final : .preview,
                formats: try formats(), directory: out, allowIncomplete: allowIncomplete, allowUnreliable: allowUnreliable)
            options.collectionDate = try date()
            let result = try job.run(options)
            print(Self.summary(result, options: options))
        }
    }

    static func summary(_ result: BillingRun.CancelResult, directory: String) -> String {
        var lines = [
            "cancellation \(result.cancellation.number) cancels statement \(result.cancelled.number) "
                + "(member \(result.cancelled.memberID), \(result.cancelled.period)): total \(result.document.total.text) \(result.document.currency)",
            "run energy bill --period \(result.cancelled.period) --final to issue the member's corrected statement",
        ]
        lines += bankTransferLines(result.bankTransfers)
        lines.append("\(result.files.count) files → \(directory)")
        return lines.joined(separator: "\n")
    }

    static func bankTransferLines(_ transfers: [BankTransferEntry]) -> [String] {
        guard !transfers.isEmpty else { return [] }
        return ["\(transfers.count) statements without SEPA data (bank transfer, see bank-transfers-*.csv):"]
            + transfers.prefix(20).map { "  \($0)" } + (transfers.count > 20 ? ["  … \(transfers.count - 20) more"] : [])
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
            lines.append("\(statements.count) preview statements (not numbered), total \(total.text) \(result.figures.currency)")
        case .final:
            let span = numbered.first.map { " \($0) to \(numbered.last ?? $0)" } ?? ""
            lines.append(
                "\(statements.count) final statements\(span), total \(total.text) \(result.figures.currency)"
                    + (result.reissued ? " (already issued: the same files written again)" : ""))
            for (number, replaces) in result.replacements {
                lines.append("statement \(number) issued in place of cancelled statement \(replaces)")
            }
            lines += bankTransferLines(result.bankTransfers)
        }
        lines.append("\(result.files.count) files → \(options.directory)")
        return lines.joined(separator: "\n")
    }
}
