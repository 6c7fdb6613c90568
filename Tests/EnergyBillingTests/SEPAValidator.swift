import EnergyTestSupport
import Foundation

/// Validates a SEPA file against the ISO 20022 XSD that the `sepaxml` package ships
/// (`sepaxml/schemas/pain.008.001.08.xsd`, `pain.001.001.09.xsd`) with `xmlschema`, both in the
/// virtualenv `.venv` that `scripts/install-deps.sh test` makes, and reads the file back
/// independently of the writer: counts, control sums, the sum of the amounts (Python `Decimal`),
/// end-to-end ids and names per payment information block.
///
/// ```swift
/// let report = try SEPAValidator.check(xml, schema: "pain.008.001.08")
/// #expect(report.valid, "\(report.errors)")
/// ```
enum SEPAValidator {
    struct Payment: Decodable {
        var id: String?
        var sequence: String?
        var count: String?
        var controlSum: String?
        var sumOfAmounts: String
        var endToEndIDs: [String]
        var names: [String]
        var remittances: [String]
    }

    struct Report: Decodable {
        var valid: Bool
        var errors: [String]
        var namespace: String
        var messageID: String?
        var count: String?
        var controlSum: String?
        var payments: [Payment]
    }

    static let script = """
        import decimal, json, os, sys
        import xml.etree.ElementTree as ET
        import sepaxml, xmlschema
        path, name = sys.argv[1], sys.argv[2]
        schema = xmlschema.XMLSchema(os.path.join(os.path.dirname(sepaxml.__file__), "schemas", name + ".xsd"))
        errors = [str(e.reason or e)[:400] + " at " + str(e.path) for e in schema.iter_errors(path)]
        n = "{" + schema.target_namespace + "}"
        def text(node, *names):
            for name in names:
                node = None if node is None else node.find(n + name)
            return None if node is None else node.text
        body = ET.parse(path).getroot()[0]
        out = {"valid": not errors, "errors": errors[:10], "namespace": schema.target_namespace,
               "messageID": text(body, "GrpHdr", "MsgId"), "count": text(body, "GrpHdr", "NbOfTxs"),
               "controlSum": text(body, "GrpHdr", "CtrlSum"), "payments": []}
        for p in body.findall(n + "PmtInf"):
            txs = p.findall(n + "DrctDbtTxInf") + p.findall(n + "CdtTrfTxInf")
            out["payments"].append({
                "id": text(p, "PmtInfId"), "sequence": text(p, "PmtTpInf", "SeqTp"), "count": text(p, "NbOfTxs"),
                "controlSum": text(p, "CtrlSum"),
                "sumOfAmounts": str(sum((decimal.Decimal(a.text) for a in p.iter(n + "InstdAmt")), decimal.Decimal("0.00"))),
                "endToEndIDs": [text(t, "PmtId", "EndToEndId") for t in txs],
                "names": [text(t, "Dbtr", "Nm") or text(t, "Cdtr", "Nm") for t in txs],
                "remittances": [text(t, "RmtInf", "Ustrd") or "" for t in txs]})
        print(json.dumps(out))
        """

    /// Validates `xml` against the schema `schema` (`pain.008.001.08` or `pain.001.001.09`).
    static func check(_ xml: String, schema: String) throws -> Report {
        let folder = TemporaryFolder()
        let path = folder.path + "/sepa.xml"
        try Data(xml.utf8).write(to: URL(fileURLWithPath: path))
        let data = try OpenPyXLScript.run(script, arguments: [path, schema])
        return try JSONDecoder().decode(Report.self, from: data)
    }
}
