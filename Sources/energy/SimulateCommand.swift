import ArgumentParser
import EnergyCore
import EnergyEDA
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
            hour as it ends (--speed N: N times faster, from --from if given). With --crmsg-out the \
            grid operator's files are written instead: one CR_MSG per metering point and day with the \
            readings and the allocation of the community's key, to try `energy import` and `energy \
            reconcile` without a grid operator.
            """
    )

    @OptionGroup var communityOptions: CommunityOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var dates: DateRangeOptions

    @Option(help: "Seed of the simulation.")
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Write the CSV here instead of standard output.", valueName: "file"))
    var out: String?

    @Option(
        help: ArgumentHelp(
            "Write the grid operator's files into this folder instead: a CR_MSG per metering point and day.", valueName: "dir"))
    var crmsgOut: String?

    @Option(help: ArgumentHelp("Publish to this broker instead: amqp://USER:PASSWORD@HOST:5672/VHOST.", valueName: "uri"))
    var amqp: String?

    @Flag(help: "With --amqp: publish each quarter hour as it ends (from --from, or now), until --to or forever.")
    var realtime = false

    @Option(help: ArgumentHelp("With --realtime: let simulated time run this many times faster.", valueName: "n"))
    var speed: Double = 1

    @Option(
        help: ArgumentHelp("With --realtime: record progress here and resume from it after a restart, without gaps.", valueName: "file"))
    var resumeFile: String?

    @Option(
        help: ArgumentHelp(
            "With --amqp: heartbeats with the broker, kept up between quarter hours, so a flow dropped silently (a load balancer's "
                + "idle timeout) is found within two intervals and made anew (0: off).", valueName: "seconds"))
    var heartbeat = 30

    func validate() throws {
        if [amqp, out, crmsgOut].compactMap({ $0 }).count > 1 {
            throw ValidationError("give one of --out (CSV), --crmsg-out (grid-operator files) or --amqp (broker)")
        }
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
        guard (0...3600).contains(heartbeat) else { throw ValidationError("--heartbeat must be from 0 (off) to 3600 seconds") }
    }

    func run() throws {
        if let amqp {
            try reportingErrors {
                var publishing = LivePublishing(uri: try AMQPURI(amqp), community: try communityOptions.load(), seed: seed)
                publishing.heartbeatSeconds = heartbeat
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
        if let crmsgOut {
            try reportingErrors {
                guard let (from, to) = try dates.range(required: true) else { return }
                try writeGridOperatorFiles(community: try communityOptions.load(), from: from, to: to, into: crmsgOut)
            }
            return
        }
        try reportingErrors {
            guard let (from, to) = try dates.range(required: true) else { return }
            let community = try communityOptions.load()
            // A file is written beside its target and renamed over it when complete (a link, device
            // or folder there is refused); without --out, or with -, to standard output.
            let output = try OutputFile(path: out ?? "-")
            try output.write(Data((ReadingCSVWriter.header + "\n").utf8))
            try CommunitySimulator(community: community, seed: seed).simulate(from: from, to: to) { readings in
                try output.write(ReadingCSVWriter.data(readings))
            }
            try output.commit()
        }
    }

    /// One CR_MSG per metering point and day: the simulated readings with the allocation of the
    /// community's key, as a grid operator allocating the same way would send them.
    private func writeGridOperatorFiles(community: Community, from: LocalDate, to: LocalDate, into folder: String) throws {
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw CLIError("cannot create the folder \(folder): \(error.localizedDescription)")
        }
        let writer = CRMSGWriter(version: .v01p41, calendar: community.calendar)
        var allocator = community.allocator()
        var files = 0
        try CommunitySimulator(community: community, seed: seed).simulate(from: from, to: to) { readings in
            guard let first = readings.first else { return }
            let date = community.calendar.localDate(containing: first.start.startSeconds)
            let day = DayAllocation(
                date: date, firstQuarterHour: first.start, values: readings.map(\.milliwattHours), allocator: &allocator)
            let figures = day.gridOperatorFigures(points: community.meteringPoints)
            var byPoint: [Zaehlpunkt: [GridOperatorFigure]] = [:]
            for figure in figures { byPoint[figure.zaehlpunkt, default: []].append(figure) }
            for (zaehlpunkt, mine) in byPoint.sorted(by: { $0.key < $1.key }) {
                // Sent the morning after, as grid operators do.
                let created = community.calendar.startOfDay(date.adding(days: 1)) + 6 * 3_600
                let bytes = try writer.write(mine, communityID: community.ecid, created: created, sequence: files + 1)
                let path = (folder as NSString).appendingPathComponent("\(zaehlpunkt)_\(date).xml")
                do { try Data(bytes).write(to: URL(fileURLWithPath: path)) } catch {
                    throw CLIError("cannot write \(path): \(error.localizedDescription)")
                }
                files += 1
            }
        }
        print("\(files) CR_MSG files → \(folder)")
    }
}
