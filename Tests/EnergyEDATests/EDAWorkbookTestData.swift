import EnergyCore
import EnergyEDA
import EnergyTestSupport

/// Two producers and two consumers with figures for every quarter hour of local days `from..<to`,
/// consistent with the label table: P1 takes part fully, P2 half; surpluses below production.
/// A's covered share has gaps (no figure, an empty cell); some values are substitutes or estimates.
struct EDAWorkbookTestData {
    static let p1 = try! Zaehlpunkt("AT0030000000000000000000000000001")
    static let p2 = try! Zaehlpunkt("AT0030000000000000000000000000004")
    static let a = try! Zaehlpunkt("AT0030000000000000000000000000002")
    static let b = try! Zaehlpunkt("AT0030000000000000000000000000003")
    static let vienna = try! LocalCalendar(timeZoneIdentifier: "Europe/Vienna")

    let from: LocalDate
    let to: LocalDate
    let points: [EDAWorkbookWriter.Point] = [
        .init(zaehlpunkt: p1, direction: .generation, name: "Plant & Co"),
        .init(zaehlpunkt: a, direction: .consumption, name: "Anna Amsel"),
        .init(zaehlpunkt: p2, direction: .generation, name: "Roof <B>"),
        .init(zaehlpunkt: b, direction: .consumption, name: "Bernd Berger"),
    ]
    var figures: [GridOperatorFigure] = []

    var fixturePoints: [EDAWorkbookFixture.Point] {
        points.map { EDAWorkbookFixture.Point(zaehlpunkt: $0.zaehlpunkt, direction: $0.direction, name: $0.name) }
    }

    init(from: String, to: String) throws {
        self.from = try LocalDate(from)
        self.to = try LocalDate(to)
        for quarterHour in Self.vienna.quarterHours(from: self.from, to: self.to) {
            let k = quarterHour.index
            let quality: Quality = k % 50 == 0 ? .substituted : k % 77 == 0 ? .estimated : .measured
            func add(_ zaehlpunkt: Zaehlpunkt, _ code: MeterCode, _ milliwattHours: Int64) {
                figures.append(
                    GridOperatorFigure(
                        zaehlpunkt: zaehlpunkt, meterCode: code, start: quarterHour, milliwattHours: milliwattHours, quality: quality))
            }
            let sunny = (28..<72).contains(k % 96)
            let production1 = sunny ? (k * 7919) % 900_000 + 1 : 0
            let production2 = sunny ? (k * 104_729) % 500_000 : 0
            add(Self.p1, .production, production1)
            add(Self.p1, .participatingProduction, production1)
            add(Self.p1, .participatingSurplus, production1 / 3)
            add(Self.p2, .production, production2)
            add(Self.p2, .participatingProduction, production2 / 2)
            add(Self.p2, .participatingSurplus, production2 / 8)
            let consumptionA = (k * 31_337) % 400_000 + 100_000
            let consumptionB = (k * 7_777) % 300_000 + 50_123
            let offered = (production1 + production2 / 2) / 2
            add(Self.a, .consumption, consumptionA)
            add(Self.a, .offeredShare, offered)
            if k % 97 != 0 { add(Self.a, .coveredShare, min(offered, consumptionA)) }
            add(Self.a, .renewableShare, min(offered, consumptionA))
            add(Self.b, .consumption, consumptionB)
            add(Self.b, .participatingConsumption, consumptionB / 2)
            add(Self.b, .offeredShare, offered)
            add(Self.b, .coveredShare, min(offered, consumptionB / 2))
        }
    }

    /// The fixture of these figures, written by openpyxl.
    func fixture(_ options: EDAWorkbookFixture.Options = .init()) -> EDAWorkbookFixture {
        EDAWorkbookFixture(points: fixturePoints, figures: figures, calendar: Self.vienna, from: from, to: to, options: options)
    }

    /// Writes `fixture` into `folder` and reads it back.
    static func read(_ fixture: EDAWorkbookFixture, in folder: TemporaryFolder) throws -> EDADocument {
        let path = folder.path + "/RC108175_20261001T00_0020261031T23_45.xlsx"
        try fixture.write(to: path)
        return try EDAWorkbookReader(calendar: vienna).read(path: path)
    }

    /// Figures in one order, to compare what was read with what was written.
    static func sorted(_ figures: [GridOperatorFigure]) -> [GridOperatorFigure] {
        figures.sorted { ($0.start, $0.zaehlpunkt, $0.meterCode.code) < ($1.start, $1.zaehlpunkt, $1.meterCode.code) }
    }

    /// Reading `fixture` throws; returns the message.
    static func refusal(_ fixture: EDAWorkbookFixture, in folder: TemporaryFolder) throws -> String {
        do {
            _ = try read(fixture, in: folder)
            return "(no error)"
        } catch let error as EDAFileError {
            return error.message
        }
    }
}
