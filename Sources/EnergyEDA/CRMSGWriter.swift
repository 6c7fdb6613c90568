import EnergyCore

/// Writes a CR_MSG `ConsumptionRecord` as a grid operator sends it: one metering point's
/// quarter-hour values, one `EnergyData` per meter code, local times with their offsets. For test
/// fixtures, the benchmark and simulated grid-operator files; ``CRMSGReader`` reads it back.
///
/// The `Energy` block covers the local days the figures touch (`MeteringPeriodStart` at the first
/// day's midnight, `MeteringPeriodEnd` at the midnight after the last), and
/// `NumberOfMeteringIntervall` is that period's quarter hours: 100 for 2026-10-25 in Vienna, where
/// `2026-10-25T02:45:00+02:00` to `2026-10-25T02:00:00+01:00` is one of them. Nothing is read from
/// the clock: the creation time is a parameter, the message ids follow from it and `sequence`.
/// ```swift
/// let writer = CRMSGWriter(version: .v01p41, calendar: try LocalCalendar(timeZoneIdentifier: "Europe/Vienna"))
/// let bytes = try writer.write(dayFigures, communityID: "AT00300000000RC100181000000000001", created: 1_792_983_600)
/// let document = try CRMSGReader().read(bytes, name: "fixture.xml")
/// ```
public struct CRMSGWriter: Sendable {
    public var version: CRMSGSchemaVersion
    public var calendar: LocalCalendar
    /// The grid operator's EC number, the message's sender (letters and digits).
    public var sender: String
    /// The community's EC number, the message's receiver (letters and digits).
    public var receiver: String
    /// Tabs and line breaks as in the grid operators' files; false writes the document on one line.
    public var indented: Bool

    public init(
        version: CRMSGSchemaVersion = .v01p41, calendar: LocalCalendar, sender: String = "AT003000", receiver: String = "RC100181",
        indented: Bool = true
    ) {
        self.version = version
        self.calendar = calendar
        self.sender = sender
        self.receiver = receiver
        self.indented = indented
    }

    /// Why a document cannot be written from what was given.
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { "cannot write the CR_MSG document: \(message)" }
    }

    /// The document for `figures`, all of one metering point. `communityID` (the EC-ID) is written
    /// as `ECID` from schema 01.40 on (01.30 has no such element); `created` (Unix seconds) is the
    /// `DocumentCreationDateTime`, and with `sequence` makes the `MessageId` and `ConversationId`.
    public func write(
        _ figures: [GridOperatorFigure], communityID: String? = nil, created: Int64, sequence: Int = 1
    ) throws(Refusal)
        -> [UInt8]
    {
        guard let first = figures.first else { throw Refusal(message: "there are no figures (an Energy block needs at least one EP)") }
        if let other = figures.first(where: { $0.zaehlpunkt != first.zaehlpunkt }) {
            throw Refusal(message: "the figures are of \(first.zaehlpunkt) and \(other.zaehlpunkt); a CR_MSG is about one metering point")
        }
        for (field, value) in [("sender", sender), ("receiver", receiver)] where !Self.isAddress(value, maximum: 35) {
            throw Refusal(message: "\(field) '\(value)' is not an EC number (1 to 35 letters and digits)")
        }
        if let communityID, !Self.isAddress(communityID, maximum: 33) {
            throw Refusal(message: "communityID '\(communityID)' is not an EC-ID (1 to 33 letters and digits)")
        }
        var series: [MeterCode: [GridOperatorFigure]] = [:]
        for figure in figures { series[figure.meterCode, default: []].append(figure) }
        let earliest = figures.lazy.map(\.start).min() ?? first.start
        let latest = figures.lazy.map(\.start).max() ?? first.start
        let periodStart = calendar.startOfDay(calendar.localDate(containing: earliest.startSeconds))
        let periodEnd = calendar.startOfDay(calendar.localDate(containing: latest.startSeconds).adding(days: 1))

        var out = Output(indented: indented)
        out.bytes.reserveCapacity(600 + figures.count * (indented ? 190 : 160))
        out.raw(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        out.newline()
        out.raw(
            #"<cp:ConsumptionRecord xmlns:cp=""# + version.namespace + #"" xmlns:ct=""# + CRMSGSchemaVersion.commonTypesNamespace + #"">"#)
        out.newline()
        out.open(#"cp:MarketParticipantDirectory DocumentMode="PROD" Duplicate="false" SchemaVersion=""# + version.rawValue + "\"")
        out.open("ct:RoutingHeader")
        out.open(#"ct:Sender AddressType="ECNumber""#)
        out.element("ct:MessageAddress", sender)
        out.close("ct:Sender")
        out.open(#"ct:Receiver AddressType="ECNumber""#)
        out.element("ct:MessageAddress", receiver)
        out.close("ct:Receiver")
        out.element("ct:DocumentCreationDateTime", UTCTimestamp.format(created))
        out.close("ct:RoutingHeader")
        out.element("ct:Sector", "01")
        out.element("cp:MessageCode", "DATEN_CRMSG")
        out.close("cp:MarketParticipantDirectory")
        out.open("cp:ProcessDirectory")
        let stamp = UTCTimestamp.format(created).filter(\.isNumber)  // 20261026030000
        out.element("ct:MessageId", Self.groupingID(sender + stamp, sequence))
        out.element("ct:ConversationId", Self.groupingID(receiver + stamp, sequence))
        out.element("ct:ProcessDate", calendar.localDate(containing: created).description)
        out.element("ct:MeteringPoint", first.zaehlpunkt.description)
        if let communityID, version.hasCommunityID { out.element("cp:ECID", communityID) }
        out.open("cp:Energy")
        out.element("cp:MeteringReason", "00")
        out.element("cp:MeteringPeriodStart", calendar.isoString(periodStart))
        out.element("cp:MeteringPeriodEnd", calendar.isoString(periodEnd))
        out.element("cp:MeteringIntervall", "QH")
        out.element("cp:NumberOfMeteringIntervall", String((periodEnd - periodStart) / QuarterHour.seconds))
        var offsets = calendar.offsetCache()
        for code in MeterCode.allCases {
            guard let values = series[code]?.sorted(by: { $0.start < $1.start }) else { continue }
            out.open(#"cp:EnergyData MeterCode=""# + code.rawValue + #"" UOM="KWH""#)
            for value in values {
                let from = value.start.startSeconds
                out.open("cp:EP")
                out.time("cp:DTF", from, offset: offsets.offset(at: from))
                out.time("cp:DTT", from + QuarterHour.seconds, offset: offsets.offset(at: from + QuarterHour.seconds))
                out.element("cp:MM", value.quality.edaCode)
                out.kilowattHours("cp:BQ", value.milliwattHours)
                out.close("cp:EP")
            }
            out.close("cp:EnergyData")
        }
        out.close("cp:Energy")
        out.close("cp:ProcessDirectory")
        out.depth -= 1
        out.raw("</cp:ConsumptionRecord>")
        out.newline()
        return out.bytes
    }

    private static func isAddress(_ text: String, maximum: Int) -> Bool {
        (1...maximum).contains(text.utf8.count)
            && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }

    /// A `MessageId`/`ConversationId`: 35 letters and digits, the zero-padded sequence at the end.
    private static func groupingID(_ prefix: String, _ sequence: Int) -> String {
        let head = String(prefix.prefix(22))
        let room = 35 - head.count
        let digits = String(sequence.magnitude)
        return head + String(repeating: "0", count: max(0, room - digits.count)) + String(digits.suffix(room))
    }

    /// The document's bytes as they are written: no String per value.
    private struct Output {
        var bytes: [UInt8] = []
        var depth = 1
        let indented: Bool

        init(indented: Bool) { self.indented = indented }

        mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

        mutating func newline() { if indented { bytes.append(0x0A) } }

        mutating func indent() {
            guard indented else { return }
            for _ in 0..<depth { bytes.append(0x09) }
        }

        mutating func open(_ tag: String) {
            indent()
            bytes.append(UInt8(ascii: "<"))
            raw(tag)
            bytes.append(UInt8(ascii: ">"))
            newline()
            depth += 1
        }

        mutating func close(_ name: String) {
            depth -= 1
            indent()
            end(name)
        }

        mutating func element(_ name: String, _ text: String) {
            start(name)
            raw(text)
            end(name)
        }

        /// `2026-10-25T02:00:00+01:00`: the wall clock at `offset` with the offset written out.
        mutating func time(_ name: String, _ seconds: Int64, offset: Int) {
            start(name)
            let local = seconds + Int64(offset)
            let days = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
            let second = Int(local - Int64(days) * 86_400)
            let date = LocalDate(daysSinceEpoch: days)
            digits(date.year, 4)
            bytes.append(UInt8(ascii: "-"))
            digits(date.month, 2)
            bytes.append(UInt8(ascii: "-"))
            digits(date.day, 2)
            bytes.append(UInt8(ascii: "T"))
            digits(second / 3600, 2)
            bytes.append(UInt8(ascii: ":"))
            digits(second / 60 % 60, 2)
            bytes.append(UInt8(ascii: ":"))
            digits(second % 60, 2)
            bytes.append(UInt8(ascii: offset < 0 ? "-" : "+"))
            digits(abs(offset) / 3600, 2)
            bytes.append(UInt8(ascii: ":"))
            digits(abs(offset) / 60 % 60, 2)
            end(name)
        }

        /// kWh with six decimals, as the grid operators write them: `0.003000`.
        mutating func kilowattHours(_ name: String, _ milliwattHours: Int64) {
            start(name)
            if milliwattHours < 0 { bytes.append(UInt8(ascii: "-")) }
            let magnitude = milliwattHours.magnitude
            let whole = magnitude / 1_000_000
            var divisor: UInt64 = 1
            while divisor * 10 <= whole { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(whole / divisor % 10))
                divisor /= 10
            }
            bytes.append(UInt8(ascii: "."))
            digits(Int(magnitude % 1_000_000), 6)
            end(name)
        }

        private mutating func start(_ name: String) {
            indent()
            bytes.append(UInt8(ascii: "<"))
            raw(name)
            bytes.append(UInt8(ascii: ">"))
        }

        private mutating func end(_ name: String) {
            bytes.append(UInt8(ascii: "<"))
            bytes.append(UInt8(ascii: "/"))
            raw(name)
            bytes.append(UInt8(ascii: ">"))
            newline()
        }

        private mutating func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
    }
}
