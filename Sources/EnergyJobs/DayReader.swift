import EnergyCore
import EnergyStore
import Foundation

/// Reads the readings of whole local days on its own thread and connection, a few days ahead of
/// the allocation, so reading and computing overlap on two cores.
///
/// ```swift
/// let reader = try DayReader(store: store.openAnotherConnection(), community: c, days: plan.days)
/// while let day = try reader.next() { ... }
/// ```
final class DayReader: @unchecked Sendable {
    /// One day's readings, quarter-hour-major, -1 where a reading is missing.
    struct Day {
        var date: LocalDate
        var quarterHours: Range<QuarterHour>
        var values: [Int64]
        var readings: Int
        /// The grid operator's shares (see `GridOperatorDay`), nil if it sent none for the day.
        var gridOperator: [Int64]?
    }

    private enum Item {
        case day(Day)
        case failed(any Error)
        case end
    }

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var items: [Item] = []
    private var cancelled = false
    private let capacity = 2

    /// Starts reading at once. `store` is used only by the reader's thread from now on.
    init(store: any ReadingStore, community: Community, days: [LocalDate]) {
        let points = community.pointKeys
        // The store moves to the reader's thread and is not touched here again.
        let handover = Handover(value: store)
        let thread = Thread { [self] in
            let store = handover.value
            for date in days {
                let range = community.calendar.quarterHours(of: date)
                let first = range.lowerBound.index
                let n = points.count
                var values = [Int64](repeating: -1, count: range.count * n)
                let item: Item
                do {
                    let count = try values.withUnsafeMutableBufferPointer { buffer in
                        try store.scanReadings(community: community.id, points: points, in: range) { qh, index, mwh in
                            buffer[Int(qh.index - first) * n + index] = mwh
                        }
                    }
                    var dso = GridOperatorDay(quarterHours: range.count, directions: points.map(\.direction))
                    try store.scanGridOperatorFigures(community: community.id, points: points, in: range) { qh, index, code, mwh in
                        dso.record(quarterHour: Int(qh.index - first), point: index, code: code, milliwattHours: mwh)
                    }
                    item = .day(
                        Day(
                            date: date, quarterHours: range, values: values, readings: count,
                            gridOperator: dso.figures > 0 ? dso.shares(readings: values) : nil))
                } catch {
                    item = .failed(error)
                }
                guard put(item) else { return }
                if case .failed = item { return }
            }
            _ = put(.end)
        }
        thread.name = "energy day reader"
        thread.start()
    }

    private func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The next day, or nil after the last one. Rethrows the reader's error.
    func next() throws -> Day? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty { condition.wait() }
        let item = items.removeFirst()
        condition.broadcast()
        switch item {
        case let .day(day): return day
        case let .failed(error): throw error
        case .end:
            items.insert(.end, at: 0)
            return nil
        }
    }

    /// Stops the reader (after an error on the consuming side).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Hands a value that is not `Sendable` to exactly one other thread, which owns it from then on.
private struct Handover<Value>: @unchecked Sendable {
    let value: Value
}
