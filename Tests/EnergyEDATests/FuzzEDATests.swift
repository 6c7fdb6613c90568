import EnergyCore
import EnergyEDA
import EnergyTestSupport
import Foundation
import Testing

/// The grid operator's formats under mutated inputs: a document or an `EDAFileError`, never a crash.
@Suite struct FuzzEDATests {
    @Test func theCRMSGReaderNeverCrashes() throws {
        let xml = CRMSGSample.document(energy: [CRMSGSample.energy(data: [CRMSGSample.data("1-1:1.9.0 G.01", CRMSGSample.hour())])])
        var read = 0
        let tried = try Fuzzer(
            name: "crmsg", seeds: [Data(xml.utf8)],
            tokens: [
                "<", ">", "</cp:EP>", "<cp:EP>", "&amp;", "&#0;", "<!DOCTYPE x [<!ENTITY e \"e\">]>", "L3", "-1",
                "2026-03-02T10:00:00+01:00",
            ],
            defaultInputs: 10_000
        ).run { bytes in
            if (try? CRMSGReader().read(bytes, name: "fuzz.xml")) != nil { read += 1 }
        }
        #expect(tried >= 1_000 && read > 0, "\(tried) inputs, \(read) read")
    }

    @Test func theWorkbookReaderNeverCrashes() throws {
        let calendar = try LocalCalendar(timeZoneIdentifier: "Europe/Vienna")
        let zp = try Zaehlpunkt(ThreeMemberCommunity.pointA)
        let day = try LocalDate("2026-10-01")
        let figures = calendar.quarterHours(of: day).map {
            GridOperatorFigure(zaehlpunkt: zp, meterCode: .consumption, start: $0, milliwattHours: 250_000, quality: .measured)
        }
        // Stored (not deflated), so mutations reach the XML inside as well as the ZIP structure.
        let workbook = try EDAWorkbookWriter(calendar: calendar, compressed: false).write(
            points: [.init(zaehlpunkt: zp, direction: .consumption, name: "A")], figures: figures, from: day, to: day.adding(days: 1))
        var read = 0
        let tried = try Fuzzer(
            name: "eda-workbook", seeds: [Data(workbook)], tokens: ["PK\u{3}\u{4}", "<c r=\"A1\"", "</row>", "t=\"s\"", "<v>", "1e308"],
            defaultInputs: 2_000
        ).run { bytes in
            if (try? EDAWorkbookReader(calendar: calendar).read(bytes, name: "fuzz.xlsx")) != nil { read += 1 }
        }
        #expect(tried >= 500, "\(tried) inputs, \(read) read")
    }
}
