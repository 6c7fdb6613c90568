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

    /// Issues documents (statements, cancellations, reissues) in one transaction: the next numbers
    /// of `year` for `community`, without gaps, in the order given. `seen` are the numbers of the
    /// documents overlapping `from..<to` the caller decided on: if the store holds others now
    /// (another run issued meanwhile), nothing is issued and `StoreError.issuedMeanwhile` thrown.
    /// With `seen` empty, any document overlapping the period throws `StoreError.periodAlreadyIssued`.
    func issueStatements(
        _ requests: [StatementRequest], community: String, period: String, from: LocalDate, to: LocalDate,
        year: Int, issuedAt: Int64, seen: [String]
    ) throws -> [IssuedStatement]

    /// Direct-debit mandates and the statement that first collected under each (SEPA `FRST`):
    /// records `mandates[m]` for every mandate `m` that has none yet and returns, for every
    /// mandate asked about, the number of its first statement.
    func firstCollections(community: String, mandates: [String: String]) throws -> [String: String]
}

extension StatementRegistry {
    /// Issues the first statements of a period (nothing of it issued before).
    public func issueStatements(
        _ requests: [StatementRequest], community: String, period: String, from: LocalDate, to: LocalDate,
        year: Int, issuedAt: Int64
    ) throws -> [IssuedStatement] {
        try issueStatements(requests, community: community, period: period, from: from, to: to, year: year, issuedAt: issuedAt, seen: [])
    }
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
        year: Int, issuedAt: Int64, seen: [String]
    ) throws -> [IssuedStatement] {
        try numberingStatements {
            let now = try issuedStatements(community: community, from: from, to: to)
            if seen.isEmpty, let clash = now.first {
                throw StoreError.periodAlreadyIssued(period, issued: clash.period)
            }
            if Set(now.map(\.number)) != Set(seen) { throw StoreError.issuedMeanwhile(period) }
            let last = try lastStatementSequence(community: community, year: year)
            let issued = requests.enumerated().map { offset, request in
                var statement = IssuedStatement(
                    community: community, year: year, sequence: last + 1 + offset, period: period, from: from, to: to,
                    memberID: request.memberID, fingerprint: request.fingerprint, incomplete: request.incomplete, issuedAt: issuedAt)
                statement.kind = request.kind
                statement.reference = request.reference
                statement.reason = request.reason
                statement.pricing = request.pricing
                statement.document = request.document
                return statement
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
    public var kind: IssuedStatement.Kind = .statement
    /// A cancellation: the cancelled statement's number; a reissue: the number it replaces.
    public var reference: String?
    /// A cancellation's reason.
    public var reason: String?
    /// The tariffs the statement was priced with (their text, to detect a later change).
    public var pricing = ""
    /// Its lines and totals as issued (opaque to the store).
    public var document = ""
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
    public var kind: Kind = .statement
    /// A cancellation: the cancelled statement's number; a reissue: the number it replaces.
    public var reference: String?
    /// A cancellation's reason.
    public var reason: String?
    /// The tariffs it was priced with ('' if issued before these were stored).
    public var pricing = ""
    /// Its lines and totals as issued ('' if issued before these were stored).
    public var document = ""

    /// A statement, or a cancellation (Storno) of one.
    public enum Kind: String, Sendable, Equatable { case statement, cancellation }

    /// `2026-0007`
    public var number: String { IssuedStatement.number(year: year, sequence: sequence) }

    public static func number(year: Int, sequence: Int) -> String {
        let s = String(sequence)
        return "\(year)-" + String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    /// The year and sequence of a number like `2026-0007`, nil if it is not one.
    public static func parse(number: String) -> (year: Int, sequence: Int)? {
        let parts = number.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count >= 4, let year = Int(parts[0]), let sequence = Int(parts[1]),
            sequence > 0, parts.allSatisfy({ $0.allSatisfy(\.isASCII) })
        else { return nil }
        return (year, sequence)
    }
}
