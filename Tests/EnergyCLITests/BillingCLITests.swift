import EnergyTestSupport
import Foundation
import Testing

/// `energy bill` as an operator runs it: PDFs, cancellations, refusals, and a final run killed
/// half-way that the next run finishes exactly as an uninterrupted one.
@Suite(.serialized) struct BillingCLITests {
    /// A copy of a SQLite store (its WAL too, if any), so two runs can start from the same state.
    func copyStore(_ from: String, to: String) throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: from + suffix) {
            try FileManager.default.copyItem(atPath: from + suffix, toPath: to + suffix)
        }
    }

    @Test func aFinalRunKilledHalfWayIsFinishedByTheNextRunExactlyAsAnUninterruptedOne() throws {
        let folder = TemporaryFolder()
        let demo = try CLI.run(["demo", folder.path + "/demo", "--month", "2026-10", "--members", "150"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let c = folder.path + "/demo/community.yaml"
        for name in ["early", "late", "whole"] { try copyStore(folder.path + "/demo/energy.sqlite", to: folder.path + "/\(name).sqlite") }
        func bill(_ store: String, _ out: String) -> [String] {
            [
                "bill", "--community", c, "--store", "sqlite:" + folder.path + "/\(store).sqlite", "--period", "2026-10", "--final",
                "--out", folder.path + "/" + out, "--format", "pdf,xlsx,csv",
            ]
        }
        let whole = try CLI.run(bill("whole", "whole"))
        #expect(whole.status == 0, "\(whole.stderr)")
        let expected = try TemporaryFolder.files(in: folder.path + "/whole")
        #expect(expected.count == 150 * 3 + 1)

        // Killed at once (before or while numbering), and killed once the first file is there
        // (numbers stored, files half written): the next run writes what the whole run wrote.
        for (store, waitForFiles) in [("early", false), ("late", true)] {
            let out = folder.path + "/" + store
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let process = try CLI.start(bill(store, store))
            if waitForFiles {
                while process.isRunning, (try FileManager.default.contentsOfDirectory(atPath: out)).isEmpty { usleep(2_000) }
            } else {
                usleep(100_000)
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "the run ended before it was killed: nothing was tested")
            let left = try FileManager.default.contentsOfDirectory(atPath: out)
            #expect(left.count < expected.count + 1, "killed half-way: \(left.count) files")
            let rerun = try CLI.run(bill(store, store))
            #expect(rerun.status == 0, "\(rerun.stderr)")
            let written = try TemporaryFolder.files(in: out)
            #expect(written.keys.sorted() == expected.keys.sorted(), "no leftovers, nothing missing")
            for (name, data) in expected { #expect(written[name] == data, "\(store): \(name)") }
        }
    }

    @Test func cancelFromTheCommandLineAndWhatItRefuses() throws {
        let folder = TemporaryFolder()
        let demo = try CLI.run(["demo", folder.path + "/demo", "--month", "2026-10", "--members", "4"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let c = folder.path + "/demo/community.yaml"
        let s = "sqlite:" + folder.path + "/demo/energy.sqlite"
        let out = folder.path + "/out"
        let final = try CLI.run([
            "bill", "--community", c, "--store", s, "--period", "2026-10", "--final", "--out", out, "--format", "pdf,csv",
        ])
        #expect(final.status == 0 && final.stdout.contains("4 final statements 2026-0001 to 2026-0004"), "\(final.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + "/statement-2026-0002-M002.pdf"))

        let cancel = try CLI.run([
            "bill", "--community", c, "--store", s, "--cancel", "2026-0002", "--reason", "wrong meter", "--out", out, "--format", "pdf,csv",
        ])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        #expect(cancel.stdout.contains("cancellation 2026-0005 cancels statement 2026-0002 (member M002, 2026-10)"))
        #expect(cancel.stdout.contains("--period 2026-10 --final"))
        #expect(FileManager.default.fileExists(atPath: out + "/cancellation-2026-0005-M002.pdf"))
        let twice = try CLI.run(["bill", "--community", c, "--store", s, "--cancel", "2026-0002", "--reason", "again", "--out", out])
        #expect(twice.status == 1 && twice.stderr.contains("cancelled already, by 2026-0005"))
        let reissue = try CLI.run(["bill", "--community", c, "--store", s, "--period", "2026-10", "--final", "--out", out])
        #expect(reissue.status == 0 && reissue.stdout.contains("statement 2026-0006 issued in place of cancelled statement 2026-0002"))
        let runs = try CLI.run(["runs", "--store", s])
        #expect(runs.stdout.contains("cancel 2026-0002: cancellation 2026-0005"))

        for (arguments, message) in [
            (["--cancel", "2026-0002"], "--cancel needs --reason"),
            (["--cancel", "2026-0002", "--reason", "x", "--period", "2026-10"], "--cancel takes no --period"),
            (["--cancel", "twenty", "--reason", "x"], "not a statement number"),
            (["--period", "2026-10", "--preview", "--format", "sepa"], "final runs only"),
            (["--period", "2026-10", "--final", "--format", "pdf,docx"], "'docx' is not a format"),
            (["--period", "2026-10", "--final", "--collection-date", "soon"], "--collection-date"),
        ] {
            let result = try CLI.run(["bill", "--community", c, "--store", s, "--out", out] + arguments)
            #expect(result.status == 64 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        // The demo community has bank details and mandates: the bank's files of both batches (the
        // first final run and the reissue) and the cancellation's refund or bank transfer.
        let sepa = try CLI.run([
            "bill", "--community", c, "--store", s, "--period", "2026-10", "--final", "--out", out, "--format", "sepa",
        ])
        #expect(sepa.status == 0, "\(sepa.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(written.contains("sepa-direct-debits-2026-0001.xml") || written.contains("sepa-credit-transfers-2026-0001.xml"))
        #expect(written.contains { $0.hasSuffix("-2026-0005.xml") || $0 == "bank-transfers-2026-0005.csv" }, "\(written)")
        // Without the community's bank details SEPA files cannot be written, and the run says so.
        let yaml = try String(contentsOfFile: c, encoding: .utf8)
        let withoutBank = yaml.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("  sepa: {creditorId") }
        #expect(withoutBank.count < yaml.split(separator: "\n", omittingEmptySubsequences: false).count)
        try withoutBank.joined(separator: "\n").write(toFile: folder.path + "/nobank.yaml", atomically: true, encoding: .utf8)
        let noBank = try CLI.run([
            "bill", "--community", folder.path + "/nobank.yaml", "--store", s, "--period", "2026-10", "--final", "--out", out,
            "--format", "sepa",
        ])
        #expect(noBank.status == 1 && noBank.stderr.contains("community.sepa"), "\(noBank.stderr)")
    }
}
