import EnergyCore
import Foundation

/// What an issued document showed: its lines and totals, stored with its number (as JSON, opaque
/// to the store) so that a cancellation negates what was sent, not today's figures, and the
/// accounting CSV of an issued period can be written again after the data changed.
///
/// ```swift
/// let content = IssuedContent(document)
/// let text = content.text                       // stored with the number
/// let again = try IssuedContent(text: text, number: "2026-0001").lines()
/// ```
struct IssuedContent: Codable, Equatable {
    struct Line: Codable, Equatable {
        var kind: String
        var zaehlpunkt: String?
        var window: String?
        var energyMWh: Int64?
        var price: Int64?
        var rateBasisPoints: Int64?
        var amountCents: Int64
        var vatOn: String?
        var baseCents: Int64?
        var daysFrom: String?
        var daysTo: String?
        var taxRateBasisPoints: Int64?
    }
    var memberName: String
    var currency: String
    var lines: [Line]
    var netCents: Int64
    var vatCents: Int64
    var totalCents: Int64
    var missingQuarterHours: Int
    var expectedQuarterHours: Int
    var gridOperatorQuarterHours: Int
    var allocationNote: String

    init(_ document: StatementDocument, gridOperatorQuarterHours: Int) {
        memberName = document.member.name
        currency = document.currency
        lines = document.lines.map { line in
            Line(
                kind: line.kind.rawValue, zaehlpunkt: line.zaehlpunkt?.description, window: line.window,
                energyMWh: line.energy?.milliwattHours, price: line.price?.microUnitsPerKilowattHour,
                rateBasisPoints: line.rate?.basisPoints,
                amountCents: line.amount.cents, vatOn: line.vatOn?.rawValue, baseCents: line.base?.cents,
                daysFrom: line.days?.lowerBound.description, daysTo: line.days?.upperBound.description,
                taxRateBasisPoints: line.taxRate?.basisPoints)
        }
        netCents = document.net.cents
        vatCents = document.vat.cents
        totalCents = document.total.cents
        missingQuarterHours = document.missingQuarterHours
        expectedQuarterHours = document.expectedQuarterHours
        self.gridOperatorQuarterHours = gridOperatorQuarterHours
        allocationNote = document.allocationNote
    }

    /// The stored text of `number` (the error names it if the text does not decode).
    init(text: String, number: String) throws(BillingError) {
        do { self = try JSONDecoder().decode(IssuedContent.self, from: Data(text.utf8)) } catch {
            throw BillingError.damagedRecord(number, "its stored lines do not decode (\(error))")
        }
    }

    var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain strings and integers cannot fail.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The same content with every amount and energy negated: what a cancellation shows.
    var negated: IssuedContent {
        var copy = self
        copy.lines = lines.map { line in
            var line = line
            line.amountCents = -line.amountCents
            line.baseCents = line.baseCents.map { -$0 }
            line.energyMWh = line.energyMWh.map { -$0 }
            return line
        }
        copy.netCents = -netCents
        copy.vatCents = -vatCents
        copy.totalCents = -totalCents
        return copy
    }

    func statementLines(number: String) throws(BillingError) -> [StatementLine] {
        var result: [StatementLine] = []
        for line in lines {
            guard let kind = LineKind(rawValue: line.kind) else {
                throw BillingError.damagedRecord(number, "unknown line kind '\(line.kind)'")
            }
            var zaehlpunkt: Zaehlpunkt?
            if let text = line.zaehlpunkt {
                guard let zp = try? Zaehlpunkt(text) else { throw BillingError.damagedRecord(number, "bad Zaehlpunkt '\(text)'") }
                zaehlpunkt = zp
            }
            var days: Range<LocalDate>?
            if let from = line.daysFrom, let to = line.daysTo {
                guard let a = try? LocalDate(from), let b = try? LocalDate(to), a < b else {
                    throw BillingError.damagedRecord(number, "bad days \(from)..<\(to)")
                }
                days = a..<b
            }
            var statementLine = StatementLine(
                kind: kind, zaehlpunkt: zaehlpunkt, window: line.window, energy: line.energyMWh.map { Energy(milliwattHours: $0) },
                price: line.price.map { EnergyPrice(microUnitsPerKilowattHour: $0) },
                rate: line.rateBasisPoints.map { Percentage(basisPoints: $0) },
                amount: Money(cents: line.amountCents), vatOn: line.vatOn.flatMap { LineKind(rawValue: $0) },
                base: line.baseCents.map { Money(cents: $0) }, days: days)
            statementLine.taxRate = line.taxRateBasisPoints.map { Percentage(basisPoints: $0) }
            result.append(statementLine)
        }
        return result
    }

    /// The energy of the lines of `kind` (community energy received, or energy taken).
    func energy(_ kind: LineKind) -> Int64 {
        lines.filter { $0.kind == kind.rawValue }.reduce(0) { $0 + ($1.energyMWh ?? 0) }
    }

    /// The net amount of the lines of `kind`.
    func amount(_ kind: LineKind) -> Money {
        Money(cents: lines.filter { $0.kind == kind.rawValue }.reduce(0) { $0 + $1.amountCents })
    }
}
