import CSQLite3
import Foundation

// The only file that touches the SQLite C API: a thin, safe wrapper.

/// An error reported by SQLite, with the statement it came from.
public struct SQLiteError: Error, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var context: String

    public var description: String { "SQLite error \(code) (\(message)) in \(context)" }
}

/// SQLite's busy handler: waits while another connection holds the lock, for up to about ten
/// seconds. Not `sqlite3_busy_timeout`, whose sleeps grow to 100 ms at once (1, 2, 5, 10, 15,
/// 20, 25 ... ms): rollup workers on disjoint days each hold the write lock a few milliseconds
/// per day, and a waiter that sleeps 10 ms past its release leaves a core idle. Short sleeps
/// at first, then 1 ms.
private func waitWhileBusy(_: UnsafeMutableRawPointer?, tries: Int32) -> Int32 {
    // 0.1 ms for the first 50 tries (5 ms), then 1 ms: about 10 s until 10,045 tries.
    guard tries < 10_045 else { return 0 }
    usleep(tries < 50 ? 100 : 1_000)
    return 1
}

/// One open SQLite database connection. Owned by one thread at a time.
final class SQLiteConnection {
    private var handle: OpaquePointer?
    let path: String

    init(path: String) throws {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            if DamageMark.meansDamage(rc) { DamageMark(storePath: path).record("SQLite: \(message) (opening it)") }
            throw SQLiteError(code: rc, message: message, context: "opening \(path)")
        }
        handle = db
        sqlite3_busy_handler(db, waitWhileBusy, nil)
    }

    deinit { close() }

    func close() {
        guard let handle else { return }
        keptStatements.removeAll()
        sqlite3_close_v2(handle)
        self.handle = nil
    }

    private var db: OpaquePointer {
        guard let handle else { preconditionFailure("SQLite connection to \(path) used after close") }
        return handle
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(db))
            sqlite3_free(error)
            throw failure(rc, message, String(sql.prefix(120)))
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw failure(rc, String(cString: sqlite3_errmsg(db)), String(sql.prefix(120)))
        }
        return SQLiteStatement(statement: statement, connection: self, sql: sql)
    }

    /// Statements kept compiled by their SQL text, for the read queries asked again and again
    /// (every API request): compiling one costs more than running it.
    private var keptStatements: [String: SQLiteStatement] = [:]
    private static let maximumKept = 64

    /// The statement for `sql`, compiled once per connection and kept: reset, bindings cleared.
    /// For queries that are run to the end (or reset) before the same SQL is used again, never
    /// for a statement a caller holds while calling back into the store.
    func kept(_ sql: String) throws -> SQLiteStatement {
        if let statement = keptStatements[sql] {
            statement.reset()
            statement.clearBindings()
            return statement
        }
        // A query text per range length and point set: bounded, so no request can grow it forever.
        if keptStatements.count >= Self.maximumKept { keptStatements.removeAll() }
        let statement = try prepare(sql)
        keptStatements[sql] = statement
        return statement
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(db)) }

    /// Rows inserted, changed or deleted through this connection since it opened.
    func totalChanges() -> Int64 { handle.map { sqlite3_total_changes64($0) } ?? 0 }

    func errorMessage() -> String { String(cString: sqlite3_errmsg(db)) }

    /// The error for a failed call; one that says the file is damaged also marks the store
    /// (``DamageMark``), so every later command refuses it until `energy check` finds it sound.
    func failure(_ code: Int32, _ message: String, _ context: String) -> SQLiteError {
        if DamageMark.meansDamage(code) { DamageMark(storePath: path).record("SQLite: \(message) (in \(context))") }
        return SQLiteError(code: code, message: message, context: context)
    }

    /// Runs `body`, again after a pause while the database is busy or locked, for up to `seconds`:
    /// for the statements SQLite answers SQLITE_BUSY at once instead of waiting in the busy
    /// handler (switching a new file to WAL while another connection sets it up).
    func retryingWhileBusy<T>(seconds: Double = 10, _ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        var pause: UInt32 = 2_000
        while true {
            do { return try body() } catch let error as SQLiteError
                where error.code & 0xFF == SQLITE_BUSY || error.code & 0xFF == SQLITE_LOCKED
            {
                guard Date() < deadline else { throw error }
                usleep(pause)
                pause = min(pause * 2, 100_000)
            }
        }
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    func transaction<T>(immediate: Bool = true, _ body: () throws -> T) throws -> T {
        try execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Convenience: the first column of the first row as an integer, if any.
    func scalarInt(_ sql: String, _ bindings: [SQLiteValue] = []) throws -> Int64? {
        let statement = try prepare(sql)
        try statement.bind(bindings)
        guard try statement.step() else { return nil }
        return statement.isNull(0) ? nil : statement.int64(0)
    }
}

/// A value to bind to a statement parameter.
enum SQLiteValue {
    case integer(Int64)
    case text(String)
    case null
}

/// A prepared statement. Reset it before binding it again.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private let connection: SQLiteConnection
    let sql: String

    fileprivate init(statement: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.statement = statement
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(statement) }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    @inline(__always)
    func bind(_ index: Int32, _ value: Int64) throws {
        try check(sqlite3_bind_int64(statement, index, value))
    }

    func bind(_ index: Int32, _ value: String) throws {
        try check(sqlite3_bind_text(statement, index, value, -1, Self.transient))
    }

    func bindNull(_ index: Int32) throws {
        try check(sqlite3_bind_null(statement, index))
    }

    func bind(_ index: Int32, blob: UnsafeRawBufferPointer) throws {
        try check(sqlite3_bind_blob(statement, index, blob.baseAddress, Int32(blob.count), Self.transient))
    }

    func bind(_ values: [SQLiteValue]) throws {
        for (i, value) in values.enumerated() {
            switch value {
            case let .integer(v): try bind(Int32(i + 1), v)
            case let .text(v): try bind(Int32(i + 1), v)
            case .null: try bindNull(Int32(i + 1))
            }
        }
    }

    /// Advances; true if a row is available.
    @inline(__always)
    func step() throws -> Bool {
        let rc = sqlite3_step(statement)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw connection.failure(rc, connection.errorMessage(), String(sql.prefix(120)))
    }

    /// Runs a statement that returns no rows, then resets it.
    func run(_ values: [SQLiteValue] = []) throws {
        try bind(values)
        defer { reset() }
        while try step() {}
    }

    @inline(__always)
    func reset() {
        sqlite3_reset(statement)
    }

    func clearBindings() { sqlite3_clear_bindings(statement) }

    @inline(__always) func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(statement, column) else { return "" }
        return String(cString: pointer)
    }

    /// The column's bytes, valid until the next step or reset.
    func blob(_ column: Int32) -> UnsafeRawBufferPointer {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let pointer = sqlite3_column_blob(statement, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: pointer, count: count)
    }

    @inline(__always)
    private func check(_ rc: Int32) throws {
        guard rc == SQLITE_OK else { throw connection.failure(rc, connection.errorMessage(), String(sql.prefix(120))) }
    }
}
