/// Errors about stores themselves (not SQL or server errors).
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case badLocation(String, String)
    case cannotOpen(String, String)
    case newerSchema(String, found: Int, supported: Int)
    /// A final run for a period that overlaps statements already issued (period, their period).
    case periodAlreadyIssued(String, issued: String)
    /// Another billing run issued documents of the period while this one was deciding (period).
    case issuedMeanwhile(String)
    /// A caller handed the store something it must not keep (a programming error, said plainly).
    case invalidData(String)

    public var description: String {
        switch self {
        case let .badLocation(text, why): return "store '\(text)': \(why)"
        case let .cannotOpen(location, why): return "cannot open store \(location): \(why)"
        case let .newerSchema(location, found, supported):
            return "store \(location) has schema version \(found), this energy understands up to \(supported): upgrade energy"
        case let .periodAlreadyIssued(period, issued):
            return "statements for \(issued) are already issued and overlap \(period); issued statements are never renumbered or replaced"
        case let .issuedMeanwhile(period):
            return "another billing run issued or cancelled statements of \(period) at the same time; nothing was issued: run it again"
        case let .invalidData(why): return why
        }
    }
}
