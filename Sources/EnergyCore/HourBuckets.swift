/// The figures of one local hour of a day: per allocated point and for the community.
public struct HourBucket: Sendable, Equatable {
    /// The hour's start (Unix seconds).
    public var start: Int64
    /// Per point, in the allocation's order.
    public var points: [EnergyTotals]
    public var community = EnergyTotals()
}

extension DayAllocation {
    /// The day's local-hour buckets: 24, or 23 and 25 on the days the clocks change (the repeated
    /// hour of the autumn day is two buckets, never summed into one).
    ///
    /// ```swift
    /// for hour in day.hourBuckets(calendar: community.calendar) { print(hour.start, hour.community.shared) }
    /// ```
    public func hourBuckets(calendar: LocalCalendar) -> [HourBucket] {
        var buckets: [HourBucket] = []
        var offsets = calendar.offsetCache()
        let n = pointCount
        for q in 0..<quarterHourCount {
            let seconds = firstQuarterHour.startSeconds + Int64(q) * QuarterHour.seconds
            let start = offsets.startOfHour(containing: seconds)
            if buckets.last?.start != start {
                buckets.append(HourBucket(start: start, points: [EnergyTotals](repeating: EnergyTotals(), count: n)))
            }
            let b = buckets.count - 1
            for i in 0..<n {
                buckets[b].points[i].add(pointTotals(quarterHour: q, point: i))
            }
            buckets[b].community.add(community[q])
        }
        return buckets
    }
}
