import EnergyCore
import EnergyStore
import Foundation

// Cancelling an issued statement (Storno): a document of its own, numbered from the same
// gap-free sequence, showing the cancelled statement's lines as they were issued with every
// amount negated. The statement's row stays as it was; it counts as cancelled from then on, and
// the next final run of its period issues the member a new statement in its place.
extension BillingRun {
    public struct CancelOptions: Sendable {
        /// The statement to cancel, e.g. `2026-0007`.
        public var number: String
        public var reason: String
        public var formats: Set<Format>
        public var directory: String
        public var collectionDate: LocalDate?
        public init(number: String, reason: String, formats: Set<Format>, directory: String, collectionDate: LocalDate? = nil) {
            self.number = number
            self.reason = reason
            self.formats = formats
            self.directory = directory
            self.collectionDate = collectionDate
        }
    }

    public struct CancelResult: Sendable {
        public var cancelled: IssuedStatement
        public var cancellation: IssuedStatement
        public var document: StatementDocument
        public var files: [String]
        public var bankTransfers: [BankTransferEntry]
    }

    public func cancel(_ options: CancelOptions) throws -> CancelResult {
        let number = options.number
        let reason = options.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw BillingError.cannotCancel(number, "give the reason (--reason TEXT); it is printed on the cancellation")
        }
        guard let parsed = IssuedStatement.parse(number: number), let first = LocalDate(year: parsed.year, month: 1, day: 1),
            let next = LocalDate(year: parsed.year + 1, month: 1, day: 1)
        else { throw BillingError.cannotCancel(number, "that is not a statement number like 2026-0007") }
        guard
            let original = try store.issuedStatements(community: community.id, from: first, to: next).first(where: { $0.number == number })
        else {
            throw BillingError.cannotCancel(
                number, "community \(community.id) has no statement \(number) (see energy runs or the accounting CSV)")
        }
        guard original.kind == .statement else {
            throw BillingError.cannotCancel(
                number, "it is a cancellation itself (of \(original.reference ?? "?")); a cancellation is final")
        }
        let period = try BillingPeriod(original.period)
        let issued = try store.issuedStatements(community: community.id, from: original.from, to: original.to)
        if let earlier = StatementBook(issued).cancellation(of: number) {
            throw BillingError.cannotCancel(number, "it was cancelled already, by \(earlier.number)")
        }
        let content = try issuedContent(of: original, period: period)
        let negated = content.negated
        var request = StatementRequest(memberID: original.memberID, fingerprint: original.fingerprint, incomplete: original.incomplete)
        request.kind = .cancellation
        request.reference = number
        request.reason = reason
        request.pricing = original.pricing
        request.document = negated.text
        let stored = try store.issueStatements(
            [request], community: community.id, period: original.period, from: original.from, to: original.to, year: original.year,
            issuedAt: clock.unixSeconds, seen: issued.map(\.number))
        guard let cancellation = stored.first else { throw BillingError.cannotCancel(number, "the store issued no cancellation") }
        let document = try self.document(of: cancellation, content: negated, period: period)

        try FileManager.default.createDirectory(atPath: options.directory, withIntermediateDirectories: true)
        var files = try writeDocument(document, formats: options.formats, directory: options.directory)
        let book = StatementBook(issued + stored)
        let entries = try entries(of: book, period: period)
        if options.formats.contains(.csv) {
            let path = options.directory + "/" + Self.accountingName(period, final: true)
            try Self.writeAtomically(StatementCSV.accounting(community: community, period: period, entries), to: path)
            files.append(path)
        }
        var transfers: [BankTransferEntry] = []
        if options.formats.contains(.sepa) {
            let sepa = try SEPABatches(store: store, community: community, collectionDate: options.collectionDate)
                .write(book, entries: entries, directory: options.directory)
            files += sepa.files
            transfers = sepa.bankTransfers
        }
        return CancelResult(cancelled: original, cancellation: cancellation, document: document, files: files, bankTransfers: transfers)
    }

    /// What `issued` showed when it was issued: stored with it, or, for statements issued before
    /// that was stored, the current figures' document of its member if they still give the same
    /// fingerprint (`current`: figures already computed, else computed here).
    func issuedContent(
        of issued: IssuedStatement, period: BillingPeriod, current: (BillingFigures, [StatementDocument])? = nil
    ) throws -> IssuedContent {
        if !issued.document.isEmpty { return try IssuedContent(text: issued.document, number: issued.number) }
        let figures: BillingFigures
        if let current {
            figures = current.0
        } else {
            guard let tariffs = community.tariffs else { throw BillingError.noTariff(community.id) }
            figures = try BillingFigures(store: store, community: community, tariffs: tariffs, period: period)
        }
        guard let i = figures.statements.firstIndex(where: { $0.member.id == issued.memberID }),
            fingerprint(figures, i) == issued.fingerprint
        else {
            throw BillingError.damagedRecord(
                issued.number, "it was issued before energy stored what statements show, and its figures changed since: cancel it by hand")
        }
        return IssuedContent(
            current?.1[i] ?? StatementDocument(figures: figures, memberIndex: i, kind: .statement, number: issued.number, issuedOn: nil),
            gridOperatorQuarterHours: figures.statements[i].gridOperatorQuarterHours)
    }

    /// The document of a stored row: the member as the community file has it now (address,
    /// mandate), or by the stored name if the member left.
    func document(of issued: IssuedStatement, content: IssuedContent, period: BillingPeriod) throws -> StatementDocument {
        let member =
            community.members.first { $0.id == issued.memberID }
            ?? Member(id: issued.memberID, name: content.memberName, meteringPoints: [])
        return StatementDocument(
            kind: issued.kind == .cancellation ? .cancellation : .statement, number: issued.number,
            issuedOn: community.calendar.localDate(containing: issued.issuedAt), reference: issued.reference, reason: issued.reason,
            community: community, member: member, period: period, currency: content.currency,
            lines: try content.statementLines(number: issued.number), net: Money(cents: content.netCents),
            vat: Money(cents: content.vatCents), total: Money(cents: content.totalCents), missingQuarterHours: content.missingQuarterHours,
            expectedQuarterHours: content.expectedQuarterHours, allocationNote: content.allocationNote, days: [], consumedPerDay: [],
            sharedPerDay: [])
    }

    /// The accounting rows of every document in `book`. Documents issued before their content
    /// was stored take it from the current figures, computed once.
    func entries(
        of book: StatementBook, period: BillingPeriod, current: (BillingFigures, [StatementDocument])? = nil
    ) throws -> [StatementCSV.Entry] {
        var current = current
        if current == nil, book.documents.contains(where: { $0.document.isEmpty }) {
            guard let tariffs = community.tariffs else { throw BillingError.noTariff(community.id) }
            let figures = try BillingFigures(store: store, community: community, tariffs: tariffs, period: period)
            current = (
                figures,
                figures.statements.indices.map {
                    StatementDocument(figures: figures, memberIndex: $0, kind: .statement, number: nil, issuedOn: nil)
                }
            )
        }
        return try book.documents.map { d in
            StatementCSV.Entry(
                number: d.number, status: book.status(of: d), reference: d.reference, reason: d.reason,
                issuedOn: community.calendar.localDate(containing: d.issuedAt), memberID: d.memberID,
                content: try issuedContent(of: d, period: period, current: current))
        }
    }

    /// A cancellation's files: `cancellation-2026-0009-M001.csv|pdf|xlsx`.
    func writeDocument(_ document: StatementDocument, formats: Set<Format>, directory: String) throws -> [String] {
        let stem =
            directory + "/"
            + Self.fileStem(period: document.period, memberID: document.member.id, number: document.number, cancellation: true)
        var files: [String] = []
        if formats.contains(.csv) {
            try Self.writeAtomically(StatementCSV.detail(document), to: stem + ".csv")
            files.append(stem + ".csv")
        }
        if formats.contains(.pdf) {
            try Self.writeAtomically(Data(try StatementPDF(document).render()), to: stem + ".pdf")
            files.append(stem + ".pdf")
        }
        if formats.contains(.xlsx) {
            do {
                try DocumentWorkbook(document: document).write(to: stem + ".xlsx.part")
                try Self.rename(stem + ".xlsx.part", to: stem + ".xlsx")
            } catch {
                try? FileManager.default.removeItem(atPath: stem + ".xlsx.part")
                throw error
            }
            files.append(stem + ".xlsx")
        }
        return files
    }
}
