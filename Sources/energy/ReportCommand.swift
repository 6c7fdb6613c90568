import ArgumentParser
import EnergyCore
import EnergyReports
import Foundation
import Logging

extension Granularity: ExpressibleByArgument {}
extension ReportScope: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print rollups of the community or its metering points.",
        discussion: """
            CSV columns: \(ReportWriter.csvHeader). bucket_start is local ISO 8601 with its offset; \
            energies have six decimals (exact mWh). Buckets of days not rolled up yet show 0 intervals \
            and a warning on standard error.
            """
    )

    @OptionGroup var communityOptions: CommunityOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var dates: DateRangeOptions

    @Option(help: "community or meter.")
    var scope: ReportScope = .community

    @Option(help: ArgumentHelp("Only this metering point (with --scope meter).", valueName: "zp"))
    var zaehlpunkt: String?

    @Option(help: "15m, hour, day or month.")
    var granularity: Granularity = .day

    @Option(help: "table, csv or json.")
    var format: ReportFormat = .table

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func validate() throws {
        _ = try dates.range(required: true)
        if zaehlpunkt != nil && scope != .meter { throw ValidationError("--zaehlpunkt needs --scope meter") }
        if let zaehlpunkt {
            do { _ = try Zaehlpunkt(zaehlpunkt) } catch { throw ValidationError("--zaehlpunkt: \(error)") }
        }
    }

    func run() throws {
        try reportingErrors {
            guard let (from, to) = try dates.range(required: true) else { return }
            let community = try communityOptions.load()
            var zp: Zaehlpunkt?
            if let zaehlpunkt {
                let parsed = try Zaehlpunkt(zaehlpunkt)
                guard community.has(parsed) else { throw CLIError("\(parsed) is not a metering point of community '\(community.id)'") }
                zp = parsed
            }
            let store = try storeOptions.open()
            let report = try RollupReport(
                store: store, community: community, scope: scope, zaehlpunkt: zp,
                granularity: granularity, from: from, to: to)
            if !report.staleDays.isEmpty {
                let listed = report.staleDays.prefix(5).map(\.description).joined(separator: ", ")
                let warning =
                    "\(report.staleDays.count) days in the range are not rolled up or changed since (\(listed)\(report.staleDays.count > 5 ? ", …" : "")); "
                    + "run: energy rollup --community \(communityOptions.community) --from \(from) --to \(to)"
                Logger(label: "energy.report").warning("\(warning)")
            }
            let text = ReportWriter(calendar: community.calendar).render(report.rows, as: format)
            try OutputFile.write(Data(text.utf8), to: output ?? "-")
        }
    }
}
