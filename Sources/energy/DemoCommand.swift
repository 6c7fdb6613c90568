import ArgumentParser
import EnergyBilling
import EnergyCore
import EnergyJobs
import EnergyReports
import EnergySimulator
import EnergyStore
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The whole main job on the embedded store: a 50-member community, a simulated month, allocation, rollups, a summary.",
        discussion: """
            Writes DIR/community.yaml (with a demo tariff), simulates the last complete month into \
            DIR/energy.sqlite (or --store), rolls it up, prints a summary, writes DIR/daily.csv and the \
            month's statements (preview) into DIR/statements. Rerunning it changes nothing.
            """
    )

    @Argument(help: ArgumentHelp("Folder for the demo's files.", valueName: "dir"))
    var directory = "energy-demo"

    @Option(help: "Members of the demo community.")
    var members = 50

    @Option(help: ArgumentHelp("Month to simulate (YYYY-MM); default: the last complete month.", valueName: "month"))
    var month: String?

    @Option(help: "Seed of the simulation.")
    var seed: UInt64 = 42

    @Option(help: "dynamic or static allocation key.")
    var allocation: String = "dynamic"

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard (3...5000).contains(members) else { throw ValidationError("--members must be between 3 and 5000") }
        if let month { do { _ = try LocalMonth(month) } catch { throw ValidationError("--month: \(error)") } }
        guard AllocationKey(rawValue: allocation) != nil else { throw ValidationError("--allocation must be dynamic or static") }
    }

    func run() throws {
        try reportingErrors {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var community = DemoCommunity.make(members: members, seed: seed, allocation: AllocationKey(rawValue: allocation) ?? .dynamic)
            community.tariff = try Self.demoTariff()
            let communityPath = directory + "/community.yaml"
            try CommunityFile.render(
                community,
                header: """
                    Demo community written by `energy demo` (seed \(seed)). Edit it and rerun the commands below.
                    Each metering point: zaehlpunkt, direction (consumption|generation), participation (%),
                    and a profile for the simulator (H0/G0/L0 with annualKwh, or PV with kWp).
                    """
            ).write(toFile: communityPath, atomically: true, encoding: .utf8)
            // Read it back, so the demo runs on exactly what a user would edit.
            let loaded = try CommunityLoader.load(path: communityPath)
            let location = try storeOptions.location(default: directory + "/energy.sqlite")
            let store = try location.open()

            let target = try month.map { try LocalMonth($0) } ?? loaded.calendar.today().localMonth.previous
            let from = target.firstDay
            let to = target.next.firstDay
            print(
                "Community \(loaded.name): \(loaded.members.count) members, \(loaded.meteringPoints.count) metering points → \(communityPath)"
            )

            var bar = ProgressBar("simulating \(target)", total: target.dayCount)
            var stored = UpsertSummary()
            var days = 0
            try CommunitySimulator(community: loaded, seed: seed).simulate(from: from, to: to) { readings in
                stored.add(try store.upsert(readings, community: loaded))
                days += 1
                bar.update(days)
            }
            bar.finish(
                "simulated \(target): \(stored.inserted + stored.unchanged + stored.corrected) readings "
                    + "(\(stored.inserted) new, \(stored.corrected) corrected, \(stored.unchanged) unchanged) → \(location)")

            let job = RollupJob(store: store, community: loaded)
            let plan = try job.plan(.range(from: from, to: to))
            var rollupBar = ProgressBar("rolling up", total: plan.days.count)
            let result = try job.run(plan) { done, _ in rollupBar.update(done) }
            rollupBar.finish("rolled up \(result.days.count) days: allocation per quarter hour, rollups per day and month")

            print("")
            print(try CommunitySummary(store: store, community: loaded, from: from, to: to).render(top: 10))

            let daily =
                try RollupReport(store: store, community: loaded, scope: .community, granularity: .day, from: from, to: to).rows
                + RollupReport(store: store, community: loaded, scope: .meter, granularity: .day, from: from, to: to).rows
            let csvPath = directory + "/daily.csv"
            try OutputFile.write(Data(ReportWriter(calendar: loaded.calendar).csv(daily).utf8), to: csvPath)
            print("Daily rollups (community and every metering point) → \(csvPath)")

            let statementsPath = directory + "/statements"
            let billing = try BillingRun(store: store, community: loaded).run(
                .init(
                    period: try BillingPeriod(target.description), mode: .preview, formats: [.pdf, .xlsx, .csv],
                    directory: statementsPath))
            print(
                "Statements of \(target) (preview, not numbered): \(billing.figures.statements.count) members, PDF, XLSX and CSV → "
                    + statementsPath)
            print("  reconciliation: \(billing.reconciliation)")
            // Repeat --store unless it came from the environment; never print a password.
            let storeFlag =
                storeOptions.store == nil && storeOptions.fromEnvironment
                ? ""
                : " --store \(storeOptions.store.map { $0.contains("@") ? location.description : $0 } ?? location.description)"
            // The binary as it was invoked (`.build/debug/energy` after `make demo`), so the
            // commands work as printed; `energy` if it was found on the PATH.
            let energy = Self.invokedBinary(CommandLine.arguments.first)
            print(
                """

                Try next:
                  \(energy) report --community \(communityPath)\(storeFlag) --from \(from) --to \(to) --granularity day
                  \(energy) report --community \(communityPath)\(storeFlag) --scope meter --granularity month --from \(from) --to \(to)
                  \(energy) simulate --community \(communityPath) --from \(from) --to \(from.adding(days: 1)) --out readings.csv
                  \(energy) import --community \(communityPath)\(storeFlag) readings.csv
                  \(energy) bill --community \(communityPath)\(storeFlag) --period \(target) --final --format pdf,xlsx,csv,sepa --out \(directory)/final
                """)
        }
    }

    /// How to call this binary again from the same folder: the path it was started by if it has a
    /// folder in it, else its name (found on the PATH).
    static func invokedBinary(_ argument0: String?) -> String {
        guard let argument0, argument0.contains("/") else { return "energy" }
        return argument0.contains(" ") ? "'\(argument0)'" : argument0
    }

    /// A demo tariff: community energy at 12 ct/kWh, 10 ct at midday, generators paid 8 ct
    /// (7 ct at midday), 2.50 a month, 20 % VAT on energy and fee, none on the generators' side.
    static func demoTariff() throws -> Tariff {
        try Tariff(
            consumptionPrice: EnergyPrice("0.12"), generationPrice: EnergyPrice("0.08"), memberFee: Money("2.50"),
            memberFeePeriod: .month,
            vat: VATRates(consumption: Percentage("20"), generation: .zero, memberFee: Percentage("20")),
            timeOfUse: [
                TariffWindow(
                    name: "midday", days: Set(1...7), fromMinute: 10 * 60, toMinute: 16 * 60,
                    consumptionPrice: try EnergyPrice("0.10"), generationPrice: try EnergyPrice("0.07")),
                TariffWindow(
                    name: "standard", days: Set(1...7), fromMinute: 16 * 60, toMinute: 10 * 60,
                    consumptionPrice: try EnergyPrice("0.12"), generationPrice: try EnergyPrice("0.08")),
            ])
    }
}
