import CSQLite3

extension SQLiteStore {
    /// SQLite's `PRAGMA data_version` (changes when another connection, in this process or
    /// another, committed since this connection last looked; cheap: it reads no table) and this
    /// connection's own changes (`sqlite3_total_changes64`), which the pragma does not count.
    public func dataVersion() throws -> StoreDataVersion? {
        let statement = try db.kept("PRAGMA data_version")
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return StoreDataVersion(others: statement.int64(0), own: db.totalChanges())
    }
}
