import EnergyCore
import Foundation

/// The EDA workbook's rows, taken one at a time as they stream in: the header rows are kept until
/// the first quarter hour, which fixes the layout; each quarter-hour row then gives its figures,
/// its rejections, and is checked against the label table.
///
/// ```swift
/// var rows = EDAWorkbookRows(document: EDADocument(name: name), calendar: vienna, uses1904Dates: false)
/// while let row = try sheet.next() { try rows.take(row) }
/// let document = try rows.finish()
/// ```
struct EDAWorkbookRows {
    private var document: EDADocument
    private var time: EDAWorkbookTime
    private var header: [EDAWorkbookLabels.Row: XLSXRow] = [:]
    private var layout: EDAWorkbookLayout?
    private var check: EDAWorkbookCheck?
    // One row's values by layout column (mWh, or EDAWorkbookCheck.absent / .refused), reused:
    // inside each point's data period, and as the sheet has them (for the TOTAL columns).
    private var values: [Int64] = []
    private var sheetValues: [Int64] = []
    private var qualities: [Quality] = []
    private var totals: [Int64] = []
    /// Values found in each unreadable column.
    private var unreadableValues: [Int] = []
    /// Values found outside their point's data period, by layout column.
    private var outsideValues: [Int] = []
    /// Rows above the first quarter hour whose column A looks like a broken time.
    private var doubtful: [XLSXRow] = []

    init(document: EDADocument, calendar: LocalCalendar, uses1904Dates: Bool) {
        self.document = document
        self.time = EDAWorkbookTime(calendar: calendar, uses1904Dates: uses1904Dates)
    }

    mutating func take(_ row: XLSXRow) throws(EDAFileError) {
        let first = row[1].flatMap { $0.isEmpty ? nil : $0 }
        let wall = first.flatMap { time.wall($0) }
        guard let layout else {
            if wall == nil {
                if let first, first.isText, let kind = EDAWorkbookLabels.row(forLabel: first.text) {
                    if header[kind] == nil { header[kind] = row }
                } else if let first, first.text.trimmingCharacters(in: .whitespaces).first?.isNumber == true {
                    // Not a label but no time either (`32.07.2026 00:00`): judged once the columns are known.
                    doubtful.append(row)
                }
                return
            }
            try begin()
            return try take(row)
        }
        guard let wall else { return refuseRow(row, first: first, layout) }
        let start: QuarterHour
        switch time.quarterHour(wall: wall.seconds, row: row.number) {
        case let .success(quarterHour): start = quarterHour
        case let .failure(refusal):
            let count = figureCells(row, layout)
            document.rejections.append(EDARejection(location: "row \(row.number), column A", reason: refusal.reason, values: count))
            return
        }
        for (index, column) in layout.columns.enumerated() {
            let inPeriod = column.dataStart.map { wall.seconds >= $0 } != false && column.dataEnd.map { wall.seconds <= $0 } != false
            sheetValues[index] = value(row, column, index: index, refusing: inPeriod)
            values[index] = inPeriod ? sheetValues[index] : EDAWorkbookCheck.absent
            if !inPeriod, sheetValues[index] != EDAWorkbookCheck.absent, case .figure = column.series { outsideValues[index] += 1 }
        }
        for (index, total) in layout.totals.enumerated() {
            totals[index] = EDAWorkbookCheck.absent
            guard let cell = row[total.column], !cell.isEmpty else { continue }
            if case let .value(value) = cell.kind == .number
                ? cell.withBytes(EDAWorkbookValue.number) : cell.withBytes(EDAWorkbookValue.text)
            {
                totals[index] = value
            }
        }
        try check?.check(row: row.number, values: values, sheetValues: sheetValues, totals: totals)
        for (index, column) in layout.columns.enumerated() where values[index] >= 0 {
            guard case let .figure(code) = column.series else { continue }
            document.figures.append(
                GridOperatorFigure(
                    zaehlpunkt: column.zaehlpunkt, meterCode: code, start: start, milliwattHours: values[index], quality: qualities[index]))
        }
        for (index, column) in layout.unreadable.enumerated() where row[column.column].map({ !$0.isEmpty }) ?? false {
            unreadableValues[index] += 1
        }
    }

    /// The document, once every row was taken.
    mutating func finish() throws(EDAFileError) -> EDADocument {
        if layout == nil { try begin() }
        guard let layout else { return document }
        for (index, column) in layout.unreadable.enumerated() {
            document.rejections.append(
                EDARejection(
                    location: column.location, reason: "\(column.reason); its \(unreadableValues[index]) values were not read",
                    values: unreadableValues[index]))
        }
        for (index, column) in layout.columns.enumerated() where outsideValues[index] > 0 {
            let from = column.dataStart.map { "from \(EDAWorkbookTime.text($0)) " } ?? ""
            let to = column.dataEnd.map { "to \(EDAWorkbookTime.text($0))" } ?? ""
            document.rejections.append(
                EDARejection(
                    location: column.location,
                    reason: "\(outsideValues[index]) values are outside the point's data period (\(from)\(to)) and were not read",
                    values: outsideValues[index]))
        }
        document.unknownMeterCodes = layout.unknownLabels
        return document
    }

    private mutating func begin() throws(EDAFileError) {
        let layout = try EDAWorkbookLayout(header: header, time: time, file: document.name)
        self.layout = layout
        check = EDAWorkbookCheck(layout: layout, file: document.name)
        values = Array(repeating: EDAWorkbookCheck.absent, count: layout.columns.count)
        sheetValues = values
        qualities = Array(repeating: .measured, count: layout.columns.count)
        totals = Array(repeating: EDAWorkbookCheck.absent, count: layout.totals.count)
        unreadableValues = Array(repeating: 0, count: layout.unreadable.count)
        outsideValues = Array(repeating: 0, count: layout.columns.count)
        for row in doubtful { refuseRow(row, first: row[1], layout) }
        doubtful = []
        if let intervals = layout.intervals, intervals > 0 {
            let stored = layout.columns.filter { if case .figure = $0.series { return true } else { return false } }.count
            document.figures.reserveCapacity(min(stored * min(intervals, 3_000), 50_000_000))
        }
    }

    /// One cell's value in mWh, ``EDAWorkbookCheck/absent`` or ``EDAWorkbookCheck/refused`` (with
    /// its rejection when `refusing`: outside its point's data period a cell is only looked at for
    /// the TOTAL columns); its quality goes to `qualities[index]`.
    private mutating func value(_ row: XLSXRow, _ column: EDAWorkbookLayout.Column, index: Int, refusing: Bool) -> Int64 {
        func refuse(_ reason: String) -> Int64 {
            if refusing { document.rejections.append(EDARejection(location: "row \(row.number), \(column.location)", reason: reason)) }
            return EDAWorkbookCheck.refused
        }
        guard let cell = row[column.column], !cell.isEmpty else { return EDAWorkbookCheck.absent }
        let outcome: EDAWorkbookValue.Outcome
        switch cell.kind {
        case .number: outcome = cell.withBytes(EDAWorkbookValue.number)
        case .sharedString, .inlineString, .formulaString: outcome = cell.withBytes(EDAWorkbookValue.text)
        case .boolean, .error, .date, .empty: outcome = .refused("'\(cell.text)' is not a number")
        }
        let value: Int64
        switch outcome {
        case .empty: return EDAWorkbookCheck.absent
        case let .refused(reason): return refuse(reason)
        case let .value(read): value = read
        }
        do {
            try Reading.validate(milliwattHours: value)
        } catch {
            return refuse(error.description)
        }
        guard case .figure = column.series else { return value }
        guard let mark = row[column.quality], !mark.isEmpty else {
            return refuse("the value has no quality: column \(XLSXCell.columnName(column.quality)) (MM) is empty")
        }
        guard let quality = mark.withBytes({ EDAWorkbookValue.quality($0, isNumber: mark.kind == .number) }) else {
            return refuse(
                "quality '\(mark.text)' in column \(XLSXCell.columnName(column.quality)) (MM) is not an EDA quality (L1, L2, L3 or 01-05)")
        }
        qualities[index] = quality
        return value
    }

    /// A row after the first quarter hour whose column A is not a time: refused if it has values
    /// (a known header label, such as a repeated column-sum row, is passed over).
    private mutating func refuseRow(_ row: XLSXRow, first: XLSXCell?, _ layout: EDAWorkbookLayout) {
        if let first, first.isText, EDAWorkbookLabels.row(forLabel: first.text) != nil { return }
        let count = figureCells(row, layout)
        guard count > 0 else { return }
        let reason =
            first.map { "'\($0.text)' in column A is not the local start of a quarter hour (expected e.g. 01.07.2026 00:15)" }
            ?? "column A has no time"
        document.rejections.append(EDARejection(location: "row \(row.number), column A", reason: reason, values: count))
    }

    /// How many stored series' cells of the row are not empty.
    private func figureCells(_ row: XLSXRow, _ layout: EDAWorkbookLayout) -> Int {
        layout.columns.reduce(0) { count, column in
            guard case .figure = column.series, let cell = row[column.column], !cell.isEmpty else { return count }
            return count + 1
        }
    }
}
