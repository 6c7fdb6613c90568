import EnergyCore
import EnergyEDA
import Foundation
import Testing

/// The reader refuses as little as it can: each kind of bad value on its own (with where and why),
/// a block only when the block itself is wrong, the file only when it cannot be trusted at all.
@Suite struct CRMSGRejectionTests {
    typealias S = CRMSGSample

    struct BadPosition: Sendable, CustomStringConvertible {
        var name: String
        var ep: String
        var reason: String
        var description: String { name }
    }

    static let badPositions: [BadPosition] = [
        BadPosition(
            name: "negative", ep: S.ep("2026-03-02T10:15:00+01:00", "2026-03-02T10:30:00+01:00", bq: "-0.5"),
            reason: "BQ '-0.5' is negative"),
        BadPosition(
            name: "decimal comma", ep: S.ep("2026-03-02T10:15:00+01:00", "2026-03-02T10:30:00+01:00", bq: "0,25"),
            reason: "BQ '0,25' uses a decimal comma; EDA writes a decimal point"),
        BadPosition(
            name: "seven decimals", ep: S.ep("2026-03-02T10:15:00+01:00", "2026-03-02T10:30:00+01:00", bq: "0.0000001"),
            reason: "BQ '0.0000001' has more than 6 decimals (1 mWh = 0.000001 kWh is the smallest unit)"),
        BadPosition(
            name: "implausible", ep: S.ep("2026-03-02T10:15:00+01:00", "2026-03-02T10:30:00+01:00", bq: "25000"),
            reason: "BQ '25000' is implausible: more than 10000 kWh in one quarter hour (Wh sent as kWh?)"),
        BadPosition(
            name: "no BQ", ep: S.ep("2026-03-02T10:15:00+01:00", "2026-03-02T10:30:00+01:00", bq: nil),
            reason: "EP has no BQ (quantity)"),
        BadPosition(
            name: "DTT not 15 minutes on", ep: S.ep("2026-03-02T10:15:00+01:00", "2026-03-02T10:45:00+01:00", bq: "0.2"),
            reason: "DTT 2026-03-02T10:45:00+01:00 is not 15 minutes after DTF 2026-03-02T10:15:00+01:00"),
        BadPosition(
            name: "DTF off the grid", ep: S.ep("2026-03-02T10:20:00+01:00", "2026-03-02T10:35:00+01:00", bq: "0.2"),
            reason: "DTF 2026-03-02T10:20:00+01:00 is not on a quarter hour (:00, :15, :30, :45)"),
        BadPosition(
            name: "DTF not a time", ep: S.ep("2026-03-02 10h15", "2026-03-02T10:30:00+01:00", bq: "0.2"),
            reason: "DTF '2026-03-02 10h15' is not a date-time with its offset (too short (expected e.g. 2026-10-01T00:00:00Z))"),
        BadPosition(
            name: "no DTT in 01.41", ep: S.ep("2026-03-02T10:15:00+01:00", nil, bq: "0.2"),
            reason: "EP has no DTT (end of the quarter hour); schema 01.41 requires it"),
        BadPosition(
            name: "unknown quality", ep: S.ep("2026-03-02T10:15:00+01:00", "2026-03-02T10:30:00+01:00", mm: "X9", bq: "0.2"),
            reason: "MM 'X9' is not a quality (L1, L2, L3, 01-05)"),
        BadPosition(
            name: "no MM in 01.41", ep: S.ep("2026-03-02T10:15:00+01:00", "2026-03-02T10:30:00+01:00", mm: nil, bq: "0.2"),
            reason: "EP has no MM (quality); schema 01.41 requires it"),
        BadPosition(
            name: "outside the period", ep: S.ep("2026-03-02T11:00:00+01:00", "2026-03-02T11:15:00+01:00", bq: "0.2"),
            reason: "DTF 2026-03-02T11:00:00+01:00 is outside the MeteringPeriod 2026-03-02T10:00:00+01:00 to 2026-03-02T11:00:00+01:00"),
    ]

    @Test(arguments: badPositions)
    func aBadValueIsRefusedAloneWithWhereAndWhy(_ bad: BadPosition) throws {
        let xml = S.document(energy: [S.energy(data: [S.data("1-1:2.9.0 G.03", S.hour(replacing: 1, with: bad.ep))])])
        let document = try S.read(xml)
        let line = S.line(of: bad.ep, in: xml)
        #expect(
            document.rejections == [EDARejection(location: "Energy[1]/EnergyData[1-1:2.9.0 G.03]/EP[2] (line \(line))", reason: bad.reason)]
        )
        #expect(document.figures.map(\.milliwattHours) == [100_000, 300_000, 400_000])
        #expect(document.figures.map(\.start) == [0, 2, 3].map { S.firstQuarterHour.advanced(by: $0) })
        #expect(document.figures.allSatisfy { $0.meterCode == .coveredShare && $0.zaehlpunkt.description == S.point })
        #expect(document.communityID == S.community)
    }

    @Test func schema0130MayLeaveOutDTTAndMMTheValueCountsAsEstimated() throws {
        let ep = S.ep("2026-03-02T10:15:00+01:00", nil, mm: nil, bq: "0.2")
        let xml = S.document(
            namespace: CRMSGSchemaVersion.v01p30.namespace, schemaVersion: "01.30", ecid: nil,
            energy: [S.energy(data: [S.data("1-1:2.9.0 G.03", S.hour(replacing: 1, with: ep))])])
        let document = try S.read(xml)
        #expect(document.rejections.isEmpty)
        #expect(document.figures.map(\.quality) == [.measured, .estimated, .measured, .measured])
        #expect(document.communityID == nil)
    }

    @Test func theOlderTwoDigitQualitiesAreRead() throws {
        let times = ["10:00", "10:15", "10:30", "10:45", "11:00"].map { "2026-03-02T\($0):00+01:00" }
        let positions = ["01", "02", "03", "05"].enumerated().map { S.ep(times[$0.offset], times[$0.offset + 1], mm: $0.element, bq: "1") }
        let document = try S.read(S.document(energy: [S.energy(data: [S.data("1-1:1.9.0 G.01", positions)])]))
        #expect(document.rejections.isEmpty)
        #expect(document.figures.map(\.quality) == [.measured, .substituted, .estimated, .estimated])
    }

    @Test func aBlockThatIsNotQuarterHoursIsRefusedWhole() throws {
        let daily = S.energy(
            start: "2026-03-02T00:00:00+01:00", end: "2026-03-03T00:00:00+01:00", interval: "D", number: "1",
            data: [
                S.data("1-1:1.9.0 G.01", [S.ep("2026-03-02T00:00:00+01:00", "2026-03-03T00:00:00+01:00", bq: "12.5")]),
                S.data("1-1:2.9.0 G.03", [S.ep("2026-03-02T00:00:00+01:00", "2026-03-03T00:00:00+01:00", bq: "3.5")]),
            ])
        let xml = S.document(energy: [daily, S.energy(data: [S.data("1-1:2.9.0 G.03", S.hour())])])
        let document = try S.read(xml)
        let line = S.line(of: "<cp:Energy>", in: xml)
        let reason = "MeteringIntervall 'D' is not QH: only quarter-hour values are read (its 2 values are refused)"
        #expect(document.rejections == [EDARejection(location: "Energy[1] (line \(line))", reason: reason, values: 2)])
        #expect(document.figures.count == 4)
    }

    @Test func anEnergyDataInAnotherUnitIsRefusedWhole() throws {
        let xml = S.document(energy: [
            S.energy(data: [S.data("1-1:1.9.0 G.01", uom: "MWH", S.hour()), S.data("1-1:2.9.0 G.03", S.hour())])
        ])
        let document = try S.read(xml)
        let line = S.line(of: #"MeterCode="1-1:1.9.0 G.01""#, in: xml)
        let reason = "UOM 'MWH' is not KWH: its 4 values are refused"
        #expect(
            document.rejections == [
                EDARejection(location: "Energy[1]/EnergyData[1-1:1.9.0 G.01] (line \(line))", reason: reason, values: 4)
            ])
        #expect(document.figures.map(\.meterCode) == Array(repeating: .coveredShare, count: 4))
    }

    @Test func anUnknownMeterCodeIsNamedOnceAndSkipped() throws {
        let xml = S.document(energy: [
            S.energy(data: [S.data("1-1:1.9.0 P.01", S.hour()), S.data("1-1:2.9.0 G.03", S.hour())]),
            S.energy(data: [S.data("1-1:1.9.0 P.01", S.hour())]),
        ])
        let document = try S.read(xml)
        #expect(document.unknownMeterCodes == ["1-1:1.9.0 P.01"])
        #expect(document.rejections.isEmpty)
        #expect(document.figures.count == 4)
    }

    @Test func aSecondValueForTheSameQuarterHourIsRefused() throws {
        let again = S.ep("2026-03-02T10:00:00+01:00", "2026-03-02T10:15:00+01:00", bq: "9.9")
        let xml = S.document(energy: [
            S.energy(data: [S.data("1-1:2.9.0 G.03", S.hour(replacing: 3, with: again)), S.data("1-1:1.9.0 G.01", S.hour())]),
            S.energy(data: [S.data("1-1:1.9.0 G.01", S.hour())]),
        ])
        let document = try S.read(xml)
        let firstLine = S.line(of: again, in: xml)
        let secondBlock = S.line(of: #"MeterCode="1-1:1.9.0 G.01""#, in: xml, occurrence: 2)
        #expect(document.rejections.count == 5)  // the repeated 10:00 of G.03, and all four of the second G.01
        #expect(document.rejections.first?.location == "Energy[1]/EnergyData[1-1:2.9.0 G.03]/EP[4] (line \(firstLine))")
        #expect(
            document.rejections.first?.reason
                == "a second value for 1-1:2.9.0 G.03 in the quarter hour from DTF 2026-03-02T10:00:00+01:00; the first is kept")
        #expect(document.rejections.last?.location == "Energy[2]/EnergyData[1-1:1.9.0 G.01]/EP[4] (line \(secondBlock + 1 + 18))")
        #expect(document.figures.count == 7)
        #expect(document.figures.first { $0.meterCode == .coveredShare && $0.start == S.firstQuarterHour }?.milliwattHours == 100_000)
    }

    @Test func anEnergyDataWithOtherThanTheAnnouncedNumberOfValuesKeepsThemAndSaysSo() throws {
        let xml = S.document(energy: [S.energy(data: [S.data("1-1:2.9.0 G.03", Array(S.hour().prefix(3)))])])
        let document = try S.read(xml)
        let line = S.line(of: "<cp:EnergyData", in: xml)
        let reason = "EnergyData has 3 EP, NumberOfMeteringIntervall says 4"
        #expect(
            document.rejections == [
                EDARejection(location: "Energy[1]/EnergyData[1-1:2.9.0 G.03] (line \(line))", reason: reason, values: 0)
            ])
        #expect(document.figures.count == 3)
    }

    @Test func anAutumnDayAnnouncedWith96QuarterHoursIsNamed() throws {
        let vienna = try LocalCalendar(timeZoneIdentifier: "Europe/Vienna")
        let day = vienna.quarterHours(of: try LocalDate("2026-10-25"))
        let positions = day.map { S.ep(vienna.isoString($0.startSeconds), vienna.isoString($0.next.startSeconds), bq: "0.5") }
        let xml = S.document(energy: [
            S.energy(
                start: "2026-10-25T00:00:00+02:00", end: "2026-10-26T00:00:00+01:00", number: "96",
                data: [S.data("1-1:2.9.0 G.03", positions)])
        ])
        let document = try S.read(xml)
        let energyLine = S.line(of: "<cp:Energy>", in: xml)
        let dataLine = S.line(of: "<cp:EnergyData", in: xml)
        #expect(
            document.rejections == [
                EDARejection(
                    location: "Energy[1] (line \(energyLine))",
                    reason: "NumberOfMeteringIntervall 96 does not match the MeteringPeriod 2026-10-25T00:00:00+02:00 to "
                        + "2026-10-26T00:00:00+01:00, which has 100 quarter hours", values: 0),
                EDARejection(
                    location: "Energy[1]/EnergyData[1-1:2.9.0 G.03] (line \(dataLine))",
                    reason: "EnergyData has 100 EP, NumberOfMeteringIntervall says 96", values: 0),
            ])
        #expect(Set(document.figures.map(\.start)).count == 100)
    }
}
