import EnergyTestSupport
import Foundation
import Testing

/// Runs the real `energy` binary, built beside the test bundle.
struct CLI {
    static let binary: String = {
        if let override = ProcessInfo.processInfo.environment["ENERGY_BIN"] { return override }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        while folder.path != "/" && !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("energy").path) {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("energy").path
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var timedOut = false
    }

    static func process(_ arguments: [String], environment: [String: String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["ENERGY_STORE"] = nil
        env["MONGODB_URI"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        return process
    }

    /// Starts the binary in the background, its output discarded.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let process = process(arguments, environment: environment)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Starts the binary in the background, its standard error written to `path` (for a message
    /// after it ended), its standard output discarded.
    static func start(_ arguments: [String], captureErrorsTo path: String, environment: [String: String] = [:]) throws -> Process {
        let process = process(arguments, environment: environment)
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try process.run()
        return process
    }

    /// Kills `process` with SIGKILL once `progressed()` holds, unless it has `finished()` by then.
    /// The process is stopped (SIGSTOP) as soon as progress is seen, so `finished()` looks at a
    /// frozen state: `true` means the kill cut the process off in the middle of its work; `false`
    /// that it was too late (it had finished, or ended on its own), and the caller tries again on
    /// fresh data rather than test nothing. A loaded machine can make any single try late.
    static func killMidRun(_ process: Process, progressed: () throws -> Bool, finished: () throws -> Bool) throws -> Bool {
        while process.isRunning, try !progressed() { usleep(2_000) }
        // Signals only while it runs: the pid of a process already reaped may be another's.
        if process.isRunning { kill(process.processIdentifier, SIGSTOP) }
        let late = try !process.isRunning || finished()
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return !late && process.terminationReason == .uncaughtSignal
    }

    /// Runs the binary to its end; one still running after `timeout` seconds is killed and reported.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], in directory: String? = nil,
        timeout: Double = 600
    ) throws -> Result {
        let process = process(arguments, environment: environment)
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        // Files rather than pipes: a chatty child can never block on a full pipe.
        let base = NSTemporaryDirectory() + "energy-cli-out-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: base + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: base + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                timedOut = true
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdoutData = FileManager.default.contents(atPath: base + ".out") ?? Data()
        let stderrData = FileManager.default.contents(atPath: base + ".err") ?? Data()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self), timedOut: timedOut)
    }
}

let communityYAML = ThreeMemberCommunity.yaml(id: "eeg-cli", name: "EEG CLI", participationB: 50)

@Suite(.serialized) struct CLITests {
    @Test func demoRunsTheWholeJobAndIsRepeatable() throws {
        let folder = TemporaryFolder()
        let first = try CLI.run(["demo", folder.path + "/demo", "--month", "2026-10", "--members", "12"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("self-sufficiency") && first.stdout.contains("Members with the most community energy"))
        let csv = try String(contentsOfFile: folder.path + "/demo/daily.csv", encoding: .utf8)
        let lines = csv.split(separator: "\n")
        let header =
            "bucket_start,scope,zaehlpunkt,consumed_kwh,produced_kwh,shared_kwh,grid_kwh,surplus_kwh,intervals,expected_intervals,dso_intervals"
        #expect(lines.first.map(String.init) == header)
        #expect(lines.contains { $0.hasPrefix("2026-10-25T00:00:00+02:00,community,,") })
        #expect(FileManager.default.fileExists(atPath: folder.path + "/demo/community.yaml"))
        let again = try CLI.run(["demo", folder.path + "/demo", "--month", "2026-10", "--members", "12"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("(0 new, 0 corrected,"))
        let csvAgain = try String(contentsOfFile: folder.path + "/demo/daily.csv", encoding: .utf8)
        #expect(csvAgain == csv)
        #expect(
            first.stdout.contains(
                "Statements of 2026-10 (preview, not numbered): 12 members, PDF, XLSX and CSV → \(folder.path)/demo/statements"))
        #expect(FileManager.default.fileExists(atPath: folder.path + "/demo/statements/preview-2026-10-M001.xlsx"))
        #expect(FileManager.default.fileExists(atPath: folder.path + "/demo/statements/preview-statements-2026-10.csv"))
    }

    @Test func theDemosTryNextCommandsWorkAsPrinted() throws {
        let folder = TemporaryFolder()
        let demo = try CLI.run(["demo", "demo", "--month", "2026-10", "--members", "6"], in: folder.path)
        #expect(demo.status == 0, "\(demo.stderr)")
        let lines = demo.stdout.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex(of: "Try next:"))
        let commands = lines[(start + 1)...].map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(commands.count == 5)
        for command in commands {
            // The binary as it was started (here an absolute path), never a bare `energy` a newcomer lacks.
            #expect(command.hasPrefix(CLI.binary + " "), "\(command)")
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", command + " >/dev/null"]
            shell.currentDirectoryURL = URL(fileURLWithPath: folder.path)
            var environment = ProcessInfo.processInfo.environment
            environment["ENERGY_STORE"] = nil
            environment["MONGODB_URI"] = nil
            shell.environment = environment
            try shell.run()
            shell.waitUntilExit()
            #expect(shell.terminationStatus == 0, "\(command)")
        }
        #expect(FileManager.default.fileExists(atPath: folder.path + "/demo/final/statements-2026-10.csv"))
    }

    @Test func billWritesStatementsPrintsTheReconciliationAndRefusesWhatItCannotIssue() throws {
        let folder = TemporaryFolder()
        try (communityYAML + "\ntariffs: {consumption: 0.12, generation: 0.08, memberFee: {amount: 2, per: month}}\n")
            .write(toFile: folder.path + "/c.yaml", atomically: true, encoding: .utf8)
        let store = "sqlite:\(folder.path)/e.sqlite"
        let c = folder.path + "/c.yaml"
        #expect(
            try CLI.run(["simulate", "--community", c, "--from", "2026-10-01", "--to", "2026-11-01", "--out", folder.path + "/r.csv"])
                .status == 0)
        #expect(try CLI.run(["import", "--community", c, "--store", store, folder.path + "/r.csv"]).status == 0)
        // October is imported but not rolled up: nothing to bill finally.
        let early = try CLI.run([
            "bill", "--community", c, "--store", store, "--period", "2026-10", "--final", "--out", folder.path + "/out",
        ])
        #expect(early.status == 1 && early.stderr.contains("refusing the final run") && early.stderr.contains("31 days are not rolled up"))
        #expect(try CLI.run(["rollup", "--community", c, "--store", store, "--from", "2026-10-01", "--to", "2026-11-01"]).status == 0)
        let final = try CLI.run([
            "bill", "--community", c, "--store", store, "--period", "2026-10", "--final", "--out", folder.path + "/out",
        ])
        #expect(final.status == 0, "\(final.stderr)")
        #expect(final.stdout.contains("Reconciliation 2026-10: members received ") && final.stdout.contains(": balanced"))
        #expect(final.stdout.contains("3 final statements 2026-0001 to 2026-0003"))
        #expect(FileManager.default.fileExists(atPath: folder.path + "/out/statement-2026-0002-A.xlsx"))
        let again = try CLI.run([
            "bill", "--community", c, "--store", store, "--period", "2026-10", "--final", "--out", folder.path + "/again",
            "--format", "csv",
        ])
        #expect(again.status == 0 && again.stdout.contains("already issued"))
        #expect(
            try String(contentsOfFile: folder.path + "/again/statements-2026-10.csv", encoding: .utf8)
                == String(contentsOfFile: folder.path + "/out/statements-2026-10.csv", encoding: .utf8))
        let quarter = try CLI.run([
            "bill", "--community", c, "--store", store, "--period", "2026-Q4", "--final", "--allow-incomplete",
            "--out", folder.path + "/q4",
        ])
        #expect(quarter.status == 1 && quarter.stderr.contains("already issued and overlap 2026-Q4"))
        let badPeriod = try CLI.run([
            "bill", "--community", c, "--store", store, "--period", "2026-13", "--preview", "--out", folder.path + "/x",
        ])
        #expect(badPeriod.status == 64 && badPeriod.stderr.contains("'2026-13' is not a billing period"))
        let noMode = try CLI.run(["bill", "--community", c, "--store", store, "--period", "2026-10", "--out", folder.path + "/x"])
        #expect(noMode.status == 64)
        let missingFile = try CLI.run([
            "bill", "--community", folder.path + "/plain.yaml", "--store", store, "--period", "2026-10", "--preview",
            "--out", folder.path + "/x",
        ])
        #expect(missingFile.status == 1 && missingFile.stderr.contains("plain.yaml"))
        try communityYAML.write(toFile: folder.path + "/plain.yaml", atomically: true, encoding: .utf8)
        let untariffed = try CLI.run([
            "bill", "--community", folder.path + "/plain.yaml", "--store", store, "--period", "2026-10", "--preview",
            "--out", folder.path + "/x",
        ])
        #expect(untariffed.status == 1 && untariffed.stderr.contains("has no tariffs"))
        let runs = try CLI.run(["runs", "--store", store])
        #expect(runs.stdout.contains("bill") && runs.stdout.contains("final 2026-10: 3 statements"))
    }

    @Test func importStoresValidRowsRejectsBadOnesAndReportsExactFigures() throws {
        let folder = TemporaryFolder()
        try communityYAML.write(toFile: folder.path + "/c.yaml", atomically: true, encoding: .utf8)
        try """
        zaehlpunkt,start,direction,kwh,quality
        AT0030000000000000000000000000001,2026-06-01T00:00:00+02:00,generation,0.9,measured
        AT0030000000000000000000000000002,2026-06-01T00:00:00+02:00,consumption,1.0,measured
        AT0030000000000000000000000000003,2026-06-01T00:00:00+02:00,consumption,1.0,measured
        AT0030000000000000000000000000003,2026-06-01T00:10:00+02:00,consumption,1.0,measured
        AT0030000000000000000000000000009,2026-06-01T00:15:00+02:00,consumption,1.0,measured
        AT0030000000000000000000000000002,2026-06-01T00:15:00+02:00,consumption,-0.1,measured

        """.write(toFile: folder.path + "/r.csv", atomically: true, encoding: .utf8)
        let store = "sqlite:\(folder.path)/e.sqlite"
        let imported = try CLI.run(["import", "--community", folder.path + "/c.yaml", "--store", store, folder.path + "/r.csv"])
        #expect(imported.status == 2)
        #expect(imported.stderr.contains("r.csv:5: ") && imported.stderr.contains("quarter-hour grid"))
        #expect(imported.stderr.contains("r.csv:6: ") && imported.stderr.contains("not a metering point"))
        #expect(imported.stderr.contains("r.csv:7: ") && imported.stderr.contains("negative"))
        #expect(imported.stdout.contains("3 new"))
        // Standard error is a file here, not a terminal: one JSON object per line, the rejections as warnings.
        let logged = try jsonLogLines(imported.stderr)
        #expect(logged.count == 3 && logged.allSatisfy { $0["level"] as? String == "warning" && $0["label"] as? String == "energy.import" })
        #expect(logged.allSatisfy { ($0["message"] as? String)?.contains("r.csv:") == true && $0["timestamp"] is String })
        let again = try CLI.run([
            "import", "--community", folder.path + "/c.yaml", "--store", store, "--log-level", "error", folder.path + "/r.csv",
        ])
        #expect(again.stdout.contains("0 new, 0 corrected, 3 unchanged"))
        #expect(again.status == 2 && again.stderr.isEmpty, "--log-level error leaves out the warnings: \(again.stderr)")
        let badLevel = try CLI.run(["import", "--community", folder.path + "/c.yaml", "--log-level", "loud", folder.path + "/r.csv"])
        #expect(badLevel.status == 64 && badLevel.stderr.contains("--log-level"), "\(badLevel.stderr)")

        let rollup = try CLI.run([
            "rollup", "--community", folder.path + "/c.yaml", "--store", store, "--from", "2026-06-01", "--to", "2026-06-02",
        ])
        #expect(rollup.status == 0, "\(rollup.stderr)")
        let report = try CLI.run([
            "report", "--community", folder.path + "/c.yaml", "--store", store, "--scope", "meter",
            "--granularity", "15m", "--from", "2026-06-01", "--to", "2026-06-02", "--format", "csv",
        ])
        #expect(report.status == 0)
        let rows = report.stdout.split(separator: "\n").filter { $0.hasPrefix("2026-06-01T00:00:00+02:00") }
        // Plant 0.9 kWh; A asks 1.0, B asks 0.5 (50 %): 0.6 and 0.3.
        #expect(
            rows == [
                "2026-06-01T00:00:00+02:00,meter,AT0030000000000000000000000000001,0.000000,0.900000,0.900000,0.000000,0.000000,1,1,0",
                "2026-06-01T00:00:00+02:00,meter,AT0030000000000000000000000000002,1.000000,0.000000,0.600000,0.400000,0.000000,1,1,0",
                "2026-06-01T00:00:00+02:00,meter,AT0030000000000000000000000000003,1.000000,0.000000,0.300000,0.700000,0.000000,1,1,0",
            ])
        let json = try CLI.run([
            "report", "--community", folder.path + "/c.yaml", "--store", store, "--from", "2026-06-01",
            "--to", "2026-06-02", "--format", "json",
        ])
        #expect(json.stdout.contains("\"shared_mwh\": 900000"))
    }

    @Test func badInputGetsAClearMessageAndANonZeroExit() throws {
        let folder = TemporaryFolder()
        try communityYAML.write(toFile: folder.path + "/c.yaml", atomically: true, encoding: .utf8)
        try communityYAML.replacingOccurrences(of: "AT0030000000000000000000000000002", with: "AT00300000000000000000000000002")
            .write(toFile: folder.path + "/broken.yaml", atomically: true, encoding: .utf8)
        let store = "sqlite:\(folder.path)/e.sqlite"
        let broken = try CLI.run([
            "rollup", "--community", folder.path + "/broken.yaml", "--store", store, "--from", "2026-06-01", "--to", "2026-06-02",
        ])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("broken.yaml:9: members[1] (A).meteringPoints[0].zaehlpunkt"))
        let badDate = try CLI.run([
            "report", "--community", folder.path + "/c.yaml", "--store", store, "--from", "2026-02-30", "--to", "2026-03-01",
        ])
        #expect(badDate.status == 64 && badDate.stderr.contains("2026-02-30"))
        let reversed = try CLI.run([
            "report", "--community", folder.path + "/c.yaml", "--store", store, "--from", "2026-03-02", "--to", "2026-03-01",
        ])
        #expect(reversed.status == 64)
        let stranger = try CLI.run([
            "report", "--community", folder.path + "/c.yaml", "--store", store, "--scope", "meter",
            "--zaehlpunkt", "AT0030000000000000000000000000009", "--from", "2026-03-01", "--to", "2026-03-02",
        ])
        #expect(stranger.status == 1 && stranger.stderr.contains("not a metering point of community 'eeg-cli'"))
        let missing = try CLI.run(["import", "--community", folder.path + "/c.yaml", "--store", store, folder.path + "/nope.csv"])
        #expect(missing.status == 1 && missing.stderr.contains("nope.csv"))
        let noStore = try CLI.run([
            "rollup", "--community", folder.path + "/c.yaml", "--store", "sqlite:/no/such/dir/e.sqlite", "--since-last-run",
        ])
        #expect(noStore.status == 1 && noStore.stderr.contains("/no/such/dir"))
        let noCommunity = try CLI.run(
            ["rollup", "--community", folder.path + "/none.yaml", "--since-last-run"], environment: ["ENERGY_STORE": store])
        #expect(noCommunity.status == 1 && noCommunity.stderr.contains("none.yaml"))
        let staleWarning = try CLI.run([
            "report", "--community", folder.path + "/c.yaml", "--store", store, "--from", "2026-03-01", "--to", "2026-03-02",
        ])
        #expect(staleWarning.status == 0 && staleWarning.stderr.contains("not rolled up"))
    }

    @Test func simulateWritesCanonicalCSVThatImportsCleanly() throws {
        let folder = TemporaryFolder()
        try communityYAML.write(toFile: folder.path + "/c.yaml", atomically: true, encoding: .utf8)
        let simulated = try CLI.run([
            "simulate", "--community", folder.path + "/c.yaml", "--from", "2026-03-29", "--to", "2026-03-30",
            "--out", folder.path + "/sim.csv",
        ])
        #expect(simulated.status == 0)
        let lines = try String(contentsOfFile: folder.path + "/sim.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 + 3 * 92)
        let imported = try CLI.run(
            ["import", "--community", folder.path + "/c.yaml", folder.path + "/sim.csv"],
            environment: ["ENERGY_STORE": "sqlite:\(folder.path)/e.sqlite"])
        #expect(imported.status == 0 && imported.stdout.contains("276 new"))
        let runs = try CLI.run(
            ["rollup", "--community", folder.path + "/c.yaml", "--since-last-run"],
            environment: ["ENERGY_STORE": "sqlite:\(folder.path)/e.sqlite"])
        #expect(runs.status == 0 && runs.stdout.contains("1 changed days included"))
        let listed = try CLI.run(["runs"], environment: ["ENERGY_STORE": "sqlite:\(folder.path)/e.sqlite"])
        #expect(listed.stdout.contains("rollup") && listed.stdout.contains("eeg-cli") && listed.stdout.contains("ok"))
    }
}

/// The log lines of a command's standard error, each parsed as a JSON object (fails on any other line).
func jsonLogLines(_ stderr: String) throws -> [[String: Any]] {
    try stderr.split(separator: "\n").map { line in
        try #require(
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON log line: \(line)")
    }
}
