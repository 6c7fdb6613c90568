import EnergyCore
import EnergyEDA
import EnergyStore

/// Stores what a grid-operator file held for one community: the meter readings (`G.01`) with the
/// readings, the DSO's allocation with the community's DSO figures, both under quality precedence.
///
/// Values of metering points that are not the community's (or not in that direction), and whole
/// files for another community (the community file's `ecid`), are rejected with where and why;
/// the file's valid values are stored.
/// ```swift
/// let document = try CRMSGReader().read(path: "AT003…xml")
/// let result = try EDAImport(store: store, community: community).run(document)
/// print("\(result.values) values: \(result.stored.countsText), \(result.rejected) rejected")
/// ```
public struct EDAImport {
    public let store: any ReadingStore
    public let community: Community
    /// Values written per store transaction.
    public var batchSize = 50_000

    public init(store: any ReadingStore, community: Community) {
        self.store = store
        self.community = community
    }

    public struct Result: Sendable {
        /// Values in the file (read or refused).
        public var values = 0
        /// Values refused (by the reader or here).
        public var rejected = 0
        /// What the store did with the readings and the DSO figures together.
        public var stored = UpsertSummary()
        public var readings = 0
        public var figures = 0
        public var rejections: [EDARejection] = []
        public var unknownMeterCodes: [String] = []
    }

    public func run(_ document: EDADocument) throws -> Result {
        var result = Result()
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
        var readings: [Reading] = []
        var figures: [GridOperatorFigure] = []
        func flush() throws {
            if !readings.isEmpty { result.stored.add(try store.upsert(readings, community: community)) }
            if !figures.isEmpty { result.stored.add(try store.upsert(figures, community: community)) }
            readings.removeAll(keepingCapacity: true)
            figures.removeAll(keepingCapacity: true)
        }
        for figure in document.figures {
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
                continue
            }
            if let reading = figure.reading {
                readings.append(reading)
                result.readings += 1
            } else {
                figures.append(figure)
                result.figures += 1
            }
            if readings.count + figures.count >= batchSize { try flush() }
        }
        try flush()
        for (point, count) in refusedValues.sorted(by: { $0.key < $1.key }) {
            result.rejections.append(
                EDARejection(location: "MeteringPoint \(point.zaehlpunkt)", reason: refusal[point] ?? "refused", values: count))
            result.rejected += count
        }
        return result
    }
}

extension EDAImport {
    /// Reads a grid-operator file of `format` (CR_MSG XML or an EDA workbook, whose local times
    /// are read in `calendar`).
    public static func read(path: String, format: ImportFormat, calendar: LocalCalendar) throws -> EDADocument {
        switch format {
        case .crmsg: return try CRMSGReader().read(path: path)
        case .edaWorkbook: throw EDAFileError(file: path, message: "EDA workbooks cannot be read yet")  // until EDAWorkbookReader lands
        case .csv: throw EDAFileError(file: path, message: "a CSV file is not a grid-operator file")
        }
    }
}
