import EnergyCore
import Foundation

/// Where the EDA workbook keeps what: its value columns (metering point, series, quality column,
/// data period), the TOTAL columns and the producers' columns for the checks, found from the
/// header rows by their labels, never by position.
///
/// Each value column has its metering point in the `MeteringPointId` row and its series label in
/// the `MeterCode` row; the column right after it, `MM` in the `MeteringPointId` row, holds its
/// qualities. `TOTAL` columns at the end hold the community's totals and have no quality column.
/// A workbook whose header contradicts itself (a direction that is not the label's, a value column
/// without its quality column, a series twice for one point) is refused with the columns named.
/// ```swift
/// let layout = try EDAWorkbookLayout(header: rows, time: time, file: "RC108175_….xlsx")
/// layout.columns[0].location   // "column B (AT0030000000000000000000000000002, Eigendeckung …)"
/// ```
struct EDAWorkbookLayout {
    /// A value column of a metering point.
    struct Column {
        var column: Int
        var quality: Int
        var zaehlpunkt: Zaehlpunkt
        var series: EDAWorkbookSeries
        var label: String
        /// The point's data period (local wall clock, both ends included; an end at midnight takes
        /// in that day); its values in rows outside are not read, and counted in one rejection.
        var dataStart: Int64?
        var dataEnd: Int64?
        /// `column F (AT…, Eigendeckung gemeinschaftliche Erzeugung [KWH])`.
        var location: String
    }

    /// A TOTAL column: the community's total of one series.
    struct Total {
        var column: Int
        var series: EDAWorkbookSeries
        var location: String
        /// The value columns of its series (indices into ``columns``).
        var parts: [Int]
    }

    /// One producer's columns (indices into ``columns``).
    struct Producer {
        var production: Int?
        var participating: Int?
        var surplus: Int?
        var community: Int?
    }

    /// A column that cannot be read (its header is not a metering point, or it has no label):
    /// its values are counted and refused as one block.
    struct Unreadable {
        var column: Int
        var location: String
        var reason: String
    }

    var columns: [Column] = []
    var totals: [Total] = []
    var producers: [Producer] = []
    var unreadable: [Unreadable] = []
    /// Series labels the label table does not know, each once, in column order.
    var unknownLabels: [String] = []
    /// The `Number of Metering Intervals`, if the header says it (to reserve room).
    var intervals: Int?

    init(header: [EDAWorkbookLabels.Row: XLSXRow], time: EDAWorkbookTime, file: String) throws(EDAFileError) {
        func fail(_ message: String) -> EDAFileError { EDAFileError(file: file, message: message) }
        func text(_ row: EDAWorkbookLabels.Row, _ column: Int) -> String {
            header[row]?[column].map { $0.text.trimmingCharacters(in: .whitespaces) } ?? ""
        }
        guard let points = header[.meteringPoint] else {
            throw fail("no row labelled MeteringPointId (or MeteringpointID) in column A above the first quarter hour")
        }
        guard header[.meterCode] != nil else {
            throw fail("no row labelled MeterCode (or Metercode) in column A above the first quarter hour: the series are unknown")
        }
        let startRow = header[.dataPeriodStart] != nil ? EDAWorkbookLabels.Row.dataPeriodStart : .periodStart
        let endRow = header[.dataPeriodEnd] != nil ? EDAWorkbookLabels.Row.dataPeriodEnd : .periodEnd
        func period(_ row: EDAWorkbookLabels.Row, _ column: Int, _ location: String, end: Bool) throws(EDAFileError) -> Int64? {
            guard let cell = header[row]?[column], !cell.isEmpty else { return nil }
            guard let wall = time.wall(cell) else {
                throw fail(
                    "\(location): the data period's \(end ? "end" : "start") '\(cell.text)' is not a date (expected e.g. 01.07.2026 00:00:00)"
                )
            }
            // An end at midnight (or a date alone) takes in that whole day: whether the portal
            // means the day's start or the period's end is not known, and the day's rows (empty
            // when outside) are better read than lost.
            return end && (!wall.hasTime || wall.seconds % 86_400 == 0) ? wall.seconds + 86_399 : wall.seconds
        }
        var seen: [String: String] = [:]
        var producerIndex: [Zaehlpunkt: Int] = [:]
        for cell in points.cells.sorted(by: { $0.column < $1.column }) where cell.column > 1 {
            let id = cell.text.trimmingCharacters(in: .whitespaces)
            let column = cell.column
            let letters = XLSXCell.columnName(column)
            let label = text(.meterCode, column)
            let location = "column \(letters) (\(id), \(label))"
            if id.isEmpty || id.uppercased() == "MM" { continue }
            let series = EDAWorkbookLabels.series(forLabel: label)
            if id.uppercased() == "TOTAL" {
                if let series {
                    totals.append(Total(column: column, series: series, location: "column \(letters) (TOTAL, \(label))", parts: []))
                }
                continue
            }
            guard !label.isEmpty else {
                unreadable.append(
                    Unreadable(column: column, location: location, reason: "the column has no series label in the MeterCode row"))
                continue
            }
            guard let series else {
                if !unknownLabels.contains(label) { unknownLabels.append(label) }
                continue
            }
            guard text(.meteringPoint, column + 1).uppercased() == "MM" else {
                let next = text(.meteringPoint, column + 1)
                throw fail(
                    "\(location) has no quality column: column \(XLSXCell.columnName(column + 1)) is "
                        + (next.isEmpty ? "empty" : "'\(next)'") + " in the MeteringPointId row, expected MM")
            }
            let zaehlpunkt: Zaehlpunkt
            do {
                zaehlpunkt = try Zaehlpunkt(id)
            } catch {
                unreadable.append(Unreadable(column: column, location: location, reason: "\(error)"))
                continue
            }
            switch text(.direction, column).uppercased() {
            case "": break
            case "CONSUMPTION" where series.direction == .consumption, "GENERATION" where series.direction == .generation: break
            case "CONSUMPTION", "GENERATION":
                throw fail(
                    "\(location): the Energydirection row says \(text(.direction, column).uppercased()), but the label is a "
                        + "\(series.direction == .consumption ? "consumer's" : "producer's") series in the label table "
                        + "(EDAWorkbookLabels); the file is refused rather than misread")
            case let other:
                throw fail("\(location): the Energydirection row says '\(other)', expected CONSUMPTION or GENERATION")
            }
            let key = "\(zaehlpunkt) \(series)"
            if let before = seen[key] { throw fail("columns \(before) and \(letters) both hold \(id), \(label)") }
            seen[key] = letters
            let dataStart = try period(startRow, column, location, end: false)
            let dataEnd = try period(endRow, column, location, end: true)
            columns.append(
                Column(
                    column: column, quality: column + 1, zaehlpunkt: zaehlpunkt, series: series, label: label, dataStart: dataStart,
                    dataEnd: dataEnd, location: location))
            if series.direction == .generation {
                let index = producerIndex[zaehlpunkt] ?? producers.count
                if index == producers.count {
                    producers.append(Producer())
                    producerIndex[zaehlpunkt] = index
                }
                switch series {
                case .figure(.production): producers[index].production = columns.count - 1
                case .figure(.participatingProduction): producers[index].participating = columns.count - 1
                case .figure(.participatingSurplus): producers[index].surplus = columns.count - 1
                case .communityProduction: producers[index].community = columns.count - 1
                default: break
                }
            }
        }
        for index in totals.indices {
            totals[index].parts = columns.indices.filter { columns[$0].series == totals[index].series }
        }
        if let intervalRow = header[.meteringInterval] {
            for cell in intervalRow.cells where cell.column > 1 && !Self.isQuarterHourly(cell.text) {
                throw fail("column \(XLSXCell.columnName(cell.column)): the Metering Interval is '\(cell.text)', not quarter hours")
            }
        }
        intervals = header[.numberOfIntervals]?.cells.compactMap { $0.column > 1 ? $0.number.map { Int($0) } : nil }.max()
    }

    /// Whether a `Metering Interval` cell may mean quarter hours: only intervals that clearly are
    /// not (an hour, a day, a month) are refused; the portal's exact wording is not known.
    static func isQuarterHourly(_ text: String) -> Bool {
        let key = String(text.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace })
        let longer: Set<String> = [
            "h", "1h", "pt1h", "60", "60min", "hour", "hourly", "stunde", "stündlich", "d", "1d", "p1d", "day", "daily", "tag", "täglich",
            "m", "1m", "p1m", "month", "monthly", "monat", "monatlich",
        ]
        return !longer.contains(key)
    }
}
