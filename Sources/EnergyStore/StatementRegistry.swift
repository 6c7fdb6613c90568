import EnergyCore

/// The final statements of a community: issued once, numbered per year without gaps, never
/// changed or deleted.
///
/// ```swift
/// let issued = try store.issueStatements(requests, community: "eeg-demo", period: "2026-10",
///                                        from: first, to: end, year: 2026, issuedAt: clock.unixSeconds)
/// print(issued.map(\.number))   // ["2026-0001", "2026-0002", …]
/// ```
public protocol StatementRegistry: AnyObject {
    /// Final statements of `community` whose billing periods overlap local days `from..<to`,
    /// ordered by year and number.
    func issuedStatements(community: String, from: LocalDate, to: LocalDate) throws -> [IssuedStatement]

    /// Issues the statements of a final run in one transaction: the next numbers of `year` for
    /// `community`, without gaps, in the order given. Throws `StoreError.periodAlreadyIssued` if a
    /// statement of the community already covers part of `from..<to`.
    func issueStatements(
        _ requests: [StatementRequest], community: String, period: String, from: LocalDate, to: LocalDate,
        year: Int, issuedAt: Int64
    ) throws -> [IssuedStatement]
}

/// What a backend supplies so that numbering is written once (the extension below).
public protocol StatementRegistryBackend: StatementRegistry {
    /// Runs `body` as one transaction that two numbering runs cannot both commit with the same
    /// numbers (a write lock taken first, or numbers that collide on a unique key).
    func numberingStatements<T>(_ body: () throws -> T) throws -> T
    /// The highest sequence number issued to `community` in `year`, 0 if none.
    func lastStatementSequence(community: String, year: Int) throws -> Int
    /// Stores issued statements; fails if a number is taken.
    func insertStatements(_ statements: [IssuedStatement]) throws
}

extension StatementRegistryBackend {
    public func issueStatements(
        _ requests: [StatementRequest], community: String, period: String, from: LocalDate, to: LocalDate,
        year: Int, issuedAt: Int64
    ) throws -> [IssuedStatement] {
        try numberingStatements {
            if let clash = try issuedStatements(community: community, from: from, to: to).first {
                throw StoreError.periodAlreadyIssued(period, issued: clash.period)
            }
            let last = try lastStatementSequence(community: community, year: year)
            let issued = requests.enumerated().map { offset, request in
                IssuedStatement(
                    community: community, year: year, sequence: last + 1 + offset, period: period, from: from, to: to,
                    memberID: request.memberID, fingerprint: request.fingerprint, incomplete: request.incomplete, issuedAt: issuedAt)
            }
            try insertStatements(issued)
            return issued
        }
    }
}

/// A member's statement to be issued by a final run.
public struct StatementRequest: Sendable, Equatable {
    public var memberID: String
    /// Identifies the statement's figures, so a rerun can tell whether they are still the same.
    public var fingerprint: String
    public var incomplete: Bool
    public init(memberID: String, fingerprint: String, incomplete: Bool) {
        self.memberID = memberID
        self.fingerprint = fingerprint
        self.incomplete = incomplete
    }
}

/// A statement issued by a final billing run; never changed or deleted.
public struct IssuedStatement: Sendable, Equatable {
    public var community: String
    public var year: Int
    /// 1, 2, 3 … per community and year, without gaps.
    public var sequence: Int
    public var period: String
    public var from: LocalDate
    public var to: LocalDate
    public var memberID: String
    public var fingerprint: String
    public var incomplete: Bool
    public var issuedAt: Int64

    /// `2026-0007`
    public var number: String { IssuedStatement.number(year: year, sequence: sequence) }

    public static func number(year: Int, sequence: Int) -> String {
        let s = String(sequence)
        return "\(year)-" + String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}
