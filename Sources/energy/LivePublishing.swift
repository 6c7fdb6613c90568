import EnergyCore
import EnergyMessaging
import EnergySimulator
import Foundation
import Logging

/// `energy simulate --amqp`: simulated readings onto the broker, as a backfill or in (scaled) real time.
struct LivePublishing {
    let uri: AMQPURI
    let community: Community
    let seed: UInt64
    let logger = Logger(label: "energy.simulate")
    /// The wall clock the real-time schedule follows.
    var clock: any WallClock = SystemClock()
    /// Heartbeats with the broker (seconds; 0: off).
    var heartbeatSeconds = 0

    private func publisher() throws -> ReadingPublisher {
        let publisher = ReadingPublisher(amqp: uri, community: community.id, logger: logger)
        publisher.heartbeatSeconds = heartbeatSeconds
        // Fail at once on a wrong URI or credentials; later outages are waited out.
        try publisher.connect()
        return publisher
    }

    /// Every reading of local days `from..<to`, as fast as the broker confirms.
    func backfill(from: LocalDate, to: LocalDate) throws {
        let publisher = try publisher()
        let started = clock.now()
        var bar = ProgressBar("publishing", total: to.daysSinceEpoch - from.daysSinceEpoch)
        var days = 0
        try CommunitySimulator(community: community, seed: seed).simulate(from: from, to: to) { readings in
            try publisher.publish(readings)
            days += 1
            bar.update(days)
        }
        try publisher.flush()
        let seconds = clock.now().timeIntervalSince(started)
        bar.finish(
            "published \(publisher.confirmed) readings of \(community.id) to \(uri) (\(Int(Double(publisher.confirmed) / max(seconds, 0.001))) readings/s, "
                + "\(publisher.republished) published again)")
    }

    /// Each quarter hour's readings when it ends on a simulated clock that starts at `from`
    /// (or now) and runs `speed` times faster than the wall clock; until `to`, or forever.
    /// With a `resumeFile`, the next quarter hour to publish is recorded there after each
    /// confirmed one, and a restart goes on from it: quarter hours missed while it was down are
    /// published at once, so there is no gap.
    func realtime(from: LocalDate?, to: LocalDate?, speed: Double, resumeFile: String?) throws {
        let publisher = try publisher()
        let wallStart = clock.now().timeIntervalSince1970
        var simulatedStart = from.map { Double(community.calendar.startOfDay($0)) } ?? wallStart
        let end = to.map { QuarterHour(index: community.calendar.startOfDay($0) / QuarterHour.seconds) }
        var quarterHour = QuarterHour(containing: Int64(simulatedStart))
        if let resumeFile, let resumed = try Self.readResume(resumeFile) {
            quarterHour = resumed
            // A demo clock (--from) goes on where it stopped; the real clock catches up at once.
            simulatedStart = max(simulatedStart, Double(resumed.startSeconds))
        }
        var day: (date: LocalDate, byQuarterHour: [QuarterHour: [Reading]])?
        logger.info("publishing \(community.id) in real time\(speed == 1 ? "" : " x\(speed)") from \(quarterHour) to \(uri)")
        while end.map({ quarterHour < $0 }) ?? true {
            // Wait until the simulated clock reaches the end of this quarter hour.
            let due = wallStart + (Double(quarterHour.next.startSeconds) - simulatedStart) / speed
            // Idle until then, but awake every second for the connection's heartbeats: a flow a load
            // balancer would drop after minutes of silence stays alive (or is found dead and made anew).
            while case let wait = due - clock.now().timeIntervalSince1970, wait > 0 {
                Thread.sleep(forTimeInterval: min(wait, 1))
                publisher.keepAlive()
            }
            let date = community.calendar.localDate(containing: quarterHour.startSeconds)
            if day?.date != date {
                var grouped: [QuarterHour: [Reading]] = [:]
                CommunitySimulator(community: community, seed: seed).simulate(from: date, to: date.adding(days: 1)) { readings in
                    for reading in readings { grouped[reading.start, default: []].append(reading) }
                }
                day = (date, grouped)
            }
            let readings = day?.byQuarterHour[quarterHour] ?? []
            try publisher.publish(readings)
            try publisher.flush()
            logger.info("\(quarterHour): \(readings.count) readings confirmed")
            quarterHour = quarterHour.next
            if let resumeFile {
                try Data((quarterHour.description + "\n").utf8).write(to: URL(fileURLWithPath: resumeFile), options: .atomic)
            }
        }
    }

    /// The quarter hour recorded in a resume file, nil if there is none yet.
    private static func readResume(_ path: String) throws -> QuarterHour? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            return try QuarterHour(startSeconds: try UTCTimestamp.parse(text))
        } catch {
            throw CLIError("resume file \(path) holds '\(text)', not the start of a quarter hour (\(error)); delete it to start afresh")
        }
    }
}
