/// An amount of money as an exact integer count of cents (of the tariff's currency, EUR by default).
///
/// Line amounts are computed from energy and prices with one rule, `Money.amount(of:at:)`;
/// totals are sums of rounded lines, so a statement always adds up.
/// ```swift
/// let line = Money.amount(of: Energy(milliwattHours: 12_345_678), at: try EnergyPrice("0.1234"))
/// line.text   // "1.52" (12.345678 kWh x 0.1234 EUR = 1.5234566… EUR, rounded half away from zero)
/// ```
public struct Money: Hashable, Comparable, Sendable, AdditiveArithmetic, CustomStringConvertible {
    public var cents: Int64

    public init(cents: Int64) { self.cents = cents }

    /// Parses a decimal amount such as `2.5` or `-12.34` (at most two decimals).
    public init(_ text: String) throws(EnergyParseError) {
        cents = try FixedDecimal.parse(text, decimals: 2)
    }

    public static let zero = Money(cents: 0)

    /// `12.34`, `-0.05`: two decimals, a point, no grouping (for CSV and machines).
    public var text: String { FixedDecimal.text(cents, scale: 2) }

    /// The amount as a `Double`, for spreadsheet cells only: never sum these.
    public var units: Double { Double(cents) / 100 }

    public var description: String { text }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents + rhs.cents) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents - rhs.cents) }
    public static prefix func - (value: Money) -> Money { Money(cents: -value.cents) }

    // MARK: The rounding rules (one per kind of line)

    /// Energy line: `energy (mWh) × price (µ-units per kWh) / 10^10`, rounded half away from zero to
    /// the cent. 1 kWh = 10^6 mWh and 1 cent = 10^4 µ-units, hence 10^10. Exact: the product is
    /// formed in 128 bits.
    public static func amount(of energy: Energy, at price: EnergyPrice) -> Money {
        Money(
            cents: divideRoundingHalfAwayFromZero(
                Int128(energy.milliwattHours) * Int128(price.microUnitsPerKilowattHour),
                by: 10_000_000_000))
    }

    /// Percentage line (VAT): `base × rate (basis points) / 10^4`, rounded half away from zero to the cent.
    public static func percentage(_ rate: Percentage, of base: Money) -> Money {
        Money(cents: divideRoundingHalfAwayFromZero(Int128(base.cents) * Int128(rate.basisPoints), by: 10_000))
    }

    /// Pro-rata line (a yearly fee over some months): `amount × numerator / denominator`, rounded
    /// half away from zero to the cent.
    public static func proRata(_ amount: Money, _ numerator: Int, over denominator: Int) -> Money {
        Money(cents: divideRoundingHalfAwayFromZero(Int128(amount.cents) * Int128(numerator), by: Int128(denominator)))
    }

    /// `value / divisor` rounded to the nearest integer, halves away from zero (`divisor` > 0).
    /// Away from zero so that a credit and a charge of the same size round to the same magnitude.
    static func divideRoundingHalfAwayFromZero(_ value: Int128, by divisor: Int128) -> Int64 {
        precondition(divisor > 0, "divisor must be positive")
        let magnitude = value < 0 ? -value : value
        let rounded = (magnitude + divisor / 2) / divisor  // (2 × remainder ≥ divisor) rounds up
        return Int64(value < 0 ? -rounded : rounded)
    }
}
