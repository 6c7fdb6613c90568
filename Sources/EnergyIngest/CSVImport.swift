import EnergyCore
import EnergyStore
import Foundation

/// Imports a canonical readings CSV into a store: valid rows are stored (idempotently), bad rows
/// are reported with their line number and reason.
///
/// ```swift
/// let result = try CSVImport(store: store, community: c).run(path: "readings.csv") { print($0) }
/// if result.rejected > 0 { exit(2) }
/// ```
public struct CSVImport {
    public let store: any ReadingStore
    public let community: Community
    /// Readings written per store transaction.
    public var batchSize = 50_000
    /// Readings starting outside are rejected (default: 2000-01-01 to ten years from now).
    public var plausible = PlausibleTimes(now: SystemClock().unixSeconds)
    /// Bytes read from the file at a time.
    public var chunkSize = 1 << 20

    public init(store: any ReadingStore, community: Community) {
        self.store = store
        self.community = community
    }

    public struct Result: Sendable {
        public var rows = 0
        /// Empty lines, skipped (not counted as rows).
        public var blankLines = 0
        public var rejected = 0
        public var stored = UpsertSummary()
        /// The header was unusable; nothing was read.
        public var fatal = false
    }

    /// Reads `path` (or standard input for `-`). `onRejection` sees each bad row; `onProgress`
    /// the bytes read so far.
    public func run(
        path: String, onRejection: (RowRejection) -> Void,
        onProgress: (Int) -> Void = { _ in }
    ) throws -> Result {
        let handle: FileHandle
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let opened = FileHandle(forReadingAtPath: path) else {
                throw ImportError.cannotRead(path, FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
            }
            handle = opened
        }
        defer { if path != "-" { try? handle.close() } }
        // The file is read and parsed on a thread of its own while this one writes.
        let reader = CSVBatchReader(
            handle: handle, community: community, plausible: plausible, batchSize: batchSize, chunkSize: chunkSize)
        reader.start()
        defer { reader.stop() }
        var result = Result()
        var committed = 0
        while let batch = try reader.next() {
            for rejection in batch.rejections {
                result.rejected += 1
                if rejection.fatal { result.fatal = true }
                onRejection(rejection)
            }
            if !batch.readings.isEmpty {
                // A store that fails (a full disk) says which store and how far the file got: what
                // was committed stays, and the same import again stores the rest.
                do { result.stored.add(try store.upsert(batch.readings, community: community)) } catch {
                    throw ImportError.storeFailed(store.location, path: path, committed: committed, error: "\(error)")
                }
                committed += batch.readings.count
            }
            onProgress(batch.bytesRead)
            if batch.isLast {
                // Rows are the lines after the header that are not empty: new + unchanged + corrected + … + rejected.
                result.blankLines = batch.blankLines
                result.rows = max(0, batch.lines - 1 - batch.blankLines)
            }
        }
        return result
    }
}

public enum ImportError: Error, CustomStringConvertible {
    case cannotRead(String, String)
    /// The store refused a batch (store, file, rows committed before, the store's error).
    case storeFailed(String, path: String, committed: Int, error: String)
    public var description: String {
        switch self {
        case let .cannotRead(path, why): return "cannot read \(path): \(why)"
        case let .storeFailed(store, path, committed, error):
            return "\(store) refused readings of \(path) after \(committed) were committed: \(error). "
                + "Nothing committed is lost; free space (or fix the store) and import the file again: it stores the rest"
        }
    }
}
