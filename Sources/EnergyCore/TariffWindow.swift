/// A time-of-use window: local wall-clock `from..<to` on some weekdays, with its prices.
/// `to` before `from` wraps past midnight (`22:00`-`06:00`); `00:00`-`24:00` is the whole day.
///
/// ```swift
/// let midday = TariffWindow(name: "midday", days: Set(1...5), fromMinute: 600, toMinute: 960,
///                           consumptionPrice: try EnergyPrice("0.10"), generationPrice: try EnergyPrice("0.07"))
/// midday.label   // "mon-fri 10:00-16:00"
/// ```
public struct TariffWindow: Sendable, Equatable {
    public var name: String
    /// ISO weekdays, 1 = Monday … 7 = Sunday.
    public var days: Set<Int>
    public var fromMinute: Int
    public var toMinute: Int
    public var consumptionPrice: EnergyPrice
    public var generationPrice: EnergyPrice

    public init(name: String, days: Set<Int>, fromMinute: Int, toMinute: Int, consumptionPrice: EnergyPrice, generationPrice: EnergyPrice) {
        self.name = name
        self.days = days
        self.fromMinute = fromMinute
        self.toMinute = toMinute
        self.consumptionPrice = consumptionPrice
        self.generationPrice = generationPrice
    }

    /// Quarter hours of the local day (0 ... 95) the window covers.
    var slotsOfDay: [Int] {
        let from = fromMinute / 15
        let to = toMinute / 15
        if from < to { return Array(from..<to) }
        return Array(from..<Tariff.slotsPerDay) + Array(0..<to)
    }

    static let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// `HH:MM` of a minute of the day.
    static func clock(_ minute: Int) -> String { pad2(minute / 60) + ":" + pad2(minute % 60) }

    /// Parses `HH:MM` on the quarter-hour grid, `00:00` ... `24:00`.
    static func minute(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...24).contains(h), [0, 15, 30, 45].contains(m), h < 24 || m == 0
        else { return nil }
        return h * 60 + m
    }

    /// `Mon-Fri 10:00-16:00`, for statements.
    public var label: String {
        let sorted = days.sorted()
        let dayText: String
        if sorted == Array(1...7) {
            dayText = "daily"
        } else if sorted.count > 1, sorted.last! - sorted.first! == sorted.count - 1 {
            dayText = Self.weekdayNames[sorted.first! - 1] + "-" + Self.weekdayNames[sorted.last! - 1]
        } else {
            dayText = sorted.map { Self.weekdayNames[$0 - 1] }.joined(separator: ",")
        }
        return "\(dayText) \(Self.clock(fromMinute))-\(Self.clock(toMinute))"
    }
}
