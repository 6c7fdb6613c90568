import ArgumentParser
import EnergyCore
import EnergyReports
import Foundation

/// `energy check`: a damaged store is found and described, never computed with.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Check a store: the database's integrity, stored values, and (with --community) that every day's rollups conserve energy.",
        discussion: "Exit codes: 0 sound, 1 findings (listed) or the store cannot be read."
    )

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Also check this community's rollups.", valueName: "file"))
    var community: String?

    func run() throws {
        let findings = try reportingErrors { () throws -> [String] in
            // A store marked damaged is what this command is for; a sound result clears the mark.
            let store = try storeOptions.open(evenIfMarkedDamaged: true)
            let loaded = try community.map { try CommunityLoader.load(path: $0) }
            let findings = try StoreAudit(store: store, community: loaded).run()
            if findings.isEmpty {
                print("store \(store.location) is sound" + (loaded.map { " (and the rollups of \($0.id) conserve energy)" } ?? ""))
            } else {
                print("store \(store.location): \(findings.count) findings")
                for finding in findings { print("  \(finding)") }
            }
            return findings
        }
        if !findings.isEmpty { throw ExitCode(1) }
    }
}
