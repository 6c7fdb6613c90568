import EnergyAPI
import Foundation
import Testing

/// The realm the platform team imports (`deploy/keycloak/realm-energy.json`) gives tokens exactly
/// the claims `energy serve` checks with its defaults: the audience, the two realm roles, the
/// member claim.
@Suite struct KeycloakRealmTests {
    @Test func theRealmSendsTheClaimsTheAPIChecks() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/keycloak/realm-energy.json")
        let realm = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
        let defaults = OIDCSettings(issuer: "https://keycloak.example/realms/energy", audience: "energy-api")
        let roles = ((realm["roles"] as? [String: Any])?["realm"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(Set(roles) == [defaults.adminRole, defaults.memberRole])
        let clients = realm["clients"] as? [[String: Any]] ?? []
        let api = try #require(clients.first { $0["clientId"] as? String == "energy-api" })
        #expect(api["bearerOnly"] as? Bool == true, "the API's client never logs in")
        let login = try #require(clients.first { $0["clientId"] as? String == "energy" })
        let mappers = login["protocolMappers"] as? [[String: Any]] ?? []
        func config(_ type: String) -> [String: String]? {
            mappers.first { $0["protocolMapper"] as? String == type }?["config"] as? [String: String]
        }
        #expect(config("oidc-audience-mapper")?["included.client.audience"] == defaults.audience)
        #expect(config("oidc-audience-mapper")?["access.token.claim"] == "true")
        #expect(config("oidc-usermodel-attribute-mapper")?["claim.name"] == defaults.memberClaim)
        #expect(config("oidc-usermodel-attribute-mapper")?["access.token.claim"] == "true")
        #expect(config("oidc-usermodel-realm-role-mapper")?["claim.name"] == "realm_access.roles")
        // The example users: an administrator, and a member whose member_id names a member.
        let users = realm["users"] as? [[String: Any]] ?? []
        #expect(users.contains { ($0["realmRoles"] as? [String]) == [defaults.adminRole] })
        #expect(users.contains { (($0["attributes"] as? [String: [String]])?[defaults.memberClaim]?.first) == "M001" })
        #expect(realm["accessTokenLifespan"] as? Int == 300)
    }
}
