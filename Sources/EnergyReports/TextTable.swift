/// A plain-text table with aligned columns, for terminals.
///
/// ```swift
/// var t = TextTable(columns: [.init("member"), .init("kWh", right: true)])
/// t.add(["M001", "12.5"])
/// print(t.render())
/// ```
public struct TextTable: Sendable {
    public struct Column: Sendable {
        public var title: String
        public var rightAligned: Bool
        public init(_ title: String, right: Bool = false) {
            self.title = title
            rightAligned = right
        }
    }

    public var columns: [Column]
    private var rows: [[String]] = []

    public init(columns: [Column]) { self.columns = columns }

    public mutating func add(_ cells: [String]) { rows.append(cells) }

    public func render() -> String {
        var widths = columns.map { $0.title.count }
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, column) in columns.enumerated() {
                let cell = i < cells.count ? cells[i] : ""
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                parts.append(column.rightAligned ? pad + cell : cell + pad)
            }
            return parts.joined(separator: "  ").replacingTrailingSpaces()
        }
        var out = line(columns.map(\.title)) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}

extension String {
    fileprivate func replacingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
