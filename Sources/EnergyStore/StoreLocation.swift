import EnergyCore

/// Where a store is: `sqlite:PATH` (or a bare path), or a `mongodb://` URI.
///
/// ```swift
/// let store = try StoreLocation.parse("sqlite:energy.sqlite").open()
/// ```
public enum StoreLocation: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case mongodb(uri: String)

    public static func parse(_ text: String) throws(StoreError) -> StoreLocation {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw .badLocation(text, "sqlite: needs a path, e.g. sqlite:energy.sqlite") }
            return .sqlite(path: path)
        }
        if text.hasPrefix("mongodb://") || text.hasPrefix("mongodb+srv://") { return .mongodb(uri: text) }
        if text.contains("://") { throw .badLocation(text, "unknown store scheme; use sqlite:PATH or mongodb://HOST/DATABASE") }
        guard !text.isEmpty else { throw .badLocation(text, "empty store location") }
        return .sqlite(path: text)
    }

    /// Opens the store; `clock` stamps what the store records (corrections). An SQLite store
    /// marked damaged (``DamageMark``) is refused unless `evenIfMarkedDamaged`.
    public func open(clock: any WallClock = SystemClock(), evenIfMarkedDamaged: Bool = false) throws -> any ReadingStore {
        switch self {
        case let .sqlite(path): return try SQLiteStore(path: path, clock: clock, evenIfMarkedDamaged: evenIfMarkedDamaged)
        case let .mongodb(uri): return try MongoStore(uri: uri, clock: clock)
        }
    }

    public var description: String {
        switch self {
        case let .sqlite(path): return "sqlite:\(path)"
        case let .mongodb(uri): return "mongodb://" + MongoClientPool.redact(uri)
        }
    }
}
