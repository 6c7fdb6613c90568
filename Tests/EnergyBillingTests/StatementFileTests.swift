import EnergyBilling
import EnergyCore
import EnergyStore
import EnergyTestSupport
import Foundation
import Testing

/// The small community's November 2026 (2880 quarter hours, no DST change), computed by hand:
/// A receives 0.6 kWh and B 0.3 kWh of P's 0.9 kWh every quarter hour.
///   P: takes 2592 kWh x 0.0875 = -226.80, fee 3.00; VAT 10 % of -226.80 = -22.68, 20 % of 3.00 = 0.60 → -245.88
///   A: 1728 kWh x 0.1234 = 213.2352 → 213.24, fee 3.00; VAT 42.648 → 42.65, 0.60 → 259.49
///   B:  864 kWh x 0.1234 = 106.6176 → 106.62, fee 3.00; VAT 21.324 → 21.32, 0.60 → 131.54
@Suite(.serialized) struct StatementFileTests {
    @Test func theXLSXStatementReadsBackCellByCellAsComputedByHand() throws {
        let f = try BillingFixture(from: "2026-11-01", to: "2026-12-01")
        let out = f.folder.path + "/out"
        let result = try BillingRun(store: f.store, community: f.community)
            .run(.init(period: try BillingPeriod("2026-11"), mode: .final, formats: [.xlsx, .csv], directory: out))
        #expect(result.numbers == ["2026-0001", "2026-0002", "2026-0003"])
        #expect(
            result.reconciliation
                == Reconciliation(
                    membersReceived: 2_592_000_000, takenFromGenerators: 2_592_000_000,
                    communityShared: 2_592_000_000))

        let book = try OpenPyXL.read(out + "/statement-2026-0002-A.xlsx")
        #expect(book.sheets.keys.sorted() == ["Daily", "QuarterHours", "Summary"])
        let s = "Summary"
        let header: [[String?]] = [
            ["Statement"], ["Community", "EEG Bill, Test (eeg-bill)"], ["Member", "Anna Amsel (A)"],
            ["Period", "2026-11"],
        ]
        for (row, cells) in header.enumerated() {
            for (column, value) in cells.enumerated() { #expect(book.text(s, row, column) == value, "Summary row \(row + 1)") }
        }
        #expect(book.cell(s, 4, 1) as? String == "2026-11-01T00:00:00")  // a real date, not text
        #expect(book.cell(s, 5, 1) as? String == "2026-11-30T00:00:00")
        #expect(book.text(s, 6, 1) == "2026-0002" && book.text(s, 6, 2) == "Issued on")
        #expect(book.cell(s, 6, 3) as? String == "\(try #require(result.issuedOn))T00:00:00")
        #expect(book.text(s, 7, 1) == "complete")
        #expect(book.text(s, 7, 3) == "per our allocation, computed from the readings (no grid-operator figures imported)")
        #expect(book.text(s, 8, 1) == "EUR")
        #expect(book.text(s, 10, 2) == "Consumption kWh")
        #expect(book.text(s, 11, 0) == "AT0030000000000000000000000000002" && book.text(s, 11, 1) == "consumption")
        #expect((2...8).map { book.number(s, 11, $0) } == [2880, 1728, 1152, 0, 0, 2880, 2880])
        #expect(book.text(s, 14, 0) == "Community energy received AT0030000000000000000000000000002")
        #expect(book.number(s, 14, 1) == 1728 && book.number(s, 14, 2) == 0.1234 && book.number(s, 14, 4) == 213.24)
        #expect(book.text(s, 15, 0) == "Member fee" && book.number(s, 15, 4) == 3)
        #expect(book.text(s, 16, 0) == "VAT 20 % on community energy" && book.number(s, 16, 3) == 0.2 && book.number(s, 16, 4) == 42.65)
        #expect(book.text(s, 17, 0) == "VAT 20 % on member fee" && book.number(s, 17, 4) == 0.6)
        #expect(book.text(s, 18, 0) == "Net" && book.text(s, 18, 4) == "=SUM(E15,E16)")
        #expect(book.text(s, 19, 0) == "VAT" && book.text(s, 19, 4) == "=SUM(E17,E18)")
        #expect(book.text(s, 20, 0) == "Total (payable by the member)" && book.text(s, 20, 4) == "=E19+E20")
        // Formulas carry their values for readers that do not calculate.
        #expect(book.cached[s]?["E19"] as? Double == 216.24)
        #expect(book.cached[s]?["E20"] as? Double == 43.25)
        #expect(book.cached[s]?["E21"] as? Double == 259.49)

        let d = "Daily"
        #expect(book.sheets[d]?.count == 1 + 30 + 1)
        #expect(book.text(d, 0, 1) == "AT0030000000000000000000000000002 consumption kWh")
        #expect(book.cell(d, 1, 0) as? String == "2026-11-01T00:00:00" && book.number(d, 1, 1) == 96 && book.number(d, 1, 2) == 57.6)
        #expect(book.text(d, 31, 0) == "Total" && book.text(d, 31, 1) == "=SUM(B2:B31)" && book.cached[d]?["B32"] as? Double == 2880)
        #expect(book.charts[d] == 1)

        let q = "QuarterHours"
        #expect(book.sheets[q]?.count == 1 + 2880 + 1)
        #expect(book.text(q, 0, 1) == "AT0030000000000000000000000000002 consumption kWh")
        #expect(book.cell(q, 1, 0) as? String == "2026-11-01T00:00:00")
        #expect(book.number(q, 1, 1) == 1 && book.number(q, 1, 2) == 0.6)
        #expect(book.cell(q, 2880, 0) as? String == "2026-11-30T23:45:00")
        #expect(book.cached[q]?["C2882"] as? Double == 1728)
        #expect(book.created == "2026-12-01T00:00:00")

        let plant = try OpenPyXL.read(out + "/statement-2026-0001-P.xlsx")
        #expect(plant.text(s, 14, 0) == "Energy taken by the community AT0030000000000000000000000000001")
        #expect(plant.number(s, 14, 1) == 2592 && plant.number(s, 14, 4) == -226.8)
        #expect(plant.text(s, 16, 0) == "VAT 10 % on energy taken" && plant.number(s, 16, 4) == -22.68)
        #expect(plant.text(s, 20, 0) == "Total (credited to the member)" && plant.cached[s]?["E21"] as? Double == -245.88)
        #expect(plant.text(d, 0, 1) == "AT0030000000000000000000000000001 production kWh")
    }

    @Test func theAccountingCSVHasOneRowPerMemberAndTheDetailOneRowPerLine() throws {
        let f = try BillingFixture(from: "2026-11-01", to: "2026-12-01")
        let out = f.folder.path + "/out"
        let result = try BillingRun(store: f.store, community: f.community)
            .run(.init(period: try BillingPeriod("2026-11"), mode: .final, formats: [.csv], directory: out))
        let issued = try #require(result.issuedOn)
        let stored = try f.store.issuedStatements(community: "eeg-bill", from: try LocalDate("2026-11-01"), to: try LocalDate("2026-12-01"))
        #expect(stored.count == 3 && issued == f.community.calendar.localDate(containing: stored[0].issuedAt))
        let accounting = try String(contentsOfFile: out + "/statements-2026-11.csv", encoding: .utf8)
        #expect(
            accounting == """
                statement_number,status,reference,issued_on,community,period,from,to,member_id,member_name,currency,community_energy_kwh,\
                energy_taken_kwh,community_energy_net,generation_credit_net,member_fee_net,net,vat,total,missing_quarter_hours,dso_quarter_hours,\
                reason\r
                2026-0001,final,,\(issued),eeg-bill,2026-11,2026-11-01,2026-11-30,P,Plant,EUR,0.000000,2592.000000,0.00,-226.80,3.00,-223.80,-22.08,-245.88,0,0,\r
                2026-0002,final,,\(issued),eeg-bill,2026-11,2026-11-01,2026-11-30,A,Anna Amsel,EUR,1728.000000,0.000000,213.24,0.00,3.00,216.24,43.25,259.49,0,0,\r
                2026-0003,final,,\(issued),eeg-bill,2026-11,2026-11-01,2026-11-30,B,"Bernd ""B"" Berger",EUR,864.000000,0.000000,106.62,0.00,3.00,109.62,21.92,131.54,0,0,\r

                """)
        let detail = try String(contentsOfFile: out + "/statement-2026-0003-B.csv", encoding: .utf8).components(separatedBy: "\r\n")
        #expect(
            detail[1] == "2026-0003,B,Community energy received AT0030000000000000000000000000003,community_energy,"
                + "AT0030000000000000000000000000003,,864.000000,0.1234,,,106.62,EUR")
        #expect(detail[3] == "2026-0003,B,VAT 20 % on community energy,vat,,,,,20,106.62,21.32,EUR")
        #expect(detail[7] == "2026-0003,B,Total,total,,,,,,,131.54,EUR")
    }

    @Test func timeOfUsePricesApplyPerQuarterHourThroughTheOctoberDSTChange() throws {
        let tariff = TestTariffs.timeOfUse(generationVAT: 0, weekendEnd: "24:00")
        let f = try BillingFixture(tariff: tariff, from: "2026-10-01", to: "2026-11-01")
        let out = f.folder.path + "/out"
        let result = try BillingRun(store: f.store, community: f.community)
            .run(.init(period: try BillingPeriod("2026-10"), mode: .preview, formats: [.xlsx, .csv], directory: out))
        #expect(result.numbers == [nil, nil, nil])
        #expect(result.figures.quarterHours.count == 2980)
        // Quarter hours per window: 31 nights of 24 plus the repeated hour of 2026-10-25; 22 weekdays; 9 weekend days.
        let a = result.figures.statements[1]
        #expect(a.lines.compactMap(\.window) == ["night", "midday", "standard", "evening", "weekend"])
        #expect(
            a.lines.compactMap { $0.energy?.kilowattHoursText } == ["448.800000", "316.800000", "211.200000", "422.400000", "388.800000"])
        // 36.44256, 32.1552, 26.06208, 52.12416, 42.768; fee 30 / 12; VAT 20 % of 189.55 and of 2.50.
        #expect(a.lines.map(\.amount.text) == ["36.44", "32.16", "26.06", "52.12", "42.77", "2.50", "37.91", "0.50"])
        #expect(a.total.text == "230.46")
        // The plant's night: 673.2 kWh x 0.0875 = 58.905, exactly half a cent: credited 58.91.
        let p = result.figures.statements[0]
        #expect(p.lines.map(\.amount.text) == ["-58.91", "-33.26", "-27.72", "-55.44", "-51.03", "2.50", "0.00", "0.50"])

        let book = try OpenPyXL.read(out + "/preview-2026-10-A.xlsx")
        let rows = try #require(book.sheets["QuarterHours"])
        #expect(rows.count == 1 + 2980 + 1)
        // The repeated hour of the autumn change appears twice, once per offset, in time order.
        let repeated = rows.indices.filter { rows[$0].first as? String == "2026-10-25T02:00:00" }
        #expect(repeated.count == 2 && repeated[1] - repeated[0] == 4)
        #expect(
            rows[repeated[0] + 3].first as? String == "2026-10-25T02:45:00"
                && rows.filter { $0.first as? String == "2026-10-25T03:00:00" }.count == 1)
        #expect(book.text("Summary", 6, 1) == "PREVIEW (not numbered)")
        #expect(book.sheets["Daily"]?.count == 1 + 31 + 1)
        #expect(book.number("Daily", 25, 1) == 100)  // 2026-10-25: 100 quarter hours of 1 kWh
    }
}
