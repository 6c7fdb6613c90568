import EnergyCore

/// The member's days as a chart: per day the consumption and the community energy received, as
/// two bars (up to 62 days) or two lines (longer periods), with a kWh axis, day labels and a legend.
/// Drawn from lines and rectangles; scaled in exact mWh, only the positions are floating point.
///
/// ```swift
/// try StatementPDFChart(days: document.days, consumed: document.consumedPerDay, shared: document.sharedPerDay)
///     .draw(on: pages)
/// ```
struct StatementPDFChart {
    let days: [LocalDate]
    let consumed: [Energy]
    let shared: [Energy]

    static let height: Float = 170
    static let consumptionColor = PDFColor(red: 0.45, green: 0.55, blue: 0.78)
    static let sharedColor = StatementPDFPages.accent

    /// The axis maximum, in mWh, and its number of ticks: the smallest 1, 2 or 5 × 10^k kWh
    /// at or above `largest` (1 kWh at least), divided into 5, 4 or 5 steps.
    static func scale(largest: Int64) -> (maximum: Int64, ticks: Int) {
        var power: Int64 = 1_000_000
        while true {
            for (mantissa, ticks) in [(Int64(1), 5), (2, 4), (5, 5)] where mantissa * power >= largest {
                return (mantissa * power, ticks)
            }
            // 10^3 below the largest Int64 a day can hold: the loop ends for any real figure.
            guard power < Int64.max / 100 else { return (largest, 5) }
            power *= 10
        }
    }

    func draw(on pages: StatementPDFPages) throws(PDFError) {
        guard !days.isEmpty else { return }
        try pages.ensure(Self.height)
        let text = pages.text
        let page = pages.page
        let top = pages.y
        try page.text(text.chartTitle, x: StatementPDFPages.left, y: top - 9, font: .bold, size: 9)
        try legend(page, text, top: top)

        let plotLeft = StatementPDFPages.left + 40
        let plotRight = StatementPDFPages.right
        let plotTop = top - 30
        let plotBottom = top - Self.height + 22
        let largest = zip(consumed, shared).map { max($0.milliwattHours, $1.milliwattHours) }.max() ?? 0
        let (maximum, ticks) = Self.scale(largest: largest)
        let height = plotTop - plotBottom
        func yOf(_ mWh: Int64) -> Float { plotBottom + height * Float(max(0, mWh)) / Float(maximum) }

        // The kWh axis: gridlines and labels at every tick.
        let step = maximum / Int64(ticks)
        let decimals = step % 1_000_000 == 0 ? 0 : (step % 100_000 == 0 ? 1 : 2)
        try page.text("kWh", x: plotLeft - 6, y: plotTop + 6, size: 6.5, color: StatementPDFPages.muted, align: .right)
        for tick in 0...ticks {
            let value = step * Int64(tick)
            let y = yOf(value)
            if tick > 0 { try page.line(from: (plotLeft, y), to: (plotRight, y), width: 0.3, color: .gray(0.82)) }
            let label = text.number(value, scale: 6, decimals: decimals)
            try page.text(label, x: plotLeft - 6, y: y - 2.5, size: 6.5, color: StatementPDFPages.muted, align: .right)
        }

        // The series.
        let slot = (plotRight - plotLeft) / Float(days.count)
        let count = min(days.count, consumed.count, shared.count)
        if days.count <= 62 {
            let bar = slot * 0.38
            for d in 0..<count {
                let x = plotLeft + Float(d) * slot + slot * 0.12
                try page.fill(
                    x: x, y: plotBottom, width: bar, height: yOf(consumed[d].milliwattHours) - plotBottom, color: Self.consumptionColor)
                try page.fill(
                    x: x + bar, y: plotBottom, width: bar, height: yOf(shared[d].milliwattHours) - plotBottom, color: Self.sharedColor)
            }
        } else {
            for (series, color) in [(consumed, Self.consumptionColor), (shared, Self.sharedColor)] where count > 1 {
                for d in 1..<count {
                    let x0 = plotLeft + (Float(d) - 0.5) * slot
                    try page.line(
                        from: (x0, yOf(series[d - 1].milliwattHours)), to: (x0 + slot, yOf(series[d].milliwattHours)), width: 0.8,
                        color: color)
                }
            }
        }

        // The axes and the day labels (about eight of them).
        try page.line(from: (plotLeft, plotBottom), to: (plotRight, plotBottom), width: 0.6)
        try page.line(from: (plotLeft, plotBottom), to: (plotLeft, plotTop), width: 0.6)
        let every = max(1, (days.count + 7) / 8)
        for d in stride(from: 0, to: days.count, by: every) {
            let label = text.shortDate(days[d])
            let x = try plotLeft + (Float(d) + 0.5) * slot - page.textWidth(label, size: 6.5) / 2
            try page.text(label, x: x, y: plotBottom - 10, size: 6.5, color: StatementPDFPages.muted)
        }
        pages.y = top - Self.height
    }

    /// Two coloured squares and the series' names, at the right end of the title line.
    private func legend(_ page: PDFPage, _ text: StatementPDFText, top: Float) throws(PDFError) {
        var x = StatementPDFPages.right
        for (name, color) in [(text.communityEnergy, Self.sharedColor), (text.consumption, Self.consumptionColor)] {
            try page.text(name, x: x, y: top - 9, size: 7.5, align: .right)
            x -= try page.textWidth(name, size: 7.5) + 4
            try page.fill(x: x - 7, y: top - 9, width: 7, height: 7, color: color)
            x -= 7 + 12
        }
    }
}
