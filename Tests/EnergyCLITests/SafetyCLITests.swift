import EnergyTestSupport
import Foundation
import Testing

/// Findings of the reliability review (issue 15), each reproduced as the review did it.
@Suite(.serialized) struct SafetyCLITests {
    @Test func simulateOutRefusesLinksAndDevicesAndLeavesThemAsTheyWere() throws {
        let folder = TemporaryFolder()
        let c = folder.path + "/c.yaml"
        try communityYAML.write(toFile: c, atomically: true, encoding: .utf8)
        let target = folder.path + "/precious.txt"
        try "precious\n".write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/link.csv", withDestinationPath: target)
        for out in [folder.path + "/link.csv", "/dev/null", folder.path] {
            let result = try CLI.run(["simulate", "--community", c, "--from", "2026-10-01", "--to", "2026-10-02", "--out", out])
            #expect(result.status == 1 && result.stderr.contains("refusing to write \(out)"), "\(out): \(result.stderr)")
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n")
        var info = stat()
        #expect(lstat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
        // A regular file is replaced whole; `-` is standard output.
        let ok = try CLI.run(["simulate", "--community", c, "--from", "2026-10-01", "--to", "2026-10-02", "--out", folder.path + "/r.csv"])
        let written = try String(contentsOfFile: folder.path + "/r.csv", encoding: .utf8)
        #expect(ok.status == 0 && written.hasPrefix("zaehlpunkt"))
        let stdout = try CLI.run(["simulate", "--community", c, "--from", "2026-10-01", "--to", "2026-10-02", "--out", "-"])
        #expect(stdout.status == 0 && stdout.stdout.hasPrefix("zaehlpunkt"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["c.yaml", "link.csv", "precious.txt", "r.csv"])
    }

    @Test func readingsOutsideThePlausibleTimeAreRejectedAndTheSummaryAddsUp() throws {
        let folder = TemporaryFolder()
        let c = folder.path + "/c.yaml"
        try communityYAML.write(toFile: c, atomically: true, encoding: .utf8)
        let zp = ThreeMemberCommunity.pointA
        try """
        zaehlpunkt,start,direction,kwh
        \(zp),2026-10-01T00:00:00Z,consumption,1

        \(zp),9999-12-31T23:45:00Z,consumption,1

        \(zp),1969-12-31T23:45:00Z,consumption,1
        \(zp),0001-01-01T00:00:00Z,consumption,1
        \(zp),2026-10-01T00:15:00Z,consumption,1

        """.write(toFile: folder.path + "/r.csv", atomically: true, encoding: .utf8)
        let store = "sqlite:" + folder.path + "/e.sqlite"
        let result = try CLI.run(["import", "--community", c, "--store", store, folder.path + "/r.csv"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.contains("5 rows: 2 new, 0 corrected, 0 unchanged, 3 rejected; 2 empty lines skipped; 1 days to roll up"))
        #expect(result.stderr.contains("r.csv:4: 9999-12-31T23:45:00Z is outside the plausible time of readings"))
        #expect(result.stderr.contains("r.csv:6: 1969-12-31T23:45:00Z is outside"))
        // No day 10000-01-01 waits for a rollup that can never run.
        let rollup = try CLI.run(["rollup", "--community", c, "--store", store, "--since-last-run"])
        #expect(rollup.status == 0, "\(rollup.stderr)")
        // The range is configurable: old data imported on purpose.
        let old = try CLI.run(["import", "--community", c, "--store", store, "--earliest-reading", "1960-01-01", folder.path + "/r.csv"])
        #expect(old.status == 2 && old.stdout.contains("5 rows: 1 new, 0 corrected, 2 unchanged, 2 rejected"), "\(old.stdout)")
        let bad = try CLI.run(["import", "--community", c, "--store", store, "--latest-reading", "1999-01-01", folder.path + "/r.csv"])
        #expect(bad.status == 64 && bad.stderr.contains("--earliest-reading must be before --latest-reading"))
    }

    @Test func twoCommandsOnANewStoreNeitherFailsOnTheSchema() throws {
        let folder = TemporaryFolder()
        let c = folder.path + "/c.yaml"
        try communityYAML.write(toFile: c, atomically: true, encoding: .utf8)
        // Twelve new stores, each opened by two rollups at once: one runs, the other runs after
        // it or finds it running (75); no schema race, no "database is locked".
        for i in 0..<12 {
            let store = "sqlite:\(folder.path)/new-\(i).sqlite"
            let arguments = ["rollup", "--community", c, "--store", store, "--from", "2026-10-01", "--to", "2026-10-03"]
            let both = [
                try CLI.start(arguments, captureErrorsTo: folder.path + "/a\(i).log"),
                try CLI.start(arguments, captureErrorsTo: folder.path + "/b\(i).log"),
            ]
            for process in both { process.waitUntilExit() }
            let statuses = both.map(\.terminationStatus)
            let logs = ["a", "b"].map { (try? String(contentsOfFile: folder.path + "/\($0)\(i).log", encoding: .utf8)) ?? "" }
            #expect(statuses.allSatisfy { $0 == 0 || $0 == 75 } && statuses.contains(0), "try \(i): \(statuses) \(logs)")
        }
    }
}

/// `energy serve` against clients that never finish their request: each is closed once it has
/// been idle for `--idle-timeout`, and the server goes on answering.
@Suite struct IdleConnectionTests {
    /// A TCP connection to loopback that sends `text` and then nothing.
    func halfSent(port: Int, _ text: String) throws -> Int32 {
        guard let fd = FreezableProxy.connectLoopback(port: port) else {
            throw CLIError("cannot connect to port \(port): \(String(cString: strerror(errno)))")
        }
        _ = text.withCString { send(fd, $0, strlen($0), 0) }
        // Reads give up after 20 s: a server that never closes fails the test instead of hanging it.
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// `energy serve --no-auth` on a free port with `extra` options; its process and port.
    func serve(in folder: TemporaryFolder, _ extra: [String]) async throws -> (Process, Int) {
        try communityYAML.write(toFile: folder.path + "/c.yaml", atomically: true, encoding: .utf8)
        let log = folder.path + "/serve.log"
        let process = try CLI.start(
            [
                "serve", "--community", folder.path + "/c.yaml", "--store", "sqlite:" + folder.path + "/e.sqlite", "--no-auth",
                "--port", "0",
            ] + extra, captureErrorsTo: log)
        var port: Int?
        for _ in 0..<300 where port == nil && process.isRunning {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(text[range].split(separator: ":").last ?? "")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        guard let port else {
            process.terminate()
            throw CLIError("serve did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
        return (process, port)
    }

    @Test func halfSentRequestsAreClosedAfterTheIdleTimeout() async throws {
        let folder = TemporaryFolder()
        let (process, listening) = try await serve(in: folder, ["--idle-timeout", "2"])
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        // 25 connections that never finish their headers, and 25 that send nothing at all.
        var sockets: [Int32] = []
        for i in 0..<50 { sockets.append(try halfSent(port: listening, i < 25 ? "GET /healthz HTTP/1.1\r\nHost: x\r\n" : "")) }
        var closed = 0
        for fd in sockets {
            var byte: UInt8 = 0
            let n = recv(fd, &byte, 1, 0)
            if n == 0 { closed += 1 }  // the server closed it (no answer: the request never ended)
            close(fd)
        }
        // Each read gives up after 20 s: closed means closed by the server before that.
        #expect(closed == 50, "\(50 - closed) connections still open")
        // Still serving.
        let fd = try halfSent(port: listening, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = recv(fd, &buffer, buffer.count, 0)
        close(fd)
        #expect(n > 0 && String(decoding: buffer.prefix(max(n, 0)), as: UTF8.self).hasPrefix("HTTP/1.1 200"))
    }

    /// The server's resident memory in MB (from /proc).
    func residentMegabytes(_ process: Process) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }

    @Test func memoryReturnsNearItsStartOnceHalfSentRequestsAreClosed() async throws {
        // This process holds the clients' ends: as many as its descriptor limit allows, up to 3,000.
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let count = Int(min(3000, limit.rlim_cur - 300))
        let folder = TemporaryFolder()
        let (process, port) = try await serve(in: folder, ["--idle-timeout", "2", "--max-connections", "5000"])
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        // Warmed up by a few answered requests, then measured.
        for _ in 0..<20 {
            let fd = try halfSent(port: port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            var buffer = [UInt8](repeating: 0, count: 512)
            _ = recv(fd, &buffer, buffer.count, 0)
            close(fd)
        }
        try await Task.sleep(for: .seconds(1))
        let start = residentMegabytes(process)
        let padding = String(repeating: "a", count: 4000)
        var sockets: [Int32] = []
        for _ in 0..<count { sockets.append(try halfSent(port: port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: \(padding)")) }
        try await Task.sleep(for: .milliseconds(500))
        let held = residentMegabytes(process)
        var closed = 0
        for fd in sockets {
            var byte: UInt8 = 0
            if recv(fd, &byte, 1, 0) == 0 { closed += 1 }
            close(fd)
        }
        #expect(closed == count, "\(count - closed) of \(count) half-sent requests still open")
        // The heap they took goes back to the system (HeapTrimmer, every 10 s): wait for it.
        var after = residentMegabytes(process)
        for _ in 0..<60 where after > start + 8 {
            try await Task.sleep(for: .milliseconds(500))
            after = residentMegabytes(process)
        }
        #expect(held > start, "\(count) half-sent requests take memory: \(start) MB before, \(held) MB held")
        #expect(after <= start + 8, "memory after the connections closed: \(after) MB, started at \(start) MB, held \(held) MB")
    }
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A damaged store is an error that says what and where, never a crash; `energy check` finds it.
@Suite(.serialized) struct DamagedStoreTests {
    /// A store of two rolled-up days, written by the real binary.
    func store(in folder: TemporaryFolder) throws -> (community: String, store: String, path: String) {
        let c = folder.path + "/c.yaml"
        try communityYAML.write(toFile: c, atomically: true, encoding: .utf8)
        let path = folder.path + "/e.sqlite"
        #expect(
            try CLI.run(["simulate", "--community", c, "--from", "2026-10-01", "--to", "2026-10-03", "--out", folder.path + "/r.csv"])
                .status == 0)
        #expect(try CLI.run(["import", "--community", c, "--store", "sqlite:" + path, folder.path + "/r.csv"]).status == 0)
        #expect(
            try CLI.run(["rollup", "--community", c, "--store", "sqlite:" + path, "--from", "2026-10-01", "--to", "2026-10-03"]).status == 0
        )
        let sound = try CLI.run(["check", "--store", "sqlite:" + path, "--community", c])
        #expect(sound.status == 0 && sound.stdout.contains("is sound (and the rollups of eeg-cli conserve energy)"), "\(sound.stdout)")
        return (c, "sqlite:" + path, path)
    }

    /// Runs SQL on the file with Python's sqlite3 (another writer than energy's).
    func damage(_ path: String, _ sql: String) throws {
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = [
            "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()", path, sql,
        ]
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
    }

    @Test func impossibleValuesStopTheRollupWithAMessageAndCheckListsThem() throws {
        let folder = TemporaryFolder()
        let (c, store, path) = try store(in: folder)
        // A reading of a point id no metering point has, and one of 9223372036854775807 mWh.
        let start = 1_791_072_000  // 2026-10-04T00:00:00Z, a new day to roll up
        try damage(
            path,
            """
            INSERT INTO readings (start, point, mwh, quality) VALUES (\(start), -1, 5, 0);
            INSERT INTO readings (start, point, mwh, quality) VALUES (\(start), 1, 9223372036854775807, 0);
            INSERT INTO dirty_days (community, day, version) VALUES ('eeg-cli', '2026-10-04', 1);
            """)
        let rollup = try CLI.run(["rollup", "--community", c, "--store", store, "--since-last-run"])
        #expect(rollup.status == 1, "exit \(rollup.status): \(rollup.stderr)")
        #expect(
            rollup.stderr.contains("is damaged") && rollup.stderr.contains("9223372036854775807 mWh")
                && rollup.stderr.contains("energy check"))
        let check = try CLI.run(["check", "--store", store, "--community", c])
        #expect(check.status == 1)
        #expect(check.stdout.contains("1 readings of point ids no metering point has"), "\(check.stdout)")
        #expect(check.stdout.contains("1 readings with a negative or absurd energy"), "\(check.stdout)")
    }

    @Test func aFileWithFlippedBytesIsReportedNotCrashedOn() throws {
        let folder = TemporaryFolder()
        let (c, store, path) = try store(in: folder)
        let backup = folder.path + "/backup.sqlite"
        try FileManager.default.copyItem(atPath: path, toPath: backup)
        // 200 bytes flipped in the middle of the file (the first page, the header, left alone).
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        var random = SplitMix64(seed: 15)
        for _ in 0..<200 {
            let offset = 4096 + UInt64.random(in: 0..<(size - 4096), using: &random)
            try handle.seek(toOffset: offset)
            let byte = try handle.read(upToCount: 1) ?? Data([0])
            try handle.seek(toOffset: offset)
            try handle.write(contentsOf: Data([~(byte.first ?? 0)]))
        }
        try handle.close()
        for arguments in [
            ["check", "--store", store, "--community", c],
            ["rollup", "--community", c, "--store", store, "--from", "2026-10-01", "--to", "2026-10-03"],
            ["report", "--community", c, "--store", store, "--from", "2026-10-01", "--to", "2026-10-03", "--format", "csv"],
            ["runs", "--store", store],
        ] {
            let process = CLI.process(arguments, environment: [:])
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationReason == .exit, "\(arguments[0]) died by signal \(process.terminationStatus)")
        }
        let check = try CLI.run(["check", "--store", store, "--community", c])
        // Either SQLite cannot even read the schema (refused at opening) or the check lists what it found.
        #expect(check.status == 1, "\(check.stdout) \(check.stderr)")
        #expect(check.stdout.contains("findings") || check.stderr.contains("damaged: run energy check"), "\(check.stdout) \(check.stderr)")
        // From now on every command refuses the store, also those that would read none of the
        // damaged pages, and says to check it.
        #expect(FileManager.default.fileExists(atPath: path + ".damaged"))
        for arguments in [
            ["runs", "--store", store],
            ["report", "--community", c, "--store", store, "--from", "2026-10-01", "--to", "2026-10-02", "--format", "csv"],
            ["import", "--community", c, "--store", store, folder.path + "/r.csv"],
            ["bill", "--community", c, "--store", store, "--period", "2026-10", "--preview", "--out", folder.path + "/statements"],
            ["rollup", "--community", c, "--store", store, "--from", "2026-10-01", "--to", "2026-10-02"],
        ] {
            let refused = try CLI.run(arguments)
            #expect(refused.status == 1, "\(arguments[0]) exits 1 on a damaged store: \(refused.stdout) \(refused.stderr)")
            #expect(refused.stderr.contains("is damaged") && refused.stderr.contains("energy check --store \(store)"), "\(refused.stderr)")
        }
        // Restored from the backup, the check finds it sound and the commands work again.
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: backup, toPath: path)
        let sound = try CLI.run(["check", "--store", store, "--community", c])
        #expect(sound.status == 0, "\(sound.stdout) \(sound.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path + ".damaged"))
        #expect(try CLI.run(["runs", "--store", store]).status == 0)
    }

    @Test func aDamagedPageOnlyOneCommandReadsMarksTheStoreForAllOthers() throws {
        let folder = TemporaryFolder()
        let (c, store, path) = try store(in: folder)
        // The first byte of each page of the readings table (its page type) made invalid: the
        // job log and the metering points stay readable, so `runs` alone would not notice.
        try damage(path, "PRAGMA journal_mode = DELETE;")
        let pages = try python(
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                + "print(' '.join(str(p) for (p,) in c.execute(\"SELECT pageno FROM dbstat WHERE name = 'readings' AND pagetype = 'leaf'\")))",
            path
        ).split(separator: " ").compactMap { Int($0) }
        #expect(!pages.isEmpty)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        for page in pages {
            try handle.seek(toOffset: UInt64((page - 1) * 4096))
            try handle.write(contentsOf: Data([0x77]))
        }
        try handle.close()
        #expect(!FileManager.default.fileExists(atPath: path + ".damaged"))
        #expect(try CLI.run(["runs", "--store", store]).status == 0, "the job log is readable: nothing has met the damage yet")
        let rollup = try CLI.run(["rollup", "--community", c, "--store", store, "--from", "2026-10-01", "--to", "2026-10-03"])
        #expect(rollup.status == 1, "the rollup reads the readings and meets the damage: \(rollup.stderr)")
        #expect(rollup.stderr.contains("energy check"), "\(rollup.stderr)")
        #expect(FileManager.default.fileExists(atPath: path + ".damaged"))
        let runs = try CLI.run(["runs", "--store", store])
        #expect(runs.status == 1 && runs.stderr.contains("malformed"), "\(runs.stdout) \(runs.stderr)")
    }

    /// Runs a Python program with arguments; its standard output, trimmed.
    func python(_ program: String, _ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", program] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
