import EnergyAPI
import Foundation
import Testing

/// Keycloak tokens: what is accepted, and every way a token can be wrong.
@Suite struct TokenTests {
    @Test func adminAndMemberTokensAreAcceptedWithTheirRights() async throws {
        try await APIHarness.withIssuer { api, issuer, _ in
            let admin = try await api.api("/me", token: try issuer.token(issuer.claims(roles: ["energy-admin", "offline_access"])))
            #expect(admin.status == 200, "\(admin.text)")
            #expect(admin.json?["role"] as? String == "admin")
            #expect((admin.json?["metering_points"] as? [Any])?.count == 3)

            // A member's token signed with the realm's EC key (ES256) and an audience list.
            let member = try await api.api(
                "/me",
                token: try issuer.token(
                    issuer.claims(roles: ["energy-member"], member: "A", audience: ["account", "energy-api"]), .es256))
            #expect(member.status == 200, "\(member.text)")
            #expect(member.json?["role"] as? String == "member")
            #expect(member.json?["member_id"] as? String == "A")
            let points = (member.json?["metering_points"] as? [[String: Any]])?.compactMap { $0["zaehlpunkt"] as? String }
            #expect(points == [APIFixture.pointA])
        }
    }

    @Test func everyMalformedForgedOrMisdirectedTokenIsRejectedWith401() async throws {
        try await APIHarness.withIssuer { api, issuer, _ in
            let now = Int(Date().timeIntervalSince1970)
            let admin = issuer.claims(roles: ["energy-admin"])
            var tampered = try issuer.token(issuer.claims(roles: ["energy-member"], member: "A")).split(separator: ".").map(String.init)
            tampered[1] = TestIssuer.base64URL(try JSONSerialization.data(withJSONObject: admin))
            var expired = admin
            expired["exp"] = now - 120
            var notYet = admin
            notYet["nbf"] = now + 300
            var wrongIssuer = admin
            wrongIssuer["iss"] = "https://evil.example/realms/energy"
            var noExpiry = admin
            noExpiry.removeValue(forKey: "exp")
            let cases: [(String, String?)] = [
                ("no token", nil),
                ("not a JWT", "hello"),
                ("alg none", try issuer.token(admin, .none)),
                ("alg none, signature kept", try issuer.token(admin, .rs256, alg: "none")),
                ("HS256 keyed with the public key", try issuer.token(admin, .hs256WithPublicKey)),
                ("RS256 header on the EC key", try issuer.token(admin, .es256, alg: "RS256")),
                ("expired", try issuer.token(expired)),
                ("not yet valid", try issuer.token(notYet)),
                ("no expiry", try issuer.token(noExpiry)),
                ("wrong issuer", try issuer.token(wrongIssuer)),
                ("wrong audience", try issuer.token(issuer.claims(roles: ["energy-admin"], audience: "other-api"))),
                ("unknown kid", try issuer.token(admin, .rs256, kid: "made-up")),
                ("signed by a key the realm does not publish", try issuer.token(admin, .rotated)),
                ("tampered payload", tampered.joined(separator: ".")),
            ]
            for (name, token) in cases {
                let answer = try await api.api("/me", token: token)
                #expect(answer.status == 401, "\(name): \(answer.status) \(answer.text)")
                #expect(answer.errorCode == "unauthorized", "\(name): \(answer.text)")
                #expect(answer.contentType.hasPrefix("application/json"), "\(name)")
            }
            let wrongScheme = try await api.client.execute(
                uri: APIHarness.base + "/api/v1/me", method: .get,
                headers: [.authorization: "Basic YWRtaW46YWRtaW4="]
            ) { $0.status.code }
            #expect(wrongScheme == 401)
        }
    }

    @Test func aSmallClockSkewIsToleratedAndTokensWithoutRightsGet403() async throws {
        try await APIHarness.withIssuer { api, issuer, _ in
            let now = Int(Date().timeIntervalSince1970)
            var justExpired = issuer.claims(roles: ["energy-admin"])
            justExpired["exp"] = now - 5
            var almostValid = issuer.claims(roles: ["energy-admin"])
            almostValid["nbf"] = now + 5
            try await expectStatus(api.api("/me", token: try issuer.token(justExpired)), 200)
            try await expectStatus(api.api("/me", token: try issuer.token(almostValid)), 200)

            let noRole = try await api.api("/me", token: try issuer.token(issuer.claims(roles: ["offline_access"])))
            #expect(noRole.status == 403)
            #expect(noRole.errorCode == "forbidden")
            let memberWithoutClaim = try await api.api("/me", token: try issuer.token(issuer.claims(roles: ["energy-member"])))
            #expect(memberWithoutClaim.status == 403)
            #expect(memberWithoutClaim.text.contains("member_id"))
        }
    }

    @Test func aKeyRotatedInAfterStartIsFetchedOnItsFirstUseAndUnknownKidsRefetch() async throws {
        try await APIHarness.withIssuer { api, issuer, _ in
            let admin = issuer.claims(roles: ["energy-admin"])
            try await expectStatus(api.api("/me", token: try issuer.token(admin)), 200)
            let readsAfterFirst = issuer.jwksReads.load(ordering: .relaxed)
            #expect(readsAfterFirst == 1)
            // Cached: a second known-kid token does not fetch again.
            try await expectStatus(api.api("/me", token: try issuer.token(admin, .es256)), 200)
            #expect(issuer.jwksReads.load(ordering: .relaxed) == 1)

            try await expectStatus(api.api("/me", token: try issuer.token(admin, .rotated)), 401)
            #expect(issuer.jwksReads.load(ordering: .relaxed) == 2, "an unknown kid refetches the JWKS")
            issuer.rotate()
            try await expectStatus(api.api("/me", token: try issuer.token(admin, .rotated)), 200)
            #expect(issuer.jwksReads.load(ordering: .relaxed) == 3)
        }
    }

    @Test func anUnreachableIssuerIs503NotASilentPass() async throws {
        let fixture = try APIFixture.shared()
        let issuer = try TestIssuer()  // never served: its address has no server
        issuer.baseURL.withLock { $0 = "http://127.0.0.1:9" }
        try await APIHarness.run(fixture: fixture, issuer: issuer) { api in
            let answer = try await api.api("/me", token: try issuer.token(issuer.claims(roles: ["energy-admin"])))
            #expect(answer.status == 503, "\(answer.text)")
            #expect(answer.errorCode == "unavailable")
        }
    }
}

/// Checks an answer's status, with its body in the message when it is not the expected one.
func expectStatus(_ answer: Answer, _ status: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(answer.status == status, "\(answer.text)", sourceLocation: sourceLocation)
}
