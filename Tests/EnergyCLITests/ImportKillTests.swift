import EnergyTestSupport
import Foundation
import Testing

/// An import killed with SIGKILL while it writes (its parse thread a batch ahead) keeps every
/// batch it committed, leaves a store that `energy check` finds sound, and the same import again
/// stores the rest: the figures are those of an import that was never killed.
@Suite(.serialized) struct ImportKillTests {
    @Test func anImportKilledMidFileLosesNothingCommittedAndTheRerunStoresTheRest() throws {
        let folder = TemporaryFolder()
        let c = folder.path + "/c.yaml"
        try communityYAML.write(toFile: c, atomically: true, encoding: .utf8)
        let csv = folder.path + "/r.csv"
        // Four years of three points: about 420,000 rows, nine batches.
        let simulated = try CLI.run(["simulate", "--community", c, "--from", "2022-01-01", "--to", "2026-01-01", "--out", csv])
        try #require(simulated.status == 0, "\(simulated.stderr)")
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").count - 1

        let killedPath = folder.path + "/killed.sqlite"
        let process = try CLI.start(["import", "--community", c, "--store", "sqlite:" + killedPath, csv])
        // Killed once the first batch is in the write-ahead log (half a MiB: more than the schema).
        while process.isRunning {
            let size = (try? FileManager.default.attributesOfItem(atPath: killedPath + "-wal")[.size] as? Int) ?? 0
            if size > 512 * 1024 { break }
            usleep(1_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try #require(process.terminationReason == .uncaughtSignal, "the import ended before it was killed: nothing was tested")

        let check = try CLI.run(["check", "--store", "sqlite:" + killedPath])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let rerun = try CLI.run(["import", "--community", c, "--store", "sqlite:" + killedPath, csv])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        // Whole batches were committed (none, or some): the rest is new now, nothing corrected.
        #expect(rerun.stdout.contains("\(rows) rows: ") && rerun.stdout.contains(" new, 0 corrected, "), "\(rerun.stdout)")

        let cleanPath = folder.path + "/clean.sqlite"
        let clean = try CLI.run(["import", "--community", c, "--store", "sqlite:" + cleanPath, csv])
        #expect(clean.status == 0, "\(clean.stderr)")
        var reports: [String] = []
        for path in [killedPath, cleanPath] {
            let store = "sqlite:" + path
            let rollup = try CLI.run(["rollup", "--community", c, "--store", store, "--from", "2022-01-01", "--to", "2026-01-01"])
            #expect(rollup.status == 0, "\(rollup.stderr)")
            let report = try CLI.run([
                "report", "--community", c, "--store", store, "--scope", "meter", "--granularity", "month", "--from", "2022-01-01",
                "--to", "2026-01-01", "--format", "csv",
            ])
            #expect(report.status == 0, "\(report.stderr)")
            reports.append(report.stdout)
        }
        #expect(reports[0] == reports[1] && reports[0].split(separator: "\n").count == 1 + 3 * 48)
    }
}
