import EnergyCore
import EnergyTestSupport
import Foundation
import Testing

@testable import EnergyStore

/// A database of its own on the test MongoDB server (`make test` starts it), dropped afterwards.
final class TestDatabase {
    let name = TestServers.uniqueDatabaseName("energy_cli")
    let uri: String

    init(isolated: Bool = false) throws {
        uri = isolated ? try TestServers.isolatedMongoURI(database: name) : try TestServers.mongoURI(database: name)
    }

    func store() throws -> MongoStore { try MongoStore(uri: uri) }

    /// Documents of `collection` per local day (`day` field).
    func countByDay(_ collection: String) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        try store().db.find(collection, filter: BSONDocument()) { doc in counts[doc.string("day") ?? "?", default: 0] += 1 }
        return counts
    }

    /// Hour entries (in the hour bucket documents) per local day.
    func hourEntriesByDay() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        try store().db.find("rollups_hour", filter: BSONDocument()) { doc in
            let object = try JSONSerialization.jsonObject(with: Data(doc.json.utf8)) as? [String: Any]
            counts[doc.string("day") ?? "?", default: 0] += (object?["hours"] as? [Any])?.count ?? 0
        }
        return counts
    }

    deinit { _ = try? MongoStore(uri: uri).db.command(BSONDocument(["dropDatabase": .int32(1)])) }
}

@Suite(.serialized) struct MongoCLITests {
    /// Imports, rolls up and reports the same simulated days on both backends.
    @Test func everyReportIsTheSameOnSQLiteAndMongoDB() throws {
        let folder = TemporaryFolder()
        let mongo = try TestDatabase()
        try communityYAML.write(toFile: folder.path + "/c.yaml", atomically: true, encoding: .utf8)
        let c = folder.path + "/c.yaml"
        #expect(
            try CLI.run(["simulate", "--community", c, "--from", "2026-10-24", "--to", "2026-10-27", "--out", folder.path + "/r.csv"])
                .status == 0)
        let stores = ["sqlite:\(folder.path)/e.sqlite", mongo.uri]
        for store in stores {
            let imported = try CLI.run(["import", "--community", c, "--store", store, folder.path + "/r.csv"])
            #expect(imported.status == 0 && imported.stdout.contains("876 new"), "\(imported.stderr)")
            let rolled = try CLI.run(["rollup", "--community", c, "--store", store, "--from", "2026-10-24", "--to", "2026-10-27"])
            #expect(rolled.status == 0, "\(rolled.stderr)")
        }
        for scope in ["community", "meter"] {
            for granularity in ["15m", "hour", "day", "month"] {
                for format in ["csv", "json"] {
                    let outputs = try stores.map { store in
                        try CLI.run([
                            "report", "--community", c, "--store", store, "--scope", scope, "--granularity", granularity,
                            "--from", "2026-10-24", "--to", "2026-10-27", "--format", format,
                        ])
                    }
                    #expect(outputs.allSatisfy { $0.status == 0 && $0.stderr.isEmpty }, "\(outputs.map(\.stderr))")
                    #expect(outputs[0].stdout == outputs[1].stdout, "\(scope) \(granularity) \(format)")
                    #expect(outputs[0].stdout.count > 200)
                }
            }
        }
        // The environment variable the platform's Secret provides works too.
        let viaEnv = try CLI.run(
            ["report", "--community", c, "--from", "2026-10-24", "--to", "2026-10-27", "--format", "csv"],
            environment: ["MONGODB_URI": mongo.uri])
        let direct = try CLI.run([
            "report", "--community", c, "--store", stores[0], "--from", "2026-10-24", "--to", "2026-10-27", "--format", "csv",
        ])
        #expect(viaEnv.status == 0 && viaEnv.stdout == direct.stdout)
    }

    @Test func anUnreachableServerFailsSoonNamingTheHostButNotThePassword() throws {
        let folder = TemporaryFolder()
        try communityYAML.write(toFile: folder.path + "/c.yaml", atomically: true, encoding: .utf8)
        let result = try CLI.run(
            [
                "rollup", "--community", folder.path + "/c.yaml", "--store", "mongodb://energy:s3cret@127.0.0.1:1/energy",
                "--since-last-run",
            ], timeout: 60)
        #expect(!result.timedOut)
        #expect(result.status == 1)
        #expect(result.stderr.contains("127.0.0.1:1") && !result.stderr.contains("s3cret"), "\(result.stderr)")
        let badName = try CLI.run(
            [
                "rollup", "--community", folder.path + "/c.yaml", "--store", "mongodb://127.0.0.1:27217/bad.name",
                "--since-last-run",
            ], timeout: 60)
        #expect(
            badName.status == 1 && badName.stderr.contains("Invalid database name") && badName.stderr.contains("bad.name"),
            "\(badName.stderr)")
        let badScheme = try CLI.run(["runs", "--store", "postgres://127.0.0.1/x"])
        #expect(badScheme.status == 1 && badScheme.stderr.contains("unknown store scheme"))
    }

    @Test func badCredentialsFailNamingTheHostButNotThePassword() throws {
        let good = try TestServers.authenticatingMongoURI()
        #expect(good.contains(":energy-test@"))
        let bad = good.replacingOccurrences(of: ":energy-test@", with: ":not-the-password@")
        let refused = try CLI.run(["runs", "--store", bad], timeout: 60)
        #expect(!refused.timedOut && refused.status == 1)
        #expect(refused.stderr.contains("127.0.0.1:") && refused.stderr.contains("authentication failed"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("not-the-password") && !refused.stderr.contains("energy-test"))
        let accepted = try CLI.run(["runs", "--store", good], timeout: 60)
        #expect(accepted.status == 0, "\(accepted.stderr)")
    }

    @Test(arguments: ["sqlite", "mongodb"])
    func aSecondRollupOfTheSameCommunityExitsWithItsOwnCode(backend: String) throws {
        let folder = TemporaryFolder()
        let mongo = try TestDatabase()
        try communityYAML.write(toFile: folder.path + "/c.yaml", atomically: true, encoding: .utf8)
        let location = backend == "sqlite" ? "sqlite:\(folder.path)/e.sqlite" : mongo.uri
        let store = try StoreLocation.parse(location).open()
        #expect(
            try store.acquireLease("rollup/eeg-cli", holder: "nightly-job-1", now: Int64(Date().timeIntervalSince1970), seconds: 600) == nil
        )
        let blocked = try CLI.run(["rollup", "--community", folder.path + "/c.yaml", "--store", location, "--since-last-run"])
        #expect(blocked.status == 75)
        #expect(blocked.stderr.contains("another rollup of community 'eeg-cli' is running (nightly-job-1"))
        try store.releaseLease("rollup/eeg-cli", holder: "nightly-job-1")
        let free = try CLI.run(["rollup", "--community", folder.path + "/c.yaml", "--store", location, "--since-last-run"])
        #expect(free.status == 0, "\(free.stderr)")
    }

    @Test func aKilledRollupLeavesNoHalfWrittenDayAndTheNextRunRepairsIt() throws {
        let folder = TemporaryFolder()
        let c = folder.path + "/c.yaml"
        try communityYAML.write(toFile: c, atomically: true, encoding: .utf8)
        #expect(
            try CLI.run(["simulate", "--community", c, "--from", "2026-09-20", "--to", "2026-10-30", "--out", folder.path + "/r.csv"])
                .status == 0)
        let points = 3
        // Kill the run as soon as it has stored its first day, at a different moment each time;
        // a try that comes too late (the run had finished) starts again on a new database.
        var killed: TestDatabase?
        for _ in 1...5 where killed == nil {
            let mongo = try TestDatabase(isolated: true)
            #expect(try CLI.run(["import", "--community", c, "--store", mongo.uri, folder.path + "/r.csv"]).status == 0)
            let watcher = try mongo.store()
            let process = try CLI.start(["rollup", "--community", c, "--store", mongo.uri, "--since-last-run", "--lease-seconds", "2"])
            let cut = try CLI.killMidRun(
                process,
                progressed: {
                    var stored = false
                    try watcher.db.find("rollups_day", filter: BSONDocument(), options: BSONDocument(["limit": .int32(1)])) { _ in
                        stored = true
                    }
                    return stored
                },
                finished: { try watcher.jobRuns(community: "eeg-cli", limit: 1).first?.finishedAt != nil })
            if cut { killed = mongo }
        }
        // The run must really have been cut off in the middle, or this test shows nothing.
        let mongo = try #require(killed, "the rollup finished before it could be killed, five times")
        func consistent() throws -> (complete: Int, partial: [String]) {
            let days = try mongo.countByDay("rollups_day")
            let hours = try mongo.countByDay("rollups_hour")
            let hourEntries = try mongo.hourEntriesByDay()
            let allocations = try mongo.countByDay("allocations")
            var partial: [String] = []
            for (day, count) in days {
                let hoursOfDay = day == "2026-10-25" ? 25 : 24
                if count != points + 1 || hours[day] != points + 1 || hourEntries[day] != (points + 1) * hoursOfDay
                    || allocations[day] != points
                {
                    partial.append(day)
                }
            }
            for day in Set(hours.keys).union(allocations.keys) where days[day] == nil { partial.append(day) }
            return (days.count, partial)
        }
        let afterKill = try consistent()
        #expect(afterKill.partial.isEmpty, "half-written days: \(afterKill.partial)")
        #expect(afterKill.complete >= 1)
        sleep(3)  // the killed run's lease expires
        let repaired = try CLI.run(["rollup", "--community", c, "--store", mongo.uri, "--since-last-run"])
        #expect(repaired.status == 0, "\(repaired.stderr)")
        let final = try consistent()
        #expect(final.partial.isEmpty && final.complete >= 40)
        #expect(try mongo.store().dirtyDays(community: "eeg-cli").isEmpty)
        let runs = try mongo.store().jobRuns(community: "eeg-cli", limit: 5)
        #expect(runs.first?.result?.outcome == .ok && runs.count == 2)
        // The killed run never finished; the next holder of its lease marked it abandoned.
        #expect(runs.last?.result?.outcome == .abandoned && runs.last?.finishedAt != nil, "\(runs)")
    }
}
