import ArgumentParser
import EnergyCore
import EnergySimulator
import Foundation

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate readings of a community's metering points as canonical CSV.",
        discussion: """
            Households, businesses and farms follow the BDEW standard load profiles (H0, G0, L0), PV \
            plants a clear-sky model under a cloudiness process. Reproducible for a seed. Each \
            point's `profile` in the community file says what it is (default: H0 3500 kWh, PV 10 kWp).
            """
    )

    @OptionGroup var communityOptions: CommunityOptions
    @OptionGroup var dates: DateRangeOptions

    @Option(help: "Seed of the simulation.")
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Write the CSV here instead of standard output.", valueName: "file"))
    var out: String?

    func validate() throws { _ = try dates.range(required: true) }

    func run() throws {
        try reportingErrors {
            guard let (from, to) = try dates.range(required: true) else { return }
            let community = try communityOptions.load()
            let output: FileHandle
            if let out {
                guard FileManager.default.createFile(atPath: out, contents: nil) else { throw CLIError("cannot create \(out)") }
                guard let handle = FileHandle(forWritingAtPath: out) else { throw CLIError("cannot write \(out)") }
                output = handle
            } else {
                output = FileHandle.standardOutput
            }
            defer { if out != nil { try? output.close() } }
            try output.write(contentsOf: Data((ReadingCSVWriter.header + "\n").utf8))
            try CommunitySimulator(community: community, seed: seed).simulate(from: from, to: to) { readings in
                try output.write(contentsOf: ReadingCSVWriter.data(readings))
            }
        }
    }
}
