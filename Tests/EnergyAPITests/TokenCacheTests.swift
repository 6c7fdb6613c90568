import EnergyAPI
import EnergyCore
import Foundation
import Testing

/// The verified-token cache, through the real server on loopback with the realm stand-in: a
/// remembered token is still refused once it expires or its key is withdrawn, any other token is
/// checked in full, and the cache keeps no more tokens than it is allowed.
@Suite struct TokenCacheTests {
    /// The shared fixture's API on `clock`, with a realm of its own.
    static func withCachingServer(
        size: Int = 4096, clock: ManualClock, _ body: @escaping @Sendable (APIHarness, TestIssuer, VerifiedTokenCache) async throws -> Void
    ) async throws {
        let fixture = try APIFixture.shared()
        let issuer = try TestIssuer()
        try await issuer.serve {
            try await APIHarness.serve(fixture: fixture, issuer: issuer, tokenCacheSize: size, clock: clock) { api, server in
                guard let cache = server.verifier?.cache else { throw TestSetupFailure("the server has no verifier") }
                try await body(api, issuer, cache)
            }
        }
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    @Test func aCachedTokenIsRefusedOnceItExpires() async throws {
        let start = Self.now()
        let clock = ManualClock(at: start)
        try await Self.withCachingServer(clock: clock) { api, issuer, cache in
            let token = try issuer.token(issuer.claims(roles: ["energy-admin"], now: Int(start)))  // exp: start + 300
            try await expectStatus(api.api("/me", token: token), 200)
            try await expectStatus(api.api("/me", token: token), 200)
            #expect(cache.count == 1, "the accepted token is remembered once")

            // Within the 30 s of skew after exp it is still valid, as in the full check.
            clock.set(unixSeconds: start + 300 + 29)
            try await expectStatus(api.api("/me", token: token), 200)
            clock.set(unixSeconds: start + 300 + 30)
            let expired = try await api.api("/me", token: token)
            #expect(expired.status == 401, "\(expired.text)")
            #expect(expired.text.contains("expired"), "\(expired.text)")
            #expect(cache.count == 0, "an expired token is forgotten")
        }
    }

    @Test func anyOtherTokenIsCheckedInFull() async throws {
        let start = Self.now()
        try await Self.withCachingServer(clock: ManualClock(at: start)) { api, issuer, _ in
            let admin = try issuer.token(issuer.claims(roles: ["energy-admin"], now: Int(start)))
            try await expectStatus(api.api("/me", token: admin), 200)

            // The same header and payload with another signature: not the remembered bytes.
            var forged = admin.split(separator: ".").map(String.init)
            forged[2] = String(forged[2].reversed())
            let answer = try await api.api("/me", token: forged.joined(separator: "."))
            #expect(answer.status == 401, "\(answer.text)")
            // A trailing byte more is another token too.
            try await expectStatus(api.api("/me", token: admin + "A"), 401)

            // A member's token after the admin's gets the member's rights, not the admin's.
            let member = try await api.api(
                "/me", token: try issuer.token(issuer.claims(roles: ["energy-member"], member: "A", now: Int(start))))
            #expect(member.json?["role"] as? String == "member")
            try await expectStatus(
                api.api(
                    "/points/\(APIFixture.pointB)/rollups?from=2026-10-01&to=2026-10-02",
                    token: try issuer.token(
                        issuer.claims(roles: ["energy-member"], member: "A", now: Int(start)))), 403)
            // Tokens without the rights are never remembered as allowed.
            let noRole = try issuer.token(issuer.claims(roles: ["offline_access"], now: Int(start)))
            try await expectStatus(api.api("/me", token: noRole), 403)
            try await expectStatus(api.api("/me", token: noRole), 403)
        }
    }

    @Test func theCacheKeepsAtMostItsSize() async throws {
        let start = Self.now()
        try await Self.withCachingServer(size: 4, clock: ManualClock(at: start)) { api, issuer, cache in
            var tokens: [String] = []
            for i in 0..<10 {
                var claims = issuer.claims(roles: ["energy-admin"], now: Int(start))
                claims["jti"] = "token-\(i)"
                tokens.append(try issuer.token(claims))
            }
            for token in tokens {
                try await expectStatus(api.api("/me", token: token), 200)
                #expect(cache.count <= 4)
            }
            // Dropped from the cache is not refused: checked again in full.
            try await expectStatus(api.api("/me", token: tokens[0]), 200)
            #expect(cache.count <= 4)
        }
    }

    @Test func aWithdrawnKeyEndsItsTokensAtTheNextKeyRefresh() async throws {
        let start = Self.now()
        let clock = ManualClock(at: start)
        try await Self.withCachingServer(clock: clock) { api, issuer, cache in
            issuer.rotate()
            var long = issuer.claims(roles: ["energy-admin"], now: Int(start))
            long["exp"] = Int(start) + 3 * 3600
            let rotated = try issuer.token(long, .rotated)
            let kept = try issuer.token(long)
            try await expectStatus(api.api("/me", token: rotated), 200)
            try await expectStatus(api.api("/me", token: kept), 200)
            #expect(cache.count == 2)

            // Keycloak stops publishing rsa-2; after the hour the keys are refetched on the next
            // request, and a token of the withdrawn key is refused although it is remembered.
            issuer.withdraw("rsa-2")
            clock.advance(seconds: 3601)
            let reads = issuer.jwksReads.load(ordering: .relaxed)
            try await expectStatus(api.api("/me", token: rotated), 401)
            #expect(issuer.jwksReads.load(ordering: .relaxed) > reads, "stale keys are refetched before any cached answer")
            // The key still published, unchanged, keeps its tokens.
            #expect(cache.count == 1)
            try await expectStatus(api.api("/me", token: kept), 200)
        }
    }

    @Test func aSizeOfZeroChecksEveryTokenInFull() async throws {
        let start = Self.now()
        try await Self.withCachingServer(size: 0, clock: ManualClock(at: start)) { api, issuer, cache in
            let token = try issuer.token(issuer.claims(roles: ["energy-admin"], now: Int(start)))
            try await expectStatus(api.api("/me", token: token), 200)
            try await expectStatus(api.api("/me", token: token), 200)
            #expect(cache.count == 0)
        }
    }
}
