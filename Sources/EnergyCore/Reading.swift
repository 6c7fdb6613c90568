import Foundation

/// One quarter-hour value of one metering point.
///
/// ```swift
/// let r = Reading(point: PointKey(zaehlpunkt: zp, direction: .consumption),
///                 start: try QuarterHour(startSeconds: 1_790_812_800), milliwattHours: 244, quality: .measured)
/// ```
public struct Reading: Sendable, Equatable {
    public var point: PointKey
    public var start: QuarterHour
    public var milliwattHours: Int64
    public var quality: Quality

    public init(point: PointKey, start: QuarterHour, milliwattHours: Int64, quality: Quality = .measured) {
        self.point = point
        self.start = start
        self.milliwattHours = milliwattHours
        self.quality = quality
    }

    /// The largest value accepted for one quarter hour: 10,000 kWh (a 40 MW plant at full power).
    /// Anything above is a unit error (Wh sent as kWh) rather than a reading.
    public static let plausibleMaximumMilliwattHours: Int64 = 10_000 * 1_000_000

    /// Checks a parsed value: not negative, not absurd.
    public static func validate(milliwattHours value: Int64) throws(ReadingError) {
        guard value >= 0 else { throw .negative(Energy.kilowattHoursText(value)) }
        guard value <= plausibleMaximumMilliwattHours else { throw .implausible(Energy.kilowattHoursText(value)) }
    }
}

/// How a value was obtained (the grid operators' quality flags): `measured` is EDA's `L1`,
/// `substituted` a reliable substitute value (`L2`), `estimated` an unreliable one (`L3`).
/// A value never replaces a stored value of better quality (see ``isBetter(than:)``).
public enum Quality: String, Sendable, Codable, CaseIterable {
    case measured, substituted, estimated

    /// Precedence: L1 before L2 before L3.
    public func isBetter(than other: Quality) -> Bool { code < other.code }

    /// EDA's quality code (`L1`, `L2`, `L3`).
    public var edaCode: String { "L\(code + 1)" }

    /// Reads EDA's `MM` quality: `L1`/`L2`/`L3`, or the older two-digit codes, where `01` is a
    /// measured value, `02` a substitute value and `03`-`05` provisional or estimated values
    /// (treated as unreliable, L3).
    public init?(edaCode text: String) {
        switch text.trimmingCharacters(in: .whitespaces).uppercased() {
        case "L1", "01": self = .measured
        case "L2", "02": self = .substituted
        case "L3", "03", "04", "05": self = .estimated
        default: return nil
        }
    }

    public var code: Int {
        switch self {
        case .measured: return 0
        case .substituted: return 1
        case .estimated: return 2
        }
    }

    public init?(code: Int) {
        switch code {
        case 0: self = .measured
        case 1: self = .substituted
        case 2: self = .estimated
        default: return nil
        }
    }
}

/// Why a reading cannot be accepted.
public enum ReadingError: Error, Equatable, CustomStringConvertible {
    case negative(String)
    case implausible(String)
    case notInCommunity(Zaehlpunkt, community: String)
    case wrongDirection(Zaehlpunkt, configured: Direction, given: Direction)

    public var description: String {
        switch self {
        case let .negative(kwh): return "energy \(kwh) kWh is negative"
        case let .implausible(kwh): return "energy \(kwh) kWh in one quarter hour is implausible (more than 10000 kWh; Wh sent as kWh?)"
        case let .notInCommunity(zp, community): return "\(zp) is not a metering point of community '\(community)'"
        case let .wrongDirection(zp, configured, given):
            return "\(zp) is a \(configured.rawValue) point in the community file, but the reading says \(given.rawValue)"
        }
    }
}

extension Community {
    /// Checks that a reading's point belongs to this community with that direction.
    public func check(_ point: PointKey) throws(ReadingError) {
        guard pointIndex(of: point) == nil else { return }
        let other = PointKey(zaehlpunkt: point.zaehlpunkt, direction: point.direction == .consumption ? .generation : .consumption)
        if pointIndex(of: other) != nil {
            throw .wrongDirection(point.zaehlpunkt, configured: other.direction, given: point.direction)
        }
        throw .notInCommunity(point.zaehlpunkt, community: id)
    }
}
