// energy's benchmarks: `make bench`. Runs the release `energy` binary on a generated community of
// about 1,000 metering points x 31 days, and compares each figure with a baseline measured in the
// same run (the machines are shared and noisy, so ratios say more than seconds).
import EnergyBilling
import EnergyCore
import EnergyIngest
import EnergySimulator
import EnergyStore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var mongodb: String?
    var mongoPoints = 200
    var mongoDays = 7
    var energy = ".build/release/energy"
    var out = "BENCHMARKS.md"
    var points = 1000
    var month = "2026-10"
    var repeats = 3
    var work = NSTemporaryDirectory() + "energy-bench"
    /// The live path: a broker vhost to publish to and consume from.
    var amqp: String?
    var livePoints = 200
    var liveDays = 7
    /// Measure only the live path and replace its section in `out`, keeping the other figures.
    var liveOnly = false
    /// The HTTP API: metering points of its community, and whether to measure only it.
    var apiPoints = 200
    var apiOnly = false
    /// Another `energy` binary to measure first in the same API run (the figures before a change).
    var apiBaseline: String?
    /// Measure only the MongoDB section (with --mongodb) and replace it in `out`.
    var mongoOnly = false
    /// Measure only the grid-operator files (EDA) and replace their section in `out`.
    var edaOnly = false
    var billingOnly = false
    /// Measure only the first table's import, rollup and whole-job figures (no statements, EDA,
    /// billing, MongoDB, live path or API) and replace them in `out`, keeping the statements row.
    var importOnly = false
    /// A Python with the duckdb module, for the DuckDB baseline (skipped without it).
    var duckdbPython = ".venv/bin/python"
    /// The scale table: community sizes of its months, and whether to measure only it.
    var scalePoints = [1000, 4000, 10000]
    var scaleOnly = false
}

/// `text` with the section under `heading` (up to the next `## `) replaced by `section`, or with
/// `section` appended: a partial run updates its own figures and keeps the others.
func replacingSection(_ heading: String, in text: String, with section: String) -> String {
    let body = section.hasPrefix("\n") ? String(section.dropFirst()) : section
    guard let start = text.range(of: heading) else { return text + (text.hasSuffix("\n\n") ? "" : "\n") + body }
    let rest = text[start.upperBound...]
    let end = rest.range(of: "\n## ").map { text.index(after: $0.lowerBound) } ?? text.endIndex
    return String(text[..<start.lowerBound]) + body + (end == text.endIndex ? "" : "\n" + text[end...])
}

func parseOptions() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst()
    while let flag = args.popFirst() {
        let value = args.popFirst() ?? ""
        switch flag {
        case "--energy": o.energy = value
        case "--out": o.out = value
        case "--points": o.points = Int(value) ?? o.points
        case "--month": o.month = value
        case "--repeats": o.repeats = Int(value) ?? o.repeats
        case "--work": o.work = value
        case "--mongodb": o.mongodb = value
        case "--mongo-points": o.mongoPoints = Int(value) ?? o.mongoPoints
        case "--mongo-days": o.mongoDays = Int(value) ?? o.mongoDays
        case "--amqp": o.amqp = value
        case "--live-points": o.livePoints = Int(value) ?? o.livePoints
        case "--live-days": o.liveDays = Int(value) ?? o.liveDays
        case "--api-points": o.apiPoints = Int(value) ?? o.apiPoints
        case "--api-baseline": o.apiBaseline = value
        case "--mongo-only":
            o.mongoOnly = true
            if !value.isEmpty { args.insert(value, at: args.startIndex) }
        case "--api-only":
            o.apiOnly = true
            if !value.isEmpty { args.insert(value, at: args.startIndex) }
        case "--live-only":
            o.liveOnly = true
            if !value.isEmpty { args.insert(value, at: args.startIndex) }
        case "--eda-only":
            o.edaOnly = true
            if !value.isEmpty { args.insert(value, at: args.startIndex) }
        case "--duckdb-python": o.duckdbPython = value
        case "--import-only":
            o.importOnly = true
            if !value.isEmpty { args.insert(value, at: args.startIndex) }
        case "--billing-only":
            o.billingOnly = true
            if !value.isEmpty { args.insert(value, at: args.startIndex) }
        case "--scale-only":
            o.scaleOnly = true
            if !value.isEmpty { args.insert(value, at: args.startIndex) }
        case "--scale-points": o.scalePoints = value.split(separator: ",").compactMap { Int($0) }
        default:
            FileHandle.standardError.write(Data("unknown option \(flag)\n".utf8))
            exit(64)
        }
    }
    return o
}

/// Wall time and peak resident memory of one child process.
struct Measurement {
    var seconds: Double
    var peakMegabytes: Double
    /// User + system CPU time: what the work costs, whatever else the machine runs meanwhile.
    var cpuSeconds: Double = 0
}

/// Starts `executable` as a child process with the file descriptors `silenced` (1, 2) sent to /dev/null.
func spawn(_ executable: String, _ arguments: [String], silencing silenced: [Int32]) -> pid_t {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    for fd in silenced { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0) }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    posix_spawn_file_actions_destroy(&actions)
    guard rc == 0 else { fatalError("cannot start \(executable): \(String(cString: strerror(rc)))") }
    return pid
}

func measure(_ executable: String, _ arguments: [String], quiet: Bool = true) -> Measurement {
    let start = Date()
    let pid = spawn(executable, arguments, silencing: quiet ? [1] : [])
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let seconds = Date().timeIntervalSince(start)
    guard status == 0 else { fatalError("\(executable) \(arguments.joined(separator: " ")) failed with status \(status)") }
    let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
    return Measurement(seconds: seconds, peakMegabytes: Double(usage.ru_maxrss) / 1024, cpuSeconds: cpu)
}

/// Runs the commands at once; the wall time until the last one ended.
func measureTogether(_ executable: String, _ runs: [[String]]) -> Double {
    let start = Date()
    let pids = runs.map { spawn(executable, $0, silencing: [1]) }
    for (pid, arguments) in zip(pids, runs) {
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        guard status == 0 else { fatalError("\(executable) \(arguments.joined(separator: " ")) failed with status \(status)") }
    }
    return Date().timeIntervalSince(start)
}

func median(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.sorted()[values.count / 2] }

// Child modes: the baselines, run as their own processes so their memory is their own.
if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "scan" {
    // Bare scan: read every reading of the month through the same SQLite code the rollup uses.
    let community = try CommunityFile.parse(String(contentsOfFile: CommandLine.arguments[2], encoding: .utf8), source: "bench")
    let store = try StoreLocation.parse(CommandLine.arguments[3]).open()
    let month = try LocalMonth(CommandLine.arguments[4])
    let days = CommandLine.arguments.count > 5 ? Int(CommandLine.arguments[5]) ?? month.dayCount : month.dayCount
    var sum: Int64 = 0
    var count = 0
    var day = month.firstDay
    while day < month.firstDay.adding(days: days) {
        count += try store.scanReadings(community: community.id, points: community.pointKeys, in: community.calendar.quarterHours(of: day))
        { _, _, mwh in sum &+= mwh }
        day = day.adding(days: 1)
    }
    print(count, sum)
    exit(0)
}
if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "parse" {
    // Parse-only: read and validate the CSV with the import's parser, store nothing.
    let community = try CommunityFile.parse(String(contentsOfFile: CommandLine.arguments[2], encoding: .utf8), source: "bench")
    guard let handle = FileHandle(forReadingAtPath: CommandLine.arguments[3]) else { exit(1) }
    var parser = ReadingCSVParser(community: community)
    var rows = 0
    var sum: Int64 = 0
    while true {
        let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
        chunk.withUnsafeBytes { raw in
            parser.feed(
                raw.bindMemory(to: UInt8.self), isLast: chunk.isEmpty,
                accept: {
                    rows += 1
                    sum &+= $0.milliwattHours
                }, reject: { _ in })
        }
        if chunk.isEmpty { break }
    }
    print(rows, sum)
    exit(0)
}

if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "eda-parse" {
    try edaParseChild(CommandLine.arguments)
}

if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "mongo-insert" {
    // Bare bulk insert: the same reading documents, no comparison, no dirty marks.
    let community = try CommunityFile.parse(String(contentsOfFile: CommandLine.arguments[2], encoding: .utf8), source: "bench")
    let store = try MongoStore(uri: CommandLine.arguments[3])
    guard let handle = FileHandle(forReadingAtPath: CommandLine.arguments[4]) else { exit(1) }
    var parser = ReadingCSVParser(community: community)
    var batch: [Reading] = []
    while true {
        let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
        chunk.withUnsafeBytes { raw in
            parser.feed(raw.bindMemory(to: UInt8.self), isLast: chunk.isEmpty, accept: { batch.append($0) }, reject: { _ in })
        }
        if batch.count >= 50_000 || chunk.isEmpty {
            try store.insertReadingsWithoutChecks(batch, community: community, into: "bare_readings")
            batch.removeAll(keepingCapacity: true)
        }
        if chunk.isEmpty { break }
    }
    exit(0)
}

if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "figures" {
    // Statement figures only: everything `energy bill` computes for every member, no files.
    let community = try CommunityFile.parse(String(contentsOfFile: CommandLine.arguments[2], encoding: .utf8), source: "bench")
    let store = try StoreLocation.parse(CommandLine.arguments[3]).open()
    guard let tariff = community.tariff else { exit(1) }
    let figures = try BillingFigures(
        store: store, community: community, tariff: tariff, period: try BillingPeriod(CommandLine.arguments[4]))
    print(figures.statements.count, figures.statements.reduce(Money.zero) { $0 + $1.total }, figures.reconciliation.balanced)
    exit(figures.reconciliation.balanced ? 0 : 1)
}

let o = parseOptions()
let fm = FileManager.default
try? fm.removeItem(atPath: o.work)
try fm.createDirectory(atPath: o.work, withIntermediateDirectories: true)
if o.liveOnly {
    guard let amqp = o.amqp else { fatalError("--live-only needs --amqp URI") }
    let section = try liveSection(o, uri: amqp)
    let old = (try? String(contentsOfFile: o.out, encoding: .utf8)) ?? "# Benchmarks\n\n"
    try replacingSection("## Live path (RabbitMQ)", in: old, with: section).write(toFile: o.out, atomically: true, encoding: .utf8)
    print(section)
    exit(0)
}
if o.mongoOnly, let mongodb = o.mongodb {
    try fm.createDirectory(atPath: o.work, withIntermediateDirectories: true)
    let section = try mongoSection(o, uri: mongodb, selfPath: URL(fileURLWithPath: CommandLine.arguments[0]).path)
    let old = (try? String(contentsOfFile: o.out, encoding: .utf8)) ?? "# Benchmarks\n\n"
    try replacingSection("## MongoDB backend", in: old, with: section).write(toFile: o.out, atomically: true, encoding: .utf8)
    print(section)
    exit(0)
}

if o.edaOnly {
    let section = try edaSection(o, selfPath: URL(fileURLWithPath: CommandLine.arguments[0]).path)
    let old = (try? String(contentsOfFile: o.out, encoding: .utf8)) ?? "# Benchmarks\n\n"
    try replacingSection("## Grid-operator files (EDA)", in: old, with: section).write(toFile: o.out, atomically: true, encoding: .utf8)
    print(section)
    exit(0)
}

if o.scaleOnly {
    let section = try scaleSection(o)
    let old = (try? String(contentsOfFile: o.out, encoding: .utf8)) ?? "# Benchmarks\n\n"
    try replacingSection("## Scale", in: old, with: section).write(toFile: o.out, atomically: true, encoding: .utf8)
    print(section)
    exit(0)
}

if o.billingOnly {
    let section = try billingSection(o, selfPath: URL(fileURLWithPath: CommandLine.arguments[0]).path)
    let old = (try? String(contentsOfFile: o.out, encoding: .utf8)) ?? "# Benchmarks\n\n"
    try replacingSection("## Billing for the treasurer", in: old, with: section).write(toFile: o.out, atomically: true, encoding: .utf8)
    print(section)
    exit(0)
}

if o.apiOnly {
    try fm.createDirectory(atPath: o.work, withIntermediateDirectories: true)
    let section = try apiSection(o)
    let old = (try? String(contentsOfFile: o.out, encoding: .utf8)) ?? "# Benchmarks\n\n"
    try replacingSection("## HTTP API", in: old, with: section).write(toFile: o.out, atomically: true, encoding: .utf8)
    print(section)
    exit(0)
}

let month = try LocalMonth(o.month)
let communityPath = o.work + "/community.yaml"
let csvPath = o.work + "/readings.csv"
let selfPath = URL(fileURLWithPath: CommandLine.arguments[0]).path

// A community of about `points` metering points.
var members = o.points * 3 / 4
var community = DemoCommunity.make(members: members, seed: 1)
while community.meteringPoints.count < o.points {
    members += 1
    community = DemoCommunity.make(members: members, seed: 1)
}
try CommunityFile.render(community).write(toFile: communityPath, atomically: true, encoding: .utf8)
let points = community.meteringPoints.count
let from = month.firstDay.description
let to = month.next.firstDay.description
print("community: \(members) members, \(points) metering points, \(month)")

let simulate = measure(o.energy, ["simulate", "--community", communityPath, "--from", from, "--to", to, "--out", csvPath])
let rows = community.calendar.quarterHours(of: month).count * points
let csvBytes = (try? fm.attributesOfItem(atPath: csvPath)[.size] as? Int) ?? 0
print(String(format: "simulate: %d rows in %.2f s", rows, simulate.seconds))

var parseTimes: [Double] = []
for _ in 0..<o.repeats { parseTimes.append(measure(selfPath, ["parse", communityPath, csvPath]).seconds) }
// Other work on the machine shows in the wall times (not in the CPU times): say how busy it was.
let loadAverage = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
let job = try jobRounds(o, community: community, communityPath: communityPath, csvPath: csvPath)
let importSeconds = median(job.imports.map(\.seconds))
let importPeak = job.imports.map(\.peakMegabytes).max() ?? 0
let importCPU = median(job.imports.map(\.cpuSeconds))
let reimportSeconds = median(job.reimports.map(\.seconds))
let jobSeconds = median(job.jobs)
let duckdbSeconds = job.duckdb.isEmpty ? nil : median(job.duckdb)
print(
    String(
        format: "import: %.2f s (%.0f rows/s), parse only %.2f s, import again %.2f s, whole job %.2f s", importSeconds,
        Double(rows) / importSeconds, median(parseTimes), reimportSeconds, jobSeconds))
let db = job.store

var scans: [Measurement] = []
var rollups: [Measurement] = []
for i in 0..<o.repeats {
    scans.append(measure(selfPath, ["scan", communityPath, db, o.month]))
    rollups.append(measure(o.energy, ["rollup", "--community", communityPath, "--store", db, "--from", from, "--to", to]))
    print(
        String(
            format: "round %d: scan %.2f s, rollup %.2f s (%.0f MB)", i + 1, scans[i].seconds, rollups[i].seconds, rollups[i].peakMegabytes)
    )
}
// The same month by two rollup workers at once on disjoint halves (the backfill's way), against
// one worker on the whole month (--only-range both, so both compute the same days), in the same rounds.
let middle = month.firstDay.adding(days: month.dayCount / 2).description
var oneWorker: [Double] = []
var twoWorkers: [Double] = []
for i in 0..<o.repeats {
    let rollup = ["rollup", "--community", communityPath, "--store", db, "--only-range"]
    oneWorker.append(measureTogether(o.energy, [rollup + ["--from", from, "--to", to]]))
    twoWorkers.append(
        measureTogether(o.energy, [rollup + ["--from", from, "--to", middle], rollup + ["--from", middle, "--to", to]]))
    print(String(format: "round %d: one worker %.2f s, two workers %.2f s", i + 1, oneWorker[i], twoWorkers[i]))
}
// Monthly statements of 1,000 members (XLSX with chart + CSV) against computing the same figures.
// `energy demo` makes the community (with its time-of-use tariff), its month and the rollups.
let billingMembers = 1000
let billingDir = o.work + "/billing"
let billingCommunity = billingDir + "/community.yaml"
let billingDB = "sqlite:" + billingDir + "/energy.sqlite"
var figureRuns: [Measurement] = []
var bills: [Measurement] = []
let statementsDir = o.work + "/statements"
if !o.importOnly {
    _ = measure(o.energy, ["demo", billingDir, "--members", String(billingMembers), "--month", o.month, "--seed", "1"])
}
for i in 0..<(o.importOnly ? 0 : o.repeats) {
    figureRuns.append(measure(selfPath, ["figures", billingCommunity, billingDB, o.month]))
    try? fm.removeItem(atPath: statementsDir)
    bills.append(
        measure(
            o.energy,
            [
                "bill", "--community", billingCommunity, "--store", billingDB, "--period", o.month, "--preview",
                "--format", "xlsx,csv", "--out", statementsDir,
            ]))
    print(
        String(
            format: "round %d: statement figures %.2f s, statements %.2f s (CPU %.2f s, %.0f MB)", i + 1, figureRuns[i].seconds,
            bills[i].seconds, bills[i].cpuSeconds, bills[i].peakMegabytes))
}
let statementFiles = (try? fm.contentsOfDirectory(atPath: statementsDir)) ?? []
let statementBytes = statementFiles.reduce(0) { $0 + ((try? fm.attributesOfItem(atPath: statementsDir + "/" + $1)[.size] as? Int) ?? 0) }
let xlsxCount = statementFiles.filter { $0.hasSuffix(".xlsx") }.count
let billTime = median(bills.map(\.seconds))
let billCPU = median(bills.map(\.cpuSeconds))
let billPeak = bills.map(\.peakMegabytes).max() ?? 0
let figuresTime = median(figureRuns.map(\.seconds))

let scan = median(scans.map(\.seconds))
let rollup = median(rollups.map(\.seconds))
let rollupPeak = rollups.map(\.peakMegabytes).max() ?? 0
let cores = ProcessInfo.processInfo.activeProcessorCount

func f(_ v: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }
func verdict(_ ok: Bool) -> String { ok ? "met" : "**missed**" }
let importRate = Double(rows) / importSeconds
let reimportRate = Double(rows) / reimportSeconds
// The whole job against DuckDB's, and whether DuckDB's totals are ours to the mWh.
let jobRow: String
if let duckdbSeconds {
    let exact = job.duckdbExact == true ? "its totals equal ours to the mWh" : "**its totals differ from ours**"
    jobRow = """
        | the whole job: import into an empty store + rollup + day report + month report of every point | \(f(jobSeconds)) s \
        (CPU \(f(median(job.jobCPU))) s) | DuckDB in memory (`scripts/bench-duckdb.py`: the same CSV read, every quarter hour \
        allocated, each point's month totals; \(exact)): \(f(duckdbSeconds)) s (CPU \(f(median(job.duckdbCPU))) s) | \(f(jobSeconds / duckdbSeconds)) x | ≤ 1.5 x: \(verdict(jobSeconds / duckdbSeconds <= 1.5 && job.duckdbExact == true)) |
        """
} else {
    jobRow =
        "| the whole job: import into an empty store + rollup + day report + month report of every point | \(f(jobSeconds)) s | DuckDB: not measured (no `duckdb` module for \(o.duckdbPython)) | | ≤ 1.5 x |"
}
// A partial run keeps the statements row it did not measure.
let oldStatementsRow =
    ((try? String(contentsOfFile: o.out, encoding: .utf8)) ?? "").split(separator: "\n")
    .first { $0.hasPrefix("|") && $0.contains("monthly statements of") }
    .map {
        $0.contains("(an earlier full run)")
            ? String($0) : $0.replacingOccurrences(of: "| monthly statements", with: "| (an earlier full run) monthly statements")
    }
    ?? "| monthly statements | not measured | | | |"
let ratio = rollup / scan
var md = """
    # Benchmarks

    Measured by `make bench` (release build) on \(UTCTimestamp.format(Int64(Date().timeIntervalSince1970))), \
    \(cores) cores. Data: a simulated community of \(points) metering points (\(members) members) for \(month), \
    \(rows) readings (\(csvBytes / 1_048_576) MB of canonical CSV), embedded SQLite store. Times are medians of \(o.repeats) runs \
    where repeated; each figure is compared with a baseline measured in the same run, because the machines are shared \
    (load average when the import rounds began: \(loadAverage)).

    | what | figure | baseline (same run) | ratio | target |
    |---|---|---|---|---|
    | rollup of the month (allocation + day/month rollups + allocation records) | \(f(rollup)) s, peak \(f(rollupPeak, 0)) MB | bare scan of the same readings through the same SQLite code: \(f(scan)) s | \(f(ratio)) x | ≤ 1.5 x and < 500 MB: \(verdict(ratio <= 1.5 && rollupPeak < 500)) |
    | rollup of the month by two workers at once on disjoint halves (`--only-range`) | \(f(median(twoWorkers))) s | one worker on the whole month (`--only-range`): \(f(median(oneWorker))) s | \(f(median(oneWorker) / median(twoWorkers))) x (speed-up) | |
    | import of the canonical CSV into an empty store | \(f(importRate, 0)) rows/s (\(f(importSeconds)) s, CPU \(f(importCPU)) s on \(cores) cores, peak \(f(importPeak, 0)) MB) | parse and validate only, no store: \(f(Double(rows) / median(parseTimes), 0)) rows/s | \(f(importSeconds / median(parseTimes))) x the parse time | ≥ 1,000,000 rows/s: \(verdict(importRate >= 1_000_000)) |
    | import of the same file again (all unchanged) | \(f(reimportRate, 0)) rows/s (\(f(reimportSeconds)) s) | | | ≥ 600,000 rows/s: \(verdict(reimportRate >= 600_000)) |
    \(jobRow)
    \(o.importOnly ? oldStatementsRow : "| monthly statements of \(billingMembers) members (preview, time-of-use tariff): \(xlsxCount) XLSX (3 sheets, chart) + \(xlsxCount + 1) CSV, \(statementBytes / 1_048_576) MB | \(f(billTime)) s (CPU \(f(billCPU)) s on \(cores) cores), peak \(f(billPeak, 0)) MB | the same statement figures computed, no files: \(f(figuresTime)) s | \(f(billTime / figuresTime)) x | < 15 s and < 300 MB: \(verdict(billTime < 15 && billPeak < 300)) |")
    | simulate the month to CSV | \(f(Double(rows) / simulate.seconds, 0)) rows/s (\(f(simulate.seconds)) s) | | | |

    The import reads and parses the file on one thread while the other writes (each batch of 50,000 readings one transaction: \
    one range scan for what is stored, the new readings 256 to an INSERT; see docs/stores.md): on an idle machine its wall time \
    is about the busier thread's, on a busy one it approaches the CPU time of both. CPU times do not depend on the load.

    Reproduce: `make bench` (or `.build/release/EnergyBench --energy .build/release/energy --points \(o.points) --month \(o.month)`; \
    this table without the statements: add `--import-only`).

    """
if o.importOnly {
    let old = (try? String(contentsOfFile: o.out, encoding: .utf8)) ?? ""
    // The first section is everything before the first `## `.
    let rest = old.range(of: "\n## ").map { String(old[$0.lowerBound...]) } ?? ""
    try (md + rest).write(toFile: o.out, atomically: true, encoding: .utf8)
    print(md)
    exit(0)
}
md += "\n" + (try edaSection(o, selfPath: selfPath))
md += "\n" + (try billingSection(o, selfPath: selfPath))
if let mongodb = o.mongodb {
    md += try mongoSection(o, uri: mongodb, selfPath: selfPath)
}
if let amqp = o.amqp {
    md += "\n" + (try liveSection(o, uri: amqp))
}
md += "\n" + (try apiSection(o))
md += "\n" + (try scaleSection(o))
try md.write(toFile: o.out, atomically: true, encoding: .utf8)
print(md)

/// The MongoDB figures: import against a bare bulk insert, rollup against a bare scan, on the
/// test server `make bench` starts.
func mongoSection(_ o: Options, uri: String, selfPath: String) throws -> String {
    let month = try LocalMonth(o.month)
    var members = o.mongoPoints * 3 / 4
    var community = DemoCommunity.make(members: members, seed: 2)
    while community.meteringPoints.count < o.mongoPoints {
        members += 1
        community = DemoCommunity.make(members: members, seed: 2)
    }
    let points = community.meteringPoints.count
    let communityPath = o.work + "/mongo-community.yaml"
    try CommunityFile.render(community).write(toFile: communityPath, atomically: true, encoding: .utf8)
    let from = month.firstDay
    let to = month.firstDay.adding(days: o.mongoDays)
    let csv = o.work + "/mongo-readings.csv"
    _ = measure(o.energy, ["simulate", "--community", communityPath, "--from", from.description, "--to", to.description, "--out", csv])
    let rows = community.calendar.quarterHours(from: from, to: to).count * points
    let separator = uri.contains("?") ? "?" : ""
    func database(_ name: String) -> String {
        guard let slash = uri.range(of: "/?") else { return uri + "/" + name }
        return uri.replacingCharacters(in: slash, with: "/\(name)\(separator)")
    }
    let bench = database("energy_bench")
    let bare = database("energy_bench_bare")
    try MongoStore(uri: bench).dropDatabase()
    try MongoStore(uri: bare).dropDatabase()
    print("mongodb: \(points) metering points, \(o.mongoDays) days, \(rows) readings")
    let baseline = measure(selfPath, ["mongo-insert", communityPath, bare, csv])
    let imported = measure(o.energy, ["import", "--community", communityPath, "--store", bench, csv])
    print(
        String(
            format: "mongodb import: %.1f s (%.0f rows/s), bare bulk insert %.1f s", imported.seconds, Double(rows) / imported.seconds,
            baseline.seconds))
    var scans: [Double] = []
    var rollups: [Double] = []
    var peak = 0.0
    for i in 0..<o.repeats {
        scans.append(measure(selfPath, ["scan", communityPath, bench, o.month, String(o.mongoDays)]).seconds)
        let rollup = measure(
            o.energy, ["rollup", "--community", communityPath, "--store", bench, "--from", from.description, "--to", to.description])
        rollups.append(rollup.seconds)
        peak = max(peak, rollup.peakMegabytes)
        print(String(format: "mongodb round %d: scan %.1f s, rollup %.1f s", i + 1, scans[i], rollups[i]))
    }
    try MongoStore(uri: bench).dropDatabase()
    try MongoStore(uri: bare).dropDatabase()
    let scan = median(scans)
    let rollup = median(rollups)
    return """

        ## MongoDB backend

        Against the MongoDB-wire test server SecantusDB (Python; `make bench` starts it on loopback), \
        \(points) metering points for \(o.mongoDays) days of \(month) (\(rows) readings; `--mongo-days 31` for the whole \
        month: the server inserts only ~2,000 indexed documents a second, so a month takes about half an hour to load). \
        The ratios compare work done through the same driver code against the same server in the same run; \
        the seconds are the test server's, not a production MongoDB's.

        | what | figure | baseline (same run) | ratio | target |
        |---|---|---|---|---|
        | rollup (allocation records, day and month rollups, hour rollups as one bucket document per point and day; one transaction per day) | \(f(rollup)) s, peak \(f(peak, 0)) MB | bare scan of the same readings through the same driver code: \(f(scan)) s | \(f(rollup / scan)) x | ≤ 1.5 x: \(verdict(rollup / scan <= 1.5)) |
        | import of the canonical CSV | \(f(Double(rows) / imported.seconds, 0)) rows/s (\(f(imported.seconds)) s) | bare unordered bulk insert of the same documents, same indexes: \(f(Double(rows) / baseline.seconds, 0)) rows/s | \(f(baseline.seconds / imported.seconds)) x its rate | |

        Reproduce: `make bench` (this section alone: `.build/release/EnergyBench --mongo-only --mongodb URI --mongo-points \(o.mongoPoints) --mongo-days \(o.mongoDays)`).

        """
}
