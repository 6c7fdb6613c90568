import EnergyCore

/// A SEPA direct-debit file (ISO 20022 `pain.008.001.08`, CORE scheme) that collects what members
/// owe under their mandates, for upload to the community's bank.
///
/// One payment information block per sequence type: first collections (`FRST`) and recurring ones
/// (`RCUR`) are separate batches at the bank, so each has its own `PmtInfId` (the message id and
/// `-FRST` or `-RCUR`), count and control sum. Transactions keep the order given; the same input
/// gives the same bytes.
///
/// ```swift
/// let file = SEPAFile(
///     messageID: "EEG-2026-10", createdAt: 1_793_664_000, initiator: community.name,
///     account: SEPAParty(name: community.name, iban: bank.iban, bic: bank.bic), creditorID: bank.creditorID,
///     date: TargetCalendar.adding(businessDays: 2, to: today), transactions: debits)
/// if let xml = try SEPADirectDebitFile.xml(file) { try xml.write(toFile: "EEG-2026-10.xml", atomically: true, encoding: .utf8) }
/// ```
public enum SEPADirectDebitFile {
    public static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"

    /// The XML of `file` (UTF-8 text), or nil when it has no transactions (a file without
    /// transactions is invalid). Throws when a transaction lacks its mandate, an identifier is
    /// not SEPA text, an amount is not positive, the collection date is not a TARGET business
    /// day or the creditor id is missing.
    public static func xml(_ file: SEPAFile) throws(SEPAError) -> String? {
        guard !file.transactions.isEmpty else { return nil }
        try file.check(directDebit: true)
        guard let creditorID = file.creditorID else { throw .missingCreditorID }
        var xml = SEPAXML(namespace: namespace)
        xml.open("CstmrDrctDbtInitn")
        xml.groupHeader(file)
        for sequence in SEPASequence.allCases {
            let batch = file.transactions.filter { $0.mandate?.sequence == sequence }
            guard !batch.isEmpty else { continue }
            paymentInformation(&xml, file, creditorID: creditorID, sequence: sequence, batch)
        }
        return xml.finish()
    }

    static func paymentInformation(
        _ xml: inout SEPAXML, _ file: SEPAFile, creditorID: CreditorID, sequence: SEPASequence, _ batch: [SEPATransaction]
    ) {
        xml.open("PmtInf")
        xml.leaf("PmtInfId", file.messageID + "-" + sequence.rawValue)
        xml.leaf("PmtMtd", "DD")
        xml.leaf("NbOfTxs", String(batch.count))
        xml.leaf("CtrlSum", SEPAFile.controlSum(batch).text)
        xml.open("PmtTpInf")
        xml.leaf(path: ["SvcLvl", "Cd"], "SEPA")
        xml.leaf(path: ["LclInstrm", "Cd"], "CORE")
        xml.leaf("SeqTp", sequence.rawValue)
        xml.close()
        xml.leaf("ReqdColltnDt", file.date.description)
        xml.leaf(path: ["Cdtr", "Nm"], SEPAText.latin(file.account.name, maxLength: SEPAText.nameLength))
        xml.leaf(path: ["CdtrAcct", "Id", "IBAN"], file.account.iban.description)
        xml.agent("CdtrAgt", file.account.bic)
        // Service level SEPA: charges shared, each side pays its own bank.
        xml.leaf("ChrgBr", "SLEV")
        xml.open("CdtrSchmeId")
        xml.open("Id")
        xml.open("PrvtId")
        xml.open("Othr")
        xml.leaf("Id", creditorID.description)
        xml.leaf(path: ["SchmeNm", "Prtry"], "SEPA")
        xml.close()
        xml.close()
        xml.close()
        xml.close()
        for t in batch { transaction(&xml, t) }
        xml.close()
    }

    static func transaction(_ xml: inout SEPAXML, _ t: SEPATransaction) {
        xml.open("DrctDbtTxInf")
        xml.leaf(path: ["PmtId", "EndToEndId"], t.endToEndID)
        xml.amount("InstdAmt", t.amount)
        if let mandate = t.mandate {
            xml.open("DrctDbtTx")
            xml.open("MndtRltdInf")
            xml.leaf("MndtId", mandate.id)
            xml.leaf("DtOfSgntr", mandate.signedOn.description)
            xml.close()
            xml.close()
        }
        xml.agent("DbtrAgt", t.counterparty.bic)
        xml.leaf(path: ["Dbtr", "Nm"], SEPAText.latin(t.counterparty.name, maxLength: SEPAText.nameLength))
        xml.leaf(path: ["DbtrAcct", "Id", "IBAN"], t.counterparty.iban.description)
        let remittance = SEPAText.latin(t.remittance, maxLength: SEPAText.remittanceLength)
        if !remittance.isEmpty { xml.leaf(path: ["RmtInf", "Ustrd"], remittance) }
        xml.close()
    }
}
