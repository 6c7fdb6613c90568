import EnergyCore
import EnergyStore
import Foundation

/// A statement whose member has no SEPA data: the member pays, or is paid, by bank transfer.
public struct BankTransferEntry: Sendable, Equatable, CustomStringConvertible {
    public var number: String
    public var memberID: String
    public var memberName: String
    /// Positive: the member pays the community; negative: the community pays the member.
    public var amount: Money
    public var currency: String

    public var description: String {
        amount.cents > 0
            ? "\(number) member \(memberID) pays \(amount.text) \(currency) by bank transfer"
            : "\(number) member \(memberID) is paid \((-amount).text) \(currency) by bank transfer"
    }
}

/// The bank's files of an issued period, one set per batch of documents issued together (a
/// final run, a reissue, a cancellation), named after the batch's first number:
/// `sepa-direct-debits-2026-0001.xml` (pain.008.001.08: members who owe and have a mandate),
/// `sepa-credit-transfers-2026-0001.xml` (pain.001.001.09: members the community pays) and
/// `bank-transfers-2026-0001.csv` (members without SEPA data). Every batch is written again on
/// each run, from stored numbers, issue times and amounts, so a rerun gives the same bytes; the
/// sequence type (FRST for a mandate's first collection, RCUR after) is remembered in the store.
///
/// ```swift
/// let sepa = try SEPABatches(store: store, community: community, collectionDate: nil).write(book, entries: entries, directory: "out")
/// print(sepa.files, sepa.bankTransfers)
/// ```
struct SEPABatches {
    let store: any ReadingStore
    let community: Community
    /// Overrides every batch's date; default: five TARGET business days after the batch was issued.
    let collectionDate: LocalDate?

    /// Business days between issuing and collecting by default: time to send the statements
    /// (the pre-notification) and upload the file (CORE needs one business day before the date).
    static let defaultLeadDays = 5

    func write(
        _ book: StatementBook, entries: [StatementCSV.Entry], directory: String
    ) throws -> (
        files: [String], bankTransfers: [BankTransferEntry]
    ) {
        guard let bank = community.bankAccount else {
            throw BillingError.cannotWrite(
                directory,
                "--format sepa needs the community's bank details: add community.sepa (creditorId, iban, bic) to the community file")
        }
        if let date = collectionDate, !TargetCalendar.isBusinessDay(date) {
            throw SEPAError.notABusinessDay(date, next: TargetCalendar.businessDay(onOrAfter: date))
        }
        let content = Dictionary(entries.compactMap { e in e.number.map { ($0, e.figures) } }, uniquingKeysWith: { a, _ in a })
        let members = Dictionary(community.members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // Batches in number order; each mandate's first collection is the earliest debit under it.
        var batches: [[IssuedStatement]] = []
        for d in book.documents.sorted(by: { ($0.year, $0.sequence) < ($1.year, $1.sequence) }) {
            if let last = batches.last?.last, last.issuedAt == d.issuedAt, last.kind == d.kind {
                batches[batches.count - 1].append(d)
            } else {
                batches.append([d])
            }
        }
        var firstUse: [String: String] = [:]
        for d in batches.joined() {
            guard let mandate = members[d.memberID]?.mandate, (content[d.number]?.totalCents ?? 0) > 0 else { continue }
            if firstUse[mandate.mandateID] == nil { firstUse[mandate.mandateID] = d.number }
        }
        let first = try store.firstCollections(community: community.id, mandates: firstUse)
        let account = SEPAParty(name: community.name, iban: bank.iban, bic: bank.bic)
        var files: [String] = []
        var transfers: [BankTransferEntry] = []
        for batch in batches {
            guard let head = batch.first else { continue }
            var debits: [SEPATransaction] = []
            var credits: [SEPATransaction] = []
            var manual: [BankTransferEntry] = []
            for d in batch {
                guard let c = content[d.number], c.totalCents != 0 else { continue }
                let member = members[d.memberID]
                let name = member?.name ?? c.memberName
                guard let mandate = member?.mandate else {
                    manual.append(
                        BankTransferEntry(
                            number: d.number, memberID: d.memberID, memberName: name, amount: Money(cents: c.totalCents),
                            currency: c.currency))
                    continue
                }
                let party = SEPAParty(name: name, iban: mandate.iban)
                let remittance =
                    (d.kind == .cancellation ? "Storno \(d.reference ?? "") " : "") + "\(d.number) \(community.name) \(d.period)"
                if c.totalCents > 0 {
                    let sequence: SEPASequence = first[mandate.mandateID] == d.number ? .first : .recurring
                    debits.append(
                        SEPATransaction(
                            endToEndID: d.number, amount: Money(cents: c.totalCents), counterparty: party, remittance: remittance,
                            mandate: .init(id: mandate.mandateID, signedOn: mandate.signedOn, sequence: sequence)))
                } else {
                    credits.append(
                        SEPATransaction(
                            endToEndID: d.number, amount: Money(cents: -c.totalCents), counterparty: party, remittance: remittance))
                }
            }
            let issuedOn = community.calendar.localDate(containing: head.issuedAt)
            let date = collectionDate ?? TargetCalendar.adding(businessDays: Self.defaultLeadDays, to: issuedOn)
            let id = SEPAText.latin("\(community.id)-\(head.number)", maxLength: SEPAFile.messageIDLength - 3)
            let stem = directory + "/"
            if let xml = try SEPADirectDebitFile.xml(
                SEPAFile(
                    messageID: id + "-DD", createdAt: head.issuedAt, initiator: community.name, account: account,
                    creditorID: bank.creditorID,
                    date: date, transactions: debits))
            {
                let path = stem + "sepa-direct-debits-\(head.number).xml"
                try BillingRun.writeAtomically(xml, to: path)
                files.append(path)
            }
            if let xml = try SEPACreditTransferFile.xml(
                SEPAFile(
                    messageID: id + "-CT", createdAt: head.issuedAt, initiator: community.name, account: account, date: date,
                    transactions: credits))
            {
                let path = stem + "sepa-credit-transfers-\(head.number).xml"
                try BillingRun.writeAtomically(xml, to: path)
                files.append(path)
            }
            if !manual.isEmpty {
                var csv = StatementCSV.row(["statement_number", "member_id", "member_name", "direction", "amount", "currency"])
                for m in manual {
                    csv += StatementCSV.row([
                        m.number, m.memberID, m.memberName, m.amount.cents > 0 ? "member_pays" : "member_is_paid",
                        Money(cents: abs(m.amount.cents)).text, m.currency,
                    ])
                }
                let path = stem + "bank-transfers-\(head.number).csv"
                try BillingRun.writeAtomically(csv, to: path)
                files.append(path)
                transfers += manual
            }
        }
        return (files, transfers)
    }
}
