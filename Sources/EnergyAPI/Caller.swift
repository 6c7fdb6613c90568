import EnergyCore

/// Who is asking, from a verified token (or everyone, when authentication is switched off).
public struct Caller: Sendable, Equatable {
    public enum Role: String, Sendable { case admin, member }

    public var subject: String
    public var role: Role
    /// The member whose data a member may read (the configured claim); nil for an admin.
    public var memberID: String?

    public init(subject: String, role: Role, memberID: String? = nil) {
        self.subject = subject
        self.role = role
        self.memberID = memberID
    }

    /// Used when the server runs with `--no-auth`.
    public static let unauthenticatedAdmin = Caller(subject: "anonymous (no authentication)", role: .admin)

    public var isAdmin: Bool { role == .admin }

    /// Whether this caller may read `zaehlpunkt` of `community`: admins all, members their own.
    public func mayRead(_ zaehlpunkt: Zaehlpunkt, in community: Community) -> Bool {
        if isAdmin { return true }
        guard let memberID else { return false }
        return community.meteringPoints.contains { $0.zaehlpunkt == zaehlpunkt && $0.memberID == memberID }
    }

    /// Whether this caller may read statements of `memberID`.
    public func mayRead(statementsOf memberID: String) -> Bool { isAdmin || self.memberID == memberID }

    /// Throws 403 unless the caller is an admin.
    public func requireAdmin(_ what: String) throws(APIError) {
        guard isAdmin else { throw .forbidden("\(what) is for administrators only") }
    }
}
