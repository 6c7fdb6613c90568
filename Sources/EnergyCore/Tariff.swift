/// What members pay and are paid: the community's tariffs, from the `tariffs:` block of the
/// community file.
///
/// Prices apply per quarter hour through time-of-use windows on the community's local wall-clock
/// time. Without `timeOfUse`, one window covers the whole day at the base prices. The windows of a
/// tariff cover every quarter hour of every weekday exactly once (checked when the file is read),
/// so each UTC quarter hour, mapped to its local time, has exactly one price, DST days included.
/// ```swift
/// let tariff = community.tariff!            // from the community file
/// var offsets = community.calendar.offsetCache()
/// let window = tariff.windows[tariff.windowIndex(of: qh, offsets: &offsets)]
/// Money.amount(of: energy, at: window.consumptionPrice)
/// ```
public struct Tariff: Sendable, Equatable {
    /// ISO 4217 code, shown on statements (`EUR`).
    public var currency: String
    /// Base price per kWh of community energy a consumer received.
    public var consumptionPrice: EnergyPrice
    /// Base price per kWh the community pays a generator for what it took.
    public var generationPrice: EnergyPrice
    public var memberFee: Money
    public var memberFeePeriod: FeePeriod
    public var vat: VATRates
    /// The time-of-use windows as written; empty means one all-day window at the base prices.
    public var timeOfUse: [TariffWindow]
    /// The first local day this tariff applies to (nil: from the beginning); see `TariffSchedule`.
    public var validFrom: LocalDate?

    /// The windows prices are looked up in (never empty).
    public let windows: [TariffWindow]
    /// Window index per (ISO weekday - 1) * 96 + quarter hour of the local day.
    private let slots: [UInt8]

    public static let slotsPerDay = 96

    public init(
        currency: String = "EUR", consumptionPrice: EnergyPrice, generationPrice: EnergyPrice,
        memberFee: Money = .zero, memberFeePeriod: FeePeriod = .month, vat: VATRates = VATRates(),
        timeOfUse: [TariffWindow] = [], validFrom: LocalDate? = nil
    ) throws(TariffError) {
        self.validFrom = validFrom
        self.currency = currency
        self.consumptionPrice = consumptionPrice
        self.generationPrice = generationPrice
        self.memberFee = memberFee
        self.memberFeePeriod = memberFeePeriod
        self.vat = vat
        self.timeOfUse = timeOfUse
        let windows =
            timeOfUse.isEmpty
            ? [
                TariffWindow(
                    name: "all day", days: Set(1...7), fromMinute: 0, toMinute: 1440,
                    consumptionPrice: consumptionPrice, generationPrice: generationPrice)
            ]
            : timeOfUse
        guard windows.count <= 255 else { throw TariffError(index: nil, message: "at most 255 time-of-use windows") }
        var slots = [Int](repeating: -1, count: 7 * Self.slotsPerDay)
        for (w, window) in windows.enumerated() {
            for weekday in window.days.sorted() {
                for slot in window.slotsOfDay {
                    let i = (weekday - 1) * Self.slotsPerDay + slot
                    if slots[i] >= 0 {
                        throw TariffError(
                            index: w,
                            message: "'\(window.name)' overlaps '\(windows[slots[i]].name)' on "
                                + "\(TariffWindow.weekdayNames[weekday - 1]) at \(TariffWindow.clock(slot * 15))")
                    }
                    slots[i] = w
                }
            }
        }
        if let gap = slots.firstIndex(of: -1) {
            throw TariffError(
                index: nil,
                message: "no window covers \(TariffWindow.weekdayNames[gap / Self.slotsPerDay]) "
                    + "\(TariffWindow.clock(gap % Self.slotsPerDay * 15))-\(TariffWindow.clock(gap % Self.slotsPerDay * 15 + 15)) "
                    + "(the windows must cover every quarter hour of every day exactly once)")
        }
        self.windows = windows
        self.slots = slots.map { UInt8($0) }
    }

    /// The window whose prices apply to `quarterHour`: looked up by its local wall-clock start and
    /// local weekday. In the repeated hour of the autumn change both quarter hours with the same
    /// wall-clock time get the same window; in the skipped spring hour there is nothing to price.
    @inline(__always)
    public func windowIndex(of quarterHour: QuarterHour, offsets: inout ZoneOffsetCache) -> Int {
        let local = quarterHour.startSeconds + Int64(offsets.offset(at: quarterHour.startSeconds))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        var weekday = (days + 3) % 7  // 1970-01-01 was a Thursday (ISO weekday 4)
        if weekday < 0 { weekday += 7 }
        return Int(slots[Int(weekday) * Self.slotsPerDay + Int(secondOfDay / 900)])
    }

    public static func == (lhs: Tariff, rhs: Tariff) -> Bool {
        lhs.currency == rhs.currency && lhs.consumptionPrice == rhs.consumptionPrice && lhs.generationPrice == rhs.generationPrice
            && lhs.memberFee == rhs.memberFee && lhs.memberFeePeriod == rhs.memberFeePeriod && lhs.vat == rhs.vat
            && lhs.timeOfUse == rhs.timeOfUse && lhs.validFrom == rhs.validFrom
    }

    /// The member fee for a period of `months` whole months: per month × months, or a yearly fee
    /// pro rata (`fee × months / 12`, rounded half away from zero).
    public func memberFee(months: Int) -> Money {
        switch memberFeePeriod {
        case .month: return Money(cents: memberFee.cents * Int64(months))
        case .year: return Money.proRata(memberFee, months, over: 12)
        }
    }
}

/// How often the member fee falls due.
public enum FeePeriod: String, Sendable, Equatable, CaseIterable {
    case month, year
}

/// VAT rates per kind of line (percent, two decimals).
public struct VATRates: Sendable, Equatable {
    /// On community energy members receive.
    public var consumption: Percentage
    /// On what the community pays generators (0 for small businesses exempt from VAT).
    public var generation: Percentage
    public var memberFee: Percentage
    public init(consumption: Percentage = .zero, generation: Percentage = .zero, memberFee: Percentage = .zero) {
        self.consumption = consumption
        self.generation = generation
        self.memberFee = memberFee
    }
}

/// Why a set of tariffs is not usable; `index` is the time-of-use window concerned, if one.
public struct TariffError: Error, Equatable, CustomStringConvertible {
    public var index: Int?
    public var message: String
    public var description: String { message }
}
