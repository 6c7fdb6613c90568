import EnergyCore
import Foundation
import JWTKit

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Checks Keycloak's bearer tokens: the signature with the issuer's published keys (discovery
/// document, then JWKS; cached, refetched for an unknown `kid`), then `iss`, `aud`, `exp` and
/// `nbf`, then the roles. Only asymmetric algorithms are accepted, each only with a key of its
/// type: a token signed with HMAC using the public key as secret, or with `alg: none`, never
/// reaches a verifier. A token that passed is remembered (`VerifiedTokenCache`) until it expires
/// or its key is withdrawn, so a session's later requests skip the signature check.
public actor TokenVerifier {
    public let settings: OIDCSettings
    private let fetch: @Sendable (URL) async throws -> Data
    private let clock: any WallClock
    /// Tokens verified already, answered without entering the actor.
    public nonisolated let cache: VerifiedTokenCache

    private var keys = JWTKeyCollection()
    /// Per key id: its key type, the algorithm the JWKS pins it to (if any), and its JWK as
    /// published (to tell, at a refetch, which keys are unchanged).
    private var known: [String: (keyType: String, algorithm: String?, published: Data)] = [:]
    private var fetchedAt: Double?
    private var lastAttempt: Double?
    private var refreshing: Task<Void, Error>?

    /// Asymmetric JWS algorithms Keycloak signs with, by the key type they need.
    static let algorithms: [String: String] = [
        "RS256": "RSA", "RS384": "RSA", "RS512": "RSA", "PS256": "RSA", "PS384": "RSA", "PS512": "RSA",
        "ES256": "EC", "ES384": "EC", "ES512": "EC", "EdDSA": "OKP",
    ]

    public init(
        settings: OIDCSettings, fetch: (@Sendable (URL) async throws -> Data)? = nil,
        clock: any WallClock = SystemClock()
    ) {
        self.settings = settings
        self.fetch = fetch ?? TokenVerifier.httpGet
        self.clock = clock
        self.cache = VerifiedTokenCache(capacity: settings.tokenCacheSize)
    }

    /// The caller a token stands for; 401 when it is not a valid token of our issuer for us, 403
    /// when it is valid but grants neither role. A token verified before, still unexpired and
    /// signed by a key still published, is answered from the cache without entering the actor.
    public nonisolated func verify(_ token: String) async throws(APIError) -> Caller {
        if let caller = cache.caller(
            for: token, now: clock.unixSeconds, skew: settings.clockSkewSeconds, maximumKeyAge: settings.maximumKeyAgeSeconds)
        {
            return caller
        }
        return try await verifySignature(token)
    }

    /// The full check: header, key, signature, then the claims; remembers the token if it passes.
    private func verifySignature(_ token: String) async throws(APIError) -> Caller {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty else { throw .unauthorized("the token is not a signed JWT (header.payload.signature)") }
        guard let header = Self.jsonObject(base64URL: parts[0]) else { throw .unauthorized("the token's header is not base64url JSON") }
        guard let alg = header["alg"] as? String else { throw .unauthorized("the token's header has no 'alg'") }
        guard let keyType = Self.algorithms[alg] else {
            throw .unauthorized(
                "tokens signed with '\(alg)' are not accepted; accepted: \(Self.algorithms.keys.sorted().joined(separator: ", "))")
        }
        guard let kid = header["kid"] as? String, !kid.isEmpty else { throw .unauthorized("the token's header has no 'kid'") }

        try await refreshIfStale()
        if known[kid] == nil { try await refresh(because: "unknown key id") }
        guard let key = known[kid] else { throw .unauthorized("the token was signed with key '\(kid)', which the issuer does not publish") }
        guard key.keyType == keyType else { throw .unauthorized("key '\(kid)' is an \(key.keyType) key; it cannot verify '\(alg)'") }
        if let pinned = key.algorithm, pinned != alg {
            throw .unauthorized("key '\(kid)' is published for '\(pinned)', the token says '\(alg)'")
        }

        // The keys may be refetched while the signature is checked (the actor is reentrant): a
        // token checked with keys replaced meanwhile is answered but not remembered.
        let generation = cache.generation
        let claims: KeycloakClaims
        do {
            claims = try await keys.verify(token, as: KeycloakClaims.self)
        } catch {
            throw .unauthorized("the token's signature does not verify, or its claims are malformed")
        }
        guard let payload = Self.jsonObject(base64URL: parts[1]) else { throw .unauthorized("the token's payload is not base64url JSON") }
        let caller = try caller(claims, payload: payload)
        if let exp = claims.exp?.value {
            cache.insert(token, caller: caller, keyID: kid, expiresAt: exp.timeIntervalSince1970, generation: generation)
        }
        return caller
    }

    private func caller(_ claims: KeycloakClaims, payload: [String: Any]) throws(APIError) -> Caller {
        guard let iss = claims.iss?.value, iss == settings.issuer else {
            throw .unauthorized("the token was issued by '\(claims.iss?.value ?? "nobody")', not by \(settings.issuer)")
        }
        guard let aud = claims.aud?.value, aud.contains(settings.audience) else {
            throw .unauthorized("the token is not meant for audience '\(settings.audience)'")
        }
        let t = clock.unixSeconds
        guard let exp = claims.exp?.value else { throw .unauthorized("the token has no expiry ('exp')") }
        guard Double(t - settings.clockSkewSeconds) < exp.timeIntervalSince1970 else { throw .unauthorized("the token has expired") }
        if let nbf = claims.nbf?.value, Double(t + settings.clockSkewSeconds) < nbf.timeIntervalSince1970 {
            throw .unauthorized("the token is not valid yet ('nbf')")
        }
        let subject = claims.sub?.value ?? claims.preferred_username ?? "unknown"
        let roles = Set(claims.realm_access?.roles ?? [])
        if roles.contains(settings.adminRole) { return Caller(subject: subject, role: .admin) }
        if roles.contains(settings.memberRole) {
            guard let member = payload[settings.memberClaim] as? String, !member.isEmpty else {
                throw .forbidden("the token has the role '\(settings.memberRole)' but no '\(settings.memberClaim)' claim naming the member")
            }
            return Caller(subject: subject, role: .member, memberID: member)
        }
        throw .forbidden("the token has neither the role '\(settings.adminRole)' nor '\(settings.memberRole)'")
    }

    // MARK: Keys

    /// Loads the keys now (at start, so a wrong issuer shows in the log before the first request).
    public func load() async throws(APIError) { try await refresh(because: "start") }

    private func refreshIfStale() async throws(APIError) {
        let now = clock.now().timeIntervalSince1970
        if let fetchedAt, now - fetchedAt < settings.maximumKeyAgeSeconds { return }
        try await refresh(because: fetchedAt == nil ? "no keys yet" : "keys older than \(Int(settings.maximumKeyAgeSeconds)) s")
    }

    private func refresh(because reason: String) async throws(APIError) {
        if let refreshing {
            // Another request is fetching already: wait for it rather than fetch twice.
            try? await refreshing.value
            return
        }
        let now = clock.now().timeIntervalSince1970
        if let lastAttempt, now - lastAttempt < settings.minimumRefetchSeconds, fetchedAt != nil { return }
        lastAttempt = now
        let task = Task { try await self.fetchKeys() }
        refreshing = task
        defer { refreshing = nil }
        do {
            try await task.value
        } catch {
            if fetchedAt == nil { throw .unavailable("cannot load the signing keys of \(settings.issuer) (\(reason)): \(error)") }
            // Keep the keys we have; the next unknown kid tries again.
        }
    }

    private func fetchKeys() async throws {
        guard let discoveryURL = URL(string: settings.discoveryURL) else { throw KeyFetchError("'\(settings.discoveryURL)' is not a URL") }
        let discovery = try JSONSerialization.jsonObject(with: try await fetch(discoveryURL)) as? [String: Any]
        guard let issuer = discovery?["issuer"] as? String else { throw KeyFetchError("\(discoveryURL) has no 'issuer'") }
        guard issuer == settings.issuer else {
            throw KeyFetchError("\(discoveryURL) names issuer '\(issuer)', expected '\(settings.issuer)'")
        }
        guard let jwksText = discovery?["jwks_uri"] as? String, let jwksURL = URL(string: jwksText) else {
            throw KeyFetchError("\(discoveryURL) has no usable 'jwks_uri'")
        }
        let jwks = try JSONSerialization.jsonObject(with: try await fetch(jwksURL)) as? [String: Any]
        guard let entries = jwks?["keys"] as? [[String: Any]] else { throw KeyFetchError("\(jwksURL) has no 'keys' array") }
        let collection = JWTKeyCollection()
        var loaded: [String: (keyType: String, algorithm: String?, published: Data)] = [:]
        for entry in entries {
            // Keycloak also publishes encryption keys (use: enc, RSA-OAEP): not for signatures.
            if let use = entry["use"] as? String, use != "sig" { continue }
            guard let kid = entry["kid"] as? String, let kty = entry["kty"] as? String else { continue }
            let alg = entry["alg"] as? String
            if let alg, Self.algorithms[alg] != kty { continue }
            guard let data = try? JSONSerialization.data(withJSONObject: entry, options: .sortedKeys),
                let jwk = try? JSONDecoder().decode(JWK.self, from: data),
                (try? await collection.add(jwk: jwk)) != nil
            else { continue }
            loaded[kid] = (kty, alg, data)
        }
        guard !loaded.isEmpty else { throw KeyFetchError("\(jwksURL) has no signing keys this server can use") }
        // Cached tokens stay only for keys published again exactly as before.
        let unchanged = Set(loaded.compactMap { kid, key in known[kid]?.published == key.published ? kid : nil })
        keys = collection
        known = loaded
        let now = clock.now().timeIntervalSince1970
        fetchedAt = now
        cache.keysLoaded(at: now, keeping: unchanged)
    }

    static func jsonObject(base64URL: Substring) -> [String: Any]? {
        var text = base64URL.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    @Sendable static func httpGet(_ url: URL) async throws -> Data {
        var request = URLRequest(url: url, timeoutInterval: 5)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let (data, response) = try await URLSession.shared.data(for: request)
        if let http = response as? HTTPURLResponse, http.statusCode != 200 {
            throw KeyFetchError("\(url) answered \(http.statusCode)")
        }
        return data
    }
}

struct KeyFetchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The claims of a Keycloak access token the API reads. Checked by `TokenVerifier` after the
/// signature (with its own clock and skew), so `verify(using:)` does nothing.
struct KeycloakClaims: JWTPayload {
    struct RealmAccess: Codable, Sendable { var roles: [String]? }
    var iss: IssuerClaim?
    var aud: AudienceClaim?
    var exp: ExpirationClaim?
    var nbf: NotBeforeClaim?
    var sub: SubjectClaim?
    var preferred_username: String?
    var realm_access: RealmAccess?

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
