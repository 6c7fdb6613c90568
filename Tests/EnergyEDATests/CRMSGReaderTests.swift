import EnergyCore
import EnergyEDA
import Foundation
import Testing

/// What CRMSGWriter writes, CRMSGReader reads back, value for value, across both daylight-saving
/// days of 2026 in Vienna; and what it writes has the shape of the published schemas.
@Suite struct CRMSGReaderTests {
    static let vienna = try! LocalCalendar(timeZoneIdentifier: "Europe/Vienna")
    static let community = CRMSGSample.community
    /// A producer and two consumers, with the series the grid operator sends for each.
    static let points: [(zaehlpunkt: Zaehlpunkt, codes: [MeterCode])] = [
        (try! Zaehlpunkt("AT003000000000000000000000PV00001"), [.production, .participatingProduction, .participatingSurplus]),
        (try! Zaehlpunkt("AT0030000000000000000000000000001"), [.consumption, .offeredShare, .coveredShare]),
        (try! Zaehlpunkt("AT0030000000000000000000000000002"), [.consumption, .offeredShare, .coveredShare]),
    ]

    /// A value for every quarter hour that differs from its neighbours (and from the same wall-clock
    /// time an hour later on the autumn day); every 13th is L2, every 17th L3.
    static func figure(_ point: Int, _ code: MeterCode, _ quarterHour: QuarterHour) -> GridOperatorFigure {
        let value = (quarterHour.index &* 2_654_435_761 &+ Int64(code.code * 97 + point * 13)) % 2_000_000
        let quality: Quality = quarterHour.index % 13 == 0 ? .substituted : quarterHour.index % 17 == 0 ? .estimated : .measured
        return GridOperatorFigure(
            zaehlpunkt: points[point].zaehlpunkt, meterCode: code, start: quarterHour, milliwattHours: abs(value), quality: quality)
    }

    static func dayFigures(_ point: Int, _ day: LocalDate) -> [GridOperatorFigure] {
        points[point].codes.flatMap { code in vienna.quarterHours(of: day).map { figure(point, code, $0) } }
    }

    @Test(arguments: [CRMSGSchemaVersion.v01p30, .v01p41])
    func dailyFilesOfTwoMonthsReadBackValueForValue(_ version: CRMSGSchemaVersion) throws {
        let writer = CRMSGWriter(version: version, calendar: Self.vienna)
        var written: [GridOperatorFigure] = []
        var read: [GridOperatorFigure] = []
        var sequence = 0
        for month in [try LocalMonth("2026-03"), try LocalMonth("2026-10")] {
            for offset in 0..<month.dayCount {
                let day = month.firstDay.adding(days: offset)
                for point in Self.points.indices {
                    sequence += 1
                    let figures = Self.dayFigures(point, day)
                    let created = Self.vienna.startOfDay(day.adding(days: 1)) + 5 * 3600
                    let bytes = try writer.write(figures, communityID: Self.community, created: created, sequence: sequence)
                    let document = try CRMSGReader().read(bytes, name: "\(Self.points[point].zaehlpunkt)_\(day).xml")
                    #expect(document.rejections.isEmpty, "\(document.name): \(document.rejections)")
                    #expect(document.unknownMeterCodes.isEmpty)
                    #expect(document.communityID == (version == .v01p30 ? nil : Self.community))
                    written += figures
                    read += document.figures
                }
            }
        }
        #expect(read.count == 3 * 3 * 62 * 96)  // March loses 4 quarter hours, October gains 4
        #expect(Set(read.map(\.quality)) == [.measured, .substituted, .estimated])
        #expect(Self.sorted(read) == Self.sorted(written))

        for (point, (zaehlpunkt, codes)) in Self.points.enumerated() {
            for code in codes {
                let series = read.filter { $0.zaehlpunkt == zaehlpunkt && $0.meterCode == code }
                let autumn = Self.vienna.quarterHours(of: try LocalDate("2026-10-25"))
                let spring = Self.vienna.quarterHours(of: try LocalDate("2026-03-29"))
                #expect(Set(series.filter { autumn.contains($0.start) }.map(\.start)).count == 100)
                #expect(Set(series.filter { spring.contains($0.start) }.map(\.start)).count == 92)
                // 02:15 local happens twice on 2026-10-25: at 00:15 UTC (+02:00) and 01:15 UTC (+01:00).
                let summer = try QuarterHour(startSeconds: try UTCTimestamp.parse("2026-10-25T02:15:00+02:00"))
                let winter = try QuarterHour(startSeconds: try UTCTimestamp.parse("2026-10-25T02:15:00+01:00"))
                #expect(winter.index - summer.index == 4)
                let values = series.filter { $0.start == summer || $0.start == winter }
                #expect(values == [Self.figure(point, code, summer), Self.figure(point, code, winter)])
                #expect(values.count == 2 && values[0].milliwattHours != values[1].milliwattHours)
            }
        }
    }

    @Test func theAutumnDayIsWrittenWithItsOffsetsAndHundredQuarterHours() throws {
        let writer = CRMSGWriter(version: .v01p41, calendar: Self.vienna, indented: false)
        let autumn = String(
            decoding: try writer.write(Self.dayFigures(1, try LocalDate("2026-10-25")), created: 1_792_983_600), as: UTF8.self)
        #expect(autumn.contains("<cp:MeteringPeriodStart>2026-10-25T00:00:00+02:00</cp:MeteringPeriodStart>"))
        #expect(autumn.contains("<cp:MeteringPeriodEnd>2026-10-26T00:00:00+01:00</cp:MeteringPeriodEnd>"))
        #expect(autumn.contains("<cp:NumberOfMeteringIntervall>100</cp:NumberOfMeteringIntervall>"))
        #expect(autumn.contains("<cp:DTF>2026-10-25T02:45:00+02:00</cp:DTF><cp:DTT>2026-10-25T02:00:00+01:00</cp:DTT>"))
        #expect(autumn.contains("<cp:DTF>2026-10-25T02:45:00+01:00</cp:DTF><cp:DTT>2026-10-25T03:00:00+01:00</cp:DTT>"))
        let spring = String(
            decoding: try writer.write(Self.dayFigures(1, try LocalDate("2026-03-29")), created: 1_774_846_800), as: UTF8.self)
        #expect(spring.contains("<cp:NumberOfMeteringIntervall>92</cp:NumberOfMeteringIntervall>"))
        #expect(spring.contains("<cp:DTF>2026-03-29T01:45:00+01:00</cp:DTF><cp:DTT>2026-03-29T03:00:00+02:00</cp:DTT>"))
    }

    /// The writer's output against the published ConsumptionRecord schemas (01.30, 01.40, 01.41 and
    /// the common types 01.20), element by element: order, namespaces and the simple types' patterns.
    @Test(arguments: CRMSGSchemaVersion.allCases)
    func theWrittenDocumentHasTheSchemasShape(_ version: CRMSGSchemaVersion) throws {
        let bytes = try CRMSGWriter(version: version, calendar: Self.vienna).write(
            Self.dayFigures(0, try LocalDate("2026-10-25")), communityID: Self.community, created: 1_792_983_600, sequence: 42)
        let xml = try XMLStream(bytes: bytes, name: "written.xml")
        var elements: [(name: String, namespace: String, attributes: [String: String], text: String)] = []
        var open: [Int] = []
        while let event = try xml.next() {
            switch event {
            case .start:
                let attributes = ["SchemaVersion", "DocumentMode", "Duplicate", "AddressType", "MeterCode", "UOM"].reduce(
                    into: [String: String]()
                ) {
                    $0[$1] = xml.attribute($1)
                }
                open.append(elements.count)
                elements.append((xml.localName, xml.namespaceURI, attributes, ""))
            case .text: if let last = open.last { elements[last].text += xml.text }
            case .end: open.removeLast()
            }
        }
        let header = [
            "ConsumptionRecord", "MarketParticipantDirectory", "RoutingHeader", "Sender", "MessageAddress", "Receiver", "MessageAddress",
            "DocumentCreationDateTime", "Sector", "MessageCode", "ProcessDirectory", "MessageId", "ConversationId", "ProcessDate",
            "MeteringPoint",
        ]
        let energy = [
            "Energy", "MeteringReason", "MeteringPeriodStart", "MeteringPeriodEnd", "MeteringIntervall", "NumberOfMeteringIntervall",
        ]
        let expected = header + (version.hasCommunityID ? ["ECID"] : []) + energy
        #expect(Array(elements.map(\.name).prefix(expected.count)) == expected)
        let positions = ["EnergyData"] + Array(repeating: ["EP", "DTF", "DTT", "MM", "BQ"], count: 100).flatMap { $0 }
        #expect(Array(elements.map(\.name).dropFirst(expected.count)) == positions + positions + positions)

        let common: Set = [
            "RoutingHeader", "Sender", "Receiver", "MessageAddress", "DocumentCreationDateTime", "Sector", "MessageId", "ConversationId",
            "ProcessDate", "MeteringPoint",
        ]
        let patterns: [String: String] = [
            "DTF": #"[12][0-9]{3}-[01][0-9]-[0-3][0-9]T[012][0-9]:[0-5][0-9]:00\+0[12]:00"#,
            "BQ": #"-?[0-9]{1,10}\.?[0-9]{0,6}"#,
            "MM": "01|02|03|04|05|L1|L2|L3", "MeteringReason": "0[0-5]", "MeteringIntervall": "QH|H|D|V",
            "NumberOfMeteringIntervall": "[0-9]+", "MessageId": "[0-9A-Za-z]{1,35}", "MessageAddress": ".{1,35}",
            "MeteringPoint": "[0-9A-Za-z]{1,33}", "ECID": "[0-9A-Za-z]{1,33}", "ProcessDate": #"[0-9]{4}-[0-9]{2}-[0-9]{2}"#,
            "DocumentCreationDateTime": #"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})"#,
            "Sector": "01", "MessageCode": "DATEN_CRMSG",
        ]
        for element in elements {
            #expect(
                element.namespace == (common.contains(element.name) ? CRMSGSchemaVersion.commonTypesNamespace : version.namespace),
                "\(element.name)")
            let key =
                ["DTT", "MeteringPeriodStart", "MeteringPeriodEnd"].contains(element.name)
                ? "DTF" : element.name == "ConversationId" ? "MessageId" : element.name
            if let pattern = patterns[key] {
                #expect(
                    element.text.wholeMatch(of: try Regex(pattern)) != nil, "\(element.name) '\(element.text)' does not match \(pattern)")
            }
        }
        let attributes = Dictionary(elements.map { ($0.name, $0.attributes) }, uniquingKeysWith: { first, _ in first })
        #expect(
            attributes["MarketParticipantDirectory"] == ["SchemaVersion": version.rawValue, "DocumentMode": "PROD", "Duplicate": "false"])
        #expect(attributes["Sender"] == ["AddressType": "ECNumber"])
        #expect(
            elements.filter { $0.name == "EnergyData" }.map { $0.attributes["MeterCode"] ?? "" } == Self.points[0].codes.map(\.rawValue))
        #expect(
            elements.filter { $0.name == "EnergyData" }.allSatisfy {
                $0.attributes["UOM"] == "KWH" && ($0.attributes["MeterCode"]?.count ?? 99) <= 25
            })
    }

    @Test func theWriterRefusesWhatIsNoDocument() throws {
        let writer = CRMSGWriter(calendar: Self.vienna)
        #expect(throws: CRMSGWriter.Refusal.self) { try writer.write([], created: 0) }
        let two = Self.dayFigures(1, try LocalDate("2026-03-02")) + Self.dayFigures(2, try LocalDate("2026-03-02"))
        #expect(throws: CRMSGWriter.Refusal.self) { try writer.write(two, created: 0) }
        #expect(throws: CRMSGWriter.Refusal.self) {
            try writer.write(Self.dayFigures(1, try LocalDate("2026-03-02")), communityID: "RC 1", created: 0)
        }
    }

    static func sorted(_ figures: [GridOperatorFigure]) -> [GridOperatorFigure] {
        figures.sorted { ($0.zaehlpunkt, $0.meterCode.code, $0.start) < ($1.zaehlpunkt, $1.meterCode.code, $1.start) }
    }
}
