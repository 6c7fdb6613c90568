import Crypto
import CryptoExtras
import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import Synchronization

/// The test's own Keycloak stand-in: signing keys made by the test, and a realm that serves
/// `/.well-known/openid-configuration` and the JWKS on loopback, counting how often each is read.
final class TestIssuer: Sendable {
    let rsa: _RSA.Signing.PrivateKey
    let ec = P256.Signing.PrivateKey()
    /// A key the issuer starts publishing only when told (`rotate()`): rotation in Keycloak.
    let rotated: _RSA.Signing.PrivateKey
    let published = Mutex<Set<String>>(["rsa-1", "ec-1"])
    let jwksReads = Atomic<Int>(0)
    /// Filled in once the realm server runs.
    let baseURL = Mutex<String>("")

    static let realmPath = "/realms/energy"

    init() throws {
        rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        rotated = try _RSA.Signing.PrivateKey(keySize: .bits2048)
    }

    var issuer: String { baseURL.withLock { $0 } + Self.realmPath }

    func rotate() { published.withLock { _ = $0.insert("rsa-2") } }

    /// Stops publishing a key (`rsa-1`, `rsa-2`, `ec-1`): a key withdrawn in Keycloak.
    func withdraw(_ kid: String) { published.withLock { _ = $0.remove(kid) } }

    /// Runs the realm on a loopback port while `body` runs.
    func serve<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let router = Router()
        router.get("realms/energy/.well-known/openid-configuration") { _, _ in
            let issuer = self.issuer
            return Self.json(
                #"{"issuer":"\#(issuer)","jwks_uri":"\#(issuer)/protocol/openid-connect/certs","id_token_signing_alg_values_supported":["RS256","ES256"]}"#
            )
        }
        router.get("realms/energy/protocol/openid-connect/certs") { _, _ in
            self.jwksReads.add(1, ordering: .relaxed)
            return Self.json(try self.jwks())
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            guard let port = client.port else { throw TestSetupFailure("the issuer has no port") }
            baseURL.withLock { $0 = "http://127.0.0.1:\(port)" }
            return try await body()
        }
    }

    func jwks() throws -> String {
        let names = published.withLock { $0 }
        var keys: [String] = [
            // Keycloak also lists an encryption key; the verifier must skip it.
            #"{"kid":"enc-1","kty":"RSA","alg":"RSA-OAEP","use":"enc","n":"\#(try Self.modulus(rsa))","e":"AQAB"}"#
        ]
        if names.contains("rsa-1") {
            keys.append(#"{"kid":"rsa-1","kty":"RSA","alg":"RS256","use":"sig","n":"\#(try Self.modulus(rsa))","e":"AQAB"}"#)
        }
        if names.contains("rsa-2") {
            keys.append(#"{"kid":"rsa-2","kty":"RSA","alg":"RS256","use":"sig","n":"\#(try Self.modulus(rotated))","e":"AQAB"}"#)
        }
        if names.contains("ec-1") {
            let raw = ec.publicKey.x963Representation.dropFirst()  // 0x04 || x || y
            keys.append(
                #"{"kid":"ec-1","kty":"EC","alg":"ES256","use":"sig","crv":"P-256","x":"\#(Self.base64URL(raw.prefix(32)))","y":"\#(Self.base64URL(raw.suffix(32)))"}"#
            )
        }
        return #"{"keys":[\#(keys.joined(separator: ","))]}"#
    }

    // MARK: Tokens

    enum Signature { case rs256, es256, rotated, none, hs256WithPublicKey }

    /// A token with `claims` (JSON object members), signed as asked, with this header `kid`.
    func token(_ claims: [String: Any], _ signature: Signature = .rs256, kid: String? = nil, alg: String? = nil) throws -> String {
        let (defaultAlg, defaultKid): (String, String) =
            switch signature {
            case .rs256: ("RS256", "rsa-1")
            case .es256: ("ES256", "ec-1")
            case .rotated: ("RS256", "rsa-2")
            case .none: ("none", "rsa-1")
            case .hs256WithPublicKey: ("HS256", "rsa-1")
            }
        let header = try JSONSerialization.data(
            withJSONObject: ["alg": alg ?? defaultAlg, "kid": kid ?? defaultKid, "typ": "JWT"], options: .sortedKeys)
        let payload = try JSONSerialization.data(withJSONObject: claims, options: .sortedKeys)
        let input = Self.base64URL(header) + "." + Self.base64URL(payload)
        let data = Data(input.utf8)
        let sig: Data =
            switch signature {
            case .rs256: try rsa.signature(for: data, padding: .insecurePKCS1v1_5).rawRepresentation
            case .rotated: try rotated.signature(for: data, padding: .insecurePKCS1v1_5).rawRepresentation
            case .es256: try ec.signature(for: data).rawRepresentation
            case .none: Data()
            case .hs256WithPublicKey:
                // The classic confusion attack: HMAC keyed with the public key, which anyone has.
                Data(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: Data(rsa.publicKey.pemRepresentation.utf8))))
            }
        return input + "." + Self.base64URL(sig)
    }

    /// Standard claims of a token for `audience`, valid from a minute ago for five minutes.
    func claims(
        roles: [String], member: String? = nil, audience: Any = "energy-api", now: Int = Int(Date().timeIntervalSince1970)
    ) -> [String: Any] {
        var claims: [String: Any] = [
            "iss": issuer, "aud": audience, "sub": "user-\(member ?? "admin")", "exp": now + 300, "nbf": now - 60, "iat": now - 60,
            "realm_access": ["roles": roles], "preferred_username": "someone",
        ]
        if let member { claims["member_id"] = member }
        return claims
    }

    static func modulus(_ key: _RSA.Signing.PrivateKey) throws -> String {
        let primitives = try Insecure.RSA.PrivateKey(backing: key).publicKey.getKeyPrimitives()
        return base64URL(primitives.modulus)
    }

    static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func json(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

struct TestSetupFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
