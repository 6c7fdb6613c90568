import EnergyAPI
import Foundation
import Testing

/// Unknown parameters, malformed values, oversized ranges and injection attempts: 400 with a
/// reason, and nothing of it reaches the store.
@Suite struct BadInputTests {
    @Test func badInputIsRefusedWith400AndAReason() async throws {
        try await APIHarness.withIssuer { api, issuer, _ in
            let admin = try issuer.token(issuer.claims(roles: ["energy-admin"]))
            let p = "/points/\(APIFixture.pointA)"
            let cases: [(String, String)] = [
                ("\(p)/rollups?from=2026-10-01&to=2026-10-02&color=red", "unknown query parameter 'color'"),
                ("\(p)/rollups?from=2026-13-01&to=2026-10-02", "'from'"),
                ("\(p)/rollups?from=yesterday&to=2026-10-02", "'from'"),
                ("\(p)/rollups?from=2026-10-05&to=2026-10-02", "must be before"),
                ("\(p)/rollups?to=2026-10-02", "'from'"),
                ("\(p)/rollups?from=2026-10-01&to=2026-10-02&from=2026-10-01", "twice"),
                ("\(p)/rollups?granularity=week&from=2026-10-01&to=2026-10-02", "granularity"),
                ("\(p)/rollups?granularity=15m&from=2026-01-01&to=2026-12-01", "at most 31"),
                ("\(p)/rollups?from=2020-01-01&to=2026-01-01", "at most 366"),
                ("\(p)/readings?from=2026-01-01&to=2026-03-01", "at most 31"),
                ("/points/AT003/rollups?from=2026-10-01&to=2026-10-02", "Zaehlpunkt"),
                ("/points/at0030000000000000000000000000002/rollups?from=2026-10-01&to=2026-10-02", "Zaehlpunkt"),
                ("/runs?limit=0", "'limit'"),
                ("/runs?limit=all", "'limit'"),
                ("/statements?year=20x6", "'year'"),
                ("/statements/7?format=xlsx", "statement number"),
                ("/statements/2026-0001?format=sepa", "'format'"),
                // Injection: operators in names and values, raw and percent-encoded.
                ("\(p)/rollups?from[$ne]=1&to=2026-10-02", "operators"),
                ("\(p)/rollups?from=%7B%22%24gt%22%3A%22%22%7D&to=2026-10-02", "operators"),
                ("\(p)/rollups?%24where=sleep(1000)&from=2026-10-01&to=2026-10-02", "operators"),
                ("/runs?limit=%7B%22%24ne%22%3Anull%7D", "operators"),
                ("/statements?year[$gt]=0", "operators"),
                ("/points/%7B%22%24ne%22%3A%22%22%7D/rollups?from=2026-10-01&to=2026-10-02", "operators"),
                ("/points/AT0030000000000000000000000000002%27%20OR%201%3D1/readings?from=2026-10-01&to=2026-10-02", "Zaehlpunkt"),
                ("\(p)/rollups?from=2026-10-01%00&to=2026-10-02", "control characters"),
                ("\(p)/rollups?from=%E0%A4%A&to=2026-10-02", "percent-encoding"),
            ]
            for (path, reason) in cases {
                let answer = try await api.api(path, token: admin)
                #expect(answer.status == 400, "\(path): \(answer.status) \(answer.text)")
                #expect(answer.errorCode == "bad_request", "\(path): \(answer.text)")
                let message = answer.json?["message"] as? String ?? ""
                #expect(message.contains(reason), "\(path): '\(message)' should say \(reason)")
            }
            // The store is untouched and answers as before.
            let after = try await api.api("\(p)/rollups?from=2026-10-01&to=2026-10-02", token: admin)
            #expect(after.status == 200)
        }
    }

    @Test func unknownRoutesAndMethodsAnswerInJSON() async throws {
        let fixture = try APIFixture.shared()
        try await APIHarness.run(fixture: fixture, issuer: nil) { api in
            let missing = try await api.api("/nothing-here", token: nil)
            #expect(missing.status == 404)
            #expect(missing.errorCode == "not_found")
            let post = try await api.client.execute(uri: APIHarness.base + "/api/v1/runs", method: .post) {
                Answer(status: $0.status.code, contentType: $0.headers[.contentType] ?? "", body: $0.body)
            }
            #expect([404, 405].contains(post.status))
            #expect(post.json?["error"] != nil, "\(post.text)")
        }
    }
}
