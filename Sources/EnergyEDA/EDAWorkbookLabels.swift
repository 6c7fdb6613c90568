import EnergyCore

/// What one column of the EDA portal's workbook holds: a series stored as the DSO's figures, or
/// the community-wide production that every producer's columns repeat (checked, never stored).
enum EDAWorkbookSeries: Hashable, Sendable {
    case figure(MeterCode)
    case communityProduction

    var direction: Direction {
        switch self {
        case let .figure(code): return code.direction
        case .communityProduction: return .generation
        }
    }
}

/// The labels of the EDA portal's quarter-hour workbook (sheet `Energiedaten`) and what they mean:
/// the one table of the workbook's series, and the labels of its header rows.
///
/// The series labels, in the `MeterCode` row above each value column:
///
/// | label | series |
/// |---|---|
/// | Gesamtverbrauch lt. Messung (bei Teilnahme gem. Erzeugung) [KWH] | G.01, consumption as measured |
/// | Verbrauch lt. Messung entsprechend dem Teilnahmefaktor je ZP und EC-ID [KWH] | G.01T |
/// | Anteil gemeinschaftliche Erzeugung [KWH] | G.02 |
/// | Eigendeckung gemeinschaftliche Erzeugung [KWH] | G.03 |
/// | Eigendeckung aus erneuerbarer Energie [KWH] | G.03R |
/// | Gesamt/Überschusserzeugung, Gemeinschaftsüberschuss [KWH] | G.01, the point's own production as measured |
/// | Erzeugung lt. Messung entsprechend dem Teilnahmefaktor und EC-ID [KWH] | G.01T |
/// | Restüberschuss bei EG und je ZP [KWH] | P.01T, what is left of the point's production after the community |
/// | Gesamte gemeinschaftliche Erzeugung [KWH] | not stored: the production of all producers together |
///
/// Public sources disagree on the producers' labels: one reader, checked against real exports,
/// reads them as above; another maps "Gesamte gemeinschaftliche Erzeugung", "Erzeugung lt. Messung
/// …", "Gesamt/Überschusserzeugung …" and "Restüberschuss …" to G.01, G.01T, P.01 and P.01T. This
/// table follows the first, and ``EDAWorkbookCheck`` tests every workbook against it: the
/// community-wide column is the same in every producer's column and equals the producers' own or
/// participating production added up; a point's participating production and its surplus do not
/// exceed its own production. A workbook that contradicts that is refused, not misread.
///
/// Labels match whatever their case and spacing, with or without the `[KWH]` unit (another unit
/// does not match), and "Gesamt-/Überschusserzeugung" with the hyphen as well.
enum EDAWorkbookLabels {
    /// The series labels as the portal writes them (the writer uses these), in column order.
    static let series: [(label: String, series: EDAWorkbookSeries)] = [
        ("Gesamtverbrauch lt. Messung (bei Teilnahme gem. Erzeugung) [KWH]", .figure(.consumption)),
        ("Verbrauch lt. Messung entsprechend dem Teilnahmefaktor je ZP und EC-ID [KWH]", .figure(.participatingConsumption)),
        ("Anteil gemeinschaftliche Erzeugung [KWH]", .figure(.offeredShare)),
        ("Eigendeckung gemeinschaftliche Erzeugung [KWH]", .figure(.coveredShare)),
        ("Eigendeckung aus erneuerbarer Energie [KWH]", .figure(.renewableShare)),
        ("Gesamte gemeinschaftliche Erzeugung [KWH]", .communityProduction),
        ("Erzeugung lt. Messung entsprechend dem Teilnahmefaktor und EC-ID [KWH]", .figure(.participatingProduction)),
        ("Gesamt/Überschusserzeugung, Gemeinschaftsüberschuss [KWH]", .figure(.production)),
        ("Restüberschuss bei EG und je ZP [KWH]", .figure(.participatingSurplus)),
    ]

    private static let seriesByKey: [String: EDAWorkbookSeries] = Dictionary(
        uniqueKeysWithValues: series.map { (seriesKey($0.label) ?? $0.label, $0.series) })

    /// The series a `MeterCode` row label names; nil for a label this table does not know.
    static func series(forLabel label: String) -> EDAWorkbookSeries? {
        seriesKey(label).flatMap { seriesByKey[$0] }
    }

    /// The label the portal writes for `series`.
    static func label(for series: EDAWorkbookSeries) -> String? {
        self.series.first { $0.series == series }?.label
    }

    /// Lower case, no white space, no `[kWh]` unit; nil if the label has another unit.
    private static func seriesKey(_ label: String) -> String? {
        var key = String(label.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace })
        key = key.replacingOccurrences(of: "-/", with: "/")
        if key.hasSuffix("[kwh]") {
            key.removeLast(5)
        } else if key.hasSuffix("]") {
            return nil
        }
        return key
    }

    /// The header rows, by their label in column A.
    enum Row: Sendable, CaseIterable {
        case meteringPoint, name, direction, meteringInterval, meteringReason, numberOfIntervals
        case reportFilterStart, reportFilterEnd, dataPeriodStart, dataPeriodEnd
        /// Older exports' `Period start`/`end`: read as the data period when there is none.
        case periodStart, periodEnd
        case activeStart, activeEnd, meterCode, completeness
        /// `Spaltensumme / minimale Qualität`: each column's sum and lowest quality.
        case columnSums
    }

    private static let rows: [String: Row] = [
        "meteringpointid": .meteringPoint, "name": .name, "energydirection": .direction, "meteringinterval": .meteringInterval,
        "meteringreason": .meteringReason, "numberofmeteringintervals": .numberOfIntervals, "reportfilterstart": .reportFilterStart,
        "reportfilterend": .reportFilterEnd, "dataperiodstart": .dataPeriodStart, "dataperiodend": .dataPeriodEnd,
        "periodstart": .periodStart, "periodend": .periodEnd, "meteringpointactivestart": .activeStart,
        "meteringpointactiveend": .activeEnd, "metercode": .meterCode, "datacompleteness": .completeness,
        "spaltensumme/minimalequalität": .columnSums,
    ]

    /// The header row a column-A label names, in either spelling (`MeteringPointId` or
    /// `MeteringpointID`, `Energydirection` or `Energy direction` …); nil for other text.
    static func row(forLabel label: String) -> Row? {
        rows[String(label.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "_" })]
    }

    /// The header rows as a writer spells them, in order: the current spelling, or the older one
    /// (`MeteringpointID`, `Energy direction`, `Metercode`, `Period start`, no active period).
    static func headerLabels(older: Bool) -> [(label: String, row: Row)] {
        let period: [(label: String, row: Row)] =
            older
            ? [("Period start", .periodStart), ("Period end", .periodEnd)]
            : [
                ("Data Period start", .dataPeriodStart), ("Data Period end", .dataPeriodEnd), ("Metering Point active start", .activeStart),
                ("Metering Point active end", .activeEnd),
            ]
        return [
            (older ? "MeteringpointID" : "MeteringPointId", .meteringPoint), ("Name", .name),
            (older ? "Energy direction" : "Energydirection", .direction), ("Metering Interval", .meteringInterval),
            ("MeteringReason", .meteringReason), ("Number of Metering Intervals", .numberOfIntervals),
            ("Report Filter start", .reportFilterStart), ("Report Filter end", .reportFilterEnd),
        ] + period + [
            (older ? "Metercode" : "MeterCode", .meterCode), ("Data Completeness", .completeness),
            ("Spaltensumme / minimale Qualität", .columnSums),
        ]
    }
}
