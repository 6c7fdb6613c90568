import EnergyCore
import EnergyStore

/// Why a billing run refused or failed, with what to do about it.
public enum BillingError: Error, CustomStringConvertible {
    case noTariff(String)
    /// The community's tariffs do not cover the period (community, why).
    case noTariffOn(String, String)
    case incomplete(Completeness)
    case stale(Completeness, BillingPeriod)
    case unbalanced(Reconciliation)
    case changedSinceFinal(String, [String])
    case overlaps(String, issued: String)
    case cannotWrite(String, String)
    /// Values of quality L3 in the period, summarised per metering point and day.
    case unreliable([UnreliableDay])
    /// A stored statement record that cannot be read back (its number, what is wrong).
    case damagedRecord(String, String)
    /// `--cancel` of a number that is not a statement of the community (the number, why).
    case cannotCancel(String, String)
    /// The tariffs changed since an issued period was priced (period, which tariff).
    case tariffChanged(String, String)

    public var description: String {
        switch self {
        case let .noTariff(id):
            return "community \(id) has no tariffs: add a tariffs: block to the community file (see reports/community.example.yaml)"
        case let .noTariffOn(id, why):
            return "community \(id): \(why); add a tariff valid from that day to the tariffs: list of the community file"
        case let .incomplete(c):
            return
                "refusing the final run: \(c.missingQuarterHours) quarter hours have no reading\(c.notRolledUp.isEmpty ? "" : " or were never rolled up")\n"
                + c.report()
                + "\nimport the missing readings and run energy rollup, or pass --allow-incomplete (the statements then say so)"
        case let .stale(c, period):
            return "refusing the final run: readings changed after the rollup of \(c.staleDays.count) days\n" + c.report()
                + "\nrun: energy rollup --from \(period.from) --to \(period.to), then bill again"
        case let .unbalanced(r):
            return "the reconciliation failed, no statements written: \(r)\n"
                + "the stored allocations and rollups disagree; run energy rollup for the period again"
        case let .changedSinceFinal(period, changes):
            return "refusing: the final statements of \(period) were issued and the data changed since, so they cannot be reproduced\n"
                + changes.prefix(20).joined(separator: "\n") + (changes.count > 20 ? "\n… \(changes.count - 20) more" : "")
                + "\nissued statements are never changed or renumbered: cancel each one named above with"
                + " energy bill --cancel NUMBER --reason TEXT, then run --final again to issue corrected statements"
        case let .overlaps(period, issued):
            return "refusing: final statements for \(issued) are already issued and overlap \(period); a period is billed once"
        case let .damagedRecord(number, why):
            return "the stored record of statement \(number) is damaged: \(why)"
        case let .cannotCancel(number, why):
            return "cannot cancel \(number): \(why)"
        case let .tariffChanged(period, which):
            return "refusing: the statements of \(period) were priced with other tariffs than the community file has now: \(which)\n"
                + "restore the tariff as it was (a tariff valid from a later date can be added), or cancel the statements and issue them again"
        case let .cannotWrite(path, why):
            return "cannot write \(path): \(why)"
        case let .unreliable(days):
            let count = days.reduce(0) { $0 + $1.quarterHours }
            return "refusing the final run: \(count) quarter hours rest on unreliable substitute values (quality L3)\n"
                + days.prefix(50).map { "  \($0)" }.joined(separator: "\n")
                + (days.count > 50 ? "\n  … \(days.count - 50) more metering-point days" : "")
                + "\nimport the grid operator's measured or reliable values (L1, L2), or pass --allow-unreliable (it lists what it overrides)"
        }
    }
}

/// One metering point's day with values of quality L3.
public struct UnreliableDay: Sendable, Equatable, CustomStringConvertible {
    public var point: PointKey
    public var date: LocalDate
    public var quarterHours: Int
    /// What was unreliable: "reading" and/or meter codes such as `1-1:2.9.0 G.03`.
    public var series: [String]

    public init(point: PointKey, date: LocalDate, quarterHours: Int, series: [String]) {
        self.point = point
        self.date = date
        self.quarterHours = quarterHours
        self.series = series
    }

    public var description: String {
        "\(point.zaehlpunkt) (\(point.direction.rawValue)) on \(date): \(quarterHours) quarter hours (\(series.joined(separator: ", ")))"
    }

    /// Groups the store's L3 values by metering point and local day.
    public static func group(_ values: [UnreliableValue], calendar: LocalCalendar) -> [UnreliableDay] {
        struct Key: Hashable {
            var point: PointKey
            var date: LocalDate
        }
        var quarterHours: [Key: Set<QuarterHour>] = [:]
        var series: [Key: Set<String>] = [:]
        for value in values {
            let key = Key(point: value.point, date: calendar.localDate(containing: value.start.startSeconds))
            quarterHours[key, default: []].insert(value.start)
            series[key, default: []].insert(value.meterCode?.rawValue ?? "reading")
        }
        return quarterHours.keys.sorted { ($0.date, $0.point) < ($1.date, $1.point) }.map { key in
            UnreliableDay(
                point: key.point, date: key.date, quarterHours: quarterHours[key]?.count ?? 0,
                series: (series[key] ?? []).sorted())
        }
    }
}
