import EnergyCore
import ServiceLifecycle

/// Gives the heap that closed connections freed back to the system, every `interval` (10 s). glibc's
/// allocator keeps freed memory in its per-thread arenas (the event-loop threads' ones grow with
/// the connections they hold), so without this a server's resident memory stays at the peak of
/// its busiest minute, e.g. of 5,000 half-sent requests, long after they were closed. Trimming
/// an idle heap takes well under a millisecond; `runServices` runs one in every service group.
///
/// ```swift
/// let trimmer = HeapTrimmer(interval: .seconds(10))
/// try await ServiceGroup(configuration: .init(services: [trimmer], logger: logger)).run()
/// ```
public struct HeapTrimmer: Service, CustomStringConvertible {
    public let interval: Duration

    public init(interval: Duration = .seconds(10)) { self.interval = interval }

    public var description: String { "heap trimmer" }

    public func run() async throws {
        // Ends with the group: its graceful shutdown cancels the sleep.
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do { try await Task.sleep(for: interval) } catch { return }
            ProcessHeap.trim()
        }
    }
}
