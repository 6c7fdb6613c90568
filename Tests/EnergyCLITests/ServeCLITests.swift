import EnergyTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `energy serve` as a process: it refuses to start without a way to check tokens, runs
/// without them only when told (and says so), answers on loopback and stops cleanly on SIGTERM.
@Suite struct ServeCLITests {
    let folder = TemporaryFolder()
    var communityPath: String { folder.path + "/community.yaml" }

    init() throws {
        try """
        community: {id: eeg-serve, name: Serve, timezone: Europe/Vienna, allocation: dynamic}
        members:
          - id: A
            name: A
            meteringPoints:
              - {zaehlpunkt: AT0030000000000000000000000000002, direction: consumption}
        """.write(toFile: communityPath, atomically: true, encoding: .utf8)
    }

    @Test func serveRefusesToStartWithoutTokenSettingsOrWithBadOnes() throws {
        let store = "sqlite:" + folder.path + "/e.sqlite"
        let none = try CLI.run(
            ["serve", "--community", communityPath, "--store", store], environment: ["ENERGY_OIDC_ISSUER": "", "ENERGY_OIDC_AUDIENCE": ""])
        #expect(none.status == 64)
        #expect(none.stderr.contains("--oidc-issuer") && none.stderr.contains("--no-auth"), "\(none.stderr)")
        let badURL = try CLI.run([
            "serve", "--community", communityPath, "--store", store, "--oidc-issuer", "keycloak", "--oidc-audience", "energy",
        ])
        #expect(badURL.status == 64)
        #expect(badURL.stderr.contains("not an http(s) URL"), "\(badURL.stderr)")
        let noAudience = try CLI.run(
            ["serve", "--community", communityPath, "--store", store, "--oidc-issuer", "https://kc.example/realms/x"],
            environment: ["ENERGY_OIDC_AUDIENCE": ""])
        #expect(noAudience.status == 64)
        let badCache = try CLI.run(["serve", "--community", communityPath, "--store", store, "--no-auth", "--answer-cache", "5000"])
        #expect(badCache.status == 64 && badCache.stderr.contains("--answer-cache must be from 0 to 4096"), "\(badCache.stderr)")
        let badStore = try CLI.run(["serve", "--community", communityPath, "--store", "mongodb://", "--no-auth"])
        #expect(badStore.status != 0)
        #expect(badStore.stderr.contains("error:"), "\(badStore.stderr)")
    }

    @Test func serveWithoutAuthWarnsAnswersAndStopsOnSIGTERM() async throws {
        let log = folder.path + "/serve.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = CLI.process(
            [
                "serve", "--community", communityPath, "--store", "sqlite:" + folder.path + "/e.sqlite",
                "--no-auth", "--port", "0", "--base-path", "team-1/energy/",
            ], environment: [:])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try process.run()
        defer {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }

        var port: Int?
        for _ in 0..<300 where port == nil {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(text[range].split(separator: ":").last ?? "")
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let listening = try #require(port, "serve did not say where it listens: \(text)")
        #expect(text.contains("authentication is OFF"))

        let (ready, readyResponse) = try await URLSession.shared.data(
            from: try #require(URL(string: "http://127.0.0.1:\(listening)/readyz")))
        #expect((readyResponse as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: ready, as: UTF8.self) == "ready\n")
        let (body, response) = try await URLSession.shared.data(
            from: try #require(URL(string: "http://127.0.0.1:\(listening)/team-1/energy/api/v1/points")))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("AT0030000000000000000000000000002"))

        process.terminate()  // SIGTERM
        for _ in 0..<100 where process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning, "serve still runs 10 s after SIGTERM")
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
