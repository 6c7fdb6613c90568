import EnergyCore

/// Which quarter hours of the period have no reading, per metering point, and which days are not
/// (or no longer) rolled up. A final run refuses unless it is complete (or allowed).
///
/// ```swift
/// if !figures.completeness.isComplete { print(figures.completeness.report()) }
/// ```
public struct Completeness: Sendable, Equatable {
    public struct Gap: Sendable, Equatable {
        public var point: PointKey
        public var missing: Int
        public var expected: Int
        /// The local days with missing quarter hours and how many on each.
        public var days: [(date: LocalDate, missing: Int)]
        public static func == (a: Gap, b: Gap) -> Bool {
            a.point == b.point && a.missing == b.missing && a.expected == b.expected
                && a.days.map(\.date) == b.days.map(\.date) && a.days.map(\.missing) == b.days.map(\.missing)
        }
    }
    public var gaps: [Gap]
    /// Days of the period with no stored allocation: never rolled up.
    public var notRolledUp: [LocalDate]
    /// Days whose readings changed after their rollup: the stored figures are out of date.
    public var staleDays: [LocalDate]

    public var isComplete: Bool { gaps.isEmpty && notRolledUp.isEmpty && staleDays.isEmpty }
    public var missingQuarterHours: Int { gaps.reduce(0) { $0 + $1.missing } }

    public init(gaps: [Gap], notRolledUp: [LocalDate], staleDays: [LocalDate]) {
        self.gaps = gaps
        self.notRolledUp = notRolledUp
        self.staleDays = staleDays
    }

    /// The report a person reads before a final run, at most `limit` points listed.
    public func report(limit: Int = 20) -> String {
        var lines: [String] = []
        if !staleDays.isEmpty {
            lines.append("\(staleDays.count) days changed after their rollup: \(Self.list(staleDays.map(\.description)))")
        }
        if !notRolledUp.isEmpty {
            lines.append("\(notRolledUp.count) days are not rolled up: \(Self.list(notRolledUp.map(\.description)))")
        }
        for gap in gaps.prefix(limit) {
            let days = gap.days.map { "\($0.date) (\($0.missing))" }
            lines.append("\(gap.point): \(gap.missing) of \(gap.expected) quarter hours missing: \(Self.list(days))")
        }
        if gaps.count > limit { lines.append("… and \(gaps.count - limit) more metering points with missing quarter hours") }
        return lines.joined(separator: "\n")
    }

    private static func list(_ items: [String]) -> String {
        items.count <= 6 ? items.joined(separator: ", ") : items.prefix(6).joined(separator: ", ") + ", … (\(items.count) in all)"
    }
}
