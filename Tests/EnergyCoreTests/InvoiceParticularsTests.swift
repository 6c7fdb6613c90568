import EnergyCore
import EnergyTestSupport
import Testing

/// The community file's invoice particulars: addresses, the UID, SEPA details, the language.
@Suite struct InvoiceParticularsTests {
    static let yaml = """
        community:
          id: eeg-sonnenfeld
          vatId: ATU12345678
          address: {street: Hauptplatz 1, postalCode: "2000", city: Sonnenfeld, country: AT}
          sepa: {creditorId: AT88ZZZ00000000001, iban: AT862011100000004242, bic: GIBAATWWXXX}
          language: en
        members:
          - id: M001
            address: {street: Weg 1, postalCode: "2000", city: Sonnenfeld, country: AT}
            sepa: {iban: AT46 3200 0000 0000 1001, mandateId: MANDATE-0001, mandateSignedOn: 2026-01-15}
            meteringPoints:
              - {zaehlpunkt: AT0030000000000000000000000000001, direction: consumption}
        """

    func parse(_ text: String) throws -> Community {
        try CommunityFile.parse(text, source: "eeg.yaml", today: try LocalDate("2026-12-04"))
    }

    @Test func theIssuesExampleIsReadAndRenderedBackEqual() throws {
        let community = try parse(Self.yaml)
        #expect(community.vatID?.description == "ATU12345678" && community.language == .en)
        #expect(community.address?.lines == ["Hauptplatz 1", "AT-2000 Sonnenfeld"])
        #expect(
            community.bankAccount?.creditorID.description == "AT88ZZZ00000000001"
                && community.bankAccount?.bic?.description == "GIBAATWWXXX")
        let member = try #require(community.members.first)
        #expect(member.mandate?.iban.description == "AT463200000000001001" && member.mandate?.iban.grouped == "AT46 3200 0000 0000 1001")
        let signed = try LocalDate("2026-01-15")
        #expect(member.mandate?.mandateID == "MANDATE-0001" && member.mandate?.signedOn == signed)
        let again = try parse(CommunityFile.render(community))
        #expect(again.members == community.members && again.address == community.address && again.vatID == community.vatID)
        #expect(again.bankAccount == community.bankAccount && again.language == community.language)
        // Without them nothing changes: German, no particulars.
        let plain = try parse(ThreeMemberCommunity.yaml(id: "x", name: "X"))
        #expect(plain.language == .de && plain.address == nil && plain.bankAccount == nil && plain.members.allSatisfy { $0.mandate == nil })
    }

    @Test(arguments: [
        ("vatId: ATU12345678", "vatId: ATU1234", "eeg.yaml:3: community.vatId: 'ATU1234' is not a valid VAT id (UID)"),
        ("country: AT}\n  sepa", "country: Austria}\n  sepa", "eeg.yaml:4: community.address.country: 'Austria' is not a country code"),
        (
            "postalCode: \"2000\", city: Sonnenfeld, country: AT}\n  sepa", "postalCode: \"2000\", country: AT}\n  sepa",
            "eeg.yaml:4: community.address: 'city' is missing"
        ),
        (
            "creditorId: AT88ZZZ00000000001", "creditorId: AT89ZZZ00000000001",
            "eeg.yaml:5: community.sepa.creditorId: 'AT89ZZZ00000000001' is not a valid creditor identifier: its check digits do not match"
        ),
        (
            "iban: AT862011100000004242", "iban: AT862011100000004243",
            "eeg.yaml:5: community.sepa.iban: 'AT862011100000004243' is not a valid IBAN: its check digits do not match"
        ),
        ("iban: AT862011100000004242", "iban: AT8620111000000042", "an IBAN of AT has 20 characters, this one 18"),
        ("bic: GIBAATWWXXX", "bic: GIBA", "eeg.yaml:5: community.sepa.bic: 'GIBA' is not a valid BIC"),
        ("language: en", "language: fr", "eeg.yaml:6: community.language: 'fr' is not a statement language (de or en)"),
        ("iban: AT46 3200", "iban: AT47 3200", "eeg.yaml:10: members[0] (M001).sepa.iban: 'AT47 3200 0000 0000 1001' is not a valid IBAN"),
        (
            "mandateId: MANDATE-0001", "mandateId: \"MANDATE_0001\"",
            "members[0] (M001).sepa.mandateId: 'MANDATE_0001' is not a mandate reference"
        ),
        (
            "mandateSignedOn: 2026-01-15", "mandateSignedOn: 2027-01-15",
            "eeg.yaml:10: members[0] (M001).sepa.mandateSignedOn: 2027-01-15 is in the future (today is 2026-12-04)"
        ),
        ("mandateSignedOn: 2026-01-15", "mandateSignedOn: 15.01.2026", "members[0] (M001).sepa.mandateSignedOn"),
        (", mandateSignedOn: 2026-01-15}", "}", "eeg.yaml:10: members[0] (M001).sepa: 'mandateSignedOn' is missing"),
        ("    address: {street: Weg 1,", "    address: {road: Weg 1,", "members[0] (M001).address: unknown key 'road'"),
    ])
    func everyWrongEntryIsNamedWithFileLineAndEntry(original: String, replacement: String, message: String) throws {
        let text = Self.yaml.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.yaml, "the case must change the file")
        #expect {
            _ = try parse(text)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func ibanAndCreditorChecksAreTheBanksOwn() throws {
        for valid in ["AT611904300234573201", "DE89370400440532013000", "CH9300762011623852957", "NL91ABNA0417164300"] {
            #expect(throws: Never.self) { try IBAN(valid) }
        }
        #expect(throws: BankingError.self) { try IBAN("DE89370400440532013001") }
        #expect(throws: BankingError.self) { try IBAN("AT61 1904 3002 3457 320") }
        #expect((try? CreditorID("DE98ZZZ09999999999"))?.description == "DE98ZZZ09999999999")
        #expect(throws: BankingError.self) { try CreditorID("DE97ZZZ09999999999") }
    }
}
