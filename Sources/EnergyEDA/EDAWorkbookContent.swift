import EnergyCore

/// What ``EDAWorkbookWriter`` puts in the sheet: the figures sorted into columns (a point's
/// series, each a value per quarter hour), the community-wide production and the TOTAL columns
/// computed from them, and the header rows.
///
/// ```swift
/// let sheet = try EDAWorkbookContent(points: points, figures: figures, calendar: vienna, days: from..<to, older: false).sheet()
/// ```
struct EDAWorkbookContent {
    private struct Series {
        var point: Int
        var series: EDAWorkbookSeries
        var values: [Int64]
        var qualities: [Quality?]
    }

    private let points: [EDAWorkbookWriter.Point]
    private let calendar: LocalCalendar
    private let quarterHours: Range<QuarterHour>
    private let older: Bool
    /// Per point, in the points' order, its series in the label table's order.
    private var series: [Series] = []

    init(
        points: [EDAWorkbookWriter.Point], figures: [GridOperatorFigure], calendar: LocalCalendar, days: Range<LocalDate>, older: Bool
    )
        throws(EDAWorkbookWriterError)
    {
        self.points = points
        self.calendar = calendar
        self.older = older
        quarterHours = calendar.quarterHours(from: days.lowerBound, to: days.upperBound)
        let count = quarterHours.count
        var pointIndex: [Zaehlpunkt: Int] = [:]
        for (index, point) in points.enumerated() {
            guard pointIndex.updateValue(index, forKey: point.zaehlpunkt) == nil else {
                throw EDAWorkbookWriterError(message: "\(point.zaehlpunkt) is given twice")
            }
        }
        // Which series each point has, then one column of values for each.
        var codes = Array(repeating: Set<MeterCode>(), count: points.count)
        for figure in figures {
            guard let index = pointIndex[figure.zaehlpunkt] else {
                throw EDAWorkbookWriterError(message: "a figure of \(figure.zaehlpunkt), which is not among the points")
            }
            guard figure.meterCode.direction == points[index].direction else {
                throw EDAWorkbookWriterError(
                    message:
                        "\(figure.zaehlpunkt) is a \(points[index].direction.rawValue) point, but has a figure of \(figure.meterCode.rawValue)"
                )
            }
            guard EDAWorkbookLabels.label(for: .figure(figure.meterCode)) != nil else {
                throw EDAWorkbookWriterError(message: "the EDA workbook has no column for \(figure.meterCode.rawValue)")
            }
            guard quarterHours.contains(figure.start) else {
                throw EDAWorkbookWriterError(message: "a figure of \(figure.zaehlpunkt) at \(figure.start) is outside the days written")
            }
            codes[index].insert(figure.meterCode)
        }
        var column: [Int: [EDAWorkbookSeries: Int]] = [:]
        for (index, point) in points.enumerated() {
            for entry in EDAWorkbookLabels.series where entry.series.direction == point.direction {
                let wanted: Bool
                switch entry.series {
                case let .figure(code): wanted = codes[index].contains(code)
                case .communityProduction: wanted = true
                }
                guard wanted else { continue }
                column[index, default: [:]][entry.series] = series.count
                series.append(
                    Series(
                        point: index, series: entry.series, values: Array(repeating: -1, count: count),
                        qualities: Array(repeating: nil, count: count)))
            }
        }
        for figure in figures {
            guard let index = pointIndex[figure.zaehlpunkt], let at = column[index]?[.figure(figure.meterCode)] else { continue }
            let slot = Int(figure.start.index - quarterHours.lowerBound.index)
            guard series[at].values[slot] < 0 else {
                throw EDAWorkbookWriterError(message: "two figures of \(figure.zaehlpunkt) \(figure.meterCode.rawValue) at \(figure.start)")
            }
            series[at].values[slot] = figure.milliwattHours
            series[at].qualities[slot] = figure.quality
        }
        fillCommunityProduction(count: count)
    }

    /// Every producer's community-wide column: the producers' own production added up, or their
    /// participating production where no own production is given; its quality the worst of theirs.
    private mutating func fillCommunityProduction(count: Int) {
        let own = series.indices.filter { series[$0].series == .figure(.production) }
        let participating = series.indices.filter { series[$0].series == .figure(.participatingProduction) }
        let community = series.indices.filter { series[$0].series == .communityProduction }
        for slot in 0..<count {
            var total: Int64 = -1
            var worst: Quality?
            for parts in [own, participating] where total < 0 {
                for part in parts where series[part].values[slot] >= 0 {
                    total = max(total, 0) + series[part].values[slot]
                    if let quality = series[part].qualities[slot], worst.map({ quality.isBetter(than: $0) }) != true { worst = quality }
                }
            }
            for column in community {
                series[column].values[slot] = total
                series[column].qualities[slot] = worst
            }
        }
    }

    /// The sheet: header rows, the points' columns (value and `MM`), the TOTAL columns.
    func sheet() -> EDAWorkbookSheet {
        let count = quarterHours.count
        let first = quarterHours.lowerBound.startSeconds
        let last = quarterHours.upperBound.startSeconds - QuarterHour.seconds
        var header = EDAWorkbookLabels.headerLabels(older: older).map {
            (label: $0.label, row: $0.row, cells: [Int: EDAWorkbookSheet.Cell]())
        }
        func set(_ row: EDAWorkbookLabels.Row, _ column: Int, _ cell: EDAWorkbookSheet.Cell) {
            if let index = header.firstIndex(where: { $0.row == row }) { header[index].cells[column] = cell }
        }
        var columns: [(number: Int, column: EDAWorkbookSheet.Column)] = []
        // A point's data period: its first and last quarter hour with any figure.
        var periods: [Int: (first: Int, last: Int)] = [:]
        for entry in series where entry.series != .communityProduction {
            guard let low = entry.values.firstIndex(where: { $0 >= 0 }), let high = entry.values.lastIndex(where: { $0 >= 0 }) else {
                continue
            }
            let known = periods[entry.point] ?? (low, high)
            periods[entry.point] = (min(known.first, low), max(known.last, high))
        }
        var number = 2
        for entry in series {
            let point = points[entry.point]
            let label = EDAWorkbookLabels.label(for: entry.series) ?? ""
            set(.meteringPoint, number, .text(point.zaehlpunkt.description))
            set(.meteringPoint, number + 1, .text("MM"))
            set(.name, number, .text(point.name))
            set(.direction, number, .text(point.direction == .consumption ? "CONSUMPTION" : "GENERATION"))
            set(.meteringInterval, number, .text("QH"))
            set(.numberOfIntervals, number, .integer(count))
            set(.reportFilterStart, number, .text(localText(first, seconds: true)))
            set(.reportFilterEnd, number, .text(localText(last, seconds: true)))
            if let period = periods[entry.point] {
                let start = localText(first + Int64(period.first) * QuarterHour.seconds, seconds: true)
                let end = localText(first + Int64(period.last) * QuarterHour.seconds, seconds: true)
                for row in [EDAWorkbookLabels.Row.dataPeriodStart, .periodStart, .activeStart] { set(row, number, .text(start)) }
                for row in [EDAWorkbookLabels.Row.dataPeriodEnd, .periodEnd, .activeEnd] { set(row, number, .text(end)) }
            }
            set(.meterCode, number, .text(label))
            let present = entry.values.filter { $0 >= 0 }
            set(.completeness, number, .text(count == 0 ? "" : "\(present.count * 100 / count) %"))
            set(.columnSums, number, .kWh(present.reduce(0, +)))
            if let worst = entry.qualities.compactMap({ $0 }).max(by: { $0.code < $1.code }) {
                set(.columnSums, number + 1, .text(worst.edaCode))
            }
            columns.append((number, EDAWorkbookSheet.Column(values: entry.values, qualities: entry.qualities)))
            number += 2
        }
        // TOTAL: each series' values added up (the community-wide production once, as it is).
        for entry in EDAWorkbookLabels.series {
            let parts = series.filter { $0.series == entry.series }
            guard let example = parts.first else { continue }
            let values = (0..<count).map { slot -> Int64 in
                let present = (entry.series == .communityProduction ? [example] : parts).map { $0.values[slot] }.filter { $0 >= 0 }
                return present.isEmpty ? -1 : present.reduce(0, +)
            }
            set(.meteringPoint, number, .text("TOTAL"))
            set(.direction, number, .text(entry.series.direction == .consumption ? "CONSUMPTION" : "GENERATION"))
            set(.meterCode, number, .text(entry.label))
            set(.columnSums, number, .kWh(values.filter { $0 >= 0 }.reduce(0, +)))
            columns.append((number, EDAWorkbookSheet.Column(values: values, qualities: nil)))
            number += 1
        }
        let times = quarterHours.map { localText($0.startSeconds, seconds: false) }
        return EDAWorkbookSheet(header: header.map { ($0.label, $0.cells) }, columns: columns, times: times)
    }

    /// `01.07.2026 00:15` (or `01.07.2026 00:15:00`): local wall-clock time.
    private func localText(_ seconds: Int64, seconds withSeconds: Bool) -> String {
        let text = EDAWorkbookTime.text(seconds + Int64(calendar.offset(at: seconds)))
        return withSeconds ? text + ":00" : text
    }
}
