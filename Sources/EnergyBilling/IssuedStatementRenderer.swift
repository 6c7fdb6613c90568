import CXLSXWriter
import EnergyCore
import EnergyStore
import Foundation

/// Renders a statement a final run issued to the bytes of its file, from the store: the same
/// figures give the same bytes as the final run's file. No billing run, no files on disk.
///
/// ```swift
/// let bytes = try IssuedStatementRenderer(store: store, community: community).render(issued, as: .xlsx)
/// ```
public struct IssuedStatementRenderer {
    public let store: any ReadingStore
    public let community: Community

    public init(store: any ReadingStore, community: Community) {
        self.store = store
        self.community = community
    }

    /// The file of `issued` in `format`. Throws `BillingError.changedSinceFinal` if the data
    /// changed since it was issued (its figures would differ from the issued ones).
    public func render(_ issued: IssuedStatement, as format: BillingRun.Format) throws -> Data {
        guard let tariffs = community.tariffs else { throw BillingError.noTariff(community.id) }
        let period = try BillingPeriod(issued.period)
        let billing = BillingRun(store: store, community: community)
        if issued.kind == .cancellation {
            // A cancellation shows what was stored when it was issued: no figures needed.
            let content = try IssuedContent(text: issued.document, number: issued.number)
            let document = try billing.document(of: issued, content: content, period: period)
            switch format {
            case .csv: return Data(StatementCSV.detail(document).utf8)
            case .pdf: return Data(try StatementPDF(document).render())
            case .xlsx:
                return try Self.inMemory(named: "cancellation-\(issued.number)") { try DocumentWorkbook(document: document).write(to: $0) }
            case .sepa: throw BillingError.cannotWrite(issued.number, "SEPA files are written per billing run, not per statement")
            }
        }
        let figures = try BillingFigures(store: store, community: community, tariffs: tariffs, period: period)
        guard figures.reconciliation.balanced else { throw BillingError.unbalanced(figures.reconciliation) }
        guard let index = figures.statements.firstIndex(where: { $0.member.id == issued.memberID }) else {
            throw BillingError.changedSinceFinal(
                period.label, ["statement \(issued.number) was issued to member \(issued.memberID), who is no longer in the community file"]
            )
        }
        guard billing.fingerprint(figures, index) == issued.fingerprint else {
            throw BillingError.changedSinceFinal(
                period.label, ["statement \(issued.number) (member \(issued.memberID)): its figures differ from the issued ones"])
        }
        let issuedOn = community.calendar.localDate(containing: issued.issuedAt)
        let document = StatementDocument(
            figures: figures, memberIndex: index, kind: .statement, number: issued.number, issuedOn: issuedOn, reference: issued.reference)
        switch format {
        case .sepa: throw BillingError.cannotWrite(issued.number, "SEPA files are written per billing run, not per statement")
        case .csv: return Data(StatementCSV.detail(document).utf8)
        case .pdf: return Data(try StatementPDF(document).render())
        case .xlsx:
            let series = try QuarterHourSeries(
                store: store, figures: figures, points: figures.pointIndices(of: figures.statements[index].member))
            let workbook = StatementWorkbook(
                figures: figures, memberIndex: index, number: issued.number, issuedOn: issuedOn, series: series)
            return try Self.inMemory(named: "statement-\(issued.number)") { path in try workbook.write(to: path) }
        }
    }

    /// What `write` writes to the path it is given, read back from an in-memory file.
    static func inMemory(named name: String, _ write: (String) throws -> Void) throws -> Data {
        let fd = energy_memory_file(name)
        guard fd >= 0 else { throw BillingError.cannotWrite(name, "no in-memory file (memfd_create: \(String(cString: strerror(errno))))") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        try write("/proc/self/fd/\(fd)")
        try handle.seek(toOffset: 0)
        return try handle.readToEnd() ?? Data()
    }
}
