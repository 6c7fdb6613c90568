import EnergyCore

/// The small XML writer the SEPA files share: elements, two spaces of indentation per level, text
/// escaped, no attributes but `Ccy` and the namespace. Deterministic: the output is exactly the
/// calls made.
///
/// ```swift
/// var xml = SEPAXML(namespace: "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08")
/// xml.open("CstmrDrctDbtInitn")
/// xml.leaf("MsgId", "EEG-2026-10")
/// xml.close()
/// let text = xml.finish()
/// ```
struct SEPAXML {
    private(set) var text: String
    private var stack: [String] = []

    init(namespace: String) {
        text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"\(SEPAText.escaped(namespace))\">\n"
        stack = ["Document"]
    }

    private var indent: String { String(repeating: "  ", count: stack.count) }

    mutating func open(_ name: String) {
        text += indent + "<" + name + ">\n"
        stack.append(name)
    }

    mutating func close() {
        guard let name = stack.popLast() else { return }
        text += indent + "</" + name + ">\n"
    }

    /// `<name>text</name>`, the text escaped.
    mutating func leaf(_ name: String, _ value: String) {
        text += indent + "<" + name + ">" + SEPAText.escaped(value) + "</" + name + ">\n"
    }

    /// `<InstdAmt Ccy="EUR">12.34</InstdAmt>`.
    mutating func amount(_ name: String, _ money: Money) {
        text += indent + "<" + name + " Ccy=\"EUR\">" + money.text + "</" + name + ">\n"
    }

    /// Opens the elements of `path` one inside the other, writes `value` in the innermost and
    /// closes them again: `leaf(path: ["CdtrAcct", "Id", "IBAN"], iban)`.
    mutating func leaf(path: [String], _ value: String) {
        for name in path.dropLast() { open(name) }
        leaf(path.last ?? "", value)
        for _ in path.dropLast() { close() }
    }

    /// A financial institution (`CdtrAgt`, `DbtrAgt`): its BIC as `BICFI` (the .08/.09 schemas'
    /// name; `BIC` was the .02/.03 one), or `Othr/Id NOTPROVIDED` as the EPC rules ask without one.
    mutating func agent(_ name: String, _ bic: BIC?) {
        open(name)
        open("FinInstnId")
        if let bic {
            leaf("BICFI", bic.description)
        } else {
            leaf(path: ["Othr", "Id"], "NOTPROVIDED")
        }
        close()
        close()
    }

    /// `GrpHdr`, the same in both kinds of file: the message id, the creation time, the number of
    /// transactions and their sum, the initiating party.
    mutating func groupHeader(_ file: SEPAFile) {
        open("GrpHdr")
        leaf("MsgId", file.messageID)
        leaf("CreDtTm", file.creationDateTime)
        leaf("NbOfTxs", String(file.transactions.count))
        leaf("CtrlSum", SEPAFile.controlSum(file.transactions).text)
        leaf(path: ["InitgPty", "Nm"], SEPAText.latin(file.initiator, maxLength: SEPAText.nameLength))
        close()
    }

    /// The whole document, every element closed.
    mutating func finish() -> String {
        while !stack.isEmpty { close() }
        return text
    }
}
