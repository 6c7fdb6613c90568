import EnergyCore

/// Checks each quarter-hour row of an EDA workbook against the label table
/// (``EDAWorkbookLabels``), so that a workbook whose producer columns mean something else stops
/// the import instead of being stored misread:
///
/// - the community-wide production ("Gesamte gemeinschaftliche Erzeugung") is the same in every
///   producer's column,
/// - and equals the producers' own production (G.01) added up, or their participating production
///   (G.01T) added up (whichever the portal used), give or take a rounding of 1 mWh per point;
/// - a point's participating production (G.01T, its production times its participation) and its
///   remaining surplus (P.01T) are not more than its own production (G.01);
/// - a TOTAL column is the sum of its series' columns, give or take the same rounding.
///
/// Empty cells, cells outside a point's data period and refused cells take no part: a check that
/// would need them is skipped for that row. A failed check throws ``EDAFileError`` naming the row,
/// the columns (letters and labels) and the figures.
/// ```swift
/// let check = EDAWorkbookCheck(layout: layout, file: name)
/// try check.check(row: 45, values: values, sheetValues: values, totals: totals)
/// ```
struct EDAWorkbookCheck {
    /// A value that is not there (empty, outside the data period) and one that was refused.
    static let absent: Int64 = -1
    static let refused: Int64 = -2

    let layout: EDAWorkbookLayout
    let file: String

    /// `values` are the row's values by layout column within each point's data period,
    /// `sheetValues` all of them as the sheet has them (a TOTAL adds up its column's cells),
    /// `totals` by TOTAL column (mWh, or ``absent`` / ``refused``).
    func check(row: Int, values: [Int64], sheetValues: [Int64], totals: [Int64]) throws(EDAFileError) {
        if !layout.producers.isEmpty { try checkProducers(row: row, values) }
        for (index, total) in layout.totals.enumerated() where totals[index] >= 0 {
            guard case .figure = total.series else { continue }
            var sum: Int64 = 0
            var count = 0
            var complete = true
            for part in total.parts {
                if sheetValues[part] == Self.refused { complete = false }
                if sheetValues[part] >= 0 {
                    sum += sheetValues[part]
                    count += 1
                }
            }
            guard complete, abs(totals[index] - sum) > Int64(max(count, 1)) else { continue }
            throw fail(
                row,
                "the \(total.location) = \(kWh(totals[index])), but the metering points' columns of that series "
                    + "(\(letters(total.parts))) add up to \(kWh(sum))")
        }
    }

    private func checkProducers(row: Int, _ values: [Int64]) throws(EDAFileError) {
        var community: (value: Int64, column: Int)?
        var communityComplete = true
        var own: (sum: Int64, count: Int, columns: [Int], complete: Bool) = (0, 0, [], true)
        var participating: (sum: Int64, count: Int, columns: [Int], complete: Bool) = (0, 0, [], true)
        for producer in layout.producers {
            let production = producer.production.map { values[$0] } ?? Self.absent
            if let column = producer.community {
                let value = values[column]
                if value == Self.refused { communityComplete = false }
                if value >= 0 {
                    if let first = community, first.value != value {
                        throw fail(
                            row,
                            "\(layout.columns[first.column].location) = \(kWh(first.value)) but \(layout.columns[column].location) = "
                                + "\(kWh(value)): the community-wide production must be the same in every producer's column")
                    }
                    community = community ?? (value, column)
                }
            }
            if let column = producer.production {
                own.columns.append(column)
                if production == Self.refused { own.complete = false }
                if production >= 0 { (own.sum, own.count) = (own.sum + production, own.count + 1) }
            }
            if let column = producer.participating {
                let value = values[column]
                participating.columns.append(column)
                if value == Self.refused { participating.complete = false }
                if value >= 0 { (participating.sum, participating.count) = (participating.sum + value, participating.count + 1) }
                if value >= 0, production >= 0, value > production, let own = producer.production {
                    throw exceeds(row, column, value, own, production, "participating production (its production times its participation)")
                }
            }
            if let column = producer.surplus, let own = producer.production, values[column] >= 0, production >= 0,
                values[column] > production
            {
                throw exceeds(row, column, values[column], own, production, "remaining surplus")
            }
        }
        guard let community, communityComplete, own.complete, participating.complete, own.count + participating.count > 0 else { return }
        let matchesOwn = own.count > 0 && abs(community.value - own.sum) <= Int64(own.count)
        let matchesParticipating = participating.count > 0 && abs(community.value - participating.sum) <= Int64(participating.count)
        guard !matchesOwn && !matchesParticipating else { return }
        var sums: [String] = []
        if own.count > 0 {
            sums.append("their own production (\(label(.figure(.production))), columns \(letters(own.columns))) adds up to \(kWh(own.sum))")
        }
        if participating.count > 0 {
            sums.append(
                "their participating production (\(label(.figure(.participatingProduction))), columns \(letters(participating.columns))) "
                    + "adds up to \(kWh(participating.sum))")
        }
        throw fail(
            row,
            "\(layout.columns[community.column].location) = \(kWh(community.value)), the production of all the community's producers, "
                + "but " + sums.joined(separator: " and "))
    }

    private func exceeds(_ row: Int, _ column: Int, _ value: Int64, _ own: Int, _ production: Int64, _ what: String) -> EDAFileError {
        fail(
            row,
            "\(layout.columns[column].location) = \(kWh(value)) is more than \(layout.columns[own].location) = \(kWh(production)), "
                + "but a point's \(what) cannot exceed its own production")
    }

    private func fail(_ row: Int, _ message: String) -> EDAFileError {
        EDAFileError(
            file: file,
            message: "row \(row) contradicts the documented reading of the series labels (EDAWorkbookLabels): \(message); "
                + "the file is refused rather than misread")
    }

    private func label(_ series: EDAWorkbookSeries) -> String { EDAWorkbookLabels.label(for: series) ?? "\(series)" }

    private func kWh(_ value: Int64) -> String { Energy.kilowattHoursText(value) + " kWh" }

    /// `F, N, V` (at most eight, then how many more).
    private func letters(_ columns: [Int]) -> String {
        let names = columns.prefix(8).map { XLSXCell.columnName(layout.columns[$0].column) }
        return names.joined(separator: ", ") + (columns.count > 8 ? " and \(columns.count - 8) more" : "")
    }
}
