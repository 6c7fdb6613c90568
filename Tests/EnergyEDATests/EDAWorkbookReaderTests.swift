import EnergyCore
import EnergyEDA
import EnergyTestSupport
import Foundation
import Testing

@Suite struct EDAWorkbookReaderTests {
    typealias Data = EDAWorkbookTestData

    @Test(arguments: EDAWorkbookFixture.Spelling.allCases)
    func aMonthWrittenByOpenpyxlReadsBackAsItsFigures(spelling: EDAWorkbookFixture.Spelling) throws {
        // October 2026: 25 October has 100 quarter hours, the repeated hour twice with the same text.
        let data = try Data(from: "2026-10-01", to: "2026-11-01")
        let document = try Data.read(data.fixture(.init(spelling: spelling)), in: TemporaryFolder())
        #expect(document.rejections == [])
        #expect(document.unknownMeterCodes == [])
        #expect(Data.sorted(document.figures) == Data.sorted(data.figures))
        #expect(Set(document.figures.map(\.start)).count == 2_980)
        #expect(document.figures.count == data.figures.count)
    }

    @Test(arguments: EDAWorkbookWriter.Spelling.allCases)
    func theWritersWorkbookReadsBackAsItsFigures(spelling: EDAWorkbookWriter.Spelling) throws {
        let data = try Data(from: "2026-10-01", to: "2026-11-01")
        let writer = EDAWorkbookWriter(calendar: Data.vienna, spelling: spelling)
        let bytes = try writer.write(points: data.points, figures: data.figures, from: data.from, to: data.to)
        let document = try EDAWorkbookReader(calendar: Data.vienna).read(bytes, name: "written.xlsx")
        #expect(document.rejections == [])
        #expect(Data.sorted(document.figures) == Data.sorted(data.figures))
    }

    @Test func openpyxlReadsTheWritersWorkbook() throws {
        let data = try Data(from: "2026-10-25", to: "2026-10-26")
        let folder = TemporaryFolder()
        let path = folder.path + "/written.xlsx"
        try EDAWorkbookWriter(calendar: Data.vienna).write(
            points: data.points, figures: data.figures, from: data.from, to: data.to, path: path)
        let workbook = try OpenPyXLScript.read(path)
        #expect(workbook.titles == ["Energiedaten"])
        let rows = try #require(workbook.sheets["Energiedaten"])
        #expect(rows[0][0] == "MeteringPointId")
        #expect(rows[0][1] == Data.p1.description)
        #expect(rows[0][2] == "MM")
        #expect(rows[1][1] == "Plant & Co")
        let times = rows.compactMap { $0[0] }.filter { $0.hasPrefix("25.10.2026") }
        #expect(times.count == 100)
        #expect(times.filter { $0 == "25.10.2026 02:00" }.count == 2)
        // The first quarter hour's P1 production, a number.
        let first = try #require(data.figures.first { $0.zaehlpunkt == Data.p1 && $0.meterCode == .production })
        let labels = try #require(rows.first { $0[0] == "MeterCode" })
        let column = try #require(labels.indices.first { labels[$0] == "Gesamt/Überschusserzeugung, Gemeinschaftsüberschuss [KWH]" })
        let row = try #require(rows.firstIndex { $0[0] == "25.10.2026 00:00" })
        #expect(rows[row][column].flatMap(Double.init) == Double(first.milliwattHours) / 1_000_000)
        #expect(rows[row][column + 1] == first.quality.edaCode)
    }

    @Test func decimalCommaTextValuesAreReadExactly() throws {
        let data = try Data(from: "2026-07-01", to: "2026-07-03")
        let document = try Data.read(data.fixture(.init(spelling: .older, decimalComma: true, richTextLabels: true)), in: TemporaryFolder())
        #expect(document.rejections == [])
        #expect(Data.sorted(document.figures) == Data.sorted(data.figures))
    }

    @Test func serialDatesAndTimesWithSecondsAreAccepted() throws {
        let data = try Data(from: "2026-10-24", to: "2026-10-27")
        for options in [EDAWorkbookFixture.Options(serialDates: true), .init(spelling: .older, timesWithSeconds: true)] {
            let document = try Data.read(data.fixture(options), in: TemporaryFolder())
            #expect(document.rejections == [])
            #expect(Data.sorted(document.figures) == Data.sorted(data.figures))
        }
    }

    @Test func theRepeatedAutumnHourIsTakenInFileOrder() throws {
        let data = try Data(from: "2026-10-25", to: "2026-10-26")
        let document = try Data.read(data.fixture(), in: TemporaryFolder())
        let starts = document.figures.filter { $0.zaehlpunkt == Data.a && $0.meterCode == .consumption }.map(\.start)
        // Local 02:00 first at +02:00 (00:00Z), then at +01:00 (01:00Z); 100 quarter hours in order.
        #expect(starts.count == 100)
        #expect(starts == starts.sorted())
        #expect(starts[8].description == "2026-10-25T00:00:00Z")
        #expect(starts[12].description == "2026-10-25T01:00:00Z")
    }

    @Test func emptyCellsAreNoFigures() throws {
        let data = try Data(from: "2026-07-01", to: "2026-07-02")
        var fixture = data.fixture()
        let start = try #require(data.figures.first { $0.zaehlpunkt == Data.b && $0.meterCode == .coveredShare }).start
        fixture[fixture.row(of: start), try #require(fixture.column(of: Data.b, .coveredShare))] = .empty
        fixture[fixture.row(of: start), try #require(fixture.column(of: Data.b, .coveredShare)) + 1] = .empty
        // Whatever the TOTAL said, it now says the sum of what is there.
        let total = try #require(fixture.totalColumn("Eigendeckung gemeinschaftliche Erzeugung [KWH]"))
        let a = data.figures.first { $0.zaehlpunkt == Data.a && $0.meterCode == .coveredShare && $0.start == start }
        fixture[fixture.row(of: start), total] = a.map { .number(Energy.kilowattHoursText($0.milliwattHours)) } ?? .empty
        let document = try Data.read(fixture, in: TemporaryFolder())
        #expect(document.rejections == [])
        let expected = data.figures.filter { !($0.zaehlpunkt == Data.b && $0.meterCode == .coveredShare && $0.start == start) }
        #expect(Data.sorted(document.figures) == Data.sorted(expected))
        // A's gaps (every 97th quarter hour) stay gaps: no zeros appear.
        #expect(document.figures.filter { $0.zaehlpunkt == Data.a && $0.meterCode == .coveredShare }.count < 96)
    }

    @Test func aJoinersEmptyCellsBeforeItsDataPeriodAreNoFigures() throws {
        var data = try Data(from: "2026-07-01", to: "2026-07-03")
        let joined = Data.vienna.quarterHours(of: try LocalDate("2026-07-02")).lowerBound.advanced(by: 40)
        data.figures.removeAll { $0.zaehlpunkt == Data.b && $0.start < joined }
        let document = try Data.read(data.fixture(.init(dataPeriodStart: [Data.b: joined])), in: TemporaryFolder())
        #expect(document.rejections == [])
        #expect(Data.sorted(document.figures) == Data.sorted(data.figures))
    }

    @Test func valuesOutsideTheDataPeriodAreNotReadButCounted() throws {
        let data = try Data(from: "2026-07-01", to: "2026-07-03")
        let joined = Data.vienna.quarterHours(of: try LocalDate("2026-07-02")).lowerBound.advanced(by: 40)
        let fixture = data.fixture(.init(dataPeriodStart: [Data.b: joined]))
        let document = try Data.read(fixture, in: TemporaryFolder())
        let expected = try [MeterCode.consumption, .participatingConsumption, .offeredShare, .coveredShare].map { code in
            let column = XLSXCell.columnName(try #require(fixture.column(of: Data.b, code)))
            let label = try #require(EDAWorkbookFixture.labels.first { $0.code == code }).label
            return EDARejection(
                location: "column \(column) (\(Data.b), \(label))",
                reason: "136 values are outside the point's data period (from 02.07.2026 10:00 to 02.07.2026 23:45) and were not read",
                values: 136)
        }
        #expect(document.rejections == expected)
        #expect(Data.sorted(document.figures) == Data.sorted(data.figures.filter { $0.zaehlpunkt != Data.b || $0.start >= joined }))
    }

    @Test func numbersWithMoreThanSixDecimalsRoundHalfToEven() throws {
        let data = try Data(from: "2026-07-01", to: "2026-07-02")
        var fixture = data.fixture()
        let column = try #require(fixture.column(of: Data.a, .consumption))
        let quarterHours = Array(Data.vienna.quarterHours(of: data.from))
        let cases: [(String, Int64)] = [("0.1234565", 123_456), ("0.1234575", 123_458), ("0.30000000000000004", 300_000), ("1e-06", 1)]
        for (index, (text, _)) in cases.enumerated() { fixture[fixture.row(of: quarterHours[index]), column] = .number(text) }
        for row in fixture.headerRows + 1...fixture.rows.count {
            fixture[row, try #require(fixture.totalColumn("Gesamtverbrauch lt. Messung (bei Teilnahme gem. Erzeugung) [KWH]"))] = .empty
        }
        let document = try Data.read(fixture, in: TemporaryFolder())
        #expect(document.rejections == [])
        for (index, (_, expected)) in cases.enumerated() {
            let figure = document.figures.first {
                $0.zaehlpunkt == Data.a && $0.meterCode == .consumption && $0.start == quarterHours[index]
            }
            #expect(figure?.milliwattHours == expected)
        }
    }

    @Test func badCellsAreRejectedByRowAndColumn() throws {
        let data = try Data(from: "2026-07-01", to: "2026-07-02")
        var fixture = data.fixture(.init(decimalComma: true))
        let column = try #require(fixture.column(of: Data.a, .offeredShare))
        let letter = XLSXCell.columnName(column)
        let quarterHours = Array(Data.vienna.quarterHours(of: data.from))
        let bad: [(EDAWorkbookFixture.Cell, EDAWorkbookFixture.Cell, String)] = [
            (.text("-0,5"), .text("L1"), "energy -0.500000 kWh is negative"),
            (.text("abc"), .text("L1"), "'abc' is not a number (kWh with a decimal comma or point, e.g. 0,25)"),
            (.text("0,1234567"), .text("L1"), "'0,1234567' has more than 6 decimals (1 mWh = 0.000001 kWh is the smallest unit)"),
            (
                .text("0,5"), .text("X9"),
                "quality 'X9' in column \(XLSXCell.columnName(column + 1)) (MM) is not an EDA quality (L1, L2, L3 or 01-05)"
            ),
            (.text("0,5"), .empty, "the value has no quality: column \(XLSXCell.columnName(column + 1)) (MM) is empty"),
        ]
        var expected: [EDARejection] = []
        for (index, (value, quality, reason)) in bad.enumerated() {
            let row = fixture.row(of: quarterHours[index])
            fixture[row, column] = value
            fixture[row, column + 1] = quality
            let location = "row \(row), column \(letter) (\(Data.a), Anteil gemeinschaftliche Erzeugung [KWH])"
            expected.append(EDARejection(location: location, reason: reason))
        }
        let document = try Data.read(fixture, in: TemporaryFolder())
        #expect(document.rejections == expected)
        let refused = Set(quarterHours.prefix(bad.count))
        let kept = data.figures.filter { !($0.zaehlpunkt == Data.a && $0.meterCode == .offeredShare && refused.contains($0.start)) }
        #expect(Data.sorted(document.figures) == Data.sorted(kept))
    }

    @Test func aSpringTimeThatDoesNotExistIsRejected() throws {
        let data = try Data(from: "2026-03-29", to: "2026-03-30")
        var fixture = data.fixture()
        let quarterHour = Data.vienna.quarterHours(of: data.from).lowerBound.advanced(by: 4)
        let row = fixture.row(of: quarterHour)
        fixture[row, 1] = .text("29.03.2026 02:15")
        let document = try Data.read(fixture, in: TemporaryFolder())
        #expect(
            document.rejections == [
                EDARejection(
                    location: "row \(row), column A",
                    reason: "29.03.2026 02:15 does not exist in Europe/Vienna (the clocks skip that hour)",
                    values: data.figures.filter { $0.start == quarterHour }.count)
            ])
        #expect(Data.sorted(document.figures) == Data.sorted(data.figures.filter { $0.start != quarterHour }))
    }

    @Test func badTimesAreRejectedByRow() throws {
        let data = try Data(from: "2026-07-01", to: "2026-07-02")
        var fixture = data.fixture()
        let quarterHours = Array(Data.vienna.quarterHours(of: data.from))
        let bad: [(index: Int, text: String, reason: String)] = [
            (
                0, "32.07.2026 00:00",
                "'32.07.2026 00:00' in column A is not the local start of a quarter hour (expected e.g. 01.07.2026 00:15)"
            ),
            (5, "01.07.2026 01:07", "'01.07.2026 01:07' is not the start of a quarter hour (:00, :15, :30 or :45)"),
            (9, "01.07.2026 02:00", "01.07.2026 02:00 appears again (row \(fixture.row(of: quarterHours[8])) has that quarter hour)"),
            (20, "Summe", "'Summe' in column A is not the local start of a quarter hour (expected e.g. 01.07.2026 00:15)"),
        ]
        for entry in bad { fixture[fixture.row(of: quarterHours[entry.index]), 1] = .text(entry.text) }
        let document = try Data.read(fixture, in: TemporaryFolder())
        #expect(
            document.rejections
                == bad.map { entry in
                    EDARejection(
                        location: "row \(fixture.row(of: quarterHours[entry.index])), column A", reason: entry.reason,
                        values: data.figures.filter { $0.start == quarterHours[entry.index] }.count)
                })
        let refused = Set(bad.map { quarterHours[$0.index] })
        #expect(Data.sorted(document.figures) == Data.sorted(data.figures.filter { !refused.contains($0.start) }))
    }

    @Test func unknownLabelsAreListedOnceAndSkipped() throws {
        let data = try Data(from: "2026-07-01", to: "2026-07-02")
        var fixture = data.fixture()
        let labels = fixture.headerRows - 2
        fixture[labels, try #require(fixture.column(of: Data.a, .renewableShare))] = .text("Neue Kennzahl [KWH]")
        fixture[labels, try #require(fixture.totalColumn("Eigendeckung aus erneuerbarer Energie [KWH]"))] = .text("Neue Kennzahl [KWH]")
        let document = try Data.read(fixture, in: TemporaryFolder())
        #expect(document.unknownMeterCodes == ["Neue Kennzahl [KWH]"])
        #expect(document.rejections == [])
        #expect(Data.sorted(document.figures) == Data.sorted(data.figures.filter { $0.meterCode != .renewableShare }))
    }
}
