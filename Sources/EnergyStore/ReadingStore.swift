import EnergyCore

/// A whole store: every role a command may need, on one connection. The commands code against
/// this; the embedded SQLite store is the default backend, MongoDB the production one.
///
/// The roles, each a small protocol of its own file with its value types:
/// - ``ReadingLedger``: the readings (idempotent upsert, scan).
/// - ``GridOperatorLedger``: the grid operator's allocation (EDA), per community, and the
///   values of unreliable quality.
/// - ``RollupStore``: dirty days, the allocation and rollups of a day, month rollups.
/// - ``StatementRegistry``: final statements and their gap-free numbers.
/// - ``JobLog``: job runs and leases.
///
/// The rules are written once, in protocol extensions that a backend gets by conforming to the
/// `…Backend` protocols (``ReadingLedgerBackend``, ``RollupStoreBackend``,
/// ``StatementRegistryBackend``); a backend supplies primitives only.
///
/// **What `community` scopes.** Metering points, readings and corrections belong to the store,
/// keyed by (Zaehlpunkt, direction, quarter hour): a reading is stored once, whichever
/// community's import stored it, and `scanReadings` finds it for any community whose `points`
/// name it. Everything computed from readings (dirty days, allocations, rollups, statements,
/// job runs, leases) belongs to one community and is only seen through its id.
///
/// ```swift
/// let store = try StoreLocation.parse("sqlite:energy.sqlite").open()
/// let summary = try store.upsert(readings, community: community)
/// ```
public typealias ReadingStore = StoreConnection & ReadingLedger & GridOperatorLedger & RollupStore & StatementRegistry & JobLog

/// A connection to a store. A store object is used by one thread at a time.
public protocol StoreConnection: AnyObject {
    /// A short description of where the data lives (never a password).
    var location: String { get }

    /// Another connection to the same data, for a reader on another thread.
    func openAnotherConnection() throws -> any ReadingStore

    /// What is wrong with the stored data itself, each finding a sentence (none: sound): the
    /// database's own check (SQLite `integrity_check`, MongoDB `validate`) and values no version
    /// of energy writes (negative or absurd energies, starts off the grid, readings of unknown
    /// points). Reads everything: for `energy check`, not for every command.
    func checkIntegrity() throws -> [String]

    /// What this connection sees of the data, as a value that changes whenever data it reads
    /// may have changed; nil when the backend cannot tell cheaply (then nothing may be cached).
    /// See ``StoreDataVersion``.
    func dataVersion() throws -> StoreDataVersion?
}
