import Crypto
import CryptoExtras
import EnergyCore
import EnergyService
import EnergySimulator
import Foundation
import Hummingbird
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The HTTP API's figures: wrk on loopback at fixed concurrency against `energy serve` with a
/// real token check (RS256, keys from a discovery document and JWKS served here), for a month of
/// daily rollups of one metering point; compared with /healthz (no token, no store) in the same run.
func apiSection(_ o: Options, port: Int = 18480, issuerPort: Int = 18481) throws -> String {
    let work = o.work + "/api"
    try? FileManager.default.removeItem(atPath: work)
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    var members = o.apiPoints * 3 / 4
    var community = DemoCommunity.make(members: members, seed: 5, id: "eeg-bench-api")
    while community.meteringPoints.count < o.apiPoints {
        members += 1
        community = DemoCommunity.make(members: members, seed: 5, id: "eeg-bench-api")
    }
    let communityPath = work + "/community.yaml"
    let csv = work + "/readings.csv"
    let store = "sqlite:" + work + "/api.sqlite"
    try CommunityFile.render(community).write(toFile: communityPath, atomically: true, encoding: .utf8)
    let month = try LocalMonth(o.month)
    let from = month.firstDay.description
    let to = month.next.firstDay.description
    _ = measure(o.energy, ["simulate", "--community", communityPath, "--from", from, "--to", to, "--out", csv])
    _ = measure(o.energy, ["import", "--community", communityPath, "--store", store, csv])
    _ = measure(o.energy, ["rollup", "--community", communityPath, "--store", store, "--from", from, "--to", to])

    // A Keycloak stand-in: discovery document and JWKS with the bench's own RSA key.
    let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
    let issuer = "http://127.0.0.1:\(issuerPort)/realms/bench"
    let modulus = base64URL(try key.publicKey.getKeyPrimitives().modulus)
    let router = Router()
    router.get("realms/bench/.well-known/openid-configuration") { _, _ in
        Response.plainText(#"{"issuer":"\#(issuer)","jwks_uri":"\#(issuer)/protocol/openid-connect/certs"}"#)
    }
    router.get("realms/bench/protocol/openid-connect/certs") { _, _ in
        Response.plainText(#"{"keys":[{"kid":"bench","kty":"RSA","alg":"RS256","use":"sig","n":"\#(modulus)","e":"AQAB"}]}"#)
    }
    var quiet = Logger(label: "bench.realm")
    quiet.logLevel = .warning
    let realmService = httpService(router: router, host: "127.0.0.1", port: issuerPort, logger: quiet)
    let realm = Task { try await realmService.run() }
    defer { realm.cancel() }
    guard waitForHTTP(issuer + "/.well-known/openid-configuration") else { fatalError("the Keycloak stand-in did not come up") }
    let now = Int(Date().timeIntervalSince1970)
    let header = base64URL(Data(#"{"alg":"RS256","kid":"bench","typ":"JWT"}"#.utf8))
    let payload = base64URL(
        Data(
            #"{"iss":"\#(issuer)","aud":"energy-bench","sub":"bench","exp":\#(now + 3600),"realm_access":{"roles":["energy-admin"]}}"#.utf8)
    )
    let signature = try key.signature(for: Data((header + "." + payload).utf8), padding: .insecurePKCS1v1_5).rawRepresentation
    let token = header + "." + payload + "." + base64URL(signature)

    let serve = spawn(
        o.energy,
        [
            "serve", "--community", communityPath, "--store", store, "--port", String(port),
            "--oidc-issuer", issuer, "--oidc-audience", "energy-bench",
        ], silencing: [1, 2])
    defer {
        kill(serve, SIGTERM)
        var status: Int32 = 0
        waitpid(serve, &status, 0)
    }
    let base = "http://127.0.0.1:\(port)"
    guard waitForHTTP(base + "/healthz") else { fatalError("energy serve did not come up on \(base)") }
    let point = community.meteringPoints.first { $0.direction == .consumption } ?? community.meteringPoints[0]
    let rollups = base + "/api/v1/points/\(point.zaehlpunkt)/rollups?granularity=day&from=\(from)&to=\(to)"

    let connections = 16
    let seconds = 10
    _ = try wrk(rollups, token: token, connections: connections, seconds: 2)  // warm-up: keys fetched, pages cached
    let api = try wrk(rollups, token: token, connections: connections, seconds: seconds)
    let health = try wrk(base + "/healthz", token: nil, connections: connections, seconds: seconds)
    guard api.non2xx == 0 else { fatalError("the API answered \(api.non2xx) requests with errors") }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    func f(_ v: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", v) }
    return """
        ## HTTP API

        `energy serve` (release) on loopback with a real token check: an RS256 token verified with keys \
        from a discovery document and JWKS (served by the benchmark), SQLite store, community of \
        \(community.meteringPoints.count) metering points. wrk, \(connections) connections, 2 threads, \(seconds) s each, \
        on the same \(cores) cores as the server.

        | request | requests/s | p50 | p99 | ratio to /healthz |
        |---|---|---|---|---|
        | a month of daily rollups of one metering point (`/api/v1/points/{zp}/rollups?granularity=day`, admin token) | \(f(api.requestsPerSecond)) | \(f(api.p50 * 1000, 2)) ms | \(f(api.p99 * 1000, 2)) ms | \(f(api.requestsPerSecond / health.requestsPerSecond, 2)) x |
        | `/healthz` (no token, no store) | \(f(health.requestsPerSecond)) | \(f(health.p50 * 1000, 2)) ms | \(f(health.p99 * 1000, 2)) ms | 1.00 x |

        Reproduce: `make bench`, or this section alone: `.build/release/EnergyBench --api-only`.

        """
}

struct WrkResult {
    var requestsPerSecond: Double
    var p50: Double
    var p99: Double
    var non2xx: Int
}

/// Runs wrk against `url` and reads its summary.
func wrk(_ url: String, token: String?, connections: Int, seconds: Int) throws -> WrkResult {
    let (status, text) = runWrk(url, token: token, connections: connections, seconds: seconds)
    guard status == 0 else { fatalError("wrk failed:\n\(text)") }
    return try parseWrk(text)
}

/// wrk's exit status and what it printed.
func runWrk(_ url: String, token: String?, connections: Int, seconds: Int) -> (Int32, String) {
    var arguments = ["wrk", "-t\(min(2, connections))", "-c\(connections)", "-d\(seconds)s", "--latency"]
    if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
    arguments.append(url)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    do { try process.run() } catch { fatalError("cannot run wrk (Debian package wrk; scripts/install-deps.sh test installs it): \(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

func parseWrk(_ text: String) throws -> WrkResult {
    func value(after label: String) -> String? {
        guard let line = text.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }) else {
            return nil
        }
        return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(label.split(separator: " ").count).first.map(
            String.init)
    }
    func duration(_ text: String?) -> Double {
        guard let text else { return .nan }
        for (suffix, scale) in [("us", 1e-6), ("ms", 1e-3), ("s", 1.0)] where text.hasSuffix(suffix) {
            return (Double(text.dropLast(suffix.count)) ?? .nan) * scale
        }
        return .nan
    }
    let non2xx = value(after: "Non-2xx or 3xx responses:").flatMap { Int($0) } ?? 0
    guard let rps = value(after: "Requests/sec:").flatMap(Double.init) else { fatalError("wrk printed no Requests/sec:\n\(text)") }
    return WrkResult(requestsPerSecond: rps, p50: duration(value(after: "50%")), p99: duration(value(after: "99%")), non2xx: non2xx)
}

func base64URL(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(
        of: "=", with: "")
}

/// Polls `url` with wrk itself until it answers: up to about a minute.
private func waitForHTTP(_ url: String) -> Bool {
    for _ in 0..<300 {
        let (status, text) = runWrk(url, token: nil, connections: 1, seconds: 1)
        if status == 0, let result = try? parseWrk(text), result.requestsPerSecond > 0 { return true }
        usleep(100_000)
    }
    return false
}
