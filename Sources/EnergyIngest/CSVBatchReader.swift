import EnergyCore
import Foundation

/// Reads and parses a readings CSV on a thread of its own, up to two batches ahead of the caller
/// that stores them: on two cores the parsing (about a quarter of an import's work) and the
/// writing run at once instead of one after the other.
///
/// ```swift
/// let reader = CSVBatchReader(handle: handle, community: community, plausible: plausible)
/// reader.start()
/// defer { reader.stop() }
/// while let batch = try reader.next() { store(batch.readings) }
/// ```
final class CSVBatchReader: @unchecked Sendable {
    /// Readings and rejections of consecutive rows, in file order.
    struct Batch: Sendable {
        var readings: [Reading] = []
        var rejections: [RowRejection] = []
        /// Bytes of the file read so far.
        var bytesRead = 0
        /// The last batch of the file (also after a fatal rejection); it carries the line counts.
        var isLast = false
        var lines = 0
        var blankLines = 0
    }

    // Set up before `start`, then read only by the reading thread.
    private let handle: FileHandle
    private let community: Community
    private let plausible: PlausibleTimes
    private let batchSize: Int
    private let chunkSize: Int

    // Shared between the two threads, under `condition`.
    private let condition = NSCondition()
    private var ready: [Batch] = []
    private var failure: (any Error)?
    private var stopped = false
    private var finished = false
    private static let ahead = 2

    init(handle: FileHandle, community: Community, plausible: PlausibleTimes, batchSize: Int = 50_000, chunkSize: Int = 1 << 20) {
        self.handle = handle
        self.community = community
        self.plausible = plausible
        self.batchSize = batchSize
        self.chunkSize = chunkSize
    }

    func start() {
        let thread = Thread { [self] in parseAll() }
        thread.name = "csv-reader"
        thread.start()
    }

    /// The next batch, waiting for it; nil after the last. A read error is thrown after the
    /// batches read before it.
    func next() throws -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty, failure == nil, !finished { condition.wait() }
        if !ready.isEmpty {
            condition.broadcast()
            return ready.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Tells the reading thread to stop and waits until it has (so the file can be closed).
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func parseAll() {
        defer {
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        var parser = ReadingCSVParser(community: community)
        parser.plausible = plausible
        var batch = Batch()
        batch.readings.reserveCapacity(batchSize + chunkSize / 64)
        var bytesRead = 0
        do {
            while true {
                let chunk = try handle.read(upToCount: chunkSize) ?? Data()
                let isLast = chunk.isEmpty
                bytesRead += chunk.count
                let before = batch.readings.count
                var fatal = false
                chunk.withUnsafeBytes { raw in
                    parser.feed(
                        raw.bindMemory(to: UInt8.self), isLast: isLast, accept: { batch.readings.append($0) },
                        reject: { rejection in
                            if rejection.fatal { fatal = true }
                            batch.rejections.append(rejection)
                        })
                }
                batch.bytesRead = bytesRead
                if fatal || isLast {
                    // A fatal rejection (an unusable header) ends the file: nothing of its chunk is stored.
                    if fatal { batch.readings.removeSubrange(before...) }
                    batch.isLast = true
                    batch.lines = parser.line
                    batch.blankLines = parser.blankLines
                    _ = put(batch)
                    return
                }
                if batch.readings.count >= batchSize || batch.rejections.count >= batchSize {
                    guard put(batch) else { return }
                    batch = Batch()
                    batch.readings.reserveCapacity(batchSize + chunkSize / 64)
                }
            }
        } catch {
            condition.lock()
            failure = error
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Hands a batch over, waiting while two are waiting already; false once stopped.
    private func put(_ batch: Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= Self.ahead, !stopped { condition.wait() }
        guard !stopped else { return false }
        ready.append(batch)
        condition.broadcast()
        return true
    }
}
