import Foundation

/// Where "now" comes from. Code that records, compares or expires times takes a clock instead of
/// calling `Date()`, so a test can set the time instead of waiting for it.
///
/// ```swift
/// let clock = ManualClock(at: 1_790_812_800)
/// clock.advance(seconds: 301)   // a lease of 300 s has now expired
/// let now = clock.unixSeconds
/// ```
public protocol WallClock: Sendable {
    /// The current instant.
    func now() -> Date
}

extension WallClock {
    /// Whole seconds since 1970-01-01T00:00:00Z (rounded down).
    public var unixSeconds: Int64 { Int64(now().timeIntervalSince1970.rounded(.down)) }
}

/// The machine's clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told: for tests of leases, expiry and issue dates.
public final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(at unixSeconds: Int64) { current = Date(timeIntervalSince1970: TimeInterval(unixSeconds)) }

    public func now() -> Date { lock.withLock { current } }

    /// Moves the clock forward (or back, with a negative value).
    public func advance(seconds: Int64) { lock.withLock { current += TimeInterval(seconds) } }

    /// Sets the clock.
    public func set(unixSeconds: Int64) { lock.withLock { current = Date(timeIntervalSince1970: TimeInterval(unixSeconds)) } }
}
