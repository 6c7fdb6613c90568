import EnergyCore
import Foundation

/// An EDA portal quarter-hour workbook (sheet `Energiedaten`) written by openpyxl, a real XLSX
/// writer (shared strings, dates as serial numbers, rich text), from metering points and figures:
/// the test input of the workbook reader, independent of the project's own writer.
///
/// The sheet is laid out in Swift as a grid of cells, with this file's own copy of the label table,
/// so a test can change any cell before writing it; `.venv/bin/python` (made by
/// `scripts/install-deps.sh test`) writes it, the grid passed as JSON on stdin. A sheet `Info`
/// comes first, so `Energiedaten` is not `sheet1.xml`.
/// ```swift
/// var fixture = EDAWorkbookFixture(points: points, figures: figures, calendar: vienna, from: from, to: to,
///                                  options: .init(spelling: .older, decimalComma: true))
/// fixture[fixture.row(of: qh), fixture.column(of: zp, .coveredShare)!] = .text("abc")
/// try fixture.write(to: folder.path + "/RC108175_20261001T00_0020261031T23_45.xlsx")
/// ```
public struct EDAWorkbookFixture {
    public enum Spelling: Sendable, CaseIterable {
        /// `MeteringPointId`, `Energydirection`, `MeterCode`, `Data Period start`.
        case current
        /// `MeteringpointID`, `Energy direction`, `Metercode`, `Period start`.
        case older
    }

    public struct Point: Sendable {
        public var zaehlpunkt: Zaehlpunkt
        public var direction: Direction
        public var name: String

        public init(zaehlpunkt: Zaehlpunkt, direction: Direction, name: String) {
            self.zaehlpunkt = zaehlpunkt
            self.direction = direction
            self.name = name
        }
    }

    public struct Options: Sendable {
        public var spelling: Spelling
        /// Values as text with a decimal comma (`0,25`) instead of numbers.
        public var decimalComma: Bool
        /// Column A with seconds (`01.07.2026 00:15:00`).
        public var timesWithSeconds: Bool
        /// Column A as Excel dates (serial numbers with a date format) instead of text.
        public var serialDates: Bool
        /// The series labels as rich text (two runs, the first bold).
        public var richTextLabels: Bool
        /// A point's Data Period start, instead of its first figure (figures before it stay in the sheet).
        public var dataPeriodStart: [Zaehlpunkt: QuarterHour]

        public init(
            spelling: Spelling = .current, decimalComma: Bool = false, timesWithSeconds: Bool = false, serialDates: Bool = false,
            richTextLabels: Bool = false, dataPeriodStart: [Zaehlpunkt: QuarterHour] = [:]
        ) {
            self.spelling = spelling
            self.decimalComma = decimalComma
            self.timesWithSeconds = timesWithSeconds
            self.serialDates = serialDates
            self.richTextLabels = richTextLabels
            self.dataPeriodStart = dataPeriodStart
        }
    }

    /// A cell as openpyxl gets it.
    public enum Cell: Sendable, Equatable {
        case empty
        case text(String)
        /// A number, as decimal text (`0.25`).
        case number(String)
        /// A local date and time, ISO (`2026-10-25T02:00:00`), written as an Excel date.
        case date(String)
        case richText([String])
    }

    /// The series labels as the portal writes them, in column order; nil: the community-wide
    /// production (in every producer's columns, not a meter code).
    public static let labels: [(code: MeterCode?, direction: Direction, label: String)] = [
        (.consumption, .consumption, "Gesamtverbrauch lt. Messung (bei Teilnahme gem. Erzeugung) [KWH]"),
        (.participatingConsumption, .consumption, "Verbrauch lt. Messung entsprechend dem Teilnahmefaktor je ZP und EC-ID [KWH]"),
        (.offeredShare, .consumption, "Anteil gemeinschaftliche Erzeugung [KWH]"),
        (.coveredShare, .consumption, "Eigendeckung gemeinschaftliche Erzeugung [KWH]"),
        (.renewableShare, .consumption, "Eigendeckung aus erneuerbarer Energie [KWH]"),
        (nil, .generation, "Gesamte gemeinschaftliche Erzeugung [KWH]"),
        (.participatingProduction, .generation, "Erzeugung lt. Messung entsprechend dem Teilnahmefaktor und EC-ID [KWH]"),
        (.production, .generation, "Gesamt/Überschusserzeugung, Gemeinschaftsüberschuss [KWH]"),
        (.participatingSurplus, .generation, "Restüberschuss bei EG und je ZP [KWH]"),
    ]

    /// The grid: `rows[0]` is row 1, `rows[r][0]` column A.
    public var rows: [[Cell]] = []
    /// Header rows above the first quarter hour.
    public private(set) var headerRows = 0
    private var firstQuarterHour = QuarterHour(index: 0)
    private var columns: [String: Int] = [:]

    public init(
        points: [Point], figures: [GridOperatorFigure], calendar: LocalCalendar, from: LocalDate, to: LocalDate,
        options: Options = Options()
    ) {
        let quarterHours = calendar.quarterHours(from: from, to: to)
        firstQuarterHour = quarterHours.lowerBound
        var byKey: [String: GridOperatorFigure] = [:]
        for figure in figures { byKey["\(figure.zaehlpunkt) \(figure.meterCode.rawValue) \(figure.start.index)"] = figure }
        func local(_ quarterHour: QuarterHour) -> (date: LocalDate, minute: Int) {
            let wall = quarterHour.startSeconds + Int64(calendar.offset(at: quarterHour.startSeconds))
            let days = Int(wall / 86_400)
            return (LocalDate(daysSinceEpoch: days), Int(wall - Int64(days) * 86_400) / 60)
        }
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        func text(_ quarterHour: QuarterHour, seconds: Bool) -> String {
            let (date, minute) = local(quarterHour)
            return "\(two(date.day)).\(two(date.month)).\(date.year) \(two(minute / 60)):\(two(minute % 60))" + (seconds ? ":00" : "")
        }
        func value(_ milliwattHours: Int64) -> Cell {
            var text = Energy.kilowattHoursText(milliwattHours)
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
            return options.decimalComma ? .text(text.replacingOccurrences(of: ".", with: ",")) : .number(text)
        }
        // The columns: per point its series (value, MM), then a TOTAL per series.
        var series: [(point: Point, code: MeterCode?, label: String)] = []
        for point in points {
            let codes = Set(figures.filter { $0.zaehlpunkt == point.zaehlpunkt }.map(\.meterCode))
            for entry in Self.labels where entry.direction == point.direction && (entry.code.map(codes.contains) ?? true) {
                series.append((point, entry.code, entry.label))
            }
        }
        let older = options.spelling == .older
        let labels = [
            older ? "MeteringpointID" : "MeteringPointId", "Name", older ? "Energy direction" : "Energydirection", "Metering Interval",
            "Number of Metering Intervals", "Report Filter start", "Report Filter end", older ? "Period start" : "Data Period start",
            older ? "Period end" : "Data Period end", older ? "Metercode" : "MeterCode", "Data Completeness",
            "Spaltensumme / minimale Qualität",
        ]
        headerRows = labels.count
        let totalColumns = Self.labels.filter { entry in series.contains { $0.label == entry.label } }
        let width = 1 + series.count * 2 + totalColumns.count
        rows = labels.map { [.text($0)] + Array(repeating: Cell.empty, count: width - 1) }
        rows += quarterHours.map { quarterHour in
            let (date, minute) = local(quarterHour)
            let first: Cell =
                options.serialDates
                ? .date("\(date)T\(two(minute / 60)):\(two(minute % 60)):00") : .text(text(quarterHour, seconds: options.timesWithSeconds))
            return [first] + Array(repeating: Cell.empty, count: width - 1)
        }
        let producers = points.filter { $0.direction == .generation }.map(\.zaehlpunkt)
        func community(_ quarterHour: QuarterHour) -> Int64? {
            for code in [MeterCode.production, .participatingProduction] {
                let values = producers.compactMap { byKey["\($0) \(code.rawValue) \(quarterHour.index)"]?.milliwattHours }
                if !values.isEmpty { return values.reduce(0, +) }
            }
            return nil
        }
        var sums: [String: [Int64?]] = [:]
        for (index, entry) in series.enumerated() {
            let column = 1 + index * 2
            columns["\(entry.point.zaehlpunkt) \(entry.code?.rawValue ?? "community")"] = column + 1
            let own = figures.filter { $0.zaehlpunkt == entry.point.zaehlpunkt }.map(\.start)
            let header: [Cell] = [
                .text(entry.point.zaehlpunkt.description), .text(entry.point.name),
                .text(entry.point.direction == .consumption ? "CONSUMPTION" : "GENERATION"), .text("QH"), .number("\(quarterHours.count)"),
                .text(text(quarterHours.lowerBound, seconds: true)), .text(text(quarterHours.upperBound.advanced(by: -1), seconds: true)),
                (options.dataPeriodStart[entry.point.zaehlpunkt] ?? own.min()).map { .text(text($0, seconds: true)) } ?? .empty,
                own.max().map { .text(text($0, seconds: true)) } ?? .empty,
                options.richTextLabels ? .richText([String(entry.label.prefix(8)), String(entry.label.dropFirst(8))]) : .text(entry.label),
                .text("100 %"),
            ]
            for (row, cell) in header.enumerated() { rows[row][column] = cell }
            rows[0][column + 1] = .text("MM")
            var total: Int64 = 0
            var sum = sums[entry.label] ?? Array(repeating: nil, count: quarterHours.count)
            for (slot, quarterHour) in quarterHours.enumerated() {
                let figure = entry.code.flatMap { byKey["\(entry.point.zaehlpunkt) \($0.rawValue) \(quarterHour.index)"] }
                let mWh = entry.code == nil ? community(quarterHour) : figure?.milliwattHours
                guard let mWh else { continue }
                rows[headerRows + slot][column] = value(mWh)
                rows[headerRows + slot][column + 1] = .text(figure?.quality.edaCode ?? "L1")
                total += mWh
                // The community-wide production is the same in every producer's column: its TOTAL is that once.
                sum[slot] = entry.code == nil ? mWh : (sum[slot] ?? 0) + mWh
            }
            sums[entry.label] = sum
            rows[headerRows - 1][column] = value(total)
            rows[headerRows - 1][column + 1] = .text("L1")
        }
        for (index, entry) in totalColumns.enumerated() {
            let column = 1 + series.count * 2 + index
            columns["TOTAL \(entry.label)"] = column + 1
            rows[0][column] = .text("TOTAL")
            rows[2][column] = .text(entry.direction == .consumption ? "CONSUMPTION" : "GENERATION")
            rows[headerRows - 3][column] = .text(entry.label)
            for (slot, sum) in (sums[entry.label] ?? []).enumerated() {
                if let sum { rows[headerRows + slot][column] = value(sum) }
            }
        }
    }

    /// The column (from 1) of a point's series; `code` nil: its community-wide production column.
    public func column(of zaehlpunkt: Zaehlpunkt, _ code: MeterCode?) -> Int? {
        columns["\(zaehlpunkt) \(code?.rawValue ?? "community")"]
    }

    /// The TOTAL column (from 1) of a series label.
    public func totalColumn(_ label: String) -> Int? { columns["TOTAL \(label)"] }

    /// The row (from 1) of a quarter hour.
    public func row(of quarterHour: QuarterHour) -> Int { headerRows + Int(quarterHour.index - firstQuarterHour.index) + 1 }

    /// The cell at `row` and `column`, both from 1.
    public subscript(row: Int, column: Int) -> Cell {
        get { rows[row - 1][column - 1] }
        set { rows[row - 1][column - 1] = newValue }
    }

    /// Writes the workbook with openpyxl.
    public func write(to path: String) throws {
        let grid: [[Any]] = rows.map { row in
            row.map { cell -> Any in
                switch cell {
                case .empty: return NSNull()
                case let .text(text): return text
                case let .number(text): return ["n": text]
                case let .date(text): return ["d": text]
                case let .richText(parts): return ["r": parts]
                }
            }
        }
        try OpenPyXLScript.run(Self.writeScript, input: ["path": path, "sheet": "Energiedaten", "rows": grid])
    }

    private static let writeScript = """
        import json, sys, datetime, openpyxl
        from openpyxl.cell.rich_text import CellRichText, TextBlock
        from openpyxl.cell.text import InlineFont
        data = json.load(sys.stdin)
        wb = openpyxl.Workbook()
        wb.active.title = "Info"
        wb.active.append(["Quarter-hour export of the EDA portal (test fixture)"])
        ws = wb.create_sheet(data["sheet"])
        def value(c):
            if c is None or isinstance(c, str):
                return c
            if "n" in c:
                return int(c["n"]) if c["n"].lstrip("-").isdigit() else float(c["n"])
            if "d" in c:
                return datetime.datetime.fromisoformat(c["d"])
            return CellRichText([TextBlock(InlineFont(b=(i == 0)), p) for i, p in enumerate(c["r"])])
        for row in data["rows"]:
            ws.append([value(c) for c in row])
        wb.save(data["path"])
        """
}
