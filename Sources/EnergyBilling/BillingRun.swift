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
    /// Statement files (`xlsx`, `csv`, `pdf`) and, in final runs, the bank's files (`sepa`).
    public enum Format: String, Sendable, CaseIterable { case xlsx, csv, pdf, sepa }

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
        /// Quarter-hour series held in memory at once while writing workbooks (8 MB: about 175
        /// points of a month); members are written in batches that fit, each batch reading only
        /// its points' series, so memory does not grow with the community.
        public var seriesBudgetBytes: Int
        /// Write only this member's statement files (no accounting CSV): a download of one
        /// statement. Numbering and checks are those of the whole run.
        public var onlyMember: String?
        /// The SEPA collection and execution date (default: five TARGET business days after the
        /// statements were issued).
        public var collectionDate: LocalDate?
        public init(
            period: BillingPeriod, mode: Mode, formats: Set<Format>, directory: String, allowIncomplete: Bool = false,
            threads: Int = ProcessInfo.processInfo.activeProcessorCount, seriesBudgetBytes: Int = 8 << 20,
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
        /// Statement numbers per member (nil in a preview): the statement in force.
        public var numbers: [String?]
        /// True when a final run found its statements already issued and wrote them again.
        public var reissued: Bool
        /// The local date the statements were first issued (nil in a preview).
        public var issuedOn: LocalDate?
        /// Per member the local date its statement in force was issued (nil in a preview).
        public var issuedOnPerStatement: [LocalDate?] = []
        /// Statements this run issued in place of cancelled ones: (new number, the one it replaces).
        public var replacements: [(number: String, replaces: String)] = []
        /// Members without SEPA data: they pay, or are paid, by bank transfer (final runs with `sepa`).
        public var bankTransfers: [BankTransferEntry] = []
        public var files: [String]
        /// L3 values a final run was told to issue over (`allowUnreliable`), per point and day.
        public var overriddenUnreliable: [UnreliableDay] = []
        public var reconciliation: Reconciliation { figures.reconciliation }
        public var completeness: Completeness { figures.completeness }
    }

    public static let commandName = "bill"

    public func run(_ options: Options) throws -> Result {
        guard let tariffs = community.tariffs else { throw BillingError.noTariff(community.id) }
        let figures = try BillingFigures(store: store, community: community, tariffs: tariffs, period: options.period)
        // Reading the figures decoded every record of the period: none of it is needed any more.
        ProcessHeap.trim()
        guard figures.reconciliation.balanced else { throw BillingError.unbalanced(figures.reconciliation) }
        let count = figures.statements.count
        guard options.mode == .final else {
            try FileManager.default.createDirectory(atPath: options.directory, withIntermediateDirectories: true)
            // Each member's document is made when its files are written and dropped after: all of
            // them at once grow with the community (30 MB for 7,500 members).
            let document = { @Sendable (i: Int) in
                StatementDocument(figures: figures, memberIndex: i, kind: .preview, number: nil, issuedOn: nil)
            }
            let entries = figures.statements.indices.map {
                StatementCSV.Entry(
                    number: nil, status: "preview", memberID: figures.statements[$0].member.id,
                    content: IssuedContent(document($0), gridOperatorQuarterHours: figures.statements[$0].gridOperatorQuarterHours))
            }
            let files = try write(
                figures, document: document, numbers: [String?](repeating: nil, count: count),
                issuedOn: [LocalDate?](repeating: nil, count: count), entries: entries, options: options)
            return Result(
                figures: figures, numbers: [String?](repeating: nil, count: count), reissued: false, issuedOn: nil,
                issuedOnPerStatement: [LocalDate?](repeating: nil, count: count), files: files)
        }
        let completeness = figures.completeness
        let fingerprints = figures.statements.indices.map { fingerprint(figures, $0) }
        let pricing = figures.pricing.text
        let issued = try store.issuedStatements(community: community.id, from: options.period.from, to: options.period.to)
        // Stale rollups mean wrong figures, not missing ones: never billed, not even with
        // --allow-incomplete, and never "the same files again" either.
        if !completeness.staleDays.isEmpty { throw BillingError.stale(completeness, options.period) }
        if let other = issued.first(where: { $0.period != options.period.label }) {
            throw BillingError.overlaps(options.period.label, issued: other.period)
        }
        let book = StatementBook(issued)
        let plan = try plan(book, fingerprints: fingerprints, pricing: pricing, figures: figures)
        var numbers = plan.numbers
        var overridden: [UnreliableDay] = []
        var replacements: [(number: String, replaces: String)] = []
        var documents = book.documents
        if !plan.toIssue.isEmpty {
            if !completeness.isComplete && !options.allowIncomplete { throw BillingError.incomplete(completeness) }
            let unreliable = UnreliableDay.group(
                try store.unreliableValues(community: community.id, points: community.pointKeys, in: figures.quarterHours),
                calendar: community.calendar)
            if !unreliable.isEmpty && !options.allowUnreliable { throw BillingError.unreliable(unreliable) }
            overridden = unreliable
            let requests = plan.toIssue.map { i, replaces in
                var request = StatementRequest(
                    memberID: figures.statements[i].member.id, fingerprint: fingerprints[i],
                    incomplete: figures.statements[i].missingQuarterHours > 0)
                request.reference = replaces
                request.pricing = pricing
                request.document =
                    IssuedContent(
                        StatementDocument(figures: figures, memberIndex: i, kind: .statement, number: nil, issuedOn: nil),
                        gridOperatorQuarterHours: figures.statements[i].gridOperatorQuarterHours
                    ).text
                return request
            }
            let stored = try store.issueStatements(
                requests, community: community.id, period: options.period.label, from: options.period.from, to: options.period.to,
                year: options.period.year, issuedAt: clock.unixSeconds, seen: issued.map(\.number))
            for (k, (i, replaces)) in plan.toIssue.enumerated() {
                numbers[i] = stored[k].number
                if let replaces { replacements.append((stored[k].number, replaces)) }
            }
            documents += stored
        }
        let all = StatementBook(documents)
        let byNumber = Dictionary(documents.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
        let issuedOn = numbers.map { n in n.flatMap { byNumber[$0] }.map { community.calendar.localDate(containing: $0.issuedAt) } }
        let statementDocuments = figures.statements.indices.map { i in
            StatementDocument(
                figures: figures, memberIndex: i, kind: .statement, number: numbers[i], issuedOn: issuedOn[i],
                reference: numbers[i].flatMap { byNumber[$0]?.reference })
        }
        let entries = try entries(of: all, period: options.period, current: (figures, statementDocuments))
        try FileManager.default.createDirectory(atPath: options.directory, withIntermediateDirectories: true)
        var files = try write(
            figures, document: { statementDocuments[$0] }, numbers: statementDocuments.map(\.number),
            issuedOn: statementDocuments.map(\.issuedOn), entries: entries, options: options)
        var transfers: [BankTransferEntry] = []
        if options.formats.contains(.sepa) && options.onlyMember == nil {
            let sepa = try SEPABatches(store: store, community: community, collectionDate: options.collectionDate)
                .write(all, entries: entries, directory: options.directory)
            files += sepa.files
            transfers = sepa.bankTransfers
        }
        let firstIssued = issued.first.map { community.calendar.localDate(containing: $0.issuedAt) } ?? issuedOn.compactMap { $0 }.first
        return Result(
            figures: figures, numbers: numbers, reissued: plan.toIssue.isEmpty, issuedOn: firstIssued, issuedOnPerStatement: issuedOn,
            replacements: replacements, bankTransfers: transfers, files: files, overriddenUnreliable: overridden)
    }

    /// What a final run does with each member: its statement in force (unchanged, so written
    /// again), or a new statement (the first, or one replacing a cancelled one). Anything else is
    /// refused: changed figures or tariffs under a statement in force, members who joined after.
    private func plan(
        _ book: StatementBook, fingerprints: [String], pricing: String, figures: BillingFigures
    ) throws -> (numbers: [String?], toIssue: [(Int, String?)]) {
        let period = figures.period
        guard !book.documents.isEmpty else {
            return ([String?](repeating: nil, count: figures.statements.count), figures.statements.indices.map { ($0, nil) })
        }
        var changed: [String] = []
        var numbers: [String?] = []
        var toIssue: [(Int, String?)] = []
        for (i, statement) in figures.statements.enumerated() {
            let member = statement.member.id
            if let live = book.inForce(member: member) {
                if !live.pricing.isEmpty && live.pricing != pricing {
                    throw BillingError.tariffChanged(
                        period.label, "statement \(live.number): " + Self.tariffChange(was: live.pricing, now: pricing))
                }
                if live.fingerprint != fingerprints[i] {
                    changed.append("statement \(live.number) (member \(member)): its figures differ from the issued ones")
                }
                numbers.append(live.number)
            } else if let cancelled = book.awaitingReissue(member: member) {
                // A reissue is priced as the period was: with today's tariff only if it is the same.
                if !cancelled.pricing.isEmpty && cancelled.pricing != pricing {
                    throw BillingError.tariffChanged(
                        period.label,
                        "statement \(cancelled.number) (cancelled): " + Self.tariffChange(was: cancelled.pricing, now: pricing))
                }
                numbers.append(nil)
                toIssue.append((i, cancelled.number))
            } else {
                changed.append("member \(member) has no statement of \(period.label) (joined after the final run)")
                numbers.append(nil)
            }
        }
        let members = Set(figures.statements.map(\.member.id))
        for stored in book.documents where !members.contains(stored.memberID) && book.inForce(member: stored.memberID) == stored {
            changed.append("statement \(stored.number) was issued to member \(stored.memberID), who is no longer in the community file")
        }
        guard changed.isEmpty else { throw BillingError.changedSinceFinal(period.label, changed) }
        return (numbers, toIssue)
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
        return String(FNV.mix(hash, figures.currency), radix: 16)
    }

    /// Names what changed between two `PeriodPricing.text`s: the tariff (by its days) and its
    /// lines that differ.
    static func tariffChange(was old: String, now new: String) -> String {
        func blocks(_ text: String) -> [(String, [String])] {
            var result: [(String, [String])] = []
            for line in text.split(separator: "\n").map(String.init) {
                if line.hasPrefix("days ") { result.append((line, [])) } else if !result.isEmpty { result[result.count - 1].1.append(line) }
            }
            return result
        }
        let was = blocks(old)
        let now = blocks(new)
        for i in 0..<max(was.count, now.count) {
            let a = i < was.count ? was[i] : ("", [])
            let b = i < now.count ? now[i] : ("", [])
            guard a.0 != b.0 || a.1 != b.1 else { continue }
            if a.0 != b.0 {
                return "it was priced with the tariff of \(a.0.isEmpty ? "no days" : a.0), the file now gives \(b.0.isEmpty ? "none" : b.0)"
            }
            let removed = a.1.filter { !b.1.contains($0) }.map { $0.trimmingCharacters(in: .whitespaces) }
            let added = b.1.filter { !a.1.contains($0) }.map { $0.trimmingCharacters(in: .whitespaces) }
            return
                "the tariff of \(a.0.dropLast()) was \(removed.joined(separator: "; ")), the file now says \(added.joined(separator: "; "))"
        }
        return "the tariffs differ"
    }
}
