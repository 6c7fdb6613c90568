/// An energy community: its calendar, its allocation key and its members' metering points.
///
/// Read one from its YAML file with `CommunityFile.parse(_:source:)`.
/// ```swift
/// let community = try CommunityFile.parse(yamlText, source: "community.yaml")
/// community.meteringPoints.count
/// ```
public struct Community: Sendable {
    public var id: String
    public var name: String
    public var calendar: LocalCalendar
    public var allocationKey: AllocationKey
    /// Where the plants are, for the simulator's sun; Vienna if not given.
    public var site: Site
    public var members: [Member]
    /// What members pay and are paid over time (the `tariffs:` block); nil if the file has none.
    public var tariffs: TariffSchedule?
    /// The newest tariff; setting one replaces the schedule with that single tariff.
    public var tariff: Tariff? {
        get { tariffs?.tariffs.last }
        set { tariffs = newValue.map { TariffSchedule(single: $0) } }
    }
    /// The community's EC-ID at the grid operator (33 characters, like a Zaehlpunkt), if the
    /// community file names it: grid-operator files for another EC-ID are refused.
    public var ecid: String?
    /// The invoice particulars (all optional): the community's address, VAT id (UID), bank
    /// details for SEPA and the language of its statements.
    public var address: PostalAddress?
    public var vatID: VATID?
    public var bankAccount: CommunityBankAccount?
    public var language: StatementLanguage = .de

    /// Every metering point of every member, in file order. Indices into this array are the
    /// "point indices" used by allocation and rollups.
    public let meteringPoints: [MeteringPoint]
    private let indexByKey: [PointKey: Int]

    public init(
        id: String, name: String, calendar: LocalCalendar, allocationKey: AllocationKey, site: Site = .vienna, members: [Member],
        tariff: Tariff? = nil
    ) {
        self.id = id
        self.name = name
        self.calendar = calendar
        self.allocationKey = allocationKey
        self.site = site
        self.members = members
        self.tariffs = tariff.map { TariffSchedule(single: $0) }
        meteringPoints = members.flatMap(\.meteringPoints)
        var index: [PointKey: Int] = [:]
        for (i, point) in meteringPoints.enumerated() { index[point.key] = index[point.key] ?? i }
        indexByKey = index
    }

    /// The index of a metering point in `meteringPoints`, if it belongs to this community.
    public func pointIndex(of key: PointKey) -> Int? { indexByKey[key] }

    /// Whether the community has this Zaehlpunkt in any direction (for error messages).
    public func has(_ zaehlpunkt: Zaehlpunkt) -> Bool {
        indexByKey[PointKey(zaehlpunkt: zaehlpunkt, direction: .consumption)] != nil
            || indexByKey[PointKey(zaehlpunkt: zaehlpunkt, direction: .generation)] != nil
    }

    public var pointKeys: [PointKey] { meteringPoints.map(\.key) }

    /// A fresh allocator for this community's key and points.
    public func allocator() -> QuarterHourAllocator {
        QuarterHourAllocator(
            key: allocationKey,
            participants: meteringPoints.map {
                AllocationParticipant(
                    direction: $0.direction, participationBasisPoints: $0.participationBasisPoints,
                    staticSharePPM: $0.staticSharePPM)
            })
    }

    public func member(id: String) -> Member? { members.first { $0.id == id } }
}

/// A geographic location (degrees; north and east positive).
public struct Site: Sendable, Equatable {
    public var latitude: Double
    public var longitude: Double
    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
    public static let vienna = Site(latitude: 48.21, longitude: 16.37)
}

/// A member of the community (a household, a business, a farm, a plant operator).
public struct Member: Sendable, Equatable {
    public var id: String
    public var name: String
    public var meteringPoints: [MeteringPoint]
    /// Where the member's statements go (optional).
    public var address: PostalAddress?
    /// The member's account and direct-debit mandate (optional; without it the member pays or is
    /// paid by bank transfer).
    public var mandate: MemberMandate?
    public init(id: String, name: String, meteringPoints: [MeteringPoint], address: PostalAddress? = nil, mandate: MemberMandate? = nil) {
        self.id = id
        self.name = name
        self.meteringPoints = meteringPoints
        self.address = address
        self.mandate = mandate
    }
}

/// A Zaehlpunkt and the direction its readings count in: the identity of a series of readings.
public struct PointKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var zaehlpunkt: Zaehlpunkt
    public var direction: Direction
    public init(zaehlpunkt: Zaehlpunkt, direction: Direction) {
        self.zaehlpunkt = zaehlpunkt
        self.direction = direction
    }
    public static func < (lhs: PointKey, rhs: PointKey) -> Bool {
        (lhs.zaehlpunkt, lhs.direction.code) < (rhs.zaehlpunkt, rhs.direction.code)
    }
    public var description: String { "\(zaehlpunkt) (\(direction.rawValue))" }
}

/// A member's metering point as configured in the community file.
public struct MeteringPoint: Sendable, Equatable {
    public var zaehlpunkt: Zaehlpunkt
    public var direction: Direction
    /// 1 ... 10,000 basis points (0.01 % ... 100 %).
    public var participationBasisPoints: Int64
    /// Static key: share of production in parts per million; 0 otherwise.
    public var staticSharePPM: Int64
    public var memberID: String
    /// How the simulator should make up readings for this point, if at all.
    public var profile: SimulationProfile?

    public init(
        zaehlpunkt: Zaehlpunkt, direction: Direction, participationBasisPoints: Int64 = 10_000,
        staticSharePPM: Int64 = 0, memberID: String, profile: SimulationProfile? = nil
    ) {
        self.zaehlpunkt = zaehlpunkt
        self.direction = direction
        self.participationBasisPoints = participationBasisPoints
        self.staticSharePPM = staticSharePPM
        self.memberID = memberID
        self.profile = profile
    }

    public var key: PointKey { PointKey(zaehlpunkt: zaehlpunkt, direction: direction) }
}

/// What a simulated metering point behaves like.
public enum SimulationProfile: Sendable, Equatable {
    /// A BDEW standard load profile (`H0` households, `G0` businesses, `L0` farms) scaled to a yearly consumption.
    case standardLoad(StandardLoadKind, annualKWh: Double)
    /// A photovoltaic plant of the given peak power.
    case photovoltaic(kWp: Double)
}

public enum StandardLoadKind: String, Sendable, CaseIterable {
    case h0 = "H0"
    case g0 = "G0"
    case l0 = "L0"
}
