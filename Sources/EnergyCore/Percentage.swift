/// A percentage with up to two decimals, as basis points: 20 % is 2,000.
///
/// ```swift
/// let vat = try Percentage("20")
/// Money.percentage(vat, of: try Money("1.23")).text   // "0.25"
/// ```
public struct Percentage: Hashable, Sendable, CustomStringConvertible {
    public var basisPoints: Int64
    public init(basisPoints: Int64) { self.basisPoints = basisPoints }
    public init(_ text: String) throws(EnergyParseError) { basisPoints = try FixedDecimal.parse(text, decimals: 2) }
    public static let zero = Percentage(basisPoints: 0)
    /// `20`, `10.5`
    public var text: String { CommunityFile.decimalText(basisPoints, decimals: 2) }
    public var description: String { text + " %" }
}
