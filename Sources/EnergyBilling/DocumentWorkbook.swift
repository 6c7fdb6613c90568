import EnergyCore

/// A document's lines as a one-sheet XLSX workbook: what a cancellation (Storno) shows, which has
/// no quarter hours of its own, only the cancelled statement's lines with every amount negated.
///
/// ```swift
/// try DocumentWorkbook(document: cancellation).write(to: "cancellation-2026-0009-M001.xlsx")
/// ```
struct DocumentWorkbook {
    let document: StatementDocument

    func write(to path: String) throws(XLSXError) {
        let d = document
        // Fixed per period, as the statements' workbooks: a rerun writes the same bytes.
        let created = Int64(d.period.to.daysSinceEpoch) * 86_400
        let title = d.kind == .cancellation ? "Cancellation" : "Statement"
        let book = try XLSXWorkbook(
            path: path, created: created, title: "\(title) \(d.number ?? "preview") \(d.period) \(d.member.id)",
            author: d.community.name, company: d.community.name)
        let bold = book.addFormat(bold: true)
        let date = book.addFormat(numberFormat: "yyyy-mm-dd")
        let kWh = book.addFormat(numberFormat: "#,##0.000")
        let money = book.addFormat(numberFormat: "#,##0.00")
        let price = book.addFormat(numberFormat: "0.0000##")
        let percent = book.addFormat(numberFormat: "0.##%")
        let s = try book.addSheet("Summary")
        s.setColumns(0, 0, width: 52)
        s.setColumns(1, 5, width: 16)
        var row = 0
        try s.write(row, 0, title, bold)
        row += 1
        var facts: [(String, String)] = [
            ("Community", "\(d.community.name) (\(d.community.id))"), ("Member", "\(d.member.name) (\(d.member.id))"),
            ("Period", d.period.label), ("Number", d.number ?? "PREVIEW (not numbered)"),
        ]
        if d.kind == .cancellation {
            facts.append(("Cancels statement", d.reference ?? ""))
            facts.append(("Reason", d.reason ?? ""))
        } else if let reference = d.reference {
            facts.append(("Replaces statement", reference))
        }
        facts.append(("Currency", d.currency))
        for (label, value) in facts {
            try s.write(row, 0, label)
            try s.write(row, 1, value)
            row += 1
        }
        if let issuedOn = d.issuedOn {
            try s.write(row, 0, "Issued on")
            try s.write(row, 1, StatementWorkbook.serial(issuedOn), date)
            row += 1
        }
        row += 1
        for (c, heading) in ["Line", "Energy kWh", "Price per kWh", "VAT rate", "Amount"].enumerated() {
            try s.write(row, c, heading, bold)
        }
        row += 1
        for line in d.lines {
            try s.write(row, 0, line.text)
            if let energy = line.energy { try s.write(row, 1, StatementWorkbook.kWh(energy.milliwattHours), kWh) }
            if let p = line.price { try s.write(row, 2, p.units, price) }
            if let rate = line.rate { try s.write(row, 3, Double(rate.basisPoints) / 10_000, percent) }
            try s.write(row, 4, line.amount.units, money)
            row += 1
        }
        for (label, amount) in [("Net", d.net), ("VAT", d.vat), ("Total", d.total)] {
            try s.write(row, 0, label, bold)
            try s.write(row, 4, amount.units, money)
            row += 1
        }
        try book.close()
    }
}
