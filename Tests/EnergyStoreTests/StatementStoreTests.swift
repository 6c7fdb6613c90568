import EnergyCore
import EnergyTestSupport
import Foundation
import Testing

@testable import EnergyStore

@Suite struct StatementStoreTests {
    func requests(_ members: [String]) -> [StatementRequest] {
        members.map { StatementRequest(memberID: $0, fingerprint: "f-\($0)", incomplete: false) }
    }

    @Test(arguments: Backend.allCases)
    func numbersAreGapFreePerCommunityAndYearAndIssuedStatementsAreImmutable(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let store = fixture.store
        let oct = try store.issueStatements(
            requests(["A", "B"]), community: "c1", period: "2026-10", from: try LocalDate("2026-10-01"),
            to: try LocalDate("2026-11-01"), year: 2026, issuedAt: 100)
        #expect(oct.map(\.number) == ["2026-0001", "2026-0002"])
        let other = try store.issueStatements(
            requests(["X"]), community: "c2", period: "2026-10", from: try LocalDate("2026-10-01"),
            to: try LocalDate("2026-11-01"), year: 2026, issuedAt: 100)
        #expect(other.map(\.number) == ["2026-0001"])  // each community counts on its own
        #expect(throws: StoreError.periodAlreadyIssued("2026-Q4", issued: "2026-10")) {
            try store.issueStatements(
                requests(["A", "B"]), community: "c1", period: "2026-Q4", from: try LocalDate("2026-10-01"),
                to: try LocalDate("2027-01-01"), year: 2026, issuedAt: 200)
        }
        let nov = try store.issueStatements(
            requests(["A", "B"]), community: "c1", period: "2026-11", from: try LocalDate("2026-11-01"),
            to: try LocalDate("2026-12-01"), year: 2026, issuedAt: 300)
        #expect(nov.map(\.sequence) == [3, 4])  // the refused run used no numbers
        let jan = try store.issueStatements(
            requests(["A"]), community: "c1", period: "2027-01", from: try LocalDate("2027-01-01"),
            to: try LocalDate("2027-02-01"), year: 2027, issuedAt: 400)
        #expect(jan.map(\.number) == ["2027-0001"])

        // Read back from a fresh connection, as a later run would.
        let reopened = try store.openAnotherConnection()
        let stored = try reopened.issuedStatements(community: "c1", from: try LocalDate("2026-11-15"), to: try LocalDate("2026-11-16"))
        #expect(stored == nov)
        if let sqlite = reopened as? SQLiteStore {
            #expect(throws: SQLiteError.self) { try sqlite.db.execute("UPDATE statements SET fingerprint = 'x'") }
            #expect(throws: SQLiteError.self) { try sqlite.db.execute("DELETE FROM statements") }
        }
        #expect(
            try reopened.issuedStatements(community: "c1", from: try LocalDate("2026-01-01"), to: try LocalDate("2028-01-01")).count == 5)
    }

    @Test func aStoreFromBeforeBillingGainsTheStatementsTableOnOpen() throws {
        // A file as the version before billing left it: the first two migrations only.
        let (folder, path) = try SQLiteStoreTests.oldFile(migrations: 2)
        defer { withExtendedLifetime(folder) {} }
        let store = try SQLiteStore(path: path)
        #expect(try store.schemaVersion() == SQLiteSchema.version)
        let issued = try store.issueStatements(
            requests(["A"]), community: "c1", period: "2026-10", from: try LocalDate("2026-10-01"),
            to: try LocalDate("2026-11-01"), year: 2026, issuedAt: 1)
        #expect(issued.map(\.number) == ["2026-0001"])
    }

    @Test(arguments: Backend.allCases)
    func cancellationsAndReissuesAreDocumentsOfTheirOwnNumberedFromTheSameSequence(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let store = fixture.store
        let (from, to) = (try LocalDate("2026-10-01"), try LocalDate("2026-11-01"))
        var first = requests(["A", "B"])
        first[0].pricing = "tariff text"
        first[0].document = #"{"lines":[]}"#
        let oct = try store.issueStatements(first, community: "c1", period: "2026-10", from: from, to: to, year: 2026, issuedAt: 100)
        var cancel = StatementRequest(memberID: "A", fingerprint: "f-A", incomplete: false)
        cancel.kind = .cancellation
        cancel.reference = oct[0].number
        cancel.reason = "reading corrected, 12 Oct"
        cancel.document = #"{"negated":true}"#
        // Decided on an outdated view of the period (B's statement unseen): nothing is issued.
        #expect(throws: StoreError.issuedMeanwhile("2026-10")) {
            try store.issueStatements(
                [cancel], community: "c1", period: "2026-10", from: from, to: to, year: 2026, issuedAt: 200, seen: ["2026-0001"])
        }
        let storno = try store.issueStatements(
            [cancel], community: "c1", period: "2026-10", from: from, to: to, year: 2026, issuedAt: 200, seen: oct.map(\.number))
        #expect(storno.map(\.number) == ["2026-0003"])
        var reissue = StatementRequest(memberID: "A", fingerprint: "f-A2", incomplete: false)
        reissue.reference = oct[0].number
        let again = try store.issueStatements(
            [reissue], community: "c1", period: "2026-10", from: from, to: to, year: 2026, issuedAt: 300,
            seen: (oct + storno).map(\.number))
        #expect(again.map(\.number) == ["2026-0004"])

        let stored = try store.openAnotherConnection().issuedStatements(community: "c1", from: from, to: to)
        #expect(stored == oct + storno + again, "kind, reference, reason, pricing and document read back as issued")
        #expect(stored[0].pricing == "tariff text" && stored[0].document == #"{"lines":[]}"# && stored[0].kind == .statement)
        #expect(stored[2].kind == .cancellation && stored[2].reference == "2026-0001" && stored[2].reason == "reading corrected, 12 Oct")
        #expect(stored[3].kind == .statement && stored[3].reference == "2026-0001" && stored[3].reason == nil)
        // A second cancellation of the same statement cannot be stored, whoever tries (the unique
        // indexes; the numbering already refuses, this is the store's own guard).
        if let mongo = store as? MongoStore {
            var twice = storno[0]
            twice.sequence = 5
            #expect(throws: MongoError.self) { try mongo.insertStatements([twice]) }
            var secondFirst = oct[1]
            secondFirst.sequence = 6
            #expect(throws: MongoError.self) { try mongo.insertStatements([secondFirst]) }
        }
        if let sqlite = store as? SQLiteStore {
            #expect(throws: SQLiteError.self) {
                try sqlite.db.execute(
                    """
                    INSERT INTO statements (community, year, sequence, period, first_day, end_day, member, fingerprint, incomplete,
                                            issued_at, kind, reference) VALUES
                    ('c1', 2026, 5, '2026-10', '2026-10-01', '2026-11-01', 'A', 'f', 0, 1, 'cancellation', '2026-0001')
                    """)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func aMandatesFirstCollectionIsRememberedOnce(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let store = fixture.store
        #expect(try store.firstCollections(community: "c1", mandates: [:]) == [:])
        #expect(
            try store.firstCollections(community: "c1", mandates: ["M-1": "2026-0001", "M-2": "2026-0002"]) == [
                "M-1": "2026-0001", "M-2": "2026-0002",
            ])
        // Later statements under the same mandates: the first one stays; a new mandate starts its own.
        #expect(
            try store.firstCollections(community: "c1", mandates: ["M-1": "2026-0007", "M-3": "2026-0008"]) == [
                "M-1": "2026-0001", "M-3": "2026-0008",
            ])
        #expect(try store.firstCollections(community: "c2", mandates: ["M-1": "2026-0001"]) == ["M-1": "2026-0001"])
        #expect(try store.openAnotherConnection().firstCollections(community: "c1", mandates: ["M-2": "2026-0099"]) == ["M-2": "2026-0002"])
    }

    @Test func statementsIssuedBeforeCancellationsExistedKeepTheirNumbersThroughTheMigration() throws {
        let (folder, path) = try SQLiteStoreTests.oldFile(
            migrations: 5,
            then: [
                """
                INSERT INTO statements (community, year, sequence, period, first_day, end_day, member, fingerprint, incomplete, issued_at)
                VALUES ('c1', 2026, 1, '2026-10', '2026-10-01', '2026-11-01', 'A', 'fp', 0, 42)
                """
            ])
        defer { withExtendedLifetime(folder) {} }
        let store = try SQLiteStore(path: path)
        let old = try store.issuedStatements(community: "c1", from: try LocalDate("2026-10-01"), to: try LocalDate("2026-11-01"))
        #expect(old.count == 1 && old[0].number == "2026-0001" && old[0].kind == .statement && old[0].document.isEmpty)
        #expect(old[0].fingerprint == "fp" && old[0].issuedAt == 42)
        #expect(throws: SQLiteError.self) { try store.db.execute("DELETE FROM statements") }
    }

    @Test func statementNumbersParseOnlyInTheirOwnShape() {
        #expect(IssuedStatement.parse(number: "2026-0007").map { [$0.year, $0.sequence] } == [2026, 7])
        #expect(IssuedStatement.parse(number: "2026-12345").map { [$0.year, $0.sequence] } == [2026, 12345])
        for bad in ["2026-7", "26-0007", "2026-0000", "2026_0007", "x026-0007", "2026-00-7", ""] {
            #expect(IssuedStatement.parse(number: bad) == nil, "\(bad)")
        }
    }
}
