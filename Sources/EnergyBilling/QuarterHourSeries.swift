import EnergyCore
import EnergyStore

/// The per-quarter-hour allocation of some metering points over a billing period, for the
/// 15-minute sheets: per point the reading (-1 if missing) and the community share, interleaved,
/// for every quarter hour of the period.
///
/// ```swift
/// let series = try QuarterHourSeries(store: store, figures: figures, points: [0, 1])
/// series.values[1]?[2 * q + 1]   // point 1's community share in quarter hour q
/// ```
struct QuarterHourSeries {
    var values: [Int: [Int64]]

    init(store: any ReadingStore, figures: BillingFigures, points: [Int]) throws {
        let first = figures.quarterHours.lowerBound.index
        let count = figures.quarterHours.count
        var empty = [Int64](repeating: 0, count: count * 2)
        for q in 0..<count { empty[2 * q] = -1 }
        var values: [Int: [Int64]] = [:]
        for p in points { values[p] = empty }
        let community = figures.community
        // Only these points' records: a batch reads its own, not the whole community's period.
        let keys = points.map { community.meteringPoints[$0].key }
        try store.allocationSeries(community: community.id, from: figures.period.from, to: figures.period.to, of: keys) { record in
            guard let p = community.pointIndex(of: record.point), values[p] != nil else { return }
            let offset = Int(record.firstQuarterHour.index - first)
            guard offset >= 0, offset + record.quarterHourCount <= count else { return }
            values[p]?.withUnsafeMutableBufferPointer { target in
                record.interleaved.withUnsafeBufferPointer { source in
                    for i in 0..<source.count { target[2 * offset + i] = source[i] }
                }
            }
        }
        self.values = values
    }
}
