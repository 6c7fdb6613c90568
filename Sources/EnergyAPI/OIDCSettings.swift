/// How tokens are checked: the Keycloak realm that issues them and what the API reads from them.
public struct OIDCSettings: Sendable, Equatable {
    /// The issuer, exactly as in the tokens' `iss`: `https://keycloak.example/realms/energy`.
    public var issuer: String
    /// The audience the tokens must name in `aud` (the Keycloak client of the API).
    public var audience: String
    /// The claim that names the member a member-role token may read.
    public var memberClaim: String
    /// Realm roles (`realm_access.roles`) that grant everything, or one member's data.
    public var adminRole: String
    public var memberRole: String
    /// Tolerated difference between our clock and the issuer's, for `exp` and `nbf`.
    public var clockSkewSeconds: Int64
    /// An unknown `kid` makes us refetch the keys, at most this often (a flood of made-up key ids
    /// must not become a flood of requests to Keycloak).
    public var minimumRefetchSeconds: Double
    /// Keys older than this are refetched on the next request, so removed keys stop being trusted.
    public var maximumKeyAgeSeconds: Double
    /// Verified tokens remembered (by their exact text, until they expire or their key is
    /// withdrawn), so a client's repeated token skips the signature check; 0: check every time.
    public var tokenCacheSize: Int

    public init(
        issuer: String, audience: String, memberClaim: String = "member_id", adminRole: String = "energy-admin",
        memberRole: String = "energy-member", clockSkewSeconds: Int64 = 30,
        minimumRefetchSeconds: Double = 10, maximumKeyAgeSeconds: Double = 3600, tokenCacheSize: Int = 4096
    ) {
        self.issuer = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        self.audience = audience
        self.memberClaim = memberClaim
        self.adminRole = adminRole
        self.memberRole = memberRole
        self.clockSkewSeconds = clockSkewSeconds
        self.minimumRefetchSeconds = minimumRefetchSeconds
        self.maximumKeyAgeSeconds = maximumKeyAgeSeconds
        self.tokenCacheSize = tokenCacheSize
    }

    /// Where Keycloak publishes its discovery document (which names the JWKS address).
    public var discoveryURL: String { issuer + "/.well-known/openid-configuration" }
}
