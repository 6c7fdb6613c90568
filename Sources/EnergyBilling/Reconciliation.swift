/// Sum of members' community energy = sum taken from generators = the community's shared energy
/// (from its day rollups), in mWh. A billing run writes nothing unless it balances.
///
/// ```swift
/// Reconciliation(membersReceived: 900, takenFromGenerators: 900, communityShared: 900).balanced   // true
/// ```
public struct Reconciliation: Sendable, Equatable, CustomStringConvertible {
    public var membersReceived: Int64
    public var takenFromGenerators: Int64
    public var communityShared: Int64

    public init(membersReceived: Int64, takenFromGenerators: Int64, communityShared: Int64) {
        self.membersReceived = membersReceived
        self.takenFromGenerators = takenFromGenerators
        self.communityShared = communityShared
    }

    public var balanced: Bool { membersReceived == takenFromGenerators && takenFromGenerators == communityShared }

    public var description: String {
        "members received \(membersReceived) mWh = taken from generators \(takenFromGenerators) mWh = community shared "
            + "\(communityShared) mWh: \(balanced ? "balanced" : "NOT BALANCED")"
    }
}
