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

    let point = community.meteringPoints.first { $0.direction == .consumption } ?? community.meteringPoints[0]
    let path = "/api/v1/points/\(point.zaehlpunkt)/rollups?granularity=day&from=\(from)&to=\(to)"
    let connections = 16
    let seconds = 10

    /// One `energy serve` of `binary` on the bench's store: the rollups route, then /healthz.
    func run(_ binary: String, _ options: [String] = []) throws -> (api: WrkResult, health: WrkResult) {
        let serve = spawn(
            binary,
            [
                "serve", "--community", communityPath, "--store", store, "--port", String(port),
                "--oidc-issuer", issuer, "--oidc-audience", "energy-bench",
            ] + options, silencing: [1, 2])
        defer {
            kill(serve, SIGTERM)
            var status: Int32 = 0
            waitpid(serve, &status, 0)
        }
        let base = "http://127.0.0.1:\(port)"
        guard waitForHTTP(base + "/healthz") else { fatalError("energy serve did not come up on \(base)") }
        _ = try wrk(base + path, token: token, connections: connections, seconds: 2)  // warm-up: keys fetched, pages cached
        let api = try wrk(base + path, token: token, connections: connections, seconds: seconds)
        let health = try wrk(base + "/healthz", token: nil, connections: connections, seconds: seconds)
        guard api.non2xx == 0 else { fatalError("\(binary) answered \(api.non2xx) requests with errors") }
        return (api, health)
    }

    // The binary before a change (--api-baseline), measured first in the same run on the same data.
    let before = try o.apiBaseline.map { try run($0) }
    let after = try run(o.energy)
    // The same server computing every answer: what a request costs when the data has just changed
    // or a client asks for ranges nobody asked for before.
    let computed = try run(o.energy, ["--answer-cache", "0"])
    let cores = ProcessInfo.processInfo.activeProcessorCount
    func f(_ v: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", v) }
    func rows(_ label: String, _ m: (api: WrkResult, health: WrkResult)) -> String {
        let api = m.api
        let health = m.health
        return """
            | \(label)a month of daily rollups of one metering point (`/api/v1/points/{zp}/rollups?granularity=day`, admin token) | \(f(api.requestsPerSecond)) | \(f(api.p50 * 1000, 2)) ms | \(f(api.p99 * 1000, 2)) ms | \(f(api.requestsPerSecond / health.requestsPerSecond, 2)) x |
            | \(label)`/healthz` (no token, no store) | \(f(health.requestsPerSecond)) | \(f(health.p50 * 1000, 2)) ms | \(f(health.p99 * 1000, 2)) ms | 1.00 x |
            """
    }
    let ratio = after.api.requestsPerSecond / after.health.requestsPerSecond
    let verdict =
        "Target: ratio \(f(ratio, 2)) x \(ratio >= 0.25 ? "met" : "not met"), p99 \(f(after.api.p99 * 1000, 2)) ms "
        + (after.api.p99 < 0.010 ? "met." : "not met.")
    let table =
        (before.map { rows("before: ", $0) + "\n" } ?? "") + rows(before == nil ? "" : "after: ", after) + "\n"
        + rows("every answer computed (`--answer-cache 0`): ", computed)
    return """
        ## HTTP API

        `energy serve` (release) on loopback with a real token check: an RS256 token verified with keys \
        from a discovery document and JWKS (served by the benchmark), SQLite store, community of \
        \(community.meteringPoints.count) metering points. wrk, \(connections) connections, 2 threads, \(seconds) s each, \
        on the same \(cores) cores as the server (and whatever else the machine runs: the ratio compares \
        the two routes in the same run). Target: at least 0.25 x the rate of /healthz, p99 under 10 ms.

        | request | requests/s | p50 | p99 | ratio to /healthz |
        |---|---|---|---|---|
        \(table)

        \(verdict)

        Where the time went (perf on the server while wrk ran; before: commits f3b1ee2 and e7d9c97) and what fixed it:

        - About two fifths of the server's CPU per request went into the answer itself: a quarter into \
        the JSON (`JSONText` appended piece by piece to a String, every value boxed by an `indirect` \
        enum, a Foundation time-zone lookup and ten string joins per timestamp), the rest into the \
        report for one point: a sum slot for every one of the community's 200 points (a 400 kB array \
        zeroed each time), a bucket grid built quarter hour by quarter hour (about 3,000 steps for a \
        month) and a pass over every stored point id. Now: JSON written as UTF-8 bytes, timestamps \
        straight into their bytes with the offset from an offset cache, only the asked point's keys \
        summed, the grid built in runs of a local day, ids by lookup.
        - SQLite compiled the rollup and dirty-day queries on every request (the parser and code \
        generator were about two thirds of SQLite's share): each connection now keeps them compiled.
        - The RS256 check (about a tenth: base64 and JSON decoding through Foundation, jwt-kit's \
        JSONDecoder, the RSA verification, two actor hops) ran on every request: a verified token is now remembered by \
        its exact text until it expires or its key is withdrawn (`VerifiedTokenCache`, docs/api.md).
        - Not causes: store connections are pooled, not opened per request, and store calls already \
        run on the server's own thread pool, off the event loops and the cooperative pool (4 \
        threads measured best on 2 cores; 1 or 2 were slower).
        - Then (commit e7d9c97) a request of this route still cost the server about 6 x the CPU of \
        /healthz (263 against 40 microseconds: the server's user and system time over a wrk run, \
        --no-auth). Of it, a fifth went into the rows of the answer (a `JSONText` object, a field \
        array and eight number Strings per row), an eighth into the report (the query, the bucket \
        grid) and some 6 % into Foundation's time zone (ICU): the grid took each day's start with \
        four zone lookups, a hundred per request. Now the rows are written straight into bytes \
        (`RollupRowsJSON`, the same text) and the grid's day starts come from an offset cache: 221 \
        microseconds.
        - The answer only changes when the stored data does: each store connection remembers its \
        last rollups answers with SQLite's data version (`PRAGMA data_version`, which any commit of \
        another connection or process changes, and the connection's own changes), read before the \
        data; a repeated request whose connection still sees that version gets the same bytes \
        without the query, the report or the JSON (`AnswerCache`, docs/api.md). About 97 \
        microseconds per request, 2.4 x /healthz. The benchmark asks for the same month again and \
        again, as a dashboard does; after an import or a rollup the next answer is computed again \
        (the row "every answer computed" above: the same server with `--answer-cache 0`). \
        Both together, in one run with `--api-baseline` e7d9c97: 5217 -> 13252 requests/s, 0.16 -> \
        0.43 x /healthz, p99 8.47 -> 3.77 ms.
        - Tried and not kept: Swift's tasks on NIO's event loops (NIO's global-executor takeover) \
        saved 5 to 8 % of the CPU per request, yet with fewer threads the server got less of this \
        shared machine and answered fewer requests per second on both routes; the SQLite read on \
        the calling thread instead of the store threads changed nothing measurable (272 and 274 \
        microseconds).
        - Left: the hand-offs between event loop, cooperative pool and store thread (futex wake-ups \
        and sleeps, about a sixth of the server's samples), the kernel sending an 8 kB answer \
        (writev, a tenth), HTTP parsing and routing, the metrics middleware (3 %); a request after \
        the data changed costs what it did before the answers were remembered.

        Reproduce: `make bench`, or this section alone: `.build/release/EnergyBench --api-only`; with \
        `--api-baseline PATH` another `energy` binary (say, built from an older commit) is measured \
        first in the same run.

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
