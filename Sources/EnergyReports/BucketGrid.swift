import EnergyCore

/// The size of a report bucket.
public enum Granularity: String, Sendable, CaseIterable {
    case quarterHour = "15m"
    case hour, day, month
}

/// The buckets of a local date range at one granularity: each bucket's UTC start and how many
/// quarter hours it has (92/96/100 for a day, 3-5 for hours around a DST change).
///
/// ```swift
/// let grid = BucketGrid(calendar: vienna, from: d1, to: d2, granularity: .hour)
/// grid.bucketIndex(ofQuarterHourAt: 0)   // 0
/// ```
public struct BucketGrid: Sendable {
    public let granularity: Granularity
    public let quarterHours: Range<QuarterHour>
    public private(set) var starts: [Int64] = []
    public private(set) var quarterHourCounts: [Int] = []
    /// For each quarter hour of the range (by offset from its start), its bucket.
    private var bucketOfQuarterHour: [Int32] = []

    public init(calendar: LocalCalendar, from: LocalDate, to: LocalDate, granularity: Granularity) {
        self.granularity = granularity
        quarterHours = calendar.quarterHours(from: from, to: to)
        var offsets = calendar.offsetCache()
        // A second cache for the buckets' starts: its probes (half a day around each midnight)
        // would otherwise throw the scan's span away at every bucket.
        var probes = calendar.offsetCache()
        var previousKey: Int64 = .min
        bucketOfQuarterHour.reserveCapacity(quarterHours.count)
        // Quarter hours are taken in runs that share the key: up to the next local hour (hours)
        // or midnight (days, months), and never past a change of the zone's offset. A month of
        // days is some thirty steps, not 2,976 (an API request for a month paid for every one).
        var qh = quarterHours.lowerBound
        while qh < quarterHours.upperBound {
            let seconds = qh.startSeconds
            var run = 1
            if granularity != .quarterHour {
                let (offset, until) = offsets.span(at: seconds)
                let local = seconds + Int64(offset)
                let unit: Int64 = granularity == .hour ? 3_600 : 86_400
                let boundary = min(seconds + (unit - ((local % unit) + unit) % unit), until)
                let left = (boundary - seconds + QuarterHour.seconds - 1) / QuarterHour.seconds
                run = max(1, min(Int(left), Int(quarterHours.upperBound.index - qh.index)))
            }
            let key: Int64
            switch granularity {
            case .quarterHour:
                key = seconds
            case .hour:
                key = offsets.startOfHour(containing: seconds)
            case .day:
                key = Int64(offsets.localDay(containing: seconds))
            case .month:
                let date = LocalDate(daysSinceEpoch: offsets.localDay(containing: seconds))
                key = Int64(date.year * 100 + date.month)
            }
            if key != previousKey {
                previousKey = key
                let start: Int64
                switch granularity {
                case .quarterHour, .hour: start = key
                case .day: start = calendar.startOfDay(LocalDate(daysSinceEpoch: Int(key)), offsets: &probes)
                case .month:
                    // Clipped to the range: a month bucket starts where the range does if need be.
                    let month = LocalMonth(year: Int(key / 100), month: Int(key % 100))!
                    start = max(calendar.startOfDay(month.firstDay, offsets: &probes), quarterHours.lowerBound.startSeconds)
                }
                starts.append(start)
                quarterHourCounts.append(0)
            }
            quarterHourCounts[quarterHourCounts.count - 1] += run
            bucketOfQuarterHour.append(contentsOf: repeatElement(Int32(starts.count - 1), count: run))
            qh = qh.advanced(by: Int64(run))
        }
    }

    public var count: Int { starts.count }

    /// The bucket holding the quarter hour `offset` quarter hours after the range's start.
    @inline(__always)
    public func bucketIndex(ofQuarterHourAt offset: Int) -> Int { Int(bucketOfQuarterHour[offset]) }

    /// The bucket holding quarter hour `qh`, if it is in the range.
    public func bucketIndex(of qh: QuarterHour) -> Int? {
        guard quarterHours.contains(qh) else { return nil }
        return bucketIndex(ofQuarterHourAt: Int(qh.index - quarterHours.lowerBound.index))
    }
}
