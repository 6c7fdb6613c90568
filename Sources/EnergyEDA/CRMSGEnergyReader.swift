import EnergyCore
import Foundation

/// Reads the `Energy` blocks of one CR_MSG document into its figures, refusing as little as it can:
/// a bad `EP` is one rejection, a block that is not quarter hours (or not kWh) one rejection for
/// all of its values, an unknown meter code is named once and skipped.
///
/// Used by ``CRMSGReader`` once per file; it remembers the (meter code, quarter hour) pairs already
/// read, so a second value for the same pair anywhere in the file is refused.
/// ```swift
/// var energy = CRMSGEnergyReader(xml: xml, zaehlpunkt: zp, version: .v01p41, expectedValues: 9_000)
/// try energy.read(into: &document)   // at the start of each <Energy>
/// ```
struct CRMSGEnergyReader {
    private let xml: XMLStream
    private let zaehlpunkt: Zaehlpunkt
    private let version: CRMSGSchemaVersion
    private var blocks = 0
    /// (quarter hour index × 16 + meter code) of every value read.
    private var seen: Set<Int64> = []
    private var position = CRMSGPosition()

    init(xml: XMLStream, zaehlpunkt: Zaehlpunkt, version: CRMSGSchemaVersion, expectedValues: Int) {
        self.xml = xml
        self.zaehlpunkt = zaehlpunkt
        self.version = version
        seen.reserveCapacity(expectedValues)
    }

    /// What an `Energy` block says about its values, and whether they can be read at all.
    private struct Block {
        var index: Int
        var line: Int
        var startText: String?
        var endText: String?
        var interval: String?
        var numberText: String?
        var checked = false
        /// Why the whole block is refused, if it is.
        var refusal: String?
        var refusedValues = 0
        var period = CRMSGPosition.Period(seconds: 0..<0, startText: "", endText: "")
        var number: Int?

        var location: String { "Energy[\(index)] (line \(line))" }
    }

    /// Reads one `Energy` element, from its start (the current event) through its end.
    mutating func read(into document: inout EDADocument) throws(XMLStreamError) {
        blocks += 1
        var block = Block(index: blocks, line: xml.nodeLine)
        var depth = 0
        while let event = try xml.next() {
            switch event {
            case .start:
                depth += 1
                guard depth == 1 else { continue }
                if xml.isNamed("EnergyData") {
                    if !block.checked { check(&block, into: &document) }
                    try readEnergyData(&block, into: &document)
                } else if xml.isNamed("MeteringPeriodStart") {
                    block.startText = try xml.elementText().trimmingCharacters(in: .whitespacesAndNewlines)
                } else if xml.isNamed("MeteringPeriodEnd") {
                    block.endText = try xml.elementText().trimmingCharacters(in: .whitespacesAndNewlines)
                } else if xml.isNamed("MeteringIntervall") {
                    block.interval = try xml.elementText().trimmingCharacters(in: .whitespacesAndNewlines)
                } else if xml.isNamed("NumberOfMeteringIntervall") {
                    block.numberText = try xml.elementText().trimmingCharacters(in: .whitespacesAndNewlines)
                } else {
                    continue
                }
                depth -= 1  // the element was read through its end
            case .end:
                if depth == 0 {
                    if let refusal = block.refusal, block.refusedValues > 0 {
                        let reason = "\(refusal) (its \(block.refusedValues) values are refused)"
                        document.rejections.append(EDARejection(location: block.location, reason: reason, values: block.refusedValues))
                    }
                    return
                }
                depth -= 1
            case .text:
                continue
            }
        }
    }

    /// The block's header, checked before its first `EnergyData` (the schema puts it first).
    private func check(_ block: inout Block, into document: inout EDADocument) {
        block.checked = true
        guard let interval = block.interval else {
            block.refusal = "Energy has no MeteringIntervall before its EnergyData"
            return
        }
        guard interval == "QH" else {
            block.refusal = "MeteringIntervall '\(interval)' is not QH: only quarter-hour values are read"
            return
        }
        guard let startText = block.startText, let endText = block.endText else {
            block.refusal = "Energy has no \(block.startText == nil ? "MeteringPeriodStart" : "MeteringPeriodEnd") before its EnergyData"
            return
        }
        let start: Int64
        let end: Int64
        do throws(TimeError) {
            start = try UTCTimestamp.parse(startText)
            end = try UTCTimestamp.parse(endText)
        } catch {
            block.refusal = "the MeteringPeriod \(startText) to \(endText) is not two date-times with offsets (\(error))"
            return
        }
        guard end > start else {
            block.refusal = "MeteringPeriodEnd \(endText) is not after MeteringPeriodStart \(startText)"
            return
        }
        block.period = CRMSGPosition.Period(seconds: start..<end, startText: startText, endText: endText)
        guard let numberText = block.numberText else {
            let reason = "Energy has no NumberOfMeteringIntervall: the number of values is not checked"
            document.rejections.append(EDARejection(location: block.location, reason: reason, values: 0))
            return
        }
        guard let number = Int(numberText), number >= 0 else {
            let reason = "NumberOfMeteringIntervall '\(numberText)' is not a whole number: the number of values is not checked"
            document.rejections.append(EDARejection(location: block.location, reason: reason, values: 0))
            return
        }
        block.number = number
        // The autumn day has 100 quarter hours and the spring day 92: a block that says 96 for
        // either has lost or invented an hour somewhere.
        let quarterHours = (end - start) / QuarterHour.seconds
        if (end - start) % QuarterHour.seconds == 0, quarterHours != number {
            let reason =
                "NumberOfMeteringIntervall \(number) does not match the MeteringPeriod \(startText) to \(endText), "
                + "which has \(quarterHours) quarter hours"
            document.rejections.append(EDARejection(location: block.location, reason: reason, values: 0))
        }
    }

    /// One `EnergyData`, from its start (the current event) through its end.
    private mutating func readEnergyData(_ block: inout Block, into document: inout EDADocument) throws(XMLStreamError) {
        let line = xml.nodeLine
        let codeText = xml.attribute("MeterCode")?.trimmingCharacters(in: .whitespacesAndNewlines)
        let unit = xml.attribute("UOM")?.trimmingCharacters(in: .whitespacesAndNewlines)
        let location = "Energy[\(block.index)]/EnergyData[\(codeText ?? "")]"
        if let codeText, MeterCode(rawValue: codeText) == nil {
            if !document.unknownMeterCodes.contains(codeText) { document.unknownMeterCodes.append(codeText) }
            _ = try countPositions()
            return
        }
        if block.refusal != nil {
            block.refusedValues += try countPositions()
            return
        }
        guard let codeText, let code = MeterCode(rawValue: codeText) else {
            let count = try countPositions()
            let reason = "EnergyData has no MeterCode: its \(count) values are refused"
            document.rejections.append(EDARejection(location: "\(location) (line \(line))", reason: reason, values: count))
            return
        }
        guard unit == "KWH" else {
            let count = try countPositions()
            let what = unit.map { "UOM '\($0)' is not KWH" } ?? "EnergyData has no UOM (expected KWH)"
            let reason = "\(what): its \(count) values are refused"
            document.rejections.append(EDARejection(location: "\(location) (line \(line))", reason: reason, values: count))
            return
        }
        let count = try readPositions(code: code, period: block.period, location: location, into: &document)
        if let number = block.number, count != number {
            let reason = "EnergyData has \(count) EP, NumberOfMeteringIntervall says \(number)"
            document.rejections.append(EDARejection(location: "\(location) (line \(line))", reason: reason, values: 0))
        }
    }

    /// Reads the `EP` of an `EnergyData` through its end; returns how many there were.
    private mutating func readPositions(
        code: MeterCode, period: CRMSGPosition.Period, location: String, into document: inout EDADocument
    ) throws(XMLStreamError) -> Int {
        let codeKey = Int64(code.code)  // once: `code` searches `allCases`
        var depth = 0
        var count = 0
        while let event = try xml.next() {
            switch event {
            case .start:
                guard depth == 0, xml.isNamed("EP") else {
                    depth += 1
                    continue
                }
                count += 1
                position.begin(line: xml.nodeLine)
                try xml.forEachChild { child in
                    let field: CRMSGPosition.Field =
                        child.isNamed("BQ")
                        ? .bq : child.isNamed("DTF") ? .dtf : child.isNamed("DTT") ? .dtt : child.isNamed("MM") ? .mm : .none
                    position.open(field)
                    if field != .none { child.forEachText { position.append($0, to: field) } }
                }
                accept(code: code, codeKey: codeKey, period: period, at: "\(location)/EP[\(count)]", into: &document)
            case .text:
                continue
            case .end:
                if depth == 0 { return count }
                depth -= 1
            }
        }
        return count
    }

    /// The position just read becomes a figure, or a rejection. `location` is only made into a
    /// String when needed (it is an autoclosure).
    private mutating func accept(
        code: MeterCode, codeKey: Int64, period: CRMSGPosition.Period, at location: @autoclosure () -> String,
        into document: inout EDADocument
    ) {
        do throws(CRMSGPosition.Refusal) {
            let value = try position.value(version: version, period: period)
            let quarterHour = QuarterHour(index: value.start / QuarterHour.seconds)
            guard seen.insert(quarterHour.index &* 16 &+ codeKey).inserted else {
                throw CRMSGPosition.Refusal(
                    reason: "a second value for \(code.rawValue) in the quarter hour from DTF \(position.fromText); the first is kept")
            }
            document.figures.append(
                GridOperatorFigure(
                    zaehlpunkt: zaehlpunkt, meterCode: code, start: quarterHour, milliwattHours: value.milliwattHours,
                    quality: value.quality))
        } catch {
            document.rejections.append(EDARejection(location: "\(location()) (line \(position.line))", reason: error.reason))
        }
    }

    /// Skips an `EnergyData` through its end, counting its `EP`.
    private func countPositions() throws(XMLStreamError) -> Int {
        var depth = 0
        var count = 0
        while let event = try xml.next() {
            switch event {
            case .start:
                depth += 1
                if depth == 1, xml.isNamed("EP") { count += 1 }
            case .end:
                if depth == 0 { return count }
                depth -= 1
            case .text:
                continue
            }
        }
        return count
    }
}
