import EnergyCore
import EnergyStore
import EnergyTestSupport
import Foundation
import Testing

/// Rollup workers on day ranges of one community, as the backfill Indexed Job runs them: four
/// real `energy rollup` processes at once, on SQLite and on the MongoDB test server. Their
/// reports must equal one run's byte for byte.
@Suite(.serialized) struct ParallelRollupTests {
    /// Readings of 2026-07-01 to 2026-11-01, imported into two stores of `backend`: one for a
    /// single run, one for the workers.
    final class Setup {
        let folder = TemporaryFolder()
        let community: String
        let single: String
        let parallel: String
        private let databases: [TestDatabase]

        init(_ backend: String, isolated: Bool = false) throws {
            community = folder.path + "/c.yaml"
            try communityYAML.write(toFile: community, atomically: true, encoding: .utf8)
            if backend == "sqlite" {
                databases = []
                single = "sqlite:\(folder.path)/single.sqlite"
                parallel = "sqlite:\(folder.path)/parallel.sqlite"
            } else {
                databases = [try TestDatabase(isolated: isolated), try TestDatabase(isolated: isolated)]
                single = databases[0].uri
                parallel = databases[1].uri
            }
            let csv = folder.path + "/r.csv"
            let simulated = try CLI.run(["simulate", "--community", community, "--from", Self.from, "--to", Self.to, "--out", csv])
            try #require(simulated.status == 0, "\(simulated.stderr)")
            for store in [single, parallel] {
                let imported = try CLI.run(["import", "--community", community, "--store", store, csv])
                try #require(imported.status == 0, "\(imported.stderr)")
            }
            let one = try CLI.run(["rollup", "--community", community, "--store", single, "--from", Self.from, "--to", Self.to])
            try #require(one.status == 0, "\(one.stderr)")
        }

        static let from = "2026-07-01"
        static let to = "2026-11-01"
        /// Four ranges that split months (August and October are shared by two workers each).
        static let ranges = [
            ("2026-07-01", "2026-08-10"), ("2026-08-10", "2026-09-01"), ("2026-09-01", "2026-10-14"), ("2026-10-14", "2026-11-01"),
        ]

        func worker(_ range: (String, String), store: String, extra: [String] = []) -> [String] {
            ["rollup", "--community", community, "--store", store, "--from", range.0, "--to", range.1, "--only-range"] + extra
        }

        /// Every report of the whole span that differs between the single run and the workers.
        func differingReports() throws -> [String] {
            var differing: [String] = []
            for scope in ["community", "meter"] {
                for granularity in ["hour", "day", "month"] {
                    let outputs = try [single, parallel].map { store in
                        try CLI.run([
                            "report", "--community", community, "--store", store, "--scope", scope, "--granularity", granularity,
                            "--from", Self.from, "--to", Self.to, "--format", "csv",
                        ])
                    }
                    if outputs.contains(where: { $0.status != 0 || $0.stdout.count < 200 }) || outputs[0].stdout != outputs[1].stdout {
                        differing.append("\(scope) \(granularity) \(outputs.map(\.stderr))")
                    }
                }
            }
            return differing
        }
    }

    @Test(arguments: ["sqlite", "mongodb"])
    func fourWorkersOnDisjointRangesStoreWhatOneRunStores(backend: String) throws {
        let setup = try Setup(backend)
        let workers = try Setup.ranges.enumerated().map { i, range in
            try CLI.start(setup.worker(range, store: setup.parallel), captureErrorsTo: setup.folder.path + "/w\(i).log")
        }
        for worker in workers { worker.waitUntilExit() }
        let logs = (0..<4).map { (try? String(contentsOfFile: setup.folder.path + "/w\($0).log", encoding: .utf8)) ?? "" }
        #expect(workers.map(\.terminationStatus) == [0, 0, 0, 0], "\(logs)")
        #expect(try setup.differingReports().isEmpty)
        let store = try StoreLocation.parse(setup.parallel).open()
        #expect(try store.dirtyDays(community: "eeg-cli").isEmpty)
        let runs = try store.jobRuns(community: "eeg-cli", limit: 10)
        #expect(runs.count == 4 && runs.allSatisfy { $0.result?.outcome == .ok && $0.holder != nil }, "\(runs)")
        #expect(runs.map { $0.result?.days ?? 0 }.reduce(0, +) == 123)
    }

    @Test(arguments: ["sqlite", "mongodb"])
    func aRunOnDaysAnotherHoldsExitsWithItsOwnCodeAndOneOnOtherDaysGoesAhead(backend: String) throws {
        let setup = try Setup(backend)
        let store = try StoreLocation.parse(setup.parallel).open()
        let september = try LocalDate("2026-09-01")..<LocalDate("2026-10-01")
        let now = Int64(Date().timeIntervalSince1970)
        #expect(try store.acquireLease("rollup/eeg-cli", days: [september], holder: "backfill-2", now: now, seconds: 600) == nil)
        let overlapping = try CLI.run(setup.worker(("2026-09-25", "2026-10-05"), store: setup.parallel))
        #expect(overlapping.status == 75)
        #expect(
            overlapping.stderr.contains("another rollup of community 'eeg-cli' is running on days 2026-09-01 to 2026-09-30 (backfill-2"),
            "\(overlapping.stderr)")
        // Without --only-range a run also claims every changed day: all of them are, after the import.
        #expect(
            try CLI.run(["rollup", "--community", setup.community, "--store", setup.parallel, "--from", "2026-10-01", "--to", "2026-10-05"])
                .status == 75)
        let disjoint = try CLI.run(setup.worker(("2026-10-01", "2026-10-05"), store: setup.parallel))
        #expect(disjoint.status == 0, "\(disjoint.stderr)")
        #expect(try store.jobRuns(community: "eeg-cli", limit: 5).count == 1, "refused runs are not recorded")
    }

    @Test(arguments: ["sqlite", "mongodb"])
    func aWorkerKilledMidRangeIsRepairedByTheNextRunOfItsRange(backend: String) throws {
        // On MongoDB the killed worker may leave a transaction open: on the isolated server, so
        // waiting for the server to abort it slows down no other test.
        let victim = 2
        let (from, to) = (try LocalDate(Setup.ranges[victim].0), try LocalDate(Setup.ranges[victim].1))
        // Killed as soon as it has stored a day of its range, at a different moment each time; a
        // try that comes too late (every day of its range stored) starts again on new stores.
        var attempt: (setup: Setup, store: any ReadingStore, workers: [Process])?
        for _ in 1...4 where attempt == nil {
            let setup = try Setup(backend, isolated: backend == "mongodb")
            let store = try StoreLocation.parse(setup.parallel).open()
            let workers = try Setup.ranges.enumerated().map { i, range in
                try CLI.start(
                    setup.worker(range, store: setup.parallel, extra: ["--lease-seconds", "2"]),
                    captureErrorsTo: setup.folder.path + "/w\(i).log")
            }
            let stored = { Set(try store.dayRollups(community: "eeg-cli", from: from, to: to).map(\.bucketStart)).count }
            let cut = try CLI.killMidRun(
                workers[victim], progressed: { try stored() > 0 }, finished: { try stored() == from.distance(to: to) })
            for worker in workers { worker.waitUntilExit() }
            if cut { attempt = (setup, store, workers) }
        }
        let (setup, store, workers) = try #require(attempt, "the worker finished its range before it could be killed, four times")
        let others = workers.indices.filter { $0 != victim }
        #expect(others.map { workers[$0].terminationStatus } == [0, 0, 0])
        let stored = Set(try store.dayRollups(community: "eeg-cli", from: from, to: to).map(\.bucketStart)).count
        #expect(stored > 0 && stored < from.distance(to: to), "the killed worker left days of its range undone")
        // The next run of the range: refused (75) until the killed worker's claim expires.
        var repaired = try CLI.run(setup.worker(Setup.ranges[victim], store: setup.parallel))
        while repaired.status == 75 {
            usleep(200_000)
            repaired = try CLI.run(setup.worker(Setup.ranges[victim], store: setup.parallel))
        }
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(try setup.differingReports().isEmpty)
        #expect(try store.dirtyDays(community: "eeg-cli").isEmpty)
        let runs = try store.jobRuns(community: "eeg-cli", limit: 10)
        #expect(runs.count == 5 && runs.filter { $0.result?.outcome == .ok }.count == 4, "\(runs)")
        #expect(runs.filter { $0.result?.outcome == .abandoned }.count == 1, "the killed worker's run is marked abandoned: \(runs)")
    }
}

extension LocalDate {
    fileprivate func distance(to other: LocalDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }
}
