import EnergyAPI
import Foundation
import Testing

/// A member reads their own data and nothing of anyone else's, by any route.
@Suite struct IsolationTests {
    @Test func memberAReadsOwnDataAndNoneOfMemberBsByAnyRoute() async throws {
        try await APIHarness.withIssuer { api, issuer, fixture in
            let a = try issuer.token(issuer.claims(roles: ["energy-member"], member: "A"))
            let month = "from=2026-10-01&to=2026-11-01"
            let numberA = try #require(fixture.numbers["A"] ?? nil)
            let numberB = try #require(fixture.numbers["B"] ?? nil)

            // Own data: every route answers.
            for path in [
                "/points/\(APIFixture.pointA)/rollups?\(month)",
                "/points/\(APIFixture.pointA)/rollups?granularity=15m&from=2026-10-01&to=2026-10-02",
                "/points/\(APIFixture.pointA)/readings?from=2026-10-01&to=2026-10-02",
                "/statements/\(numberA)?format=csv", "/statements/\(numberA)",
            ] {
                let answer = try await api.api(path, token: a)
                #expect(answer.status == 200, "\(path): \(answer.text)")
            }
            let own = try await api.api("/points/\(APIFixture.pointA)/rollups?\(month)", token: a)
            let rows = try #require(own.json?["rows"] as? [[String: Any]])
            #expect(rows.count == 31)
            #expect(
                rows.allSatisfy { ($0["consumed_kwh"] as? Double).map { abs($0 - 48.0) < 1e-9 || abs($0 - 50.0) < 1e-9 } ?? false },
                "A uses 0.5 kWh every quarter hour: 48 kWh a day, 50 on the day with 100 quarter hours")

            // B's data, and community-wide data: refused, whatever the route.
            for path in [
                "/points/\(APIFixture.pointB)/rollups?\(month)", "/points/\(APIFixture.pointB)/readings?from=2026-10-01&to=2026-10-02",
                "/points/\(APIFixture.plant)/rollups?\(month)", "/points/AT0030000000000000000000000000099/rollups?\(month)",
                "/statements/\(numberB)", "/statements/\(numberB)?format=csv", "/statements/2026-9999",
                "/community/rollups?\(month)", "/runs",
            ] {
                let answer = try await api.api(path, token: a)
                #expect(answer.status == 403, "\(path): \(answer.status) \(answer.text)")
                #expect(!answer.text.contains("Bernd"), "\(path) must not show B's name")
                #expect(answer.errorCode == "forbidden", "\(path)")
            }

            // Lists contain only A's entries.
            let statements = try #require(try await api.api("/statements", token: a).json?["statements"] as? [[String: Any]])
            #expect(statements.map { $0["member_id"] as? String } == ["A"])
            let points = try #require(try await api.api("/points", token: a).json?["metering_points"] as? [[String: Any]])
            #expect(points.map { $0["member_id"] as? String } == ["A"])
        }
    }

    @Test func anAdminReadsEverythingAndTheCommunityAddsUpOverItsPoints() async throws {
        try await APIHarness.withIssuer { api, issuer, _ in
            let admin = try issuer.token(issuer.claims(roles: ["energy-admin"]))
            let month = "granularity=month&from=2026-10-01&to=2026-11-01"
            let community = try #require(
                try await api.api("/community/rollups?\(month)", token: admin).json?["rows"] as? [[String: Any]])
            #expect(community.count == 1)
            var consumed = 0.0
            var produced = 0.0
            var shared = 0.0
            for point in [APIFixture.plant, APIFixture.pointA, APIFixture.pointB] {
                let rows = try #require(
                    try await api.api("/points/\(point)/rollups?\(month)", token: admin).json?["rows"] as? [[String: Any]])
                for row in rows {
                    consumed += row["consumed_kwh"] as? Double ?? .nan
                    produced += row["produced_kwh"] as? Double ?? .nan
                    shared += (row["direction"] as? String == "consumption") ? (row["shared_kwh"] as? Double ?? .nan) : 0
                }
            }
            // Conservation: the community's figures are the sums over its points.
            #expect(abs((community[0]["consumed_kwh"] as? Double ?? .nan) - consumed) < 1e-6)
            #expect(abs((community[0]["produced_kwh"] as? Double ?? .nan) - produced) < 1e-6)
            #expect(abs((community[0]["shared_kwh"] as? Double ?? .nan) - shared) < 1e-6)
            #expect(consumed > 0 && produced > 0 && shared > 0)

            let statements = try #require(
                try await api.api("/statements?year=2026", token: admin).json?["statements"] as? [[String: Any]])
            #expect(Set(statements.compactMap { $0["member_id"] as? String }) == ["P", "A", "B"])
            let runs = try #require(try await api.api("/runs?limit=5", token: admin).json?["runs"] as? [[String: Any]])
            #expect(runs.contains { $0["command"] as? String == "rollup" && $0["outcome"] as? String == "ok" })
            let unknown = try await api.api("/points/AT0030000000000000000000000000099/rollups?\(month)", token: admin)
            #expect(unknown.status == 404)
        }
    }

    @Test func administratorsSeeTheReconciliationWithTheGridOperatorAndMembersDoNot() async throws {
        try await APIHarness.withIssuer { api, issuer, _ in
            let admin = try issuer.token(issuer.claims(roles: ["energy-admin"]))
            let member = try issuer.token(issuer.claims(roles: ["energy-member"], member: "A"))
            let range = "from=2026-09-30&to=2026-10-01"
            let answer = try await api.api("/community/reconciliation?\(range)", token: admin)
            let json = try #require(answer.json)
            #expect(json["agrees"] as? Bool == false)
            let points = try #require(json["points"] as? [[String: Any]])
            let differing = points.filter { ($0["quarter_hours_differing"] as? Int ?? 0) > 0 }
            #expect(Set(differing.compactMap { $0["zaehlpunkt"] as? String }) == [APIFixture.plant, APIFixture.pointA])
            #expect(differing.allSatisfy { $0["difference_kwh"] as? Double == 0.0015 })
            let days = try #require(json["days"] as? [[String: Any]])
            #expect(days.count == 1 && days[0]["dso_conserves"] as? Bool == true)
            let tolerant = try await api.api("/community/reconciliation?\(range)&tolerance_mwh=1500", token: admin)
            #expect(tolerant.json?["agrees"] as? Bool == true)
            #expect(try await api.api("/community/reconciliation?\(range)", token: member).status == 403)
            #expect(try await api.api("/community/reconciliation?\(range)&tolerance_mwh=-1", token: admin).status == 400)
        }
    }

    @Test func aDownloadedStatementIsByteForByteTheFileOfTheFinalRun() async throws {
        try await APIHarness.withIssuer { api, issuer, fixture in
            let b = try issuer.token(issuer.claims(roles: ["energy-member"], member: "B"))
            let number = try #require(fixture.numbers["B"] ?? nil)
            for format in ["xlsx", "csv"] {
                let answer = try await api.api("/statements/\(number)?format=\(format)", token: b)
                #expect(answer.status == 200, "\(answer.text)")
                let file = fixture.finalFolder + "/statement-\(number)-B.\(format)"
                let expected = try Data(contentsOf: URL(fileURLWithPath: file))
                #expect(Data(answer.body.readableBytesView) == expected, "\(format) differs from \(file)")
            }
        }
    }
}
