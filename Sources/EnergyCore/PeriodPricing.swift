/// How one billing period is priced: the tariffs valid on its days (`TariffSchedule.segments`),
/// and per tariff its time-of-use windows, numbered as price slots. Every quarter hour of the
/// period has exactly one slot; a statement has a line per metering point and slot with energy.
///
/// ```swift
/// let pricing = try PeriodPricing(community.tariffs!, period: try BillingPeriod("2026-10"))
/// let slots = pricing.slotIndices(of: calendar.quarterHours(from: period.from, to: period.to), calendar: calendar)
/// pricing.slots[Int(slots[0])].window.consumptionPrice
/// ```
public struct PeriodPricing: Sendable, Equatable {
    /// One tariff window on the days of one tariff.
    public struct Slot: Sendable, Equatable {
        public var window: TariffWindow
        /// The window's name on statement lines, nil if its tariff has one window.
        public var label: String?
        /// The days the slot's tariff covers, nil if one tariff covers the whole period.
        public var days: Range<LocalDate>?
        public var vat: VATRates
    }

    /// The member fee of the days of one tariff.
    public struct Fee: Sendable, Equatable {
        public var amount: Money
        public var days: Range<LocalDate>?
        public var rate: Percentage
    }

    public let period: BillingPeriod
    public let segments: [TariffSchedule.Segment]
    public let slots: [Slot]
    public let fees: [Fee]
    public let currency: String
    /// The first slot of each segment.
    let slotBase: [Int]

    public init(_ schedule: TariffSchedule, period: BillingPeriod) throws(TariffError) {
        self.init(segments: try schedule.segments(from: period.from, to: period.to), period: period, currency: schedule.currency)
    }

    /// A period priced by one tariff (whatever its `validFrom`).
    public init(_ tariff: Tariff, period: BillingPeriod) {
        self.init(segments: [.init(days: period.from..<period.to, tariff: tariff)], period: period, currency: tariff.currency)
    }

    private init(segments: [TariffSchedule.Segment], period: BillingPeriod, currency: String) {
        self.period = period
        self.segments = segments
        self.currency = currency
        let split = segments.count > 1
        var slots: [Slot] = []
        var base: [Int] = []
        var fees: [Fee] = []
        let totalDays = period.to.daysSinceEpoch - period.from.daysSinceEpoch
        for segment in segments {
            base.append(slots.count)
            let tariff = segment.tariff
            for window in tariff.windows {
                slots.append(
                    Slot(
                        window: window, label: tariff.windows.count == 1 ? nil : window.name, days: split ? segment.days : nil,
                        vat: tariff.vat))
            }
            // A tariff valid on part of the period charges that part of its fee (by days).
            let whole = tariff.memberFee(months: period.months)
            let days = segment.days.upperBound.daysSinceEpoch - segment.days.lowerBound.daysSinceEpoch
            let fee = split ? Money.proRata(whole, days, over: totalDays) : whole
            fees.append(Fee(amount: fee, days: split ? segment.days : nil, rate: tariff.vat.memberFee))
        }
        self.slots = slots
        self.fees = fees
        slotBase = base
    }

    /// Per quarter hour of `range` (the period's quarter hours) the index of its slot.
    public func slotIndices(of range: Range<QuarterHour>, calendar: LocalCalendar) -> [UInt16] {
        var result = [UInt16](repeating: 0, count: range.count)
        var offsets = calendar.offsetCache()
        for (s, segment) in segments.enumerated() {
            let hours = calendar.quarterHours(from: segment.days.lowerBound, to: segment.days.upperBound)
            for qh in hours where range.contains(qh) {
                let i = Int(qh.index - range.lowerBound.index)
                result[i] = UInt16(slotBase[s] + segment.tariff.windowIndex(of: qh, offsets: &offsets))
            }
        }
        return result
    }

    /// The tariffs as the community file wrote them, with their days: stored by a final run, so
    /// that a later change of a tariff it priced with is named, not just noticed.
    public var text: String {
        segments.map {
            "days \($0.days.lowerBound)..<\($0.days.upperBound):\n" + CommunityFile.render($0.tariff, indent: "  ", first: "  ")
        }
        .joined()
    }
}
