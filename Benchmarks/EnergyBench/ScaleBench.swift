import EnergyCore
import EnergySimulator
import Foundation

#if canImport(Glibc)
import Glibc
#endif

// How the month job grows with the community: a month of 1,000, 4,000 and 10,000 metering points
// (import, rollup, bill preview: time, peak memory, store size), each compared with the 1,000-point
// run of the same `make bench`; and a year of 1,000 points imported and backfilled by one worker
// and by two workers on disjoint halves of the year at once (the rollup leases per day range).

/// A community of about `points` metering points (three of four members consume only), as the
/// main benchmark makes it.
func scaleCommunity(points: Int, seed: UInt64) -> Community {
    var members = points * 3 / 4
    var community = DemoCommunity.make(members: members, seed: seed, id: "eeg-scale-\(points)")
    while community.meteringPoints.count < points {
        members += 1
        community = DemoCommunity.make(members: members, seed: seed, id: "eeg-scale-\(points)")
    }
    return community
}

/// The community file of `community` with the demo's time-of-use tariff, so it can be billed.
func scaleCommunityFile(_ community: Community) -> String {
    CommunityFile.render(community) + """

        tariffs:
          consumption: 0.12
          generation: 0.08
          memberFee: {amount: 2.50, per: month}
          vat: {consumption: 20, generation: 0, memberFee: 20}
          timeOfUse:
            - {name: midday, from: "10:00", to: "16:00", consumption: 0.10, generation: 0.07}
            - {name: standard, from: "16:00", to: "10:00"}

        """
}

/// Bytes of a SQLite store: the file and its WAL.
func storeBytes(_ path: String) -> Int {
    ["", "-wal"].reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: path + $1)[.size] as? Int) ?? 0) }
}

/// Runs several `energy` processes at once; the wall time until the last ends and the largest peak.
func measureTogether(_ executable: String, _ runs: [[String]]) -> Measurement {
    let start = Date()
    let pids = runs.map { spawn(executable, $0, silencing: [1]) }
    var peak = 0.0
    var cpu = 0.0
    for (pid, arguments) in zip(pids, runs) {
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        guard status == 0 else { fatalError("\(executable) \(arguments.joined(separator: " ")) failed with status \(status)") }
        peak = max(peak, Double(usage.ru_maxrss) / 1024)
        cpu += Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
    }
    return Measurement(seconds: Date().timeIntervalSince(start), peakMegabytes: peak, cpuSeconds: cpu)
}

struct ScaleRow {
    var points: Int
    var members: Int
    var readings: Int
    var importRun: Measurement
    var rollup: Measurement
    var bill: Measurement
    var storeMegabytes: Double
    var seconds: Double { importRun.seconds + rollup.seconds + bill.seconds }
    var peak: Double { max(importRun.peakMegabytes, rollup.peakMegabytes, bill.peakMegabytes) }
}

/// A fresh work folder `name` with the community file of about `points` points (billable).
func scaleFolder(_ o: Options, _ name: String, points: Int, seed: UInt64) throws -> (String, Community, String) {
    let dir = o.work + "/" + name
    try? FileManager.default.removeItem(atPath: dir)
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let community = scaleCommunity(points: points, seed: seed)
    let path = dir + "/community.yaml"
    try scaleCommunityFile(community).write(toFile: path, atomically: true, encoding: .utf8)
    return (dir, community, path)
}

/// One month of a community of `points` metering points, from an empty store.
func scaleMonth(_ o: Options, points: Int) throws -> ScaleRow {
    let (dir, community, path) = try scaleFolder(o, "scale-\(points)", points: points, seed: 5)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let fm = FileManager.default
    let month = try LocalMonth(o.month)
    let from = month.firstDay.description
    let to = month.firstDay.adding(days: month.dayCount).description
    let csv = dir + "/readings.csv"
    _ = measure(o.energy, ["simulate", "--community", path, "--from", from, "--to", to, "--out", csv])
    let store = dir + "/energy.sqlite"
    let importRun = measure(o.energy, ["import", "--community", path, "--store", "sqlite:" + store, csv])
    try? fm.removeItem(atPath: csv)
    let rollup = measure(o.energy, ["rollup", "--community", path, "--store", "sqlite:" + store, "--from", from, "--to", to])
    let bill = measure(
        o.energy,
        [
            "bill", "--community", path, "--store", "sqlite:" + store, "--period", o.month, "--preview", "--format", "xlsx,csv",
            "--out", dir + "/statements",
        ])
    let row = ScaleRow(
        points: community.meteringPoints.count, members: community.members.count,
        readings: community.calendar.quarterHours(of: month).count * community.meteringPoints.count, importRun: importRun,
        rollup: rollup, bill: bill, storeMegabytes: Double(storeBytes(store)) / 1_048_576)
    print(
        String(
            format: "scale %d points: import %.2f s (%.0f MB), rollup %.2f s (%.0f MB), bill %.2f s (%.0f MB), store %.0f MB", row.points,
            importRun.seconds, importRun.peakMegabytes, rollup.seconds, rollup.peakMegabytes, bill.seconds, bill.peakMegabytes,
            row.storeMegabytes))
    return row
}

/// A year's backfill: imported once, then rolled up by one worker and by two at once.
struct YearFigures {
    var points: Int
    var readings: Int
    var importRun: Measurement
    var store: Double
    /// One worker on the whole year, two on its halves at once: wall seconds (best of two).
    var one: Double
    var oneCPU: Double
    var two: Double
    /// The same with each worker held to one core of its own (`taskset`), as pods with a CPU
    /// limit each would run; nil where there are fewer than two cores or no `taskset`.
    var pinnedOne: Double?
    var pinnedTwo: Double?
}

/// A year of 1,000 points: imported, then backfilled by one worker and by two at once.
func scaleYear(_ o: Options, points: Int) throws -> YearFigures {
    let (dir, community, path) = try scaleFolder(o, "scale-year", points: points, seed: 6)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let fm = FileManager.default
    let year = (Int(o.month.prefix(4)) ?? 2026) - 1
    let (from, half, to) = ("\(year)-01-01", "\(year)-07-01", "\(year + 1)-01-01")
    let csv = dir + "/readings.csv"
    _ = measure(o.energy, ["simulate", "--community", path, "--from", from, "--to", to, "--out", csv])
    let store = "sqlite:" + dir + "/energy.sqlite"
    let importRun = measure(o.energy, ["import", "--community", path, "--store", store, csv])
    try? fm.removeItem(atPath: csv)
    func rollup(_ a: String, _ b: String) -> [String] {
        ["rollup", "--community", path, "--store", store, "--only-range", "--from", a, "--to", b]
    }
    let taskset = "/usr/bin/taskset"
    let canPin = ProcessInfo.processInfo.activeProcessorCount >= 2 && fm.isExecutableFile(atPath: taskset)
    func pinned(_ core: Int, _ a: String, _ b: String) -> [String] { ["-c", String(core), o.energy] + rollup(a, b) }
    // Alternated, twice each: the first run also warms the page cache for the others.
    var one: [Double] = []
    var oneCPU: [Double] = []
    var two: [Double] = []
    var pinnedOne: [Double] = []
    var pinnedTwo: [Double] = []
    for _ in 0..<2 {
        let single = measure(o.energy, rollup(from, to))
        one.append(single.seconds)
        oneCPU.append(single.cpuSeconds)
        two.append(measureTogether(o.energy, [rollup(from, half), rollup(half, to)]).seconds)
        if canPin {
            pinnedOne.append(measure(taskset, pinned(0, from, to)).seconds)
            pinnedTwo.append(measureTogether(taskset, [pinned(0, from, half), pinned(1, half, to)]).seconds)
        }
    }
    let readings = (try LocalDate(to).daysSinceEpoch - LocalDate(from).daysSinceEpoch) * 96 * community.meteringPoints.count
    print(
        String(
            format: "scale year: import %.2f s, backfill 1 worker %.2f s, 2 workers %.2f s; a core each: %.2f s, %.2f s",
            importRun.seconds, one.min() ?? 0, two.min() ?? 0, pinnedOne.min() ?? 0, pinnedTwo.min() ?? 0))
    return YearFigures(
        points: community.meteringPoints.count, readings: readings, importRun: importRun,
        store: Double(storeBytes(dir + "/energy.sqlite")) / 1_048_576, one: one.min() ?? 0, oneCPU: oneCPU.min() ?? 0,
        two: two.min() ?? 0, pinnedOne: pinnedOne.min(), pinnedTwo: pinnedTwo.min())
}

func scaleSection(_ o: Options) throws -> String {
    let rows = try o.scalePoints.map { try scaleMonth(o, points: $0) }
    let year = try scaleYear(o, points: o.scalePoints.first ?? 1000)
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard let base = rows.first else { return "" }
    let pinnedRow: String
    if let pinnedOne = year.pinnedOne, let pinnedTwo = year.pinnedTwo {
        let ratio = pinnedTwo / pinnedOne
        pinnedRow = """
            | the same, each worker on one core of its own (`taskset -c 0`, `-c 1`) | \(f(pinnedTwo)) s | 1 worker on one core: \(f(pinnedOne)) s | \(f(ratio)) x | ≤ 0.65 x: \(verdict(ratio <= 0.65)) |

            """
    } else {
        pinnedRow = "\n"
    }
    var table = """

        ## Scale

        Measured by `make bench` on \(UTCTimestamp.format(Int64(Date().timeIntervalSince1970))), \(cores) cores, release build, \
        embedded SQLite store. A month (\(o.month)) of communities of growing size, each from an empty store: import of the \
        month's canonical CSV, rollup of the month, and the monthly statements as a preview (XLSX and CSV for every member). \
        Each row is compared with the \(base.points)-point row of the same run: time per point relative to it ("linearity": 1.00 \
        is exactly linear) and peak memory relative to it.

        | points (members) | readings | import | rollup | bill preview | total | peak memory | store | time per point vs \(base.points) | memory vs \(base.points) |
        |---|---|---|---|---|---|---|---|---|---|

        """
    for row in rows {
        let linearity = (row.seconds / Double(row.points)) / (base.seconds / Double(base.points))
        table += """
            | \(row.points) (\(row.members)) | \(row.readings) | \(f(row.importRun.seconds)) s, \(f(row.importRun.peakMegabytes, 0)) MB \
            | \(f(row.rollup.seconds)) s, \(f(row.rollup.peakMegabytes, 0)) MB | \(f(row.bill.seconds)) s, \(f(row.bill.peakMegabytes, 0)) MB \
            | \(f(row.seconds)) s | \(f(row.peak, 0)) MB | \(f(row.storeMegabytes, 0)) MB | \(f(linearity)) x | \(f(row.peak / base.peak)) x |

            """
    }
    let worst = rows.dropFirst().map { ($0.seconds / Double($0.points)) / (base.seconds / Double(base.points)) }.max() ?? 1
    let memory = (rows.last?.peak ?? base.peak) / base.peak
    let speedup = year.two / year.one
    table += """

        Goals: time at most 1.1 x linear in the points (\(f(worst)) x at worst: \(verdict(worst <= 1.1))); peak memory at most \
        1.5 x from \(base.points) to \(rows.last?.points ?? base.points) points (\(f(memory)) x: \(verdict(memory <= 1.5))).

        | a year of \(year.points) points (\(year.readings) readings, store \(f(year.store, 0)) MB) | figure | baseline (same run) | ratio | target |
        |---|---|---|---|---|
        | import of the year's CSV into an empty store | \(f(Double(year.readings) / year.importRun.seconds, 0)) rows/s (\(f(year.importRun.seconds)) s, peak \(f(year.importRun.peakMegabytes, 0)) MB) | | | |
        | backfill rollup of the year, 2 workers on disjoint halves at once | \(f(year.two)) s | 1 worker, the whole year: \(f(year.one)) s (CPU \(f(year.oneCPU)) s) | \(f(speedup)) x | ≤ 0.65 x: \(verdict(speedup <= 0.65)) |
        \(pinnedRow)
        One worker already keeps \(f(year.oneCPU / year.one)) of the \(cores) cores busy (it reads the next day on a second thread \
        while it allocates), so on this machine no number of workers can take less than its CPU time spread over \
        all cores: \(f(year.oneCPU / Double(cores))) s, \(f(year.oneCPU / Double(cores) / year.one)) x the one worker's time. \
        Workers gain where each gets cores of its own, as the backfill's pods on a cluster do: the second row holds \
        each worker to one core of its own (`taskset`), the same for one worker and for each of two.

        Reproduce: `make bench`, or this section alone: `.build/release/EnergyBench --energy .build/release/energy --scale-only` \
        (`--scale-points 1000,4000,10000`).

        """
    return table
}
