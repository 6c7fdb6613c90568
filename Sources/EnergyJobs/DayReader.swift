import EnergyCore
import EnergyStore
import Foundation

/// Reads the readings (and the grid operator's figures) of whole local days on its own thread and
/// connection, one day ahead of the allocation, so reading and computing overlap on two cores (a
/// day of 10,000 points is 7.6 MB: more days ahead would hold more without overlapping more).
///
/// ```swift
/// let reader = try DayReader(store: store.openAnotherConnection(), community: c, days: plan.days)
/// while let day = try reader.next() { ... }
/// ```
final class DayReader {
    /// One day's readings, quarter-hour-major, -1 where a reading is missing.
    struct Day {
        var date: LocalDate
        var quarterHours: Range<QuarterHour>
        var values: [Int64]
        var readings: Int
        /// The grid operator's shares (see `GridOperatorDay`), nil if it sent none for the day.
        var gridOperator: [Int64]?
    }

    private let days: Prefetcher<Day>

    /// Starts reading at once. `store` is used only by the reader's thread from now on.
    init(store: any ReadingStore, community: Community, days dates: [LocalDate]) {
        let points = community.pointKeys
        days = Prefetcher(capacity: 1, count: dates.count, name: "energy day reader") { i in
            try Self.read(dates[i], store: store, community: community, points: points)
        }
    }

    private static func read(_ date: LocalDate, store: any ReadingStore, community: Community, points: [PointKey]) throws -> Day {
        let range = community.calendar.quarterHours(of: date)
        let first = range.lowerBound.index
        let n = points.count
        var values = [Int64](repeating: -1, count: range.count * n)
        let count = try values.withUnsafeMutableBufferPointer { buffer in
            try store.scanReadings(community: community.id, points: points, in: range) { qh, index, mwh in
                // Checked before the unchecked write: a store answering outside the day or the
                // points asked for is damaged, not a reason to write past the buffer.
                let q = Int(qh.index - first)
                guard q >= 0, q < range.count, index >= 0, index < n else {
                    throw StoreError.damaged(store.location, "a reading of \(qh) (point \(index)) outside the day \(date) read")
                }
                buffer[q * n + index] = mwh
            }
        }
        var dso = GridOperatorDay(quarterHours: range.count, directions: points.map(\.direction))
        try store.scanGridOperatorFigures(community: community.id, points: points, in: range) { qh, index, code, mwh in
            guard qh >= range.lowerBound, qh < range.upperBound, index >= 0, index < n else {
                throw StoreError.damaged(store.location, "a grid-operator value of \(qh) (point \(index)) outside the day \(date) read")
            }
            dso.record(quarterHour: Int(qh.index - first), point: index, code: code, milliwattHours: mwh)
        }
        return Day(
            date: date, quarterHours: range, values: values, readings: count,
            gridOperator: dso.figures > 0 ? dso.shares(readings: values) : nil)
    }

    /// The next day, or nil after the last one. Rethrows the reader's error.
    func next() throws -> Day? { try days.next() }

    /// Stops the reader (after an error on the consuming side).
    func cancel() { days.cancel() }
}
