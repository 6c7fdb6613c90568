/// The versions of the CR_MSG `ConsumptionRecord` schema the reader understands and the writer
/// writes. Each has its own namespace (`…/consumptionrecord/01p41` for 01.41); the common types
/// (routing header, message ids, metering point) are in `…/common/types/01p20` for all three.
///
/// What differs between them, as far as values are concerned: 01.30 has no `ECID` (the community's
/// id came with 01.40), requires `MeteringReason` and lets an `EP` leave out `DTT` and `MM`; 01.40
/// and 01.41 require both (01.41 added an optional `Sequence`).
/// ```swift
/// let version = CRMSGSchemaVersion(namespace: "http://www.ebutilities.at/schemata/customerprocesses/consumptionrecord/01p41")
/// version?.rawValue   // "01.41"
/// ```
public enum CRMSGSchemaVersion: String, Sendable, CaseIterable, CustomStringConvertible {
    case v01p30 = "01.30"
    case v01p40 = "01.40"
    case v01p41 = "01.41"

    /// The namespace of the common types (`ct:`), the same for every version.
    public static let commonTypesNamespace = "http://www.ebutilities.at/schemata/customerprocesses/common/types/01p20"

    /// The `ConsumptionRecord` namespace of this version.
    public var namespace: String {
        let base = "http://www.ebutilities.at/schemata/customerprocesses/consumptionrecord/"
        switch self {
        case .v01p30: return base + "01p30"
        case .v01p40: return base + "01p40"
        case .v01p41: return base + "01p41"
        }
    }

    /// The version whose namespace this is, or nil for an unknown one.
    public init?(namespace: String) {
        guard let version = Self.allCases.first(where: { $0.namespace == namespace }) else { return nil }
        self = version
    }

    /// Whether the version has the `ECID` element (the community's EC-ID).
    public var hasCommunityID: Bool { self != .v01p30 }

    /// Whether an `EP` must carry `DTT` and `MM` (01.30 lets both out).
    public var requiresEveryEPElement: Bool { self != .v01p30 }

    /// The known versions as people write them, for messages: "01.30, 01.40, 01.41".
    static var knownList: String { allCases.map(\.rawValue).joined(separator: ", ") }

    public var description: String { rawValue }
}
