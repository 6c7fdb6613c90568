import EnergyCore
import Foundation

// The whole job on the embedded store against DuckDB in memory, in the same run: `energy import`
// of the month's CSV into an empty store, `energy rollup`, the community's day report and the
// metering points' month report, each as its own process, against `scripts/bench-duckdb.py`
// (read the same CSV, allocate every quarter hour, each point's month totals). The DuckDB totals
// are checked against the month report to the mWh. Each round also imports the file again (all
// unchanged).

/// The figures of `jobRounds`.
struct JobFigures {
    var imports: [Measurement] = []
    var reimports: [Measurement] = []
    var jobs: [Double] = []
    /// CPU seconds (user + system) of the job's processes and of DuckDB's: what the work costs,
    /// whatever else the machine runs meanwhile.
    var jobCPU: [Double] = []
    var duckdb: [Double] = []
    var duckdbCPU: [Double] = []
    /// DuckDB's totals equal the month report's (nil: DuckDB not available).
    var duckdbExact: Bool?
    /// The store of the last round, imported and rolled up.
    var store = ""
}

/// Runs `repeats` rounds, each on a fresh store.
func jobRounds(_ o: Options, community: Community, communityPath: String, csvPath: String) throws -> JobFigures {
    let month = try LocalMonth(o.month)
    let from = month.firstDay.description
    let to = month.next.firstDay.description
    var figures = JobFigures()
    let python = o.duckdbPython
    let hasDuckDB = FileManager.default.isExecutableFile(atPath: python) && measureStatus(python, ["-c", "import duckdb"]) == 0
    let pointsPath = o.work + "/points.csv"
    let duckOut = o.work + "/duckdb-totals.csv"
    let reportOut = o.work + "/meter-month.csv"
    try (["zaehlpunkt,direction,idx"] + community.pointKeys.enumerated().map { "\($1.zaehlpunkt),\($1.direction.rawValue),\($0)" })
        .joined(separator: "\n").appending("\n").write(toFile: pointsPath, atomically: true, encoding: .utf8)
    for i in 0..<o.repeats {
        let path = o.work + "/job.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let store = "sqlite:" + path
        let imported = measure(o.energy, ["import", "--community", communityPath, "--store", store, csvPath])
        let rollup = measure(o.energy, ["rollup", "--community", communityPath, "--store", store, "--from", from, "--to", to])
        let days = measure(
            o.energy, ["report", "--community", communityPath, "--store", store, "--from", from, "--to", to, "--granularity", "day"])
        let meters = measure(
            o.energy,
            [
                "report", "--community", communityPath, "--store", store, "--scope", "meter", "--granularity", "month", "--from", from,
                "--to", to, "--format", "csv", "--output", reportOut,
            ])
        figures.imports.append(imported)
        figures.jobs.append(imported.seconds + rollup.seconds + days.seconds + meters.seconds)
        figures.jobCPU.append(imported.cpuSeconds + rollup.cpuSeconds + days.cpuSeconds + meters.cpuSeconds)
        figures.reimports.append(measure(o.energy, ["import", "--community", communityPath, "--store", store, csvPath]))
        var line = String(
            format: "round %d: import %.2f s, rollup %.2f s, reports %.2f s + %.2f s, import again %.2f s", i + 1, imported.seconds,
            rollup.seconds, days.seconds, meters.seconds, figures.reimports[i].seconds)
        if hasDuckDB {
            let duckdb = measure(python, ["scripts/bench-duckdb.py", csvPath, pointsPath, duckOut])
            figures.duckdb.append(duckdb.seconds)
            figures.duckdbCPU.append(duckdb.cpuSeconds)
            line += String(format: ", DuckDB %.2f s", figures.duckdb[i])
        }
        print(line)
        figures.store = store
    }
    if hasDuckDB { figures.duckdbExact = try sameTotals(duckdb: duckOut, report: reportOut) }
    return figures
}

/// Whether each point's consumed or produced and shared mWh in the DuckDB output equal the month
/// report's (kWh with 6 decimals: mWh exactly).
func sameTotals(duckdb: String, report: String) throws -> Bool {
    func mwh(_ kwh: Substring) -> Int64? { Int64(kwh.replacingOccurrences(of: ".", with: "")) }
    var expected: [String: (Int64, Int64)] = [:]
    for line in try String(contentsOfFile: duckdb, encoding: .utf8).split(separator: "\n").dropFirst() {
        let f = line.split(separator: ",")
        guard f.count == 4, let energy = Int64(f[2]), let shared = Int64(f[3]) else { return false }
        expected[String(f[0])] = (energy, shared)
    }
    var seen = 0
    for line in try String(contentsOfFile: report, encoding: .utf8).split(separator: "\n").dropFirst() {
        let f = line.split(separator: ",", omittingEmptySubsequences: false)
        guard f.count >= 6, let consumed = mwh(f[3]), let produced = mwh(f[4]), let shared = mwh(f[5]),
            let want = expected[String(f[2])], want.0 == consumed + produced, want.1 == shared
        else { return false }
        seen += 1
    }
    return seen == expected.count
}

/// Runs a child process and returns its exit status (no output).
func measureStatus(_ executable: String, _ arguments: [String]) -> Int32 {
    let pid = spawn(executable, arguments, silencing: [1, 2])
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return status
}
