/// A community's tariffs over time: one tariff, or a list of them each valid from a local date
/// until the next one's `validFrom`. A period is priced by the tariff valid on each of its days,
/// so an old period is never re-priced with today's tariff.
///
/// ```yaml
/// tariffs:
///   - {consumption: 0.12, generation: 0.08}                      # valid from the beginning
///   - {validFrom: 2026-10-15, consumption: 0.14, generation: 0.09}
/// ```
/// ```swift
/// let segments = try community.tariffs!.segments(from: period.from, to: period.to)
/// segments.map(\.days)      // [2026-10-01..<2026-10-15, 2026-10-15..<2026-11-01]
/// ```
public struct TariffSchedule: Sendable, Equatable {
    /// In order of `validFrom`; only the first may have none (valid from the beginning).
    public let tariffs: [Tariff]

    /// Checks the order: dates strictly increasing, one currency (`TariffError.index` names the entry).
    public init(_ tariffs: [Tariff]) throws(TariffError) {
        guard let first = tariffs.first else { throw TariffError(index: nil, message: "expected at least one tariff") }
        for (i, tariff) in tariffs.enumerated() {
            if i > 0 {
                guard let from = tariff.validFrom else {
                    throw TariffError(
                        index: i, message: "'validFrom' is missing: every tariff after the first says from which day it is valid")
                }
                if let previous = tariffs[i - 1].validFrom, previous >= from {
                    throw TariffError(
                        index: i, message: "'validFrom' \(from) is not after the previous tariff's \(previous): list tariffs oldest first")
                }
            }
            if tariff.currency != first.currency {
                throw TariffError(
                    index: i, message: "currency \(tariff.currency) differs from \(first.currency): statements are in one currency")
            }
        }
        self.tariffs = tariffs
    }

    /// One tariff valid from the beginning.
    public init(single tariff: Tariff) { tariffs = [tariff] }

    public var currency: String { tariffs.first?.currency ?? "EUR" }

    /// The tariff valid on `day`, nil before the first tariff's `validFrom`.
    public func tariff(on day: LocalDate) -> Tariff? {
        tariffs.last { ($0.validFrom ?? day) <= day }
    }

    /// The days `from..<to` split where the tariff changes, each with its tariff.
    public func segments(from: LocalDate, to: LocalDate) throws(TariffError) -> [Segment] {
        guard let first = tariff(on: from) else {
            throw TariffError(
                index: 0,
                message: "no tariff is valid on \(from): the first tariff is valid from \(tariffs.first?.validFrom?.description ?? "?")")
        }
        var segments = [Segment(days: from..<to, tariff: first)]
        for tariff in tariffs {
            guard let start = tariff.validFrom, start > from, start < to else { continue }
            let last = segments.removeLast()
            segments.append(Segment(days: last.days.lowerBound..<start, tariff: last.tariff))
            segments.append(Segment(days: start..<to, tariff: tariff))
        }
        return segments
    }

    /// Days of a period and the tariff valid on them.
    public struct Segment: Sendable, Equatable {
        public var days: Range<LocalDate>
        public var tariff: Tariff
    }
}
