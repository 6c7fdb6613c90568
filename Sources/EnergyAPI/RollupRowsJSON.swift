import EnergyCore
import EnergyReports

/// The `rows` array of a rollups answer, written straight into UTF-8 bytes: the same text as
/// building a `JSONText.object` per row and rendering it compact (a test holds the two together),
/// without a field array, a tuple and a number String per value (a month of rows was a fifth of
/// the route's CPU that way).
///
/// ```swift
/// var offsets = calendar.offsetCache()
/// let rows = RollupRowsJSON.render(report.rows, offsets: &offsets)   // [{"bucket_start":"…",…},…]
/// ```
enum RollupRowsJSON {
    /// The rows as a compact JSON array; timestamps with the zone offset of `offsets`.
    static func render(_ rows: [ReportRow], offsets: inout ZoneOffsetCache) -> [UInt8] {
        var out: [UInt8] = []
        // A row of one point is about 260 bytes; one allocation for the usual answer.
        out.reserveCapacity(2 + rows.count * 280)
        out.append(UInt8(ascii: "["))
        for (i, row) in rows.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            append(row, offsets: &offsets, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// One row: the field order and text of `JSONText.object` rendered compact.
    static func append(_ row: ReportRow, offsets: inout ZoneOffsetCache, to out: inout [UInt8]) {
        out.append(contentsOf: bucketStartKey)
        JSONText.escape(UTCTimestamp.format(row.bucketStart, offsetSeconds: offsets.offset(at: row.bucketStart)), into: &out)
        if let point = row.point {
            out.append(contentsOf: directionKey)
            JSONText.escape(point.direction.rawValue, into: &out)
        }
        let t = row.totals
        appendKWh(consumedKey, t.consumed, to: &out)
        appendKWh(producedKey, t.produced, to: &out)
        appendKWh(sharedKey, t.shared, to: &out)
        appendKWh(gridKey, t.grid, to: &out)
        appendKWh(surplusKey, t.surplus, to: &out)
        appendInt(intervalsKey, t.intervals, to: &out)
        appendInt(expectedKey, t.expectedIntervals, to: &out)
        appendInt(dsoKey, t.dsoIntervals, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// The same row as a `JSONText` value: the definition `append` must match byte for byte (the
    /// tests compare the two).
    static func object(_ row: ReportRow, offsets: inout ZoneOffsetCache) -> JSONText {
        let start = UTCTimestamp.format(row.bucketStart, offsetSeconds: offsets.offset(at: row.bucketStart))
        var fields: [(String, JSONText)] = [("bucket_start", .string(start))]
        if let point = row.point { fields.append(("direction", .string(point.direction.rawValue))) }
        let t = row.totals
        fields.append(("consumed_kwh", .number(Energy.kilowattHoursText(t.consumed))))
        fields.append(("produced_kwh", .number(Energy.kilowattHoursText(t.produced))))
        fields.append(("shared_kwh", .number(Energy.kilowattHoursText(t.shared))))
        fields.append(("grid_kwh", .number(Energy.kilowattHoursText(t.grid))))
        fields.append(("surplus_kwh", .number(Energy.kilowattHoursText(t.surplus))))
        fields.append(("intervals", .int(t.intervals)))
        fields.append(("expected_intervals", .int(t.expectedIntervals)))
        fields.append(("dso_intervals", .int(t.dsoIntervals)))
        return .object(fields)
    }

    /// `,"key":` then kWh with six decimals, as `Energy.kilowattHoursText` writes it.
    private static func appendKWh(_ key: [UInt8], _ milliwattHours: Int64, to out: inout [UInt8]) {
        out.append(contentsOf: key)
        FixedDecimal.append(milliwattHours, scale: 6, decimals: 6, to: &out)
    }

    /// `,"key":` then the integer as `JSONText.int` writes it.
    private static func appendInt(_ key: [UInt8], _ value: some BinaryInteger, to out: inout [UInt8]) {
        out.append(contentsOf: key)
        FixedDecimal.append(Int64(value), scale: 0, to: &out)
    }

    private static let bucketStartKey = Array(#"{"bucket_start":"#.utf8)
    private static let directionKey = Array(#","direction":"#.utf8)
    private static let consumedKey = Array(#","consumed_kwh":"#.utf8)
    private static let producedKey = Array(#","produced_kwh":"#.utf8)
    private static let sharedKey = Array(#","shared_kwh":"#.utf8)
    private static let gridKey = Array(#","grid_kwh":"#.utf8)
    private static let surplusKey = Array(#","surplus_kwh":"#.utf8)
    private static let intervalsKey = Array(#","intervals":"#.utf8)
    private static let expectedKey = Array(#","expected_intervals":"#.utf8)
    private static let dsoKey = Array(#","dso_intervals":"#.utf8)
}
