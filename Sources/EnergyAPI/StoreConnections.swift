import EnergyStore
import NIOPosix
import Synchronization

/// Store connections for concurrent requests. A store object serves one thread at a time and
/// its calls block (SQLite, libmongoc), so each request borrows a connection and runs its store
/// work on NIO's blocking-I/O thread pool, never on the threads that serve HTTP.
public final class StoreConnections: Sendable {
    /// Never lent out: only opens new connections (one at a time, under the lock).
    private let seed: Mutex<StoreBox>
    private let idle = Mutex<[StoreBox]>([])
    private let maximumIdle: Int
    public let location: String

    /// This server's own threads for store calls: never NIO's shared singleton pool, so one
    /// server's slow or unreachable store cannot starve another server in the same process.
    private let threads: NIOThreadPool

    /// Answers each connection keeps (``AnswerCache``); 0 keeps none.
    public let answersPerConnection: Int

    public init(_ store: any ReadingStore, maximumIdle: Int = 8, threads: Int = 4, answersPerConnection: Int = 64) {
        self.answersPerConnection = max(0, answersPerConnection)
        self.seed = Mutex(StoreBox(store, answers: answersPerConnection))
        self.maximumIdle = maximumIdle
        self.location = store.location
        self.threads = NIOThreadPool(numberOfThreads: max(1, threads))
        self.threads.start()
    }

    deinit {
        threads.shutdownGracefully { _ in }
    }

    /// Runs `body` with a connection of its own, off the event loops.
    public func withStore<T: Sendable>(_ body: @escaping @Sendable (any ReadingStore) throws -> T) async throws -> T {
        try await threads.runIfActive {
            let box = try self.borrow()
            // A connection whose call failed may be broken (a lost server): it is dropped, and
            // the next request opens a fresh one.
            let result = try body(box.store)
            self.idle.withLock { if $0.count < self.maximumIdle { $0.append(box) } }
            return result
        }
    }

    /// The answer of `key`: the one the connection remembers if the data it sees did not change
    /// since (``AnswerCache``), else `compute`'s, remembered. `key` must name everything the
    /// answer depends on besides the stored data; who may see it is checked before.
    func answer(
        _ key: String, _ compute: @escaping @Sendable (any ReadingStore) throws -> [UInt8]
    ) async throws -> [UInt8] {
        try await threads.runIfActive {
            let box = try self.borrow()
            let store = box.store
            // Read before the data: a commit after this point changes the version, so an answer
            // remembered under it is never reused once the data changed.
            let version = self.answersPerConnection > 0 ? try store.dataVersion() : nil
            if let version, let answer = box.answers.answer(for: key, at: version) {
                self.idle.withLock { if $0.count < self.maximumIdle { $0.append(box) } }
                return answer
            }
            let answer = try compute(store)
            if let version { box.answers.remember(answer, for: key, at: version) }
            self.idle.withLock { if $0.count < self.maximumIdle { $0.append(box) } }
            return answer
        }
    }

    private func borrow() throws -> StoreBox {
        if let box = idle.withLock({ $0.popLast() }) { return box }
        return try seed.withLock { StoreBox(try $0.store.openAnotherConnection(), answers: answersPerConnection) }
    }
}

/// A store connection handed between threads, with the answers it computed; only one thread
/// uses it at a time (the pool guarantees it), which is what makes the unchecked sendability sound.
final class StoreBox: @unchecked Sendable {
    let store: any ReadingStore
    let answers: AnswerCache
    init(_ store: any ReadingStore, answers: Int) {
        self.store = store
        self.answers = AnswerCache(maximumCount: answers)
    }
}
