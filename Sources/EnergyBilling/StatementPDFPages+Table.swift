import EnergyCore

/// The statement's table: one row per line (the text wrapped in its column, the Zaehlpunkt, energy,
/// price, VAT rate and amount), the header repeated on every page the table runs onto, then net,
/// VAT and total.
///
/// ```swift
/// try pages.table(document.lines)
/// try pages.totals(net: document.net, vat: document.vat, total: document.total)
/// ```
extension StatementPDFPages {
    /// Where the columns start (left aligned) or end (right aligned).
    static let textColumn: Float = left
    // Wide enough for "Von der Gemeinschaft abgenommene Energie" in one line (165 pt at 8 pt).
    static let zaehlpunktColumn: Float = 218
    static let energyColumn: Float = 408
    static let priceColumn: Float = 456
    static let rateColumn: Float = 484
    static let amountColumn: Float = right
    static let textColumnWidth: Float = zaehlpunktColumn - textColumn - 2
    static let tableSize: Float = 8

    /// The grey band with the column names.
    func tableHeader() throws(PDFError) {
        let names = text.columns
        let baseline = y - 11
        try page.fill(x: Self.left, y: y - 15, width: Self.right - Self.left, height: 15, color: .gray(0.88))
        try page.text(names[0], x: Self.textColumn + 2, y: baseline, font: .bold, size: Self.tableSize)
        try page.text(names[1], x: Self.zaehlpunktColumn, y: baseline, font: .bold, size: Self.tableSize)
        let right: [(String, Float)] = [
            (names[2], Self.energyColumn), (names[3], Self.priceColumn), (names[4], Self.rateColumn), (names[5], Self.amountColumn - 2),
        ]
        for (name, x) in right { try page.text(name, x: x, y: baseline, font: .bold, size: Self.tableSize, align: .right) }
        y -= 19
    }

    /// The rows of `lines`; a row is never split over two pages.
    func table(_ lines: [StatementLine]) throws(PDFError) {
        try ensure(15 + 19 + 14)
        try tableHeader()
        tableRunning = true
        defer { tableRunning = false }
        let leading = Self.tableSize * 1.3
        for line in lines {
            let wrapped = try wrap(text.lineText(line), width: Self.textColumnWidth - 4, size: Self.tableSize)
            let height = Float(wrapped.count) * leading + 4
            try ensure(height)
            let baseline = y - Self.tableSize
            for (i, part) in wrapped.enumerated() {
                try page.text(part, x: Self.textColumn + 2, y: baseline - Float(i) * leading, size: Self.tableSize)
            }
            if let zaehlpunkt = line.zaehlpunkt {
                // Small enough that 33 characters (120 pt) fit between the text and the energy column.
                try page.text(zaehlpunkt.description, x: Self.zaehlpunktColumn, y: baseline, size: 6.5)
            }
            var figures: [(String, Float)] = [(text.money(line.amount), Self.amountColumn - 2)]
            if let energy = line.energy { figures.append((text.energy(energy), Self.energyColumn)) }
            if let price = line.price { figures.append((text.price(price), Self.priceColumn)) }
            if let rate = line.rate ?? line.taxRate { figures.append((text.percent(rate), Self.rateColumn)) }
            for (figure, x) in figures { try page.text(figure, x: x, y: baseline, size: Self.tableSize, align: .right) }
            y -= height
            try page.line(from: (Self.left, y + 1), to: (Self.right, y + 1), width: 0.3, color: .gray(0.8))
        }
    }

    /// Net, VAT and the total (bold, under a rule), right-aligned under the amounts.
    func totals(net: Money, vat: Money, total: Money) throws(PDFError) {
        try ensure(14 * 3 + 10)
        let labelX: Float = 360
        y -= 6
        for (label, amount) in [(text.net, net), (text.vat, vat)] {
            try page.text(label, x: labelX, y: y - 9, size: 9)
            try page.text(text.money(amount), x: Self.amountColumn - 2, y: y - 9, size: 9, align: .right)
            y -= 14
        }
        try page.line(from: (labelX, y - 2), to: (Self.right, y - 2), width: 0.8)
        y -= 4
        try page.text(text.total, x: labelX, y: y - 11, font: .bold, size: 10.5)
        try page.text(text.money(total), x: Self.amountColumn - 2, y: y - 11, font: .bold, size: 10.5, align: .right)
        y -= 22
    }
}
