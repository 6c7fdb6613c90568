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
}
