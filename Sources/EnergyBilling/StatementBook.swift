import EnergyCore
import EnergyStore

/// The documents issued for one period and what follows from them. Issued rows never change, so
/// whether a statement is cancelled is derived: it is when a cancellation refers to it. A member's
/// statement in force is the newest one not cancelled; a cancelled statement not yet replaced by
/// a reissue (a statement referring to it) awaits one.
///
/// ```swift
/// let book = StatementBook(try store.issuedStatements(community: "eeg-demo", from: from, to: to))
/// book.inForce(member: "M001")?.number      // "2026-0001"
/// book.status(of: someDocument)             // "final", "cancelled" or "cancellation"
/// ```
struct StatementBook {
    let documents: [IssuedStatement]
    private let cancellationOf: [String: IssuedStatement]
    private let reissueOf: [String: IssuedStatement]

    init(_ documents: [IssuedStatement]) {
        self.documents = documents
        var cancellations: [String: IssuedStatement] = [:]
        var reissues: [String: IssuedStatement] = [:]
        for d in documents {
            guard let reference = d.reference else { continue }
            switch d.kind {
            case .cancellation: cancellations[reference] = d
            case .statement: reissues[reference] = d
            }
        }
        cancellationOf = cancellations
        reissueOf = reissues
    }

    /// The cancellation of statement `number`, if it was cancelled.
    func cancellation(of number: String) -> IssuedStatement? { cancellationOf[number] }

    /// The member's statement in force: issued, not cancelled (the newest if several).
    func inForce(member: String) -> IssuedStatement? {
        documents.last { $0.memberID == member && $0.kind == .statement && cancellationOf[$0.number] == nil }
    }

    /// The member's cancelled statement that no reissue replaces yet (only if none is in force).
    func awaitingReissue(member: String) -> IssuedStatement? {
        guard inForce(member: member) == nil else { return nil }
        return documents.last {
            $0.memberID == member && $0.kind == .statement && cancellationOf[$0.number] != nil && reissueOf[$0.number] == nil
        }
    }

    /// The accounting status: `final`, `cancelled` (a statement a cancellation refers to) or `cancellation`.
    func status(of document: IssuedStatement) -> String {
        switch document.kind {
        case .cancellation: return "cancellation"
        case .statement: return cancellationOf[document.number] == nil ? "final" : "cancelled"
        }
    }
}
