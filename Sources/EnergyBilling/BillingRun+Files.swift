import EnergyCore
import EnergyStore
import Foundation
import Synchronization

// The files of a billing run: statements as CSV, PDF and XLSX (workbooks on several threads),
// the accounting CSV; each written to a temporary name and renamed, so a killed run leaves no
// half-written file under a final name.
extension BillingRun {
    /// File names: `statement-2026-0001-M001.xlsx` (final), `cancellation-2026-0009-M001.pdf`
    /// (a cancellation), `preview-2026-10-M001.xlsx` (preview), and one accounting CSV per
    /// period: `statements-2026-10.csv` / `preview-statements-2026-10.csv`.
    public static func fileStem(period: BillingPeriod, memberID: String, number: String?, cancellation: Bool = false) -> String {
        let safeID = String(memberID.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") ? $0 : "_" })
        guard let number else { return "preview-\(period.label)-\(safeID)" }
        return (cancellation ? "cancellation-" : "statement-") + "\(number)-\(safeID)"
    }

    static func accountingName(_ period: BillingPeriod, final: Bool) -> String {
        (final ? "" : "preview-") + "statements-\(period.label).csv"
    }

    /// Writes the files of every member (or of `options.onlyMember`). `document(i)` makes member
    /// `i`'s document, `numbers` and `issuedOn` are what it says; each document is made when its
    /// files are written, so a caller need not hold them all.
    func write(
        _ figures: BillingFigures, document: @escaping @Sendable (Int) -> StatementDocument, numbers: [String?],
        issuedOn: [LocalDate?], entries: [StatementCSV.Entry], options: Options
    ) throws -> [String] {
        let directory = options.directory
        var files: [String] = []
        let stems = figures.statements.indices.map {
            Self.fileStem(period: options.period, memberID: figures.statements[$0].member.id, number: numbers[$0])
        }
        let members = figures.statements.indices.filter {
            options.onlyMember == nil || figures.statements[$0].member.id == options.onlyMember
        }
        if options.formats.contains(.csv) {
            if options.onlyMember == nil {
                let path = directory + "/" + Self.accountingName(options.period, final: options.mode == .final)
                try Self.writeAtomically(StatementCSV.accounting(community: community, period: options.period, entries), to: path)
                files.append(path)
            }
            for i in members {
                let path = directory + "/" + stems[i] + ".csv"
                try Self.writeAtomically(StatementCSV.detail(document(i)), to: path)
                files.append(path)
            }
        }
        if options.formats.contains(.pdf) {
            // libharu documents are independent of each other: one per thread at a time.
            try Self.inParallel(members.count, threads: options.threads, name: "energy pdf writer") { k in
                let i = members[k]
                try Self.writeAtomically(Data(try StatementPDF(document(i)).render()), to: directory + "/" + stems[i] + ".pdf")
            }
            files += members.map { directory + "/" + stems[$0] + ".pdf" }
        }
        if options.formats.contains(.xlsx) {
            // The quarter-hour series are loaded for a batch of members at a time, so a year of a
            // large community does not have to fit in memory at once.
            let perPoint = max(1, figures.quarterHours.count * 16)
            let pointsPerBatch = max(1, options.seriesBudgetBytes / perPoint)
            var batches: [[Int]] = []
            var current: [Int] = []
            var currentPoints = 0
            for i in members {
                let n = figures.pointIndices(of: figures.statements[i].member).count
                if !current.isEmpty && currentPoints + n > pointsPerBatch {
                    batches.append(current)
                    current = []
                    currentPoints = 0
                }
                current.append(i)
                currentPoints += n
            }
            if !current.isEmpty { batches.append(current) }
            for batch in batches {
                let series = try QuarterHourSeries(
                    store: store, figures: figures,
                    points: batch.flatMap { figures.pointIndices(of: figures.statements[$0].member) })
                try Self.writeWorkbooks(
                    batch, figures: figures, series: series, numbers: numbers, issuedOn: issuedOn, stems: stems,
                    directory: directory, threads: options.threads)
                // The batch's series and workbooks are freed (partly on the writer threads' own
                // arenas): give the pages back before the next batch allocates its own.
                ProcessHeap.trim()
            }
            files += members.map { directory + "/" + stems[$0] + ".xlsx" }
        }
        return files
    }

    /// Writes the workbooks of `members` on `threads` threads.
    private static func writeWorkbooks(
        _ members: [Int], figures: BillingFigures, series: QuarterHourSeries, numbers: [String?],
        issuedOn: [LocalDate?], stems: [String], directory: String, threads: Int
    ) throws {
        try inParallel(members.count, threads: threads, name: "energy xlsx writer") { k in
            let i = members[k]
            let path = directory + "/" + stems[i] + ".xlsx"
            do {
                try StatementWorkbook(figures: figures, memberIndex: i, number: numbers[i], issuedOn: issuedOn[i], series: series)
                    .write(to: path + ".part")
                try rename(path + ".part", to: path)
            } catch {
                try? FileManager.default.removeItem(atPath: path + ".part")
                throw error
            }
        }
    }

    /// Runs `body(0..<count)` on `threads` threads (this one included): the files of members are
    /// independent, so each thread takes the next index until none are left or one failed; the
    /// first error is thrown.
    static func inParallel(_ count: Int, threads: Int, name: String, _ body: @escaping @Sendable (Int) throws -> Void) throws {
        let failure = Mutex<(any Error)?>(nil)
        let next = Atomic<Int>(0)
        let work = { @Sendable in
            while true {
                let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard k < count, failure.withLock({ $0 == nil }) else { return }
                do { try body(k) } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                    return
                }
            }
        }
        let done = DispatchGroup()
        for _ in 0..<max(0, min(threads, count) - 1) {
            done.enter()
            let thread = Thread {
                work()
                done.leave()
            }
            thread.name = name
            thread.start()
        }
        work()
        done.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }

    static func writeAtomically(_ text: String, to path: String) throws { try writeAtomically(Data(text.utf8), to: path) }

    /// Writes beside the target and renames (`OutputFile`): a run killed half-way leaves at most a
    /// temporary file, which the next run (writing the same names) overwrites and renames in turn.
    static func writeAtomically(_ data: Data, to path: String) throws {
        do { try OutputFile.write(data, to: path) } catch { throw BillingError.cannotWrite(path, "\(error)") }
    }

    static func rename(_ from: String, to path: String) throws {
        guard Foundation.rename(from, path) == 0 else { throw BillingError.cannotWrite(path, String(cString: strerror(errno))) }
    }
}
