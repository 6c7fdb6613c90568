/// A price per kWh as an exact integer count of millionths of the currency unit (µ-units):
/// `0.1234` EUR/kWh is 123,400. Up to six decimals.
///
/// ```swift
/// let midday = try EnergyPrice("0.085")   // 85,000 µEUR per kWh
/// ```
public struct EnergyPrice: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var microUnitsPerKilowattHour: Int64

    public init(microUnitsPerKilowattHour: Int64) { self.microUnitsPerKilowattHour = microUnitsPerKilowattHour }

    public init(_ text: String) throws(EnergyParseError) {
        microUnitsPerKilowattHour = try FixedDecimal.parse(text, decimals: 6)
    }

    /// The shortest exact decimal text, e.g. `0.085`.
    public var text: String { CommunityFile.decimalText(microUnitsPerKilowattHour, decimals: 6) }
    /// For spreadsheet cells only.
    public var units: Double { Double(microUnitsPerKilowattHour) / 1_000_000 }
    public var description: String { text }
    public static func < (lhs: EnergyPrice, rhs: EnergyPrice) -> Bool { lhs.microUnitsPerKilowattHour < rhs.microUnitsPerKilowattHour }
}
