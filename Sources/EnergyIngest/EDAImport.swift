import EnergyCore
import EnergyEDA
import EnergyStore

/// Stores what grid-operator files hold for one community: the meter readings (`G.01`) with the
/// readings, the DSO's allocation as the community's DSO figures, both under quality precedence.
///
/// Values of metering points that are not the community's (or not in that direction), and whole
/// files for another community (the community file's `ecid`), are rejected with where and why;
/// the valid values of the same file are stored. Files are read on a second thread while the
/// values of earlier ones are stored, and values are stored in time order across files: a
/// grid operator sends one file per metering point, and storing each file alone would touch every
/// page of the month's readings once per point.
/// ```swift
/// let importer = EDAImport(store: store, community: community)
/// let stored = try importer.run(files: paths, format: .crmsg) { path, outcome in print(path, outcome) }
/// print(stored.countsText)
/// ```
public struct EDAImport {
    public let store: any ReadingStore
    public let community: Community
    /// Values held before they are stored (sorted by time first).
    public var bufferLimit = 1_000_000
    /// Values starting outside are rejected (default: 2000-01-01 to ten years from now).
    public var plausible = PlausibleTimes(now: SystemClock().unixSeconds)
    /// Values written per store transaction.
    public var batchSize = 100_000

    public init(store: any ReadingStore, community: Community) {
        self.store = store
        self.community = community
    }

    /// What one file held.
    public struct FileResult: Sendable {
        /// Values in the file (read or refused).
        public var values = 0
        /// Values refused (by the reader or here).
        public var rejected = 0
        public var readings = 0
        public var figures = 0
        public var rejections: [EDARejection] = []
        public var unknownMeterCodes: [String] = []
    }

    /// Reads `files` (CR_MSG or workbooks) and stores their values. `onFile` sees every file's
    /// result, or the error that kept it from being read at all (the other files go on). Returns
    /// what the store did with all of them.
    public func run(
        files: [String], format: ImportFormat?, onFile: (String, Result<FileResult, any Error>) -> Void
    ) throws -> UpsertSummary {
        let calendar = community.calendar
        let documents = Prefetcher(capacity: 2, count: files.count, name: "energy EDA reader") { i -> Result<EDADocument, any Error> in
            Result { try Self.read(path: files[i], format: format ?? ImportFormat.detect(path: files[i]), calendar: calendar) }
        }
        defer { documents.cancel() }
        var buffer = Buffer()
        var stored = UpsertSummary()
        var index = 0
        while let document = try documents.next() {
            let file = files[index]
            index += 1
            switch document {
            case let .failure(error): onFile(file, .failure(error))
            case let .success(document): onFile(file, .success(try add(document, to: &buffer, stored: &stored)))
            }
        }
        stored.add(try flush(&buffer))
        return stored
    }

    /// Stores one document read elsewhere.
    public func run(_ document: EDADocument) throws -> (FileResult, UpsertSummary) {
        var buffer = Buffer()
        var stored = UpsertSummary()
        let result = try add(document, to: &buffer, stored: &stored)
        stored.add(try flush(&buffer))
        return (result, stored)
    }

    /// Reads a grid-operator file of `format` (CR_MSG XML or an EDA workbook, whose local times
    /// are read in `calendar`).
    public static func read(path: String, format: ImportFormat, calendar: LocalCalendar) throws -> EDADocument {
        switch format {
        case .crmsg: return try CRMSGReader().read(path: path)
        case .edaWorkbook: return try EDAWorkbookReader(calendar: calendar).read(path: path)
        case .csv: throw EDAFileError(file: path, message: "this is read as CSV, not as a grid-operator file (CR_MSG or EDA workbook)")
        }
    }

    /// Values waiting to be stored, in file order.
    struct Buffer {
        var readings: [Reading] = []
        var figures: [GridOperatorFigure] = []
        var count: Int { readings.count + figures.count }
    }

    /// Checks a document against the community and queues its valid values, storing the queue
    /// whenever it is full (a workbook of a month holds millions).
    func add(_ document: EDADocument, to buffer: inout Buffer, stored: inout UpsertSummary) throws -> FileResult {
        var result = FileResult()
        result.unknownMeterCodes = document.unknownMeterCodes
        result.rejections = document.rejections
        result.rejected = document.rejections.reduce(0) { $0 + $1.values }
        result.values = result.rejected + document.figures.count
        if let file = document.communityID, let ours = community.ecid, file != ours {
            result.rejections.append(
                EDARejection(
                    location: "ECID", reason: "the file is for EC-ID \(file), the community file names \(ours)",
                    values: document.figures.count))
            result.rejected += document.figures.count
            return result
        }
        // One rejection per metering point that is not the community's, covering its values.
        var accepted = Set<PointKey>()
        var refusal: [PointKey: String] = [:]
        var refusedValues: [PointKey: Int] = [:]
        var implausible: (count: Int, first: String)?
        for figure in document.figures {
            do { try plausible.check(figure.start) } catch {
                implausible = ((implausible?.count ?? 0) + 1, implausible?.first ?? "\(error)")
                continue
            }
            let point = figure.point
            if !accepted.contains(point), refusal[point] == nil {
                do {
                    try community.check(point)
                    accepted.insert(point)
                } catch {
                    refusal[point] = "\(error)"
                }
            }
            if refusal[point] != nil {
                refusedValues[point, default: 0] += 1
            } else if let reading = figure.reading {
                buffer.readings.append(reading)
                result.readings += 1
            } else {
                buffer.figures.append(figure)
                result.figures += 1
            }
            if buffer.count >= bufferLimit { stored.add(try flush(&buffer)) }
        }
        if let implausible {
            result.rejections.append(EDARejection(location: "Energiedaten", reason: implausible.first, values: implausible.count))
            result.rejected += implausible.count
        }
        for (point, count) in refusedValues.sorted(by: { $0.key < $1.key }) {
            result.rejections.append(
                EDARejection(location: "MeteringPoint \(point.zaehlpunkt)", reason: refusal[point] ?? "refused", values: count))
            result.rejected += count
        }
        return result
    }

    /// Stores the buffer in time order (the order of the stores' keys), in batches; values for the
    /// same quarter hour keep their file order, so a later file's value is the later one.
    func flush(_ buffer: inout Buffer) throws -> UpsertSummary {
        var summary = UpsertSummary()
        let readings = buffer.readings
        summary.add(try store(readings, sortKeys: readings.map { ($0.start, $0.point, 0) }) { try store.upsert($0, community: community) })
        let figures = buffer.figures
        summary.add(
            try store(figures, sortKeys: figures.map { ($0.start, $0.point, $0.meterCode.code) }) {
                try store.upsert($0, community: community)
            })
        buffer = Buffer()
        return summary
    }

    /// Upserts `values` in the order of their (quarter hour, point, code) keys, file order among
    /// equal keys, `batchSize` at a time. The keys are packed into one integer with the value's
    /// offset (quarter hour since the earliest: 23 bits, the point's index in the community: 15,
    /// the code: 4, the offset: 21), so a million values sort as integers, not as tuples of
    /// Zaehlpunkte (which cost seconds a flush).
    private func store<Value>(
        _ values: [Value], sortKeys: [(QuarterHour, PointKey, Int)], upsert: ([Value]) throws -> UpsertSummary
    ) throws -> UpsertSummary {
        guard !values.isEmpty else { return UpsertSummary() }
        let earliest = sortKeys.lazy.map(\.0.index).min() ?? 0
        var packed: [UInt64] = []
        packed.reserveCapacity(values.count)
        for (offset, key) in sortKeys.enumerated() {
            let time = key.0.index - earliest
            guard let point = community.pointIndex(of: key.1), time < 1 << 23, point < 1 << 15, key.2 < 1 << 4, offset < 1 << 21 else {
                packed = []
                break
            }
            packed.append(UInt64(time) << 40 | UInt64(point) << 25 | UInt64(key.2) << 21 | UInt64(offset))
        }
        let order: [Int]
        if packed.count == values.count {
            packed.sort()
            order = packed.map { Int($0 & (1 << 21 - 1)) }
        } else {
            // Beyond what fits in 64 bits (a decade at once, 32,768 points): the same order, slower.
            order = sortKeys.indices.sorted {
                (sortKeys[$0].0, sortKeys[$0].1, sortKeys[$0].2, $0) < (sortKeys[$1].0, sortKeys[$1].1, sortKeys[$1].2, $1)
            }
        }
        var summary = UpsertSummary()
        var batch: [Value] = []
        batch.reserveCapacity(min(batchSize, values.count))
        for index in order {
            batch.append(values[index])
            if batch.count == batchSize {
                summary.add(try upsert(batch))
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { summary.add(try upsert(batch)) }
        return summary
    }
}
