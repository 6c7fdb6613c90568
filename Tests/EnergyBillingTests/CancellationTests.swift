import EnergyBilling
import EnergyCore
import EnergyJobs
import EnergyStore
import EnergyTestSupport
import Foundation
import Synchronization
import Testing

/// Cancellation (Storno) and reissue: the treasurer's correction of an issued statement.
@Suite(.serialized) struct CancellationTests {
    static let period = "2026-10"

    /// RFC 4180 rows of a CSV file the billing run wrote (no quoted line breaks in these).
    func csv(_ path: String) throws -> [[String]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\r\n").map { line in
            var fields: [String] = []
            var field = ""
            var quoted = false
            var chars = Array(line)
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if quoted {
                    if c == "\"" && i + 1 < chars.count && chars[i + 1] == "\"" {
                        field.append("\"")
                        i += 1
                    } else if c == "\"" {
                        quoted = false
                    } else {
                        field.append(c)
                    }
                } else if c == "\"" {
                    quoted = true
                } else if c == "," {
                    fields.append(field)
                    field = ""
                } else {
                    field.append(c)
                }
                i += 1
            }
            fields.append(field)
            chars = []
            return fields
        }
    }

    /// Corrects one of A's readings on 7 October and rolls the day up again: A's and B's shares change.
    func correctAReading(_ f: BillingFixture) throws {
        let qh = f.community.calendar.quarterHours(of: try LocalDate("2026-10-07")).lowerBound
        _ = try f.store.upsert([Reading(point: f.community.pointKeys[1], start: qh, milliwattHours: 2_000_000)], community: f.community)
        let job = RollupJob(store: f.store, community: f.community)
        _ = try job.run(try job.plan(.range(from: try LocalDate("2026-10-07"), to: try LocalDate("2026-10-08"))))
    }

    @Test func cancelAndReissueNumberWithoutGapsAndLeaveEveryOtherFileAsItWas() throws {
        let f = try BillingFixture(from: "2026-10-01", to: "2026-11-01")
        let run = BillingRun(store: f.store, community: f.community)
        let dir = f.folder.path
        func bill(_ folder: String, _ mode: BillingRun.Mode = .final) throws -> BillingRun.Result {
            try run.run(.init(period: try BillingPeriod(Self.period), mode: mode, formats: [.xlsx, .csv], directory: dir + "/" + folder))
        }
        func cancel(_ number: String, _ folder: String) throws -> BillingRun.CancelResult {
            try run.cancel(
                .init(number: number, reason: "Ablesung vom 7.10. korrigiert", formats: [.xlsx, .csv], directory: dir + "/" + folder))
        }
        let first = try bill("first")
        #expect(first.numbers == ["2026-0001", "2026-0002", "2026-0003"])
        try correctAReading(f)

        // Changed data and nothing cancelled: refused, naming the statements to cancel and how.
        do {
            _ = try bill("refused")
            Issue.record("a final run over changed data must refuse while nothing is cancelled")
        } catch let error as BillingError {
            let text = "\(error)"
            #expect(text.contains("2026-0002 (member A)") && text.contains("2026-0003 (member B)") && !text.contains("member P"))
            #expect(text.contains("energy bill --cancel NUMBER --reason TEXT"))
        }

        let storno = try cancel("2026-0002", "cancel-a")
        #expect(storno.cancellation.number == "2026-0004" && storno.cancelled.number == "2026-0002")
        #expect(storno.cancellation.kind == .cancellation && storno.cancellation.reference == "2026-0002")
        // The cancellation negates what was issued (not today's figures), line by line.
        let original = try csv(dir + "/first/statement-2026-0002-A.csv")
        let negated = try csv(dir + "/cancel-a/cancellation-2026-0004-A.csv")
        #expect(original.count == negated.count && original.count > 4)
        let amount = try #require(original[0].firstIndex(of: "amount"))
        for (a, b) in zip(original.dropFirst(), negated.dropFirst()) {
            #expect(b[0] == "2026-0004" && a[0] == "2026-0002")
            #expect(try Money(a[amount]).cents == -(try Money(b[amount])).cents, "\(a) / \(b)")
        }
        let workbook = try OpenPyXL.read(dir + "/cancel-a/cancellation-2026-0004-A.xlsx")
        let summary = try #require(workbook.sheets["Summary"])
        #expect(summary.contains { $0.first as? String == "Cancels statement" && $0.dropFirst().first as? String == "2026-0002" })
        #expect(summary.contains { $0.first as? String == "Reason" && $0.dropFirst().first as? String == "Ablesung vom 7.10. korrigiert" })

        // What cannot be cancelled, with the reason.
        for (number, why) in [
            ("2026-0002", "cancelled already, by 2026-0004"), ("2026-0004", "is a cancellation itself"),
            ("2026-0099", "has no statement 2026-0099"), ("26-1", "not a statement number"),
        ] {
            do {
                _ = try cancel(number, "x")
                Issue.record("cancelling \(number) must fail")
            } catch let error as BillingError {
                #expect("\(error)".contains(why), "\(error)")
            }
        }
        // B's statement changed too and is not cancelled yet: still refused, naming only B's.
        do {
            _ = try bill("refused-b")
            Issue.record("B's changed statement is still in force")
        } catch let error as BillingError {
            #expect("\(error)".contains("2026-0003 (member B)") && !"\(error)".contains("2026-0002"))
        }
        #expect(try cancel("2026-0003", "cancel-b").cancellation.number == "2026-0005")

        let second = try bill("second")
        #expect(second.numbers == ["2026-0001", "2026-0006", "2026-0007"] && !second.reissued)
        #expect(second.replacements.map(\.number) == ["2026-0006", "2026-0007"])
        #expect(second.replacements.map(\.replaces) == ["2026-0002", "2026-0003"])
        // The reissued statements carry today's figures; P's files are the first run's, byte for byte.
        let preview = try bill("preview", .preview)
        #expect(second.figures.statements.map(\.total) == preview.figures.statements.map(\.total))
        #expect(second.figures.statements[1].total != first.figures.statements[1].total)
        let firstFiles = try TemporaryFolder.files(in: dir + "/first")
        let secondFiles = try TemporaryFolder.files(in: dir + "/second")
        for name in ["statement-2026-0001-P.xlsx", "statement-2026-0001-P.csv"] {
            #expect(firstFiles[name] != nil && firstFiles[name] == secondFiles[name], "\(name)")
        }
        #expect(secondFiles["statement-2026-0006-A.xlsx"] != nil && secondFiles["statement-2026-0002-A.xlsx"] == nil)
        // Again: nothing new to issue, the same files.
        let third = try bill("third")
        #expect(third.numbers == second.numbers && third.reissued)
        #expect(try TemporaryFolder.files(in: dir + "/third") == secondFiles)

        // The accounting CSV: originals, cancellations and reissues with status and reference.
        let rows = try csv(dir + "/third/statements-2026-10.csv")
        let header = rows[0]
        func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name)) }
        let (number, status, reference, total, reason) = (
            try column("statement_number"), try column("status"), try column("reference"), try column("total"), try column("reason")
        )
        #expect(rows.dropFirst().map { $0[number] } == (1...7).map { "2026-000\($0)" })
        #expect(
            rows.dropFirst().map { $0[status] } == ["final", "cancelled", "cancelled", "cancellation", "cancellation", "final", "final"])
        #expect(rows.dropFirst().map { $0[reference] } == ["", "", "", "2026-0002", "2026-0003", "2026-0002", "2026-0003"])
        #expect(rows[4][reason] == "Ablesung vom 7.10. korrigiert")
        #expect(try Money(rows[2][total]).cents == -(try Money(rows[4][total])).cents)
        #expect(try Money(rows[2][total]) == first.figures.statements[1].total)
        #expect(try Money(rows[6][total]) == second.figures.statements[1].total)
        let issued = try f.store.issuedStatements(community: "eeg-bill", from: try LocalDate("2026-01-01"), to: try LocalDate("2027-01-01"))
        #expect(issued.map(\.sequence) == Array(1...7))
    }

    @Test func twoCancellationsOfOneStatementAtOnceIssueOne() throws {
        let f = try BillingFixture(from: "2026-10-01", to: "2026-11-01")
        _ = try BillingRun(store: f.store, community: f.community).run(
            .init(period: try BillingPeriod(Self.period), mode: .final, formats: [.csv], directory: f.folder.path + "/first"))
        let (path, base, community) = (f.folder.path + "/e.sqlite", f.folder.path, f.community)
        let outcomes = Mutex<[String]>([])
        let group = DispatchGroup()
        for i in 0..<4 {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    let store = try SQLiteStore(path: path)
                    let result = try BillingRun(store: store, community: community).cancel(
                        .init(number: "2026-0002", reason: "race \(i)", formats: [.csv], directory: base + "/c\(i)"))
                    outcomes.withLock { $0.append("ok \(result.cancellation.number)") }
                } catch {
                    outcomes.withLock { $0.append("refused \(error)") }
                }
            }.start()
        }
        group.wait()
        let all = outcomes.withLock { $0 }
        #expect(all.filter { $0.hasPrefix("ok") } == ["ok 2026-0004"], "\(all)")
        #expect(
            all.filter { $0.hasPrefix("refused") }.allSatisfy { $0.contains("cancelled already") || $0.contains("at the same time") },
            "\(all)")
        let issued = try f.store.issuedStatements(community: "eeg-bill", from: try LocalDate("2026-10-01"), to: try LocalDate("2026-11-01"))
        #expect(issued.map(\.sequence) == [1, 2, 3, 4])
    }

    @Test func concurrentFinalRunsNeverShareANumber() throws {
        let f = try BillingFixture(from: "2026-10-01", to: "2027-01-01")
        let (path, base, community) = (f.folder.path + "/e.sqlite", f.folder.path, f.community)
        // Three periods, each billed by two runs at once: every statement gets one number, no
        // number goes to two statements, and each run's numbers are the stored ones.
        let results = Mutex<[(String, [String?])]>([])
        let group = DispatchGroup()
        for period in ["2026-10", "2026-11", "2026-12"] {
            for i in 0..<2 {
                group.enter()
                Thread {
                    defer { group.leave() }
                    do {
                        let store = try SQLiteStore(path: path)
                        let r = try BillingRun(store: store, community: community).run(
                            .init(period: try BillingPeriod(period), mode: .final, formats: [.csv], directory: base + "/\(period)-\(i)"))
                        results.withLock { $0.append((period, r.numbers)) }
                    } catch {
                        results.withLock { $0.append((period, ["refused: \(error)"])) }
                    }
                }.start()
            }
        }
        group.wait()
        let issued = try f.store.issuedStatements(community: "eeg-bill", from: try LocalDate("2026-01-01"), to: try LocalDate("2027-01-01"))
        #expect(issued.map(\.sequence) == Array(1...9))
        #expect(Set(issued.map { "\($0.period) \($0.memberID)" }).count == 9)
        for (period, numbers) in results.withLock({ $0 }) {
            if let refusal = numbers.first ?? nil, refusal.hasPrefix("refused") {
                #expect(refusal.contains("already issued") || refusal.contains("at the same time"), "\(refusal)")
                continue
            }
            let stored = issued.filter { $0.period == period }.map(\.number)
            #expect(numbers.compactMap { $0 } == stored)
        }
    }
}
