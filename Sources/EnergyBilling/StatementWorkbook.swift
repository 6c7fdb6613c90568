import EnergyCore

/// Writes one member's statement as an XLSX workbook: a Summary sheet (the statement), a Daily
/// sheet with a chart, and a QuarterHours sheet in the spirit of the grid operators'
/// "Energiedaten" exports. Dates are real dates, figures real numbers with number formats; sums
/// are formulas with their values cached.
///
/// ```swift
/// let series = try QuarterHourSeries(store: store, figures: figures, points: figures.pointIndices(of: member))
/// try StatementWorkbook(figures: figures, memberIndex: 0, number: "2026-0001", issuedOn: today, series: series).write(to: "M001.xlsx")
/// ```
struct StatementWorkbook {
    let figures: BillingFigures
    let memberIndex: Int
    /// The statement number, nil for a preview.
    let number: String?
    /// When the statement was first issued (nil for a preview).
    let issuedOn: LocalDate?
    /// The quarter hours of (at least) the member's points.
    let series: QuarterHourSeries

    /// The sheets' names (the chart refers to the daily sheet by name).
    static let summarySheet = "Summary", dailySheet = "Daily", quarterHourSheet = "QuarterHours"

    func write(to path: String) throws(XLSXError) {
        let statement = figures.statements[memberIndex]
        let member = statement.member
        let community = figures.community
        // The creation time written into the file is the start of the day after the period
        // (00:00 UTC): fixed for the period, so a final run can be reproduced byte for byte.
        let created = Int64(figures.period.to.daysSinceEpoch) * 86_400
        let book = try XLSXWorkbook(
            path: path, created: created, title: "Statement \(number ?? "preview") \(figures.period) \(member.id)",
            author: community.name, company: community.name)
        let f = Formats(book)
        try writeSummary(book.addSheet(Self.summarySheet), statement, f)
        try writeDaily(book, book.addSheet(Self.dailySheet), statement, f)
        try writeQuarterHours(book.addSheet(Self.quarterHourSheet), statement, f)
        try book.close()
    }

    struct Formats {
        let bold, date, dateTime, kWh, money, price, percent: XLSXFormat
        init(_ book: XLSXWorkbook) {
            bold = book.addFormat(bold: true)
            date = book.addFormat(numberFormat: "yyyy-mm-dd")
            dateTime = book.addFormat(numberFormat: "yyyy-mm-dd hh:mm")
            kWh = book.addFormat(numberFormat: "#,##0.000")
            money = book.addFormat(numberFormat: "#,##0.00")
            price = book.addFormat(numberFormat: "0.0000##")
            percent = book.addFormat(numberFormat: "0.##%")
        }
    }

    /// Excel's serial day number of a local midnight.
    static func serial(_ date: LocalDate) -> Double { Double(date.daysSinceEpoch + 25_569) }
    /// Excel's serial of a local wall-clock time given as seconds since the epoch (local).
    static func serial(localSeconds: Int64) -> Double { Double(localSeconds) / 86_400 + 25_569 }
    static func kWh(_ mWh: Int64) -> Double { Double(mWh) / 1_000_000 }

    // MARK: Summary

    private func writeSummary(_ s: XLSXSheet, _ statement: MemberStatement, _ f: Formats) throws(XLSXError) {
        let member = statement.member
        let community = figures.community
        s.setColumns(0, 0, width: 52)
        s.setColumns(1, 8, width: 16)
        var row = 0
        try s.write(row, 0, number == nil ? "Statement (preview)" : "Statement", f.bold)
        row += 1
        try s.write(row, 0, "Community")
        try s.write(row, 1, "\(community.name) (\(community.id))")
        row += 1
        try s.write(row, 0, "Member")
        try s.write(row, 1, "\(member.name) (\(member.id))")
        row += 1
        try s.write(row, 0, "Period")
        try s.write(row, 1, figures.period.label)
        row += 1
        try s.write(row, 0, "From")
        try s.write(row, 1, Self.serial(figures.period.from), f.date)
        row += 1
        try s.write(row, 0, "To (inclusive)")
        try s.write(row, 1, Self.serial(figures.period.to.adding(days: -1)), f.date)
        row += 1
        try s.write(row, 0, "Statement number")
        try s.write(row, 1, number ?? "PREVIEW (not numbered)")
        if let issuedOn {
            try s.write(row, 2, "Issued on")
            try s.write(row, 3, Self.serial(issuedOn), f.date)
        }
        row += 1
        let missing = statement.missingQuarterHours
        try s.write(row, 0, "Data")
        try s.write(row, 1, missing == 0 ? "complete" : "INCOMPLETE: \(missing) quarter hours without a reading (counted as 0)")
        // Beside the completeness: whose allocation the community energy follows.
        try s.write(row, 2, "Community energy")
        try s.write(row, 3, "per \(statement.allocationNote)")
        row += 1
        try s.write(row, 0, "Currency")
        try s.write(row, 1, figures.currency)
        row += 1
        row += 1

        let pointHeader = [
            "Metering point", "Direction", "Consumption kWh", "Community share kWh", "From the supplier kWh",
            "Production kWh", "Taken by the community kWh", "Quarter hours with readings", "Quarter hours",
        ]
        for (c, title) in pointHeader.enumerated() { try s.write(row, c, title, f.bold) }
        row += 1
        for p in statement.points {
            let t = p.totals
            try s.write(row, 0, p.point.zaehlpunkt.description)
            try s.write(row, 1, p.point.direction.rawValue)
            try s.write(row, 2, Self.kWh(t.consumed), f.kWh)
            try s.write(row, 3, p.point.direction == .consumption ? Self.kWh(t.shared) : 0, f.kWh)
            try s.write(row, 4, Self.kWh(t.grid), f.kWh)
            try s.write(row, 5, Self.kWh(t.produced), f.kWh)
            try s.write(row, 6, p.point.direction == .generation ? Self.kWh(t.shared) : 0, f.kWh)
            try s.write(row, 7, Double(t.intervals))
            try s.write(row, 8, Double(t.expectedIntervals))
            row += 1
        }
        row += 1

        for (c, title) in ["Line", "Energy kWh", "Price per kWh", "VAT rate", "Amount"].enumerated() { try s.write(row, c, title, f.bold) }
        row += 1
        var netRows: [Int] = []
        var vatRows: [Int] = []
        for line in statement.lines {
            try s.write(row, 0, line.text)
            if let energy = line.energy { try s.write(row, 1, Self.kWh(energy.milliwattHours), f.kWh) }
            if let price = line.price { try s.write(row, 2, price.units, f.price) }
            if let rate = line.rate { try s.write(row, 3, Double(rate.basisPoints) / 10_000, f.percent) }
            try s.write(row, 4, line.amount.units, f.money)
            if line.kind == .vat { vatRows.append(row) } else { netRows.append(row) }
            row += 1
        }
        func sum(_ rows: [Int]) -> String {
            rows.isEmpty ? "0" : "SUM(" + rows.map { XLSXSheet.cellName($0, 4) }.joined(separator: ",") + ")"
        }
        let netRow = row
        try s.write(row, 0, "Net", f.bold)
        try s.write(row, 4, formula: sum(netRows), cached: statement.net.units, f.money)
        row += 1
        let vatRow = row
        try s.write(row, 0, "VAT", f.bold)
        try s.write(row, 4, formula: sum(vatRows), cached: statement.vat.units, f.money)
        row += 1
        try s.write(row, 0, statement.total < .zero ? "Total (credited to the member)" : "Total (payable by the member)", f.bold)
        try s.write(
            row, 4, formula: "\(XLSXSheet.cellName(netRow, 4))+\(XLSXSheet.cellName(vatRow, 4))",
            cached: statement.total.units, f.money)
    }

    // MARK: Daily

    /// The two columns of a point: (title, value of a totals).
    private func columns(_ point: MeteringPoint) -> [(String, (EnergyTotals) -> Int64)] {
        let zp = point.zaehlpunkt.description
        return point.direction == .consumption
            ? [("\(zp) consumption kWh", { $0.consumed }), ("\(zp) community share kWh", { $0.shared })]
            : [("\(zp) production kWh", { $0.produced }), ("\(zp) taken by the community kWh", { $0.shared })]
    }

    private func writeDaily(_ book: XLSXWorkbook, _ s: XLSXSheet, _ statement: MemberStatement, _ f: Formats) throws(XLSXError) {
        let points = figures.pointIndices(of: statement.member)
        let cols = points.flatMap { columns(figures.community.meteringPoints[$0]) }
        s.setColumns(0, 0, width: 12)
        s.setColumns(1, max(1, cols.count), width: 22)
        s.freezePanes(rows: 1, columns: 1)
        try s.write(0, 0, "Date", f.bold)
        for (c, col) in cols.enumerated() { try s.write(0, c + 1, col.0, f.bold) }
        var sums = [Int64](repeating: 0, count: cols.count)
        for (d, day) in figures.days.enumerated() {
            try s.write(d + 1, 0, Self.serial(day), f.date)
            var c = 0
            for p in points {
                for col in columns(figures.community.meteringPoints[p]) {
                    let value = col.1(figures.daily[p][d])
                    sums[c] += value
                    try s.write(d + 1, c + 1, Self.kWh(value), f.kWh)
                    c += 1
                }
            }
        }
        let last = figures.days.count
        let totalRow = last + 1
        try s.write(totalRow, 0, "Total", f.bold)
        for c in 0..<cols.count {
            try s.write(
                totalRow, c + 1, formula: "SUM(\(XLSXSheet.cellName(1, c + 1)):\(XLSXSheet.cellName(last, c + 1)))",
                cached: Self.kWh(sums[c]), f.kWh)
        }
        let chart = try book.addChart(.line)
        chart.setTitle("Daily energy of \(statement.member.name)")
        chart.setAxisNames(x: "Day", y: "kWh")
        chart.legendAtBottom()
        let categories =
            "=\(StatementWorkbook.dailySheet)!\(XLSXSheet.cellName(1, 0, absolute: true)):\(XLSXSheet.cellName(last, 0, absolute: true))"
        for (c, col) in cols.enumerated() {
            chart.addSeries(
                name: col.0, categories: categories,
                values:
                    "=\(StatementWorkbook.dailySheet)!\(XLSXSheet.cellName(1, c + 1, absolute: true)):\(XLSXSheet.cellName(last, c + 1, absolute: true))"
            )
        }
        try s.insert(chart, row: 1, column: cols.count + 2, scaleX: 1.6, scaleY: 1.4)
    }

    // MARK: Quarter hours

    private func writeQuarterHours(_ s: XLSXSheet, _ statement: MemberStatement, _ f: Formats) throws(XLSXError) {
        // Like the grid operators' exports: local start times, so the repeated hour of the autumn
        // change appears twice (its first and its second 02:00) and the skipped spring hour not at all.
        // No offset column: this sheet is nearly all of a statement's cells, and the time to write it.
        let points = figures.pointIndices(of: statement.member)
        let titles = points.flatMap { columns(figures.community.meteringPoints[$0]).map(\.0) }
        s.setColumns(0, 0, width: 17)
        s.setColumns(1, titles.count, width: 22)
        s.freezePanes(rows: 1, columns: 1)
        try s.write(0, 0, "Start (local time)", f.bold)
        for (c, title) in titles.enumerated() { try s.write(0, c + 1, title, f.bold) }
        var offsets = figures.community.calendar.offsetCache()
        var sums = [Int64](repeating: 0, count: titles.count)
        let count = figures.quarterHours.count
        let first = figures.quarterHours.lowerBound.index
        let pointSeries = points.map { series.values[$0] ?? [] }
        for q in 0..<count {
            let start = (first + Int64(q)) * QuarterHour.seconds
            try s.write(q + 1, 0, Self.serial(localSeconds: start + Int64(offsets.offset(at: start))), f.dateTime)
            var c = 0
            for values in pointSeries where values.count == 2 * count {
                let value = values[2 * q]
                let share = values[2 * q + 1]
                // A missing reading is an empty cell, as in the grid operators' exports.
                if value >= 0 {
                    try s.write(q + 1, c + 1, Self.kWh(value), f.kWh)
                    sums[c] += value
                }
                try s.write(q + 1, c + 2, Self.kWh(share), f.kWh)
                sums[c + 1] += share
                c += 2
            }
        }
        let totalRow = count + 1
        try s.write(totalRow, 0, "Total", f.bold)
        for c in 0..<titles.count {
            try s.write(
                totalRow, c + 1, formula: "SUM(\(XLSXSheet.cellName(1, c + 1)):\(XLSXSheet.cellName(count, c + 1)))",
                cached: Self.kWh(sums[c]), f.kWh)
        }
    }
}
