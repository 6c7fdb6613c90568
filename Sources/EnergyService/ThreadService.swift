import Foundation
import ServiceLifecycle

/// Blocking work (C libraries, blocking sockets) as a `Service`: `run()` starts `body` on a
/// thread of its own, away from the Swift concurrency pool, and returns when it returns. A
/// graceful shutdown or a cancellation calls `stop`, which must make `body` finish soon.
///
/// ```swift
/// let service = ThreadService(name: "ingest", body: { try ingest.run() }, stop: { ingest.requestStop() })
/// ```
public struct ThreadService: Service, CustomStringConvertible {
    public let name: String
    private let body: @Sendable () throws -> Void
    private let stop: @Sendable () -> Void

    public init(name: String, body: @escaping @Sendable () throws -> Void, stop: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
        self.stop = stop
    }

    public var description: String { name }

    public func run() async throws {
        let body = self.body
        let name = self.name
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let thread = Thread {
                        do {
                            try body()
                            continuation.resume()
                        } catch {
                            continuation.resume(throwing: error)
                        }
                    }
                    thread.name = name
                    thread.start()
                }
            } onCancel: {
                stop()
            }
        } onGracefulShutdown: {
            stop()
        }
    }
}
