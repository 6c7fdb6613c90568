import Yams

/// The invoice particulars of a community file: addresses, the VAT id (UID), SEPA bank details
/// and mandates, the statements' language. All optional; every error names file, line and entry.
extension NodeReader {
    /// `community.address`, `vatId`, `sepa` and `language`.
    func particulars(_ c: [String: Node], into community: inout Community) throws {
        community.address = try c["address"].map { try address($0, "community.address") }
        if let text = try optionalText(c, "vatId", "community") {
            do { community.vatID = try VATID(text) } catch { throw fail(c["vatId"], "community.vatId", "\(error)") }
        }
        if let node = c["sepa"] {
            let s = try mapping(node, "community.sepa", allowed: ["creditorId", "iban", "bic"])
            let creditor = try text(s, "creditorId", "community.sepa", parent: node)
            let iban = try text(s, "iban", "community.sepa", parent: node)
            var account: CommunityBankAccount
            do {
                account = CommunityBankAccount(creditorID: try CreditorID(creditor), iban: try IBAN(iban))
            } catch {
                let key = (try? CreditorID(creditor)) == nil ? "creditorId" : "iban"
                throw fail(s[key], "community.sepa.\(key)", "\(error)")
            }
            if let bic = try optionalText(s, "bic", "community.sepa") {
                do { account.bic = try BIC(bic) } catch { throw fail(s["bic"], "community.sepa.bic", "\(error)") }
            }
            community.bankAccount = account
        }
        if let language = try optionalText(c, "language", "community") {
            guard let parsed = StatementLanguage(rawValue: language) else {
                throw fail(c["language"], "community.language", "'\(language)' is not a statement language (de or en)")
            }
            community.language = parsed
        }
    }

    /// `{street, postalCode, city, country}`, each required.
    func address(_ node: Node, _ path: String) throws -> PostalAddress {
        let a = try mapping(node, path, allowed: ["street", "postalCode", "city", "country"])
        let country = try text(a, "country", path, parent: node)
        guard country.count == 2, country.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw fail(a["country"], "\(path).country", "'\(country)' is not a country code (two capital letters, AT)")
        }
        return PostalAddress(
            street: try text(a, "street", path, parent: node), postalCode: try text(a, "postalCode", path, parent: node),
            city: try text(a, "city", path, parent: node), country: country)
    }

    /// A member's `sepa: {iban, mandateId, mandateSignedOn}`; the mandate not signed after `today`.
    func mandate(_ node: Node, _ path: String, today: LocalDate) throws -> MemberMandate {
        let m = try mapping(node, path, allowed: ["iban", "mandateId", "mandateSignedOn"])
        let iban: IBAN
        do { iban = try IBAN(try text(m, "iban", path, parent: node)) } catch let error as BankingError {
            throw fail(m["iban"], "\(path).iban", "\(error)")
        }
        let id = try text(m, "mandateId", path, parent: node)
        guard MemberMandate.isValidMandateID(id) else {
            throw fail(
                m["mandateId"], "\(path).mandateId", "'\(id)' is not a mandate reference (1 to 35 letters, digits or / - ? : ( ) . , ' +)")
        }
        let signedText = try text(m, "mandateSignedOn", path, parent: node)
        let signed: LocalDate
        do { signed = try LocalDate(signedText) } catch { throw fail(m["mandateSignedOn"], "\(path).mandateSignedOn", "\(error)") }
        guard signed <= today else {
            throw fail(m["mandateSignedOn"], "\(path).mandateSignedOn", "\(signed) is in the future (today is \(today))")
        }
        return MemberMandate(iban: iban, mandateID: id, signedOn: signed)
    }
}
