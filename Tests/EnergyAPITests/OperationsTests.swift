import EnergyAPI
import EnergyStore
import EnergyTestSupport
import Foundation
import Testing

/// What the platform uses: health and readiness probes, Prometheus metrics, the OpenAPI document.
@Suite struct OperationsTests {
    @Test func probesAndTheDocumentAnswerWithoutAToken() async throws {
        try await APIHarness.withIssuer { api, issuer, _ in
            let health = try await api.get("/healthz")
            #expect(health.status == 200 && health.text == "ok\n")
            let ready = try await api.get("/readyz")
            #expect(ready.status == 200, "\(ready.text)")
            let document = try await api.get(APIHarness.base + "/openapi.yaml")
            #expect(document.status == 200)
            #expect(document.text == OpenAPIDocument.yaml)
            // The operational endpoints live at the root only, never under the public base path.
            #expect(try await api.get(APIHarness.base + "/metrics").status == 404)
        }
    }

    @Test func metricsCountRequestsByRouteAndStatusAndPassPromtool() async throws {
        try await APIHarness.withIssuer { api, issuer, _ in
            let admin = try issuer.token(issuer.claims(roles: ["energy-admin"]))
            for _ in 0..<3 { _ = try await api.api("/points/\(APIFixture.pointA)/rollups?from=2026-10-01&to=2026-10-08", token: admin) }
            _ = try await api.api("/runs?limit=0", token: admin)
            _ = try await api.api("/runs", token: nil)
            let metrics = try await api.get("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.contentType.hasPrefix("text/plain"))
            let text = metrics.text
            let route = APIHarness.base + "/api/v1/points/{zaehlpunkt}/rollups"
            #expect(
                text.contains("energy_http_requests_total{route=\"\(route)\",method=\"GET\",status=\"200\"} 3"), "\(text.prefix(3000))")
            #expect(
                text.contains("energy_http_requests_total{route=\"\(APIHarness.base)/api/v1/runs\",method=\"GET\",status=\"400\"} 1"))
            #expect(
                text.contains("energy_http_requests_total{route=\"\(APIHarness.base)/api/v1/runs\",method=\"GET\",status=\"401\"} 1"))
            #expect(text.contains("energy_http_request_duration_seconds_count{route=\"\(route)\",method=\"GET\",status=\"200\"} 3"))
            #expect(text.contains("energy_store_up 1"))
            #expect(text.contains("energy_job_last_run_failed{command=\"rollup\",community=\"eeg-api\"} 0"))
            #expect(text.contains("energy_job_last_success_timestamp_seconds{command=\"rollup\",community=\"eeg-api\"}"))
            // Prometheus' own checker (Debian's prometheus package): format and naming.
            let (status, output) = try Promtool.checkMetrics(text)
            #expect(status == 0, "promtool check metrics: \(output)")
        }
    }

    @Test func readinessFailsWhenTheStoreGoesAwayAndHealthStaysUp() async throws {
        let fixture = try APIFixture.shared()
        // A MongoDB-wire server of this test's own, killed while the API runs.
        let server = try PrivateMongoServer()
        defer { server.stop() }
        let store = try server.openStore()
        try await APIHarness.run(fixture: fixture, issuer: nil, store: store) { api in
            let before = try await api.get("/readyz")
            #expect(before.status == 200, "\(before.text)")
            server.stop()
            #expect(try await api.get("/healthz").status == 200)
            let ready = try await api.get("/readyz")
            #expect(ready.status == 503, "\(ready.text)")
            #expect(ready.errorCode == "unavailable")
            let rollups = try await api.api("/points/\(APIFixture.pointA)/rollups?from=2026-10-01&to=2026-10-02", token: nil)
            #expect(rollups.status == 503, "\(rollups.text)")
            let metrics = try await api.get("/metrics")
            #expect(metrics.text.contains("energy_store_up 0"))
        }
    }
}

/// SecantusDB from the test virtualenv on a free loopback port, in memory, for one test.
final class PrivateMongoServer: @unchecked Sendable {
    let process = Process()
    let port: Int

    init() throws {
        port = try Self.freePort()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        process.executableURL = root.appendingPathComponent(".venv/bin/secantusd-py")
        process.arguments = ["--host", "127.0.0.1", "--port", String(port), "--storage-path", ":memory:", "--standalone"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw TestSetupFailure(
                "cannot start \(process.executableURL?.path ?? "secantusd-py") (scripts/install-deps.sh test makes .venv): \(error)")
        }
    }

    var uri: String {
        "mongodb://127.0.0.1:\(port)/energy_api_test?directConnection=true&serverSelectionTimeoutMS=1000&connectTimeoutMS=1000"
    }

    /// Opens the store once the server answers (it takes a second or two to start).
    func openStore() throws -> any ReadingStore {
        var lastError: (any Error)?
        for _ in 0..<60 {
            do { return try StoreLocation.parse(uri).open() } catch { lastError = error }
            usleep(250_000)
        }
        throw TestSetupFailure("the private MongoDB server did not come up: \(lastError.map { "\($0)" } ?? "")")
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TestSetupFailure("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

enum Promtool {
    /// Runs `promtool check metrics` on `text`; the exit status and what it printed.
    static func checkMetrics(_ text: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["promtool", "check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        do { try process.run() } catch {
            throw TestSetupFailure(
                "promtool is not installed (Debian package prometheus; scripts/install-deps.sh test installs it): \(error)")
        }
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: printed, as: UTF8.self))
    }
}
