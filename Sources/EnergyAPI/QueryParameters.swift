import EnergyCore
import Foundation

/// A request's query, parsed strictly before anything reaches the store: every name must be one
/// the route knows, none may come twice, and nothing may look like a query operator (`$ne`,
/// `{"$gt": …}`, `a[$where]=…`). Values are then parsed into typed values (dates, enums), so what
/// the store sees is never text from the client.
public struct QueryParameters: Sendable {
    private var values: [String: String] = [:]

    public init(query: String?, allowed: Set<String>) throws(APIError) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0], what: "parameter name")
            let value = parts.count > 1 ? try Self.decode(parts[1], what: "value of '\(name)'") : ""
            if let op = Self.operatorLike(name) {
                throw .badRequest("query parameter '\(name)' contains '\(op)': operators are not accepted")
            }
            guard allowed.contains(name) else {
                let known = allowed.sorted().joined(separator: ", ")
                throw .badRequest("unknown query parameter '\(name)'" + (known.isEmpty ? "; this route takes none" : "; known: \(known)"))
            }
            if let op = Self.operatorLike(value) {
                throw .badRequest("query parameter '\(name)' contains '\(op)': operators are not accepted")
            }
            guard values[name] == nil else { throw .badRequest("query parameter '\(name)' is given twice") }
            values[name] = value
        }
    }

    public subscript(name: String) -> String? { values[name] }

    public func date(_ name: String) throws(APIError) -> LocalDate? {
        guard let text = values[name] else { return nil }
        do { return try LocalDate(text) } catch { throw .badRequest("'\(name)': \(error)") }
    }

    public func requiredDate(_ name: String) throws(APIError) -> LocalDate {
        guard let date = try date(name) else { throw .badRequest("query parameter '\(name)' (a local date YYYY-MM-DD) is required") }
        return date
    }

    /// One of `cases`, by raw value.
    public func choice<T: RawRepresentable & CaseIterable>(_ name: String, default value: T) throws(APIError) -> T
    where T.RawValue == String {
        guard let text = values[name] else { return value }
        guard let parsed = T(rawValue: text) else {
            throw .badRequest("'\(name)' must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return parsed
    }

    /// `from` and `to` (local dates, `to` exclusive), at most `maxDays` apart.
    public func dateRange(maxDays: Int) throws(APIError) -> (from: LocalDate, to: LocalDate) {
        let from = try requiredDate("from")
        let to = try requiredDate("to")
        guard from < to else { throw .badRequest("'from' (\(from)) must be before 'to' (\(to)); 'to' is exclusive") }
        let days = to.daysSinceEpoch - from.daysSinceEpoch
        guard days <= maxDays else {
            throw .badRequest("the range \(from)..<\(to) has \(days) days; at most \(maxDays) are allowed here")
        }
        return (from, to)
    }

    private static func decode(_ raw: Substring, what: String) throws(APIError) -> String {
        // Most names and values (dates, enums) have nothing to decode: no trip through Foundation.
        let decoded: String
        if !raw.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) {
            decoded = String(raw)
        } else {
            let text = raw.replacingOccurrences(of: "+", with: " ")
            guard let text = text.removingPercentEncoding else { throw .badRequest("\(what) is not valid percent-encoding: '\(raw)'") }
            decoded = text
        }
        guard !decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .badRequest("\(what) contains control characters")
        }
        return decoded
    }

    /// What makes a name or value look like a document-store operator or a structured value.
    static func operatorLike(_ text: String) -> String? {
        // One pass over the bytes (the markers are ASCII, so no byte of another character matches),
        // answering the first marker in this order that occurs.
        var first = markers.count
        for byte in text.utf8 {
            if let index = markers.firstIndex(of: byte), index < first { first = index }
        }
        return first < markers.count ? String(UnicodeScalar(markers[first])) : nil
    }

    private static let markers: [UInt8] = Array("${}[]".utf8)
}
