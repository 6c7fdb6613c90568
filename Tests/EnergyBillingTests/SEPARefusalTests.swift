import EnergyBilling
import EnergyCore
import Testing

/// What a bank would reject is refused before a file is written, with the reason.
struct SEPARefusalTests {
    private func debit(
        _ number: String = "2026-0001", cents: Int64 = 100, mandate: SEPATransaction.Mandate? = nil
    ) throws -> SEPATransaction {
        let recurring = SEPATransaction.Mandate(id: "M-1", signedOn: try LocalDate("2025-01-01"), sequence: .recurring)
        return SEPATransaction(
            endToEndID: number, amount: Money(cents: cents), counterparty: try SEPAFileTests.member(0, "Anna Amsel"),
            remittance: "Rechnung \(number)", mandate: mandate ?? recurring)
    }

    @Test func refusesDebitsABankWouldReject() throws {
        let noMandate = SEPATransaction(
            endToEndID: "2026-0001", amount: Money(cents: 100), counterparty: try SEPAFileTests.member(0, "Anna"), remittance: "x")
        #expect(throws: SEPAError.missingMandate("2026-0001")) { try SEPADirectDebitFile.xml(try SEPAFileTests.file([noMandate])) }
        #expect(throws: SEPAError.nonPositiveAmount("2026-0001", .zero)) {
            try SEPADirectDebitFile.xml(try SEPAFileTests.file([try debit(cents: 0)]))
        }
        #expect(throws: SEPAError.amountTooLarge("2026-0001", Money(cents: 100_000_000_000))) {
            try SEPADirectDebitFile.xml(try SEPAFileTests.file([try debit(cents: 100_000_000_000)]))
        }
        #expect(throws: SEPAError.duplicateEndToEndID("2026-0001")) {
            try SEPADirectDebitFile.xml(try SEPAFileTests.file([try debit(), try debit()]))
        }
        #expect(throws: SEPAError.invalidIdentifier("end-to-end id", "Rechnung-Jänner", maxLength: 35)) {
            try SEPADirectDebitFile.xml(try SEPAFileTests.file([try debit("Rechnung-Jänner")]))
        }
        let late = SEPATransaction.Mandate(id: "M-1", signedOn: try LocalDate("2026-11-11"), sequence: .first)
        let expected = SEPAError.mandateSignedAfterCollection("2026-0001", late.signedOn, try LocalDate("2026-11-10"))
        #expect(throws: expected) {
            try SEPADirectDebitFile.xml(try SEPAFileTests.file([try debit(mandate: late)]))
        }
        var noCreditorID = try SEPAFileTests.file([try debit()])
        noCreditorID.creditorID = nil
        #expect(throws: SEPAError.missingCreditorID) { try SEPADirectDebitFile.xml(noCreditorID) }
        // A credit transfer needs no creditor id.
        let transfer = try SEPACreditTransferFile.xml(noCreditorID)
        #expect(transfer != nil)
    }

    @Test func refusesClosingDaysAndNamesTheNextBusinessDay() throws {
        let christmas = try SEPAFileTests.file([try debit()], date: "2026-12-25")
        let error = SEPAError.notABusinessDay(try LocalDate("2026-12-25"), next: try LocalDate("2026-12-28"))
        #expect(throws: error) { try SEPADirectDebitFile.xml(christmas) }
        #expect(throws: error) { try SEPACreditTransferFile.xml(christmas) }
        #expect(error.description.contains("the next one is 2026-12-28"))
    }

    @Test func refusesMessageIDsAndNamesThatCannotBeWritten() throws {
        var file = try SEPAFileTests.file([try debit()])
        file.messageID = String(repeating: "A", count: 31)  // 31 + "-FRST" would exceed 35
        #expect(throws: SEPAError.invalidIdentifier("message id", file.messageID, maxLength: 30)) { try SEPADirectDebitFile.xml(file) }
        file.messageID = String(repeating: "A", count: 30)
        let written = try SEPADirectDebitFile.xml(file)
        #expect(written != nil)
        file.account.name = "中文"
        #expect(throws: SEPAError.emptyName("the community's account holder", "中文")) { try SEPADirectDebitFile.xml(file) }
    }
}
