import EnergyCore

/// Why a SEPA file cannot be written, with what to fix.
///
/// ```swift
/// do { _ = try SEPADirectDebitFile.xml(file) } catch { print(error) }   // "… has no SEPA mandate: …"
/// ```
public enum SEPAError: Error, Equatable, CustomStringConvertible {
    /// What it is, the value, its maximum length.
    case invalidIdentifier(String, String, maxLength: Int)
    case duplicateEndToEndID(String)
    case nonPositiveAmount(String, Money)
    case amountTooLarge(String, Money)
    case totalTooLarge(Money)
    /// Whose name, the name as given.
    case emptyName(String, String)
    case missingCreditorID
    case missingMandate(String)
    case mandateSignedAfterCollection(String, LocalDate, LocalDate)
    /// The date and the first business day on or after it.
    case notABusinessDay(LocalDate, next: LocalDate)

    public var description: String {
        switch self {
        case let .invalidIdentifier(what, value, maxLength):
            return "'\(value)' cannot be a SEPA \(what): it must be 1 to \(maxLength) characters of a-z A-Z 0-9 / - ? : ( ) . , ' + "
                + "and space, without leading or trailing spaces, not start or end with / and not contain //"
        case let .duplicateEndToEndID(id):
            return "the end-to-end id \(id) occurs twice in one file: each statement is collected or paid once, by its own number"
        case let .nonPositiveAmount(id, amount):
            return "\(id): the amount \(amount) is not positive; leave zero amounts out, and pay members who are owed money "
                + "by credit transfer instead of a direct debit"
        case let .amountTooLarge(id, amount):
            return "\(id): the amount \(amount) is above SEPA's limit of 999999999.99 per transaction (a wrong figure?)"
        case let .totalTooLarge(total):
            return "the file's total \(total) is too large for a SEPA control sum; split the transactions into several files"
        case let .emptyName(whose, name):
            return "the name of \(whose) ('\(name)') has no letters or digits SEPA can carry; give it a name in Latin letters"
        case .missingCreditorID:
            return "a direct-debit file needs the community's creditor identifier (Glaeubiger-ID); add it to the community's bank details"
        case let .missingMandate(id):
            return "\(id) has no SEPA mandate (reference, date of signature, first or recurring): "
                + "collect it only after the member signed one, or pay by invoice"
        case let .mandateSignedAfterCollection(id, signed, date):
            return "\(id): the mandate was signed on \(signed), after the collection date \(date); check the mandate's date"
        case let .notABusinessDay(date, next):
            return "\(date) is not a TARGET business day (weekend or TARGET holiday); the next one is \(next)"
        }
    }
}
