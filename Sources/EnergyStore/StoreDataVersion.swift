/// The version of the data one connection sees: equal values from the same connection mean
/// nothing was committed in between, by any connection or process. An answer computed after
/// reading a version may be reused while the connection still reports that version (the API's
/// answer cache); read the version *before* the data, so a commit in between is never hidden.
///
/// ```swift
/// let before = try store.dataVersion()
/// // … read …
/// if try store.dataVersion() == before { /* nothing changed since */ }
/// ```
public struct StoreDataVersion: Hashable, Sendable {
    /// Commits by other connections, as the backend counts them.
    public var others: Int64
    /// Rows changed by this connection itself (which `others` does not count).
    public var own: Int64

    public init(others: Int64, own: Int64) {
        self.others = others
        self.own = own
    }
}

extension StoreConnection {
    /// A backend that cannot tell: never reuse an answer.
    public func dataVersion() throws -> StoreDataVersion? { nil }
}
