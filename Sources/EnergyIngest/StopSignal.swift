import Foundation

/// A flag set once from any thread (a signal handler's queue) and polled by a blocking loop.
///
/// ```swift
/// let stop = StopSignal()
/// stop.request()
/// stop.isRequested   // true
/// ```
public final class StopSignal: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var requested = false

    public init() {}

    public func request() {
        lock.lock()
        requested = true
        lock.unlock()
    }

    public var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }

    /// Sleeps up to `seconds`, waking early once a stop is requested.
    public func sleep(seconds: Double) {
        let end = Date().addingTimeInterval(seconds)
        while !isRequested, Date() < end { Thread.sleep(forTimeInterval: min(0.05, max(0, end.timeIntervalSinceNow))) }
    }
}
