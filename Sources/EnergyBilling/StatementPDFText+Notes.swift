import EnergyCore

/// The sentences of a statement PDF: what a line is, how the total is paid, how complete the data
/// is and whose allocation the shares are.
///
/// ```swift
/// let de = StatementPDFText(language: .de, currency: "EUR")
/// de.lineText(line)                   // "Bezogene Gemeinschaftsenergie (midday) 01.10.–14.10.2026"
/// de.completeness(missing: 0, of: 2976)   // "Daten vollständig: alle 2.976 Viertelstunden mit Messwert."
/// ```
extension StatementPDFText {
    /// What the line is for, its tariff window and, if it prices part of the period, its days.
    func lineText(_ line: StatementLine) -> String {
        let german = language == .de
        var text: String
        switch line.kind {
        case .communityEnergy: text = german ? "Bezogene Gemeinschaftsenergie" : "Community energy received"
        case .generationCredit: text = german ? "Von der Gemeinschaft abgenommene Energie" : "Energy taken by the community"
        case .memberFee: text = german ? "Mitgliedsbeitrag" : "Member fee"
        case .vat:
            let rate = line.rate.map(percent) ?? "0 %"
            let on: String
            switch line.vatOn {
            case .communityEnergy?: on = german ? "Gemeinschaftsenergie" : "community energy"
            case .generationCredit?: on = german ? "abgenommene Energie" : "energy taken"
            default: on = german ? "Mitgliedsbeitrag" : "member fee"
            }
            text = german ? "USt. \(rate) auf \(on)" : "VAT \(rate) on \(on)"
            if let base = line.base { text += german ? " (Basis \(money(base)))" : " (base \(money(base)))" }
        }
        if let window = line.window { text += " (\(window))" }
        if let days = line.days { text += " " + self.days(days) }
        return text
    }

    /// How the total is settled: direct debit, bank transfer to the community, or paid out.
    func paymentNote(_ document: StatementDocument) -> String {
        let german = language == .de
        if document.kind == .preview { return previewNote }
        let account = document.community.bankAccount
        if document.total.cents > 0, let mandate = document.member.mandate {
            let creditor = account.map { german ? ", Gläubiger-ID \($0.creditorID)" : ", creditor ID \($0.creditorID)" } ?? ""
            return german
                ? "Der Betrag wird per SEPA-Lastschrift (Mandat \(mandate.mandateID)\(creditor)) von IBAN \(mandate.iban.grouped) eingezogen."
                : "The amount will be collected by SEPA direct debit (mandate \(mandate.mandateID)\(creditor)) from IBAN \(mandate.iban.grouped)."
        }
        if document.total.cents > 0 {
            let reference = document.number.map { german ? " unter Angabe der Nummer \($0)" : ", quoting number \($0)" } ?? ""
            guard let account else {
                return german ? "Bitte überweisen Sie den Betrag\(reference)." : "Please transfer the amount\(reference)."
            }
            let bic = account.bic.map { " (BIC \($0))" } ?? ""
            return german
                ? "Bitte überweisen Sie den Betrag auf IBAN \(account.iban.grouped)\(bic)\(reference)."
                : "Please transfer the amount to IBAN \(account.iban.grouped)\(bic)\(reference)."
        }
        if document.total.cents < 0 {
            let to = document.member.mandate.map { german ? " auf IBAN \($0.iban.grouped)" : " to IBAN \($0.iban.grouped)" } ?? ""
            return german ? "Der Betrag wird Ihnen\(to) überwiesen." : "The amount will be transferred to you\(to)."
        }
        return german ? "Es ist nichts zu bezahlen." : "There is nothing to pay."
    }

    /// Whether every quarter hour of the member's points had a reading.
    func completeness(missing: Int, of expected: Int) -> String {
        if language == .de {
            return missing == 0
                ? "Daten vollständig: alle \(count(expected)) Viertelstunden mit Messwert."
                : "Daten unvollständig: \(count(missing)) von \(count(expected)) Viertelstunden ohne Messwert."
        }
        return missing == 0
            ? "Data complete: all \(count(expected)) quarter hours have a reading."
            : "Data incomplete: \(count(missing)) of \(count(expected)) quarter hours without a reading."
    }

    /// `MemberStatement.allocationNote` (English) in the document's language; a note of another
    /// shape is passed through as it is.
    func allocation(_ note: String) -> String {
        guard language == .de else { return "Allocation: " + note }
        if note == "our allocation, computed from the readings (no grid-operator figures imported)" {
            return "Aufteilung: eigene Berechnung aus den Messwerten (keine Daten des Netzbetreibers importiert)"
        }
        if note == "the grid operator's allocation (EDA) for every quarter hour" {
            return "Aufteilung: die des Netzbetreibers (EDA) für jede Viertelstunde"
        }
        // "the grid operator's allocation (EDA) for N of M quarter hours, our computed allocation for the rest"
        let prefix = "the grid operator's allocation (EDA) for "
        let suffix = " quarter hours, our computed allocation for the rest"
        if note.hasPrefix(prefix), note.hasSuffix(suffix) {
            let figures = note.dropFirst(prefix.count).dropLast(suffix.count).split(separator: " ")
            if figures.count == 3, figures[1] == "of", let part = Int(figures[0]), let whole = Int(figures[2]) {
                return "Aufteilung: die des Netzbetreibers (EDA) für \(count(part)) von \(count(whole)) Viertelstunden, "
                    + "für die übrigen eigene Berechnung"
            }
        }
        return "Aufteilung: " + note
    }
}
