import Foundation
import ZIPFoundation

/// One part of a ZIP file, uncompressed on a thread of its own and handed to a reader that pulls
/// it a buffer at a time (``XMLStream/init(name:source:)``).
///
/// ZIPFoundation pushes an entry's bytes to a closure; libxml2's reader pulls them. A thread that
/// runs the extraction and a hand-over of at most a few chunks join the two without holding the
/// part whole (a month's sheet of 1,000 metering points is some 600 MB of XML), and let the
/// inflating and the parsing share two cores.
/// ```swift
/// let part = XLSXPartStream(archive: archive, entry: entry)
/// let xml = try XMLStream(name: entry.path, source: part.read)
/// …
/// part.cancel()   // when the reader stops early: ends the thread
/// ```
final class XLSXPartStream: @unchecked Sendable {
    // Every field below is guarded by `condition`.
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var current: [UInt8] = []
    private var offset = 0
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private var running = true

    /// Chunks the extracting thread may be ahead of the reader.
    private static let aheadChunks = 4
    private static let chunkSize = 256 * 1024

    init(archive: Archive, entry: Entry) {
        let work = Work(archive: archive, entry: entry)
        let thread = Thread { [self] in
            do {
                // The CRC is checked (here, faster than ZIPFoundation would): a damaged file fails
                // rather than giving wrong figures.
                var checksum = ZIPChecksum()
                _ = try work.archive.extract(work.entry, bufferSize: Self.chunkSize, skipCRC32: true) { data in
                    try self.put(data, into: &checksum)
                }
                guard checksum.value == work.entry.checksum else { throw Damaged(path: work.entry.path) }
                self.end(nil)
            } catch {
                self.end(error)
            }
        }
        thread.name = "XLSXPartStream"
        thread.start()
    }

    /// The archive crosses to the extracting thread, which alone uses it until ``cancel()`` or the
    /// end of the part.
    private struct Work: @unchecked Sendable {
        let archive: Archive
        let entry: Entry
    }

    private struct Cancelled: Error {}

    private struct Damaged: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path) is damaged (its checksum does not match its contents)" }
    }

    private func put(_ data: Data, into checksum: inout ZIPChecksum) throws {
        let copy = [UInt8](data)
        checksum.update(copy)
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= Self.aheadChunks && !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        chunks.append(copy)
        condition.broadcast()
    }

    private func end(_ error: (any Error)?) {
        condition.lock()
        finished = true
        running = false
        if !(error is Cancelled) { failure = error }
        condition.broadcast()
        condition.unlock()
    }

    /// Fills `buffer` with the next bytes of the part; 0 at its end. Throws what the extraction threw.
    func read(_ buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        condition.lock()
        defer { condition.unlock() }
        while offset == current.count {
            if !chunks.isEmpty {
                current = chunks.removeFirst()
                offset = 0
                condition.broadcast()
            } else if finished {
                if let failure { throw failure }
                return 0
            } else {
                condition.wait()
            }
        }
        let count = min(buffer.count, current.count - offset)
        current.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress, let target = buffer.baseAddress else { return }
            target.update(from: base + offset, count: count)
        }
        offset += count
        return count
    }

    /// Stops the extraction and waits for its thread to end (so the archive is free again).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while running { condition.wait() }
        chunks = []
        condition.unlock()
    }
}
