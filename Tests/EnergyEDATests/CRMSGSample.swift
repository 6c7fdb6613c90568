import EnergyCore
import EnergyEDA
import Foundation

/// Small hand-written CR_MSG documents, one element per line (so a test can say on which line a
/// value is), for the reader's tests of bad input.
///
/// ```swift
/// let xml = CRMSGSample.document(energy: [CRMSGSample.energy(data: [CRMSGSample.data("1-1:2.9.0 G.03", CRMSGSample.hour())])])
/// ```
enum CRMSGSample {
    static let point = "AT0030000000000000000000000000001"
    static let community = "AT00300000000RC100181000000000001"
    /// 2026-03-02, 10:00 to 11:00 in Vienna (UTC+1): four quarter hours.
    static let periodStart = "2026-03-02T10:00:00+01:00"
    static let periodEnd = "2026-03-02T11:00:00+01:00"
    static let firstQuarterHour = QuarterHour(index: 1_772_442_000 / 900)

    static func document(
        namespace: String = CRMSGSchemaVersion.v01p41.namespace, schemaVersion: String = "01.41", messageCode: String = "DATEN_CRMSG",
        meteringPoint: String? = point, ecid: String? = community, doctype: String = "", energy: [String]
    ) -> String {
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#
        ]
        if !doctype.isEmpty { lines.append(doctype) }
        lines += [
            #"<cp:ConsumptionRecord xmlns:cp="\#(namespace)" xmlns:ct="\#(CRMSGSchemaVersion.commonTypesNamespace)">"#,
            #"<cp:MarketParticipantDirectory DocumentMode="PROD" Duplicate="false" SchemaVersion="\#(schemaVersion)">"#,
            "<ct:RoutingHeader>",
            #"<ct:Sender AddressType="ECNumber">"#, "<ct:MessageAddress>AT003000</ct:MessageAddress>", "</ct:Sender>",
            #"<ct:Receiver AddressType="ECNumber">"#, "<ct:MessageAddress>RC100181</ct:MessageAddress>", "</ct:Receiver>",
            "<ct:DocumentCreationDateTime>2026-03-03T05:00:00Z</ct:DocumentCreationDateTime>",
            "</ct:RoutingHeader>",
            "<ct:Sector>01</ct:Sector>",
            "<cp:MessageCode>\(messageCode)</cp:MessageCode>",
            "</cp:MarketParticipantDirectory>",
            "<cp:ProcessDirectory>",
            "<ct:MessageId>AT003000202603030500000000000000001</ct:MessageId>",
            "<ct:ConversationId>RC100181202603030500000000000000001</ct:ConversationId>",
            "<ct:ProcessDate>2026-03-03</ct:ProcessDate>",
        ]
        if let meteringPoint { lines.append("<ct:MeteringPoint>\(meteringPoint)</ct:MeteringPoint>") }
        if let ecid { lines.append("<cp:ECID>\(ecid)</cp:ECID>") }
        lines += energy
        lines += ["</cp:ProcessDirectory>", "</cp:ConsumptionRecord>", ""]
        return lines.joined(separator: "\n")
    }

    static func energy(
        start: String = periodStart, end: String = periodEnd, interval: String = "QH", number: String = "4", data: [String]
    ) -> String {
        ([
            "<cp:Energy>",
            "<cp:MeteringReason>00</cp:MeteringReason>",
            "<cp:MeteringPeriodStart>\(start)</cp:MeteringPeriodStart>",
            "<cp:MeteringPeriodEnd>\(end)</cp:MeteringPeriodEnd>",
            "<cp:MeteringIntervall>\(interval)</cp:MeteringIntervall>",
            "<cp:NumberOfMeteringIntervall>\(number)</cp:NumberOfMeteringIntervall>",
        ] + data + ["</cp:Energy>"]).joined(separator: "\n")
    }

    static func data(_ code: String, uom: String = "KWH", _ positions: [String]) -> String {
        ([#"<cp:EnergyData MeterCode="\#(code)" UOM="\#(uom)">"#] + positions + ["</cp:EnergyData>"]).joined(separator: "\n")
    }

    /// One `EP`; nil leaves a child out.
    static func ep(_ dtf: String?, _ dtt: String?, mm: String? = "L1", bq: String?) -> String {
        var lines = ["<cp:EP>"]
        if let dtf { lines.append("<cp:DTF>\(dtf)</cp:DTF>") }
        if let dtt { lines.append("<cp:DTT>\(dtt)</cp:DTT>") }
        if let mm { lines.append("<cp:MM>\(mm)</cp:MM>") }
        if let bq { lines.append("<cp:BQ>\(bq)</cp:BQ>") }
        lines.append("</cp:EP>")
        return lines.joined(separator: "\n")
    }

    /// The four quarter hours of the sample period with values 0.1, 0.2, 0.3, 0.4 kWh; `replace`
    /// puts another `EP` in place of one (by index).
    static func hour(replacing index: Int? = nil, with replacement: String = "") -> [String] {
        let times = ["10:00", "10:15", "10:30", "10:45", "11:00"].map { "2026-03-02T\($0):00+01:00" }
        return (0..<4).map { quarter in
            quarter == index ? replacement : ep(times[quarter], times[quarter + 1], bq: "0.\(quarter + 1)")
        }
    }

    /// The 1-based line on which `marker` occurs in `text` (the first time, or the `occurrence`th).
    static func line(of marker: String, in text: String, occurrence: Int = 1) -> Int {
        var from = text.startIndex
        for _ in 1..<occurrence {
            guard let range = text.range(of: marker, range: from..<text.endIndex) else { return 0 }
            from = range.upperBound
        }
        guard let range = text.range(of: marker, range: from..<text.endIndex) else { return 0 }
        return text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
    }

    static func read(_ xml: String, name: String = "sample.xml") throws(EDAFileError) -> EDADocument {
        try CRMSGReader().read(Array(xml.utf8), name: name)
    }
}
