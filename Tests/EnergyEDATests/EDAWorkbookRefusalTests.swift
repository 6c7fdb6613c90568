import EnergyCore
import EnergyEDA
import EnergyTestSupport
import Foundation
import Testing

/// Workbooks the reader refuses as a whole (EDAFileError), with a message naming what is wrong.
@Suite struct EDAWorkbookRefusalTests {
    typealias Data = EDAWorkbookTestData

    static let community = "Gesamte gemeinschaftliche Erzeugung [KWH]"
    static let production = "Gesamt/Überschusserzeugung, Gemeinschaftsüberschuss [KWH]"
    static let participating = "Erzeugung lt. Messung entsprechend dem Teilnahmefaktor und EC-ID [KWH]"
    static let surplus = "Restüberschuss bei EG und je ZP [KWH]"

    /// A sunny quarter hour of 1 July 2026 (both plants produce).
    static func noon(_ data: Data) -> QuarterHour { Data.vienna.quarterHours(of: data.from).lowerBound.advanced(by: 48) }

    @Test func aCommunityColumnThatDiffersBetweenProducersStops() throws {
        let data = try Data(from: "2026-07-01", to: "2026-07-02")
        var fixture = data.fixture()
        let row = fixture.row(of: Self.noon(data))
        let first = try #require(fixture.column(of: Data.p1, nil))
        let second = try #require(fixture.column(of: Data.p2, nil))
        fixture[row, second] = .number("99")
        let message = try Data.refusal(fixture, in: TemporaryFolder())
        #expect(message.hasPrefix("row \(row) contradicts the documented reading of the series labels (EDAWorkbookLabels): "))
        #expect(message.contains("column \(XLSXCell.columnName(first)) (\(Data.p1), \(Self.community))"))
        #expect(message.contains("column \(XLSXCell.columnName(second)) (\(Data.p2), \(Self.community)) = 99.000000 kWh"))
        #expect(message.hasSuffix("the file is refused rather than misread"))
    }

    @Test func aCommunityColumnThatIsNotTheProducersSumStops() throws {
        let data = try Data(from: "2026-07-01", to: "2026-07-02")
        var fixture = data.fixture()
        let row = fixture.row(of: Self.noon(data))
        for zaehlpunkt in [Data.p1, Data.p2] { fixture[row, try #require(fixture.column(of: zaehlpunkt, nil))] = .number("5") }
        fixture[row, try #require(fixture.totalColumn(Self.community))] = .number("5")
        let message = try Data.refusal(fixture, in: TemporaryFolder())
        let own = [Data.p1, Data.p2].map { XLSXCell.columnName(fixture.column(of: $0, .production)!) }.joined(separator: ", ")
        #expect(message.contains("= 5.000000 kWh, the production of all the community's producers, but their own production"))
        #expect(message.contains("(\(Self.production), columns \(own)) adds up to"))
        #expect(message.contains("their participating production (\(Self.participating), columns"))
    }

    @Test func aSurplusAboveTheProductionStops() throws {
        let data = try Data(from: "2026-07-01", to: "2026-07-02")
        var fixture = data.fixture()
        let row = fixture.row(of: Self.noon(data))
        let surplus = try #require(fixture.column(of: Data.p2, .participatingSurplus))
        let production = try #require(fixture.column(of: Data.p2, .production))
        fixture[row, surplus] = .number("1000")
        fixture[row, try #require(fixture.totalColumn(Self.surplus))] = .empty
        let message = try Data.refusal(fixture, in: TemporaryFolder())
        #expect(
            message.contains(
                "column \(XLSXCell.columnName(surplus)) (\(Data.p2), \(Self.surplus)) = 1000.000000 kWh is more than column "
                    + "\(XLSXCell.columnName(production)) (\(Data.p2), \(Self.production)) = "))
        #expect(message.contains("but a point's remaining surplus cannot exceed its own production"))
    }

    /// The other public reading: "Gesamte gemeinschaftliche Erzeugung" the point's own production,
    /// "Gesamt/Überschusserzeugung" its surplus (P.01). Such a workbook does not pass as this one.
    @Test func aWorkbookOfTheOtherReadingIsRefused() throws {
        var data = try Data(from: "2026-07-01", to: "2026-07-02")
        // One producer at 100 %, so that the community column alone does not give it away.
        data.figures.removeAll { $0.zaehlpunkt == Data.p2 }
        var fixture = EDAWorkbookFixture(
            points: data.fixturePoints.filter { $0.zaehlpunkt != Data.p2 }, figures: data.figures, calendar: Data.vienna, from: data.from,
            to: data.to)
        let row = fixture.row(of: Self.noon(data))
        let production = try #require(fixture.column(of: Data.p1, .production))
        // What the other reading calls the surplus (P.01): production less what the community took.
        let figure = try #require(
            data.figures.first { $0.zaehlpunkt == Data.p1 && $0.meterCode == .production && $0.start == Self.noon(data) })
        fixture[row, production] = .number(Energy.kilowattHoursText(figure.milliwattHours / 4))
        fixture[row, try #require(fixture.totalColumn(Self.production))] = .empty
        let message = try Data.refusal(fixture, in: TemporaryFolder())
        #expect(message.contains("but a point's participating production (its production times its participation) cannot exceed"))
    }

    @Test func aTotalThatIsNotItsColumnsSumStops() throws {
        let data = try Data(from: "2026-07-01", to: "2026-07-02")
        var fixture = data.fixture()
        let row = fixture.row(of: Self.noon(data))
        let label = "Anteil gemeinschaftliche Erzeugung [KWH]"
        let total = try #require(fixture.totalColumn(label))
        fixture[row, total] = .number("12.5")
        let message = try Data.refusal(fixture, in: TemporaryFolder())
        let parts = [Data.a, Data.b].map { XLSXCell.columnName(fixture.column(of: $0, .offeredShare)!) }.joined(separator: ", ")
        #expect(message.contains("the column \(XLSXCell.columnName(total)) (TOTAL, \(label)) = 12.500000 kWh, but the metering points' "))
        #expect(message.contains("columns of that series (\(parts)) add up to"))
    }

    @Test func aDirectionThatIsNotTheLabelsStops() throws {
        let data = try Data(from: "2026-07-01", to: "2026-07-02")
        var fixture = data.fixture(.init(spelling: .older))
        let column = try #require(fixture.column(of: Data.a, .coveredShare))
        fixture[3, column] = .text("GENERATION")
        let message = try Data.refusal(fixture, in: TemporaryFolder())
        #expect(
            message
                == "column \(XLSXCell.columnName(column)) (\(Data.a), Eigendeckung gemeinschaftliche Erzeugung [KWH]): the Energydirection "
                + "row says GENERATION, but the label is a consumer's series in the label table (EDAWorkbookLabels); "
                + "the file is refused rather than misread")
    }

    @Test func aValueColumnWithoutItsQualityColumnStops() throws {
        let data = try Data(from: "2026-07-01", to: "2026-07-02")
        var fixture = data.fixture()
        let column = try #require(fixture.column(of: Data.b, .consumption))
        fixture[1, column + 1] = .empty
        let message = try Data.refusal(fixture, in: TemporaryFolder())
        #expect(
            message
                == "column \(XLSXCell.columnName(column)) (\(Data.b), Gesamtverbrauch lt. Messung (bei Teilnahme gem. Erzeugung) [KWH]) "
                + "has no quality column: column \(XLSXCell.columnName(column + 1)) is empty in the MeteringPointId row, expected MM")
    }

    @Test func noSheetNoZipNoHeaderAreFileErrors() throws {
        let folder = TemporaryFolder()
        let reader = EDAWorkbookReader(calendar: Data.vienna)
        #expect(throws: EDAFileError(file: "x.xlsx", message: "not an XLSX workbook (not a ZIP file)")) {
            try reader.read(Array("Zählpunkt;Wert\n".utf8), name: "x.xlsx")
        }
        #expect(throws: EDAFileError(file: folder.path + "/none.xlsx", message: "no such file")) {
            try reader.read(path: folder.path + "/none.xlsx")
        }
        let other = folder.path + "/other.xlsx"
        try OpenPyXLScript.run(
            "import openpyxl, sys\nwb = openpyxl.Workbook()\nwb.active.title = 'Tabelle1'\nwb.save(sys.argv[1])", arguments: [other])
        #expect(
            throws: EDAFileError(
                file: other, message: "no sheet 'Energiedaten' (the workbook has 'Tabelle1'): not the EDA portal's quarter-hour export")
        ) {
            try reader.read(path: other)
        }
        let data = try Data(from: "2026-07-01", to: "2026-07-02")
        var fixture = data.fixture()
        fixture[1, 1] = .text("Zählpunkt")
        #expect(
            try Data.refusal(fixture, in: folder)
                == "no row labelled MeteringPointId (or MeteringpointID) in column A above the first quarter hour")
    }
}
