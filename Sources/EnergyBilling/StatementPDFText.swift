import EnergyCore

/// The words and number formats of a statement PDF, German or English (`Community.language`).
/// Figures are formatted from their exact integers (cents, mWh, µ-units), never through `Double`.
///
/// ```swift
/// let de = StatementPDFText(language: .de, currency: "EUR")
/// de.money(Money(cents: 123_456))                  // "1.234,56 €"
/// de.energy(Energy(milliwattHours: 1_234_567_400))  // "1.234,567 kWh"
/// de.date(try LocalDate("2026-12-04"))             // "04.12.2026"
/// ```
struct StatementPDFText {
    let language: StatementLanguage
    let currency: String

    private var german: Bool { language == .de }
    private var decimalMark: String { german ? "," : "." }
    private var groupMark: String { german ? "." : "," }
    /// The € sign for euros, otherwise the currency's code.
    var currencySymbol: String { currency == "EUR" ? "€" : currency }

    // MARK: Numbers

    /// `units` (an integer count of 10^-`scale`) rounded half away from zero to `decimals`
    /// decimals, grouped by thousands: `number(1234567, scale: 3, decimals: 2)` is `1.234,57`.
    func number(_ units: Int64, scale: Int, decimals: Int) -> String {
        var magnitude = units.magnitude
        var divisor: UInt64 = 1
        for _ in decimals..<max(scale, decimals) { divisor *= 10 }
        magnitude = (magnitude + divisor / 2) / divisor
        for _ in scale..<max(scale, decimals) { magnitude *= 10 }
        var fractionDivisor: UInt64 = 1
        for _ in 0..<decimals { fractionDivisor *= 10 }
        let whole = String(magnitude / fractionDivisor)
        var grouped = ""
        for (i, digit) in whole.enumerated() {
            if i > 0 && (whole.count - i) % 3 == 0 { grouped += groupMark }
            grouped.append(digit)
        }
        var fraction = ""
        if decimals > 0 {
            let digits = String(magnitude % fractionDivisor)
            fraction = decimalMark + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return (units < 0 && magnitude != 0 ? "-" : "") + grouped + fraction
    }

    func money(_ money: Money) -> String { number(money.cents, scale: 2, decimals: 2) + " " + currencySymbol }
    func energy(_ energy: Energy) -> String { number(energy.milliwattHours, scale: 6, decimals: 3) + " kWh" }
    func count(_ value: Int) -> String { number(Int64(value), scale: 0, decimals: 0) }

    /// The exact price, with at least two decimals: `0,1234 €`, `0,08 €`.
    func price(_ price: EnergyPrice) -> String {
        var decimals = 6
        var value = price.microUnitsPerKilowattHour
        while decimals > 2 && value % 10 == 0 {
            value /= 10
            decimals -= 1
        }
        return number(price.microUnitsPerKilowattHour, scale: 6, decimals: decimals) + " " + currencySymbol
    }

    func percent(_ rate: Percentage) -> String {
        number(rate.basisPoints, scale: 2, decimals: rate.basisPoints % 100 == 0 ? 0 : (rate.basisPoints % 10 == 0 ? 1 : 2)) + " %"
    }

    // MARK: Dates

    static let germanMonths = [
        "Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember",
    ]
    static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]

    /// `04.12.2026` or `2026-12-04`.
    func date(_ date: LocalDate) -> String {
        german ? "\(two(date.day)).\(two(date.month)).\(date.year)" : date.description
    }

    /// A one-month period by its month's name (`Oktober 2026`), others from–to (`01.10.2026 – 31.12.2026`).
    func period(_ period: BillingPeriod) -> String {
        if period.months == 1 {
            let names = german ? Self.germanMonths : Self.englishMonths
            return "\(names[period.from.month - 1]) \(period.from.year)"
        }
        return "\(date(period.from)) – \(date(period.to.adding(days: -1)))"
    }

    /// Days `from..<to`: `01.10.–14.10.2026` (one year) or `2026-10-01 – 2026-10-14`.
    func days(_ days: Range<LocalDate>) -> String {
        let last = days.upperBound.adding(days: -1)
        if german && days.lowerBound.year == last.year {
            return "\(two(days.lowerBound.day)).\(two(days.lowerBound.month)).–\(date(last))"
        }
        return "\(date(days.lowerBound)) – \(date(last))"
    }

    /// A chart's day label: `01.10.` or `10-01`.
    func shortDate(_ date: LocalDate) -> String { german ? "\(two(date.day)).\(two(date.month))." : "\(two(date.month))-\(two(date.day))" }

    private func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    // MARK: Words

    func title(_ kind: StatementDocument.Kind) -> String {
        switch kind {
        case .preview: return german ? "Vorschau" : "Preview"
        case .statement: return german ? "Abrechnung" : "Statement"
        case .cancellation: return german ? "Stornorechnung" : "Cancellation"
        }
    }

    func numbered(_ number: String) -> String { german ? "Nr. \(number)" : "No. \(number)" }
    func cancels(_ number: String) -> String { german ? "Storniert Rechnung Nr. \(number)" : "Cancels statement \(number)" }
    func replaces(_ number: String) -> String { german ? "Ersetzt Rechnung Nr. \(number)" : "Replaces statement \(number)" }
    func reason(_ reason: String) -> String { (german ? "Grund: " : "Reason: ") + reason }
    var previewNote: String {
        german ? "Vorschau: keine Rechnung, bitte nicht bezahlen." : "Preview: not a statement, please do not pay."
    }
    var continued: String { german ? "Fortsetzung" : "continued" }

    var numberLabel: String { german ? "Nummer" : "Number" }
    var dateLabel: String { german ? "Datum" : "Date" }
    var periodLabel: String { german ? "Zeitraum" : "Period" }
    var memberLabel: String { german ? "Mitgliedsnummer" : "Member no." }
    var vatIDLabel: String { german ? "UID" : "VAT ID" }

    var columns: [String] {
        german
            ? ["Position", "Zählpunkt", "Energie", "Preis/kWh", "USt.", "Betrag"]
            : ["Item", "Metering point", "Energy", "Price/kWh", "VAT", "Amount"]
    }
    var net: String { german ? "Netto" : "Net" }
    var vat: String { german ? "USt." : "VAT" }
    var total: String { german ? "Gesamtbetrag" : "Total" }

    func page(_ number: Int, of count: Int) -> String { german ? "Seite \(number) von \(count)" : "Page \(number) of \(count)" }

    // The chart.
    var chartTitle: String { german ? "Verbrauch und Gemeinschaftsenergie je Tag" : "Consumption and community energy per day" }
    var consumption: String { german ? "Verbrauch" : "Consumption" }
    var communityEnergy: String { german ? "Gemeinschaftsenergie" : "Community energy" }
}
