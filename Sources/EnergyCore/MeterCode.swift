/// The series a grid operator (DSO) sends per metering point and quarter hour through EDA: an
/// OBIS-style code naming what the value means.
///
/// The two "as measured" codes are the meter reading itself (stored as a ``Reading``); every other
/// code is the DSO's allocation of the community's production, stored per community beside the
/// readings (a point may take part in up to five communities, each with its own DSO figures).
/// ```swift
/// let code = MeterCode(rawValue: "1-1:2.9.0 G.03")   // .coveredShare: what the consumer is billed
/// code?.direction                                   // .consumption
/// ```
public enum MeterCode: String, Sendable, CaseIterable, Codable {
    // Consumers.
    /// Consumption as measured: the reading.
    case consumption = "1-1:1.9.0 G.01"
    /// Consumption times the participation factor (since 2024-04).
    case participatingConsumption = "1-1:1.9.0 G.01T"
    /// Community production offered to this point by the allocation key.
    case offeredShare = "1-1:2.9.0 G.02"
    /// Community production that covered this point's consumption: what it is billed.
    case coveredShare = "1-1:2.9.0 G.03"
    /// The renewable part of ``coveredShare``.
    case renewableShare = "1-1:2.9.0 G.03R"
    // Producers.
    /// Production as measured: the reading.
    case production = "1-1:2.9.0 G.01"
    /// Production times the participation factor.
    case participatingProduction = "1-1:2.9.0 G.01T"
    /// Surplus that went to the producer's supplier.
    case surplus = "1-1:2.9.0 P.01"
    /// Surplus of the participating part.
    case participatingSurplus = "1-1:2.9.0 P.01T"

    /// Whether the series belongs to consuming or producing points.
    public var direction: Direction {
        switch self {
        case .consumption, .participatingConsumption, .offeredShare, .coveredShare, .renewableShare: return .consumption
        case .production, .participatingProduction, .surplus, .participatingSurplus: return .generation
        }
    }

    /// The meter's own measurement (stored as a reading), not the DSO's allocation.
    public var isReading: Bool { self == .consumption || self == .production }

    /// Stable small integer for storage.
    public var code: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public init?(code: Int) {
        guard Self.allCases.indices.contains(code) else { return nil }
        self = Self.allCases[code]
    }
}

/// One value of the DSO's allocation: a metering point's figure of one series in one quarter hour.
///
/// ```swift
/// let g03 = GridOperatorFigure(zaehlpunkt: zp, meterCode: .coveredShare, start: qh, milliwattHours: 120, quality: .measured)
/// ```
public struct GridOperatorFigure: Sendable, Equatable {
    public var zaehlpunkt: Zaehlpunkt
    public var meterCode: MeterCode
    public var start: QuarterHour
    public var milliwattHours: Int64
    public var quality: Quality

    public init(zaehlpunkt: Zaehlpunkt, meterCode: MeterCode, start: QuarterHour, milliwattHours: Int64, quality: Quality) {
        self.zaehlpunkt = zaehlpunkt
        self.meterCode = meterCode
        self.start = start
        self.milliwattHours = milliwattHours
        self.quality = quality
    }

    /// The metering point the figure is about.
    public var point: PointKey { PointKey(zaehlpunkt: zaehlpunkt, direction: meterCode.direction) }

    /// The reading this figure is, for the two "as measured" codes.
    public var reading: Reading? {
        meterCode.isReading ? Reading(point: point, start: start, milliwattHours: milliwattHours, quality: quality) : nil
    }
}
