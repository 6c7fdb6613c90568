import EnergyCore
import EnergyMessaging
import EnergySimulator
import Foundation

/// `energy simulate --amqp`: simulated readings onto the broker, as a backfill or in (scaled) real time.
struct LivePublishing {
    let uri: AMQPURI
    let community: Community
    let seed: UInt64

    private func publisher() throws -> ReadingPublisher {
        let publisher = ReadingPublisher(amqp: uri, community: community.id)
        // Fail at once on a wrong URI or credentials; later outages are waited out.
        try publisher.connect()
        return publisher
    }

    /// Every reading of local days `from..<to`, as fast as the broker confirms.
    func backfill(from: LocalDate, to: LocalDate) throws {
        let publisher = try publisher()
        let started = Date()
        var bar = ProgressBar("publishing", total: to.daysSinceEpoch - from.daysSinceEpoch)
        var days = 0
        try CommunitySimulator(community: community, seed: seed).simulate(from: from, to: to) { readings in
            try publisher.publish(readings)
            days += 1
            bar.update(days)
        }
        try publisher.flush()
        let seconds = Date().timeIntervalSince(started)
        bar.finish("published \(publisher.confirmed) readings of \(community.id) to \(uri) (\(Int(Double(publisher.confirmed) / max(seconds, 0.001))) readings/s, "
                   + "\(publisher.republished) published again)")
    }

    /// Each quarter hour's readings when it ends on a simulated clock that starts at `from`
    /// (or now) and runs `speed` times faster than the wall clock; until `to`, or forever.
    func realtime(from: LocalDate?, to: LocalDate?, speed: Double) throws {
        let publisher = try publisher()
        let wallStart = Date().timeIntervalSince1970
        let simulatedStart = from.map { Double(community.calendar.startOfDay($0)) } ?? wallStart
        let end = to.map { QuarterHour(index: community.calendar.startOfDay($0) / QuarterHour.seconds) }
        var quarterHour = QuarterHour(containing: Int64(simulatedStart))
        var day: (date: LocalDate, byQuarterHour: [QuarterHour: [Reading]])?
        printError("publishing \(community.id) in real time\(speed == 1 ? "" : " x\(speed)") from \(quarterHour) to \(uri)")
        while end.map({ quarterHour < $0 }) ?? true {
            // Wait until the simulated clock reaches the end of this quarter hour.
            let due = wallStart + (Double(quarterHour.next.startSeconds) - simulatedStart) / speed
            let wait = due - Date().timeIntervalSince1970
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
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
            printError("\(quarterHour): \(readings.count) readings confirmed")
            quarterHour = quarterHour.next
        }
    }
}
