import EnergyCore
import EnergyStore
import Foundation
import Synchronization

/// A billing run: every member's statement for one period, as XLSX and/or CSV files.
///
/// A preview numbers nothing and may be rerun freely. A final run checks completeness first
/// (refusing unless `allowIncomplete`), numbers each statement without gaps per community and
/// year, and stores the numbers with a fingerprint of each statement's figures. Rerunning a final
/// run for the same period reuses the stored numbers and writes byte-identical files, or refuses
/// if the figures changed since; it never issues a second number.
/// ```swift
/// let run = BillingRun(store: store, community: community)
/// let result = try run.run(.init(period: try BillingPeriod("2026-10"), mode: .final, formats: [.xlsx, .csv], directory: "out"))
/// print(result.reconciliation)
/// ```
public struct BillingRun {
    public let store: any ReadingStore
    public let community: Community

    /// Stamps the issue date of final statements.
    public var clock: any WallClock = SystemClock()

    public init(store: any ReadingStore, community: Community) {
        self.store = store
        self.community = community
    }

    public enum Mode: String, Sendable { case preview, final }
    public enum Format: String, Sendable, CaseIterable { case xlsx, csv }

    public struct Options: Sendable {
        public var period: BillingPeriod
        public var mode: Mode
        public var formats: Set<Format>
        public var directory: String
        public var allowIncomplete: Bool
        /// Issue a final run although values of quality L3 remain (``Result/overriddenUnreliable`` lists them).
        public var allowUnreliable: Bool
        /// Parallel XLSX writers (libxlsxwriter compresses on the calling thread).
        public var threads: Int
        /// Quarter-hour series held in memory at once while writing workbooks (64 MB: about 1,300
        /// points of a month); members are written in batches that fit.
        public var seriesBudgetBytes: Int
        /// Write only this member's statement files (no accounting CSV): a download of one
        /// statement. Numbering and checks are those of the whole run.
        public var onlyMember: String?
        public init(
            period: BillingPeriod, mode: Mode, formats: Set<Format>, directory: String, allowIncomplete: Bool = false,
            threads: Int = ProcessInfo.processInfo.activeProcessorCount, seriesBudgetBytes: Int = 64 << 20,
            onlyMember: String? = nil, allowUnreliable: Bool = false
        ) {
            self.period = period
            self.mode = mode
            self.formats = formats
            self.directory = directory
            self.allowIncomplete = allowIncomplete
            self.allowUnreliable = allowUnreliable
            self.threads = max(1, threads)
            self.seriesBudgetBytes = seriesBudgetBytes
            self.onlyMember = onlyMember
        }
    }

    public struct Result: Sendable {
        public var figures: BillingFigures
        /// Statement numbers per member (nil in a preview).
        public var numbers: [String?]
        /// True when a final run found its statements already issued and wrote them again.
        public var reissued: Bool
        /// The local date the statements were first issued (nil in a preview).
        public var issuedOn: LocalDate?
        public var files: [String]
        /// L3 values a final run was told to issue over (`allowUnreliable`), per point and day.
        public var overriddenUnreliable: [UnreliableDay] = []
        public var reconciliation: Reconciliation { figures.reconciliation }
        public var completeness: Completeness { figures.completeness }
    }

    public static let commandName = "bill"

    public func run(_ options: Options) throws -> Result {
        guard let tariff = community.tariff else { throw BillingError.noTariff(community.id) }
        let figures = try BillingFigures(store: store, community: community, tariff: tariff, period: options.period)
        guard figures.reconciliation.balanced else { throw BillingError.unbalanced(figures.reconciliation) }
        let completeness = figures.completeness
        var numbers = [String?](repeating: nil, count: figures.statements.count)
        var reissued = false
        var issuedOn: LocalDate?
        var overridden: [UnreliableDay] = []
        if options.mode == .final {
            let fingerprints = figures.statements.indices.map { fingerprint(figures, $0) }
            let issued = try store.issuedStatements(community: community.id, from: options.period.from, to: options.period.to)
            if issued.isEmpty {
                // Stale rollups mean wrong figures, not missing ones: never billed, not even with --allow-incomplete.
                if !completeness.staleDays.isEmpty { throw BillingError.stale(completeness, options.period) }
                if !completeness.isComplete && !options.allowIncomplete { throw BillingError.incomplete(completeness) }
                let unreliable = UnreliableDay.group(
                    try store.unreliableValues(community: community.id, points: community.pointKeys, in: figures.quarterHours),
                    calendar: community.calendar)
                if !unreliable.isEmpty && !options.allowUnreliable { throw BillingError.unreliable(unreliable) }
                overridden = unreliable
                let requests = figures.statements.enumerated().map { i, s in
                    StatementRequest(memberID: s.member.id, fingerprint: fingerprints[i], incomplete: s.missingQuarterHours > 0)
                }
                let stored = try store.issueStatements(
                    requests, community: community.id, period: options.period.label,
                    from: options.period.from, to: options.period.to, year: options.period.year,
                    issuedAt: clock.unixSeconds)
                numbers = stored.map(\.number)
                issuedOn = stored.first.map { community.calendar.localDate(containing: $0.issuedAt) }
            } else {
                // Already issued: the same figures give the same files, whatever the flags; anything
                // else is refused. Readings changed after their rollup are refused here too: the
                // rollups no longer say what the store holds, so "the same files" would be stale.
                if !completeness.staleDays.isEmpty { throw BillingError.stale(completeness, options.period) }
                numbers = try reissue(issued, fingerprints: fingerprints, figures: figures, period: options.period)
                issuedOn = issued.first.map { community.calendar.localDate(containing: $0.issuedAt) }
                reissued = true
            }
        }
        try FileManager.default.createDirectory(atPath: options.directory, withIntermediateDirectories: true)
        let files = try write(figures, numbers: numbers, issuedOn: issuedOn, options: options)
        return Result(
            figures: figures, numbers: numbers, reissued: reissued, issuedOn: issuedOn, files: files, overriddenUnreliable: overridden)
    }

    /// The numbers of an earlier final run of exactly this period, if every statement is unchanged.
    private func reissue(
        _ issued: [IssuedStatement], fingerprints: [String], figures: BillingFigures, period: BillingPeriod
    ) throws -> [String?] {
        if let other = issued.first(where: { $0.period != period.label }) {
            throw BillingError.overlaps(period.label, issued: other.period)
        }
        let byMember = Dictionary(issued.map { ($0.memberID, $0) }, uniquingKeysWith: { a, _ in a })
        var changed: [String] = []
        var numbers: [String?] = []
        for (i, statement) in figures.statements.enumerated() {
            guard let stored = byMember[statement.member.id] else {
                changed.append("member \(statement.member.id) has no statement of \(period.label) (joined after the final run)")
                numbers.append(nil)
                continue
            }
            if stored.fingerprint != fingerprints[i] {
                changed.append("statement \(stored.number) (member \(statement.member.id)): its figures differ from the issued ones")
            }
            numbers.append(stored.number)
        }
        let members = Set(figures.statements.map(\.member.id))
        for stored in issued where !members.contains(stored.memberID) {
            changed.append("statement \(stored.number) was issued to member \(stored.memberID), who is no longer in the community file")
        }
        guard changed.isEmpty else { throw BillingError.changedSinceFinal(period.label, changed) }
        return numbers
    }

    /// Identifies everything a statement's files show: member, points, every quarter hour and
    /// day, lines and tariff (FNV-1a, 64 bits: a change detector, not a signature).
    func fingerprint(_ figures: BillingFigures, _ index: Int) -> String {
        let statement = figures.statements[index]
        var hash = FNV.offset
        for text in [figures.community.name, figures.community.id, figures.period.label, statement.member.id, statement.member.name] {
            hash = FNV.mix(hash, text)
        }
        for p in figures.pointIndices(of: statement.member) {
            hash = FNV.mix(hash, figures.community.meteringPoints[p].key.description)
            hash = FNV.mix(hash, figures.seriesHashes[p])
            for day in figures.daily[p] {
                for v in [
                    day.consumed, day.produced, day.shared, day.grid, day.surplus, Int64(day.intervals), Int64(day.expectedIntervals),
                ] {
                    hash = FNV.mix(hash, UInt64(bitPattern: v))
                }
            }
        }
        for line in statement.lines {
            hash = FNV.mix(
                hash,
                "\(line.kind.rawValue)|\(line.text)|\(line.energy?.milliwattHours ?? -1)|\(line.price?.text ?? "")|"
                    + "\(line.rate?.text ?? "")|\(line.amount.cents)")
        }
        return String(FNV.mix(hash, figures.tariff.currency), radix: 16)
    }

    // MARK: Files

    /// File names: `statement-2026-0001-M001.xlsx` (final), `preview-2026-10-M001.xlsx` (preview),
    /// and one accounting CSV per run: `statements-2026-10.csv` / `preview-statements-2026-10.csv`.
    public static func fileStem(period: BillingPeriod, memberID: String, number: String?) -> String {
        let safeID = String(memberID.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") ? $0 : "_" })
        return number.map { "statement-\($0)-\(safeID)" } ?? "preview-\(period.label)-\(safeID)"
    }

    private func write(_ figures: BillingFigures, numbers: [String?], issuedOn: LocalDate?, options: Options) throws -> [String] {
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
                let name = (options.mode == .final ? "" : "preview-") + "statements-\(options.period.label).csv"
                try Self.writeAtomically(StatementCSV.accounting(figures, numbers: numbers, issuedOn: issuedOn), to: directory + "/" + name)
                files.append(directory + "/" + name)
            }
            for i in members {
                let statement = figures.statements[i]
                let path = directory + "/" + stems[i] + ".csv"
                try Self.writeAtomically(StatementCSV.detail(statement, number: numbers[i], currency: figures.tariff.currency), to: path)
                files.append(path)
            }
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
            }
            files += members.map { directory + "/" + stems[$0] + ".xlsx" }
        }
        return files
    }

    /// Writes the workbooks of `members` on `threads` threads: workbooks are independent, so each
    /// thread takes the next member until none are left.
    private static func writeWorkbooks(
        _ members: [Int], figures: BillingFigures, series: QuarterHourSeries, numbers: [String?],
        issuedOn: LocalDate?, stems: [String], directory: String, threads: Int
    ) throws {
        let failure = Mutex<(any Error)?>(nil)
        let next = Atomic<Int>(0)
        let work = { @Sendable in
            while true {
                let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard k < members.count, failure.withLock({ $0 == nil }) else { return }
                let i = members[k]
                let path = directory + "/" + stems[i] + ".xlsx"
                do {
                    try StatementWorkbook(figures: figures, memberIndex: i, number: numbers[i], issuedOn: issuedOn, series: series).write(
                        to: path + ".part")
                    try rename(path + ".part", to: path)
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                    try? FileManager.default.removeItem(atPath: path + ".part")
                    return
                }
            }
        }
        let done = DispatchGroup()
        for _ in 0..<max(0, min(threads, members.count) - 1) {
            done.enter()
            let thread = Thread {
                work()
                done.leave()
            }
            thread.name = "energy xlsx writer"
            thread.start()
        }
        work()
        done.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }

    static func writeAtomically(_ text: String, to path: String) throws {
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw BillingError.cannotWrite(path, "\(error.localizedDescription)")
        }
    }

    static func rename(_ from: String, to path: String) throws {
        guard Foundation.rename(from, path) == 0 else { throw BillingError.cannotWrite(path, String(cString: strerror(errno))) }
    }
}
