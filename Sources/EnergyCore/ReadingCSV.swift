import Foundation

/// The canonical readings CSV: `zaehlpunkt,start,direction,kwh,quality`.
///
/// `start` is ISO 8601 with `Z` or an offset, `kwh` a decimal with a point and at most 6 decimals,
/// `quality` one of measured/substituted/estimated and optional (empty or a missing column means
/// measured). Columns may come in any order; the header names them.
/// ```swift
/// var parser = ReadingCSVParser(community: community)
/// parser.feed(bytes, isLast: true, accept: { store($0) }, reject: { print($0) })
/// ```
public struct ReadingCSVParser {
    public static let header = "zaehlpunkt,start,direction,kwh,quality"

    private let community: Community?
    private var columns: [Column]? = nil
    private var carry: [UInt8] = []
    public private(set) var line = 0

    private enum Column { case zaehlpunkt, start, direction, kwh, quality, ignored }

    /// With a community, readings of points outside it (or in the wrong direction) are rejected.
    /// Readings starting outside are rejected (default: 2000-01-01 to ten years from now).
    public var plausible = PlausibleTimes(now: SystemClock().unixSeconds)

    /// Empty lines seen (skipped; not rows).
    public private(set) var blankLines = 0

    public init(community: Community?) { self.community = community }

    /// Feeds the next chunk of the file. Rows split across chunks are joined. Call once more with
    /// `isLast: true` at the end (the chunk may be empty).
    public mutating func feed(
        _ chunk: UnsafeBufferPointer<UInt8>, isLast: Bool,
        accept: (Reading) -> Void, reject: (RowRejection) -> Void
    ) {
        var start = 0
        var i = 0
        let n = chunk.count
        if !carry.isEmpty {
            // Finish the row begun in the previous chunk.
            while i < n, chunk[i] != UInt8(ascii: "\n") { i += 1 }
            carry.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[0..<i]))
            if i < n || isLast {
                let row = carry
                carry.removeAll(keepingCapacity: true)
                row.withUnsafeBufferPointer { processLine($0, accept: accept, reject: reject) }
                start = i + 1
                i += 1
            } else {
                return
            }
        }
        while i < n {
            if chunk[i] == UInt8(ascii: "\n") {
                processLine(UnsafeBufferPointer(rebasing: chunk[start..<i]), accept: accept, reject: reject)
                start = i + 1
            }
            i += 1
        }
        if start < n {
            if isLast {
                processLine(UnsafeBufferPointer(rebasing: chunk[start..<n]), accept: accept, reject: reject)
            } else {
                carry.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[start..<n]))
            }
        }
        if isLast && columns == nil && line == 0 {
            reject(RowRejection(line: 1, reason: "the file is empty; expected the header \(Self.header)"))
        }
    }

    private mutating func processLine(_ raw: UnsafeBufferPointer<UInt8>, accept: (Reading) -> Void, reject: (RowRejection) -> Void) {
        line += 1
        var bytes = raw
        if let last = bytes.last, last == UInt8(ascii: "\r") { bytes = UnsafeBufferPointer(rebasing: bytes.dropLast()) }
        if line == 1, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            bytes = UnsafeBufferPointer(rebasing: bytes.dropFirst(3))
        }
        if bytes.isEmpty {
            blankLines += 1
            return
        }
        guard let columns else {
            readHeader(bytes, reject: reject)
            return
        }
        var fields:
            (
                zp: UnsafeBufferPointer<UInt8>?, start: UnsafeBufferPointer<UInt8>?, direction: UnsafeBufferPointer<UInt8>?,
                kwh: UnsafeBufferPointer<UInt8>?, quality: UnsafeBufferPointer<UInt8>?
            ) = (nil, nil, nil, nil, nil)
        var column = 0
        var fieldStart = 0
        var i = 0
        let n = bytes.count
        while i <= n {
            if i == n || bytes[i] == UInt8(ascii: ",") {
                guard column < columns.count else {
                    reject(RowRejection(line: line, reason: "more than \(columns.count) fields"))
                    return
                }
                var field = UnsafeBufferPointer(rebasing: bytes[fieldStart..<i])
                if field.count >= 2, field.first == UInt8(ascii: "\""), field.last == UInt8(ascii: "\"") {
                    field = UnsafeBufferPointer(rebasing: field[(field.startIndex + 1)..<(field.endIndex - 1)])
                }
                switch columns[column] {
                case .zaehlpunkt: fields.zp = field
                case .start: fields.start = field
                case .direction: fields.direction = field
                case .kwh: fields.kwh = field
                case .quality: fields.quality = field
                case .ignored: break
                }
                column += 1
                fieldStart = i + 1
            }
            i += 1
        }
        guard let zpField = fields.zp, let startField = fields.start, let directionField = fields.direction,
            let kwhField = fields.kwh
        else {
            reject(RowRejection(line: line, reason: "\(column) fields, expected \(columns.count) (\(Self.header))"))
            return
        }
        do {
            let zaehlpunkt = try Zaehlpunkt(utf8: zpField)
            let direction: Direction
            if equals(directionField, "consumption") {
                direction = .consumption
            } else if equals(directionField, "generation") {
                direction = .generation
            } else {
                throw RowRejection(
                    line: line, reason: "direction '\(String(decoding: directionField, as: UTF8.self))' is not consumption or generation")
            }
            let seconds = try UTCTimestamp.parse(startField)
            let start = try QuarterHour(startSeconds: seconds)
            try plausible.check(start)
            let value = try Energy.parseMilliwattHours(kwhField)
            try Reading.validate(milliwattHours: value)
            var quality = Quality.measured
            if let q = fields.quality, !q.isEmpty {
                if equals(q, "measured") {
                    quality = .measured
                } else if equals(q, "substituted") {
                    quality = .substituted
                } else if equals(q, "estimated") {
                    quality = .estimated
                } else {
                    throw RowRejection(
                        line: line, reason: "quality '\(String(decoding: q, as: UTF8.self))' is not measured, substituted or estimated")
                }
            }
            let point = PointKey(zaehlpunkt: zaehlpunkt, direction: direction)
            if let community { try community.check(point) }
            accept(Reading(point: point, start: start, milliwattHours: value, quality: quality))
        } catch let rejection as RowRejection {
            reject(rejection)
        } catch {
            reject(RowRejection(line: line, reason: "\(error)"))
        }
    }

    private mutating func readHeader(_ bytes: UnsafeBufferPointer<UInt8>, reject: (RowRejection) -> Void) {
        let names = String(decoding: bytes, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingQuotes.lowercased() }
        var found: [Column] = []
        for name in names {
            switch name {
            case "zaehlpunkt": found.append(.zaehlpunkt)
            case "start": found.append(.start)
            case "direction": found.append(.direction)
            case "kwh": found.append(.kwh)
            case "quality": found.append(.quality)
            default: found.append(.ignored)
            }
        }
        let missing = ["zaehlpunkt", "start", "direction", "kwh"].filter { !names.contains($0) }
        guard missing.isEmpty else {
            reject(
                RowRejection(
                    line: line, reason: "the header lacks \(missing.joined(separator: ", ")); expected \(Self.header)", fatal: true))
            columns = []
            return
        }
        columns = found
    }

    private func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        let p = text.utf8Start
        for i in 0..<bytes.count where bytes[i] != p[i] { return false }
        return true
    }

    /// The canonical CSV row for a reading (no line break).
    public static func row(_ reading: Reading) -> String {
        "\(reading.point.zaehlpunkt),\(UTCTimestamp.format(reading.start.startSeconds)),\(reading.point.direction.rawValue),"
            + "\(Energy.kilowattHoursText(reading.milliwattHours)),\(reading.quality.rawValue)"
    }
}

/// A CSV row that was not stored, with its line number and reason.
public struct RowRejection: Error, Equatable, CustomStringConvertible, Sendable {
    public var line: Int
    public var reason: String
    /// The whole file is unusable (a wrong header): stop reading.
    public var fatal = false

    public init(line: Int, reason: String, fatal: Bool = false) {
        self.line = line
        self.reason = reason
        self.fatal = fatal
    }

    public var description: String { "line \(line): \(reason)" }
}

extension Substring {
    fileprivate var trimmingQuotes: String {
        var s = self
        while let f = s.first, f == " " || f == "\"" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\"" || l == "\r" { s.removeLast() }
        return String(s)
    }
}

/// Writes readings as canonical CSV, fast enough for millions of rows.
public enum ReadingCSVWriter {
    public static let header = ReadingCSVParser.header

    /// The rows for `readings`, each ending in a line break.
    public static func data(_ readings: [Reading]) -> Data {
        var out = [UInt8]()
        out.reserveCapacity(readings.count * 80)
        var lastStart: Int64 = .min
        var startText: [UInt8] = []
        var lastPoint: PointKey?
        var pointText: [UInt8] = []
        for reading in readings {
            if reading.point != lastPoint {
                lastPoint = reading.point
                pointText = Array(reading.point.zaehlpunkt.description.utf8)
            }
            if reading.start.startSeconds != lastStart {
                lastStart = reading.start.startSeconds
                startText = Array(UTCTimestamp.format(lastStart).utf8)
            }
            out.append(contentsOf: pointText)
            out.append(UInt8(ascii: ","))
            out.append(contentsOf: startText)
            out.append(contentsOf: reading.point.direction == .consumption ? Array(",consumption,".utf8) : Array(",generation,".utf8))
            appendKilowattHours(reading.milliwattHours, to: &out)
            out.append(contentsOf: Array(",\(reading.quality.rawValue)\n".utf8))
        }
        return Data(out)
    }

    private static func appendKilowattHours(_ mWh: Int64, to out: inout [UInt8]) {
        FixedDecimal.append(mWh, scale: 6, to: &out)
    }
}
