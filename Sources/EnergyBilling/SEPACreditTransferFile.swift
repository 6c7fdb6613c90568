import EnergyCore

/// A SEPA credit-transfer file (ISO 20022 `pain.001.001.09`) that pays producers what the
/// community owes them, for upload to the community's bank.
///
/// One payment information block (`PmtInfId`: the message id and `-TRF`) debits the community's
/// account on the requested execution date. Transactions keep the order given; the same input
/// gives the same bytes. Mandates are ignored.
///
/// ```swift
/// let file = SEPAFile(
///     messageID: "EEG-2026-10-P", createdAt: 1_793_664_000, initiator: community.name,
///     account: SEPAParty(name: community.name, iban: bank.iban, bic: bank.bic),
///     date: TargetCalendar.businessDay(onOrAfter: today), transactions: payouts)
/// if let xml = try SEPACreditTransferFile.xml(file) { try xml.write(toFile: "EEG-2026-10-P.xml", atomically: true, encoding: .utf8) }
/// ```
public enum SEPACreditTransferFile {
    public static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"

    /// The XML of `file` (UTF-8 text), or nil when it has no transactions (a file without
    /// transactions is invalid). Throws when an identifier is not SEPA text, an amount is not
    /// positive or the execution date is not a TARGET business day.
    public static func xml(_ file: SEPAFile) throws(SEPAError) -> String? {
        guard !file.transactions.isEmpty else { return nil }
        try file.check(directDebit: false)
        var xml = SEPAXML(namespace: namespace)
        xml.open("CstmrCdtTrfInitn")
        xml.groupHeader(file)
        xml.open("PmtInf")
        xml.leaf("PmtInfId", file.messageID + "-TRF")
        xml.leaf("PmtMtd", "TRF")
        xml.leaf("NbOfTxs", String(file.transactions.count))
        xml.leaf("CtrlSum", SEPAFile.controlSum(file.transactions).text)
        xml.leaf(path: ["PmtTpInf", "SvcLvl", "Cd"], "SEPA")
        // Since pain.001.001.08 the execution date is a choice of a date or a date-time.
        xml.leaf(path: ["ReqdExctnDt", "Dt"], file.date.description)
        xml.leaf(path: ["Dbtr", "Nm"], SEPAText.latin(file.account.name, maxLength: SEPAText.nameLength))
        xml.leaf(path: ["DbtrAcct", "Id", "IBAN"], file.account.iban.description)
        xml.agent("DbtrAgt", file.account.bic)
        xml.leaf("ChrgBr", "SLEV")
        for t in file.transactions {
            xml.open("CdtTrfTxInf")
            xml.leaf(path: ["PmtId", "EndToEndId"], t.endToEndID)
            xml.open("Amt")
            xml.amount("InstdAmt", t.amount)
            xml.close()
            // The payee's agent is optional here: without a BIC it is left out, the bank derives it from the IBAN.
            if let bic = t.counterparty.bic { xml.agent("CdtrAgt", bic) }
            xml.leaf(path: ["Cdtr", "Nm"], SEPAText.latin(t.counterparty.name, maxLength: SEPAText.nameLength))
            xml.leaf(path: ["CdtrAcct", "Id", "IBAN"], t.counterparty.iban.description)
            let remittance = SEPAText.latin(t.remittance, maxLength: SEPAText.remittanceLength)
            if !remittance.isEmpty { xml.leaf(path: ["RmtInf", "Ustrd"], remittance) }
            xml.close()
        }
        xml.close()
        return xml.finish()
    }
}
