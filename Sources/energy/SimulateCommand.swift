import ArgumentParser
import EnergyCore
import EnergyMessaging
import EnergySimulator
import Foundation

struct SimulateCommand: ParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate readings of a community's metering points as canonical CSV, or publish them to RabbitMQ.",
        discussion: """
            Households, businesses and farms follow the BDEW standard load profiles (H0, G0, L0), PV \
            plants a clear-sky model under a cloudiness process. Reproducible for a seed. Each \
            point's `profile` in the community file says what it is (default: H0 3500 kWh, PV 10 kWp).
            With --amqp the readings go to the broker (publisher confirms; what is not confirmed is \
            published again): --from/--to as fast as the broker confirms, or --realtime each quarter \
            hour as it ends (--speed N: N times faster, from --from if given).
            """
    )

    @OptionGroup var communityOptions: CommunityOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var dates: DateRangeOptions

    @Option(help: "Seed of the simulation.")
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Write the CSV here instead of standard output.", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("Publish to this broker instead: amqp://USER:PASSWORD@HOST:5672/VHOST.", valueName: "uri"))
    var amqp: String?

    @Flag(help: "With --amqp: publish each quarter hour as it ends (from --from, or now), until --to or forever.")
    var realtime = false

    @Option(help: ArgumentHelp("With --realtime: let simulated time run this many times faster.", valueName: "n"))
    var speed: Double = 1

    @Option(
        help: ArgumentHelp("With --realtime: record progress here and resume from it after a restart, without gaps.", valueName: "file"))
    var resumeFile: String?

    func validate() throws {
        if amqp != nil, out != nil { throw ValidationError("give --out (CSV) or --amqp (broker), not both") }
        if realtime {
            guard amqp != nil else { throw ValidationError("--realtime publishes to a broker: give --amqp") }
            guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be a positive number") }
            if dates.to != nil, dates.from == nil { throw ValidationError("--to with --realtime needs --from") }
            if dates.from != nil, dates.to != nil { _ = try dates.range(required: true) }
        } else {
            if speed != 1 { throw ValidationError("--speed only goes with --realtime") }
            if resumeFile != nil { throw ValidationError("--resume-file only goes with --realtime") }
            _ = try dates.range(required: true)
        }
        if let amqp {
            do { _ = try AMQPURI(amqp) } catch { throw ValidationError("--amqp: \(error)") }
        }
    }

    func run() throws {
        if let amqp {
            try reportingErrors {
                let publishing = LivePublishing(uri: try AMQPURI(amqp), community: try communityOptions.load(), seed: seed)
                if realtime {
                    let from = try dates.from.map { try LocalDate($0) }
                    let to = try dates.to.map { try LocalDate($0) }
                    try publishing.realtime(from: from, to: to, speed: speed, resumeFile: resumeFile)
                } else if let (from, to) = try dates.range(required: true) {
                    try publishing.backfill(from: from, to: to)
                }
            }
            return
        }
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
