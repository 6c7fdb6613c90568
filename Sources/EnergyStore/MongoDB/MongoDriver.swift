import CMongoC
import Foundation

// The only file that touches the libmongoc/libbson C API: a thin, safe wrapper.

/// An error from MongoDB or the driver, naming the server (never a password).
public struct MongoError: Error, CustomStringConvertible {
    public var server: String
    public var code: UInt32
    public var message: String

    public var description: String { "MongoDB at \(server): \(message)" }

    var isDuplicateKey: Bool { code == 11000 }
    var isWriteConflict: Bool { code == 112 || message.contains("WriteConflict") || message.contains("TransientTransactionError") }
    var isTransactionUnsupported: Bool {
        code == 20 || message.contains("replica set") || message.contains("Transaction numbers")
    }
}

private let driverStarted: Bool = {
    // The driver's own log lines (debug chatter, "authentication failed" twice) would only repeat
    // what the errors we raise already say, with the host; keep stderr for those. Set before
    // mongoc_init, which may log too.
    mongoc_log_set_handler(nil, nil)
    // Its performance counters live in a shared-memory file per process (for the mongoc-stat
    // tool, which nobody here runs); when /dev/shm is busy, init warns "Falling back to malloc".
    setenv("MONGOC_DISABLE_SHM", "1", 0)
    mongoc_init()
    return true
}()

/// A value to put into a BSON document.
enum BSONValue {
    case string(String)
    case int64(Int64)
    case int32(Int32)
    case double(Double)
    /// Milliseconds since 1970.
    case date(Int64)
    case bool(Bool)
    case document(BSONDocument)
    case array([BSONValue])
    case binary([UInt8])
    case null
}

/// An owned BSON document (`bson_t`).
///
/// ```swift
/// let filter = BSONDocument(["community": .string("eeg"), "start": .date(ms)])
/// ```
final class BSONDocument: @unchecked Sendable {
    let pointer: OpaquePointer

    init() { pointer = bson_new() }

    init(_ pairs: KeyValuePairs<String, BSONValue>) {
        pointer = bson_new()
        for (key, value) in pairs { append(key, value) }
    }

    /// Parses (relaxed or canonical) extended JSON.
    init(json: String) throws {
        var error = bson_error_t()
        guard let parsed = bson_new_from_json(json, -1, &error) else {
            throw MongoError(server: "-", code: error.code, message: "bad JSON for BSON: \(Self.message(of: &error))")
        }
        pointer = parsed
    }

    /// Takes a copy of a document the driver owns.
    init(copying other: OpaquePointer) { pointer = bson_copy(other) }

    private init(adopting pointer: OpaquePointer) { self.pointer = pointer }

    static func adopt(_ pointer: OpaquePointer) -> BSONDocument { BSONDocument(adopting: pointer) }

    deinit { bson_destroy(pointer) }

    func append(_ key: String, _ value: BSONValue) {
        switch value {
        case let .string(s): bson_append_utf8(pointer, key, -1, s, -1)
        case let .int64(v): bson_append_int64(pointer, key, -1, v)
        case let .int32(v): bson_append_int32(pointer, key, -1, v)
        case let .double(v): bson_append_double(pointer, key, -1, v)
        case let .date(ms): bson_append_date_time(pointer, key, -1, ms)
        case let .bool(b): bson_append_bool(pointer, key, -1, b)
        case let .document(d): bson_append_document(pointer, key, -1, d.pointer)
        case let .array(values):
            let array = BSONDocument()
            for (i, v) in values.enumerated() { array.append(String(i), v) }
            bson_append_array(pointer, key, -1, array.pointer)
        case let .binary(bytes):
            _ = bytes.withUnsafeBufferPointer {
                bson_append_binary(pointer, key, -1, BSON_SUBTYPE_BINARY, $0.baseAddress, UInt32($0.count))
            }
        case .null: bson_append_null(pointer, key, -1)
        }
    }

    func int64(_ dottedKey: String) -> Int64? {
        var value: Int64 = 0
        return energy_bson_int64(pointer, dottedKey, &value) != 0 ? value : nil
    }

    func double(_ dottedKey: String) -> Double? {
        var value = 0.0
        return energy_bson_double(pointer, dottedKey, &value) != 0 ? value : nil
    }

    func string(_ dottedKey: String) -> String? {
        var length: UInt32 = 0
        guard let p = energy_bson_utf8(pointer, dottedKey, &length) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: Int(length)), as: UTF8.self)
    }

    /// The binary field's bytes, valid while this document lives.
    func binary(_ key: String) -> UnsafeRawBufferPointer? {
        var length: UInt32 = 0
        guard let p = energy_bson_binary(pointer, key, &length) else { return nil }
        return UnsafeRawBufferPointer(start: p, count: Int(length))
    }

    /// Relaxed extended JSON, e.g. for results of aggregations.
    var json: String {
        var length = 0
        guard let text = bson_as_relaxed_extended_json(pointer, &length) else { return "{}" }
        defer { bson_free(text) }
        return String(cString: text)
    }

    static func message(of error: inout bson_error_t) -> String {
        withUnsafeBytes(of: &error.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

/// A pool of connections to one MongoDB deployment and database.
final class MongoClientPool: @unchecked Sendable {
    let server: String
    let databaseName: String
    private let uri: OpaquePointer
    private let pool: OpaquePointer

    /// Parses the URI (credentials stay inside the driver) and bounds server selection.
    init(uri text: String, defaultDatabase: String = "energy") throws {
        _ = driverStarted
        server = Self.redact(text)
        var error = bson_error_t()
        guard let parsed = mongoc_uri_new_with_error(text, &error) else {
            throw MongoError(server: server, code: error.code, message: "not a MongoDB URI: \(BSONDocument.message(of: &error))")
        }
        // Fail within seconds, not the driver's default 30 s, when the server is unreachable.
        if mongoc_uri_get_option_as_int32(parsed, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 0) == 0 {
            mongoc_uri_set_option_as_int32(parsed, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 5000)
        }
        if mongoc_uri_get_option_as_int32(parsed, MONGOC_URI_CONNECTTIMEOUTMS, 0) == 0 {
            mongoc_uri_set_option_as_int32(parsed, MONGOC_URI_CONNECTTIMEOUTMS, 3000)
        }
        let database = mongoc_uri_get_database(parsed).map { String(cString: $0) } ?? defaultDatabase
        guard Self.isValidDatabaseName(database) else {
            mongoc_uri_destroy(parsed)
            throw MongoError(server: server, code: 0, message: "'\(database)' is not a valid database name")
        }
        databaseName = database
        uri = parsed
        guard let created = mongoc_client_pool_new(parsed) else {
            mongoc_uri_destroy(parsed)
            throw MongoError(server: server, code: 0, message: "cannot create a connection pool")
        }
        pool = created
        mongoc_client_pool_set_error_api(pool, 2)
        mongoc_client_pool_set_appname(pool, "energy")
    }

    deinit {
        mongoc_client_pool_destroy(pool)
        mongoc_uri_destroy(uri)
    }

    /// A connection from the pool, for one thread at a time; returned to the pool when released.
    func connection() -> MongoConnection { MongoConnection(owner: self, client: mongoc_client_pool_pop(pool)) }

    fileprivate func giveBack(_ client: OpaquePointer) { mongoc_client_pool_push(pool, client) }

    /// `mongodb://user:secret@host:27017/db?x` -> `host:27017/db`
    static func redact(_ uri: String) -> String {
        var rest = Substring(uri)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        return String(rest)
    }

    static func isValidDatabaseName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count < 64 && !name.contains(where: { "/\\. \"$*<>:|?".contains($0) })
    }
}

/// One connection (a `mongoc_client_t`) taken from the pool.
final class MongoConnection {
    private let owner: MongoClientPool
    let client: OpaquePointer
    private var collections: [String: OpaquePointer] = [:]

    fileprivate init(owner: MongoClientPool, client: OpaquePointer) {
        self.owner = owner
        self.client = client
    }

    deinit {
        for collection in collections.values { mongoc_collection_destroy(collection) }
        owner.giveBack(client)
    }

    var server: String { owner.server }

    func error(_ error: inout bson_error_t) -> MongoError {
        MongoError(server: owner.server, code: error.code, message: BSONDocument.message(of: &error))
    }

    func collection(_ name: String) -> OpaquePointer {
        if let existing = collections[name] { return existing }
        let created = mongoc_client_get_collection(client, owner.databaseName, name)!
        collections[name] = created
        return created
    }

    /// Runs a command against the store's database and returns the reply.
    @discardableResult
    func command(_ command: BSONDocument, database: String? = nil, session: MongoSession? = nil) throws -> BSONDocument {
        var e = bson_error_t()
        let opts = try session?.options() ?? BSONDocument()
        guard let reply = energy_command(client, database ?? owner.databaseName, command.pointer, opts.pointer, &e) else { throw error(&e) }
        return BSONDocument.adopt(reply)
    }

    /// Finds documents; `body` sees each one (valid only during the call). With `session`, inside
    /// its transaction (the transaction's snapshot).
    func find(
        _ collectionName: String, filter: BSONDocument, options: BSONDocument? = nil, session: MongoSession? = nil,
        _ body: (BSONDocument) throws -> Void
    ) throws {
        var opts = options
        if let session {
            let merged = try session.options()
            if let options { bson_concat(merged.pointer, options.pointer) }
            opts = merged
        }
        guard let cursor = mongoc_collection_find_with_opts(collection(collectionName), filter.pointer, opts?.pointer, nil) else {
            throw MongoError(server: server, code: 0, message: "cannot open a cursor on \(collectionName)")
        }
        defer { mongoc_cursor_destroy(cursor) }
        try drain(cursor, body)
    }

    /// Finds documents and hands each one's raw `bson_t` to `body` (no copy; for hot paths).
    func findRaw(
        _ collectionName: String, filter: BSONDocument, options: BSONDocument? = nil, _ body: (OpaquePointer) throws -> Void
    ) throws {
        guard let cursor = mongoc_collection_find_with_opts(collection(collectionName), filter.pointer, options?.pointer, nil) else {
            throw MongoError(server: server, code: 0, message: "cannot open a cursor on \(collectionName)")
        }
        defer { mongoc_cursor_destroy(cursor) }
        var doc: OpaquePointer?
        while mongoc_cursor_next(cursor, &doc) {
            if let doc { try body(doc) }
        }
        var e = bson_error_t()
        if mongoc_cursor_error(cursor, &e) { throw error(&e) }
    }

    /// Runs an aggregation pipeline (a JSON array text or a document holding the stages).
    func aggregate(_ collectionName: String, pipeline: BSONDocument, _ body: (BSONDocument) throws -> Void) throws {
        guard let cursor = mongoc_collection_aggregate(collection(collectionName), MONGOC_QUERY_NONE, pipeline.pointer, nil, nil) else {
            throw MongoError(server: server, code: 0, message: "cannot run an aggregation on \(collectionName)")
        }
        defer { mongoc_cursor_destroy(cursor) }
        try drain(cursor, body)
    }

    private func drain(_ cursor: OpaquePointer, _ body: (BSONDocument) throws -> Void) throws {
        var doc: OpaquePointer?
        while mongoc_cursor_next(cursor, &doc) {
            if let doc { try body(BSONDocument(copying: doc)) }
        }
        var e = bson_error_t()
        if mongoc_cursor_error(cursor, &e) { throw error(&e) }
    }

    /// An unordered bulk write on one collection.
    func bulk(_ collectionName: String, session: MongoSession? = nil) throws -> MongoBulkWrite {
        let opts = try session?.options() ?? BSONDocument()
        opts.append("ordered", .bool(false))
        let bulk = mongoc_collection_create_bulk_operation_with_opts(collection(collectionName), opts.pointer)!
        return MongoBulkWrite(bulk: bulk, connection: self)
    }

    func startSession() throws -> MongoSession {
        var e = bson_error_t()
        guard let session = mongoc_client_start_session(client, nil, &e) else { throw error(&e) }
        return MongoSession(session: session, connection: self)
    }
}

/// The outcome of a bulk write.
struct BulkResult {
    var inserted = 0
    var matched = 0
    var modified = 0
    var upserted = 0
    var deleted = 0
    /// Indices of the operations that hit a duplicate key (not failures: the key was there already).
    var duplicateIndices: [Int] = []
}

/// An unordered bulk write: queue operations, then `execute()` once.
final class MongoBulkWrite {
    private let bulk: OpaquePointer
    private let connection: MongoConnection
    private(set) var count = 0

    fileprivate init(bulk: OpaquePointer, connection: MongoConnection) {
        self.bulk = bulk
        self.connection = connection
    }

    deinit { mongoc_bulk_operation_destroy(bulk) }

    func insert(_ document: BSONDocument) throws {
        var e = bson_error_t()
        guard mongoc_bulk_operation_insert_with_opts(bulk, document.pointer, nil, &e) else { throw connection.error(&e) }
        count += 1
    }

    func updateOne(filter: BSONDocument, update: BSONDocument, upsert: Bool) throws {
        var e = bson_error_t()
        let opts = BSONDocument(["upsert": .bool(upsert)])
        guard mongoc_bulk_operation_update_one_with_opts(bulk, filter.pointer, update.pointer, opts.pointer, &e) else {
            throw connection.error(&e)
        }
        count += 1
    }

    func replaceOne(filter: BSONDocument, replacement: BSONDocument, upsert: Bool) throws {
        var e = bson_error_t()
        let opts = BSONDocument(["upsert": .bool(upsert)])
        guard mongoc_bulk_operation_replace_one_with_opts(bulk, filter.pointer, replacement.pointer, opts.pointer, &e) else {
            throw connection.error(&e)
        }
        count += 1
    }

    func deleteMany(filter: BSONDocument) throws {
        var e = bson_error_t()
        guard mongoc_bulk_operation_remove_many_with_opts(bulk, filter.pointer, nil, &e) else { throw connection.error(&e) }
        count += 1
    }

    func deleteOne(filter: BSONDocument) throws {
        var e = bson_error_t()
        guard mongoc_bulk_operation_remove_one_with_opts(bulk, filter.pointer, nil, &e) else { throw connection.error(&e) }
        count += 1
    }

    /// Runs the queued operations. Duplicate keys are counted, not thrown.
    func execute() throws -> BulkResult {
        guard count > 0 else { return BulkResult() }
        var result = BulkResult()
        var counts = (Int64(0), Int64(0), Int64(0), Int64(0), Int64(0))
        var indices = [Int32](repeating: 0, count: count)
        var writeErrors: Int32 = 0
        var otherError: Int32 = 0
        var e = bson_error_t()
        let ok = energy_bulk_execute(
            bulk, &counts.0, &counts.1, &counts.2, &counts.3, &counts.4, &indices, Int64(count),
            &writeErrors, &otherError, &e)
        result.inserted = Int(counts.0)
        result.matched = Int(counts.1)
        result.modified = Int(counts.2)
        result.upserted = Int(counts.3)
        result.deleted = Int(counts.4)
        result.duplicateIndices = indices.prefix(Int(writeErrors)).map { Int($0) }
        if ok == 0 {
            let failure = connection.error(&e)
            // Only duplicate keys: every other operation went through.
            guard failure.isDuplicateKey && otherError == 0 else { throw failure }
        }
        return result
    }
}

/// A client session, for multi-document transactions.
final class MongoSession {
    private let session: OpaquePointer
    private let connection: MongoConnection

    fileprivate init(session: OpaquePointer, connection: MongoConnection) {
        self.session = session
        self.connection = connection
    }

    deinit { mongoc_client_session_destroy(session) }

    func options() throws -> BSONDocument {
        let opts = BSONDocument()
        var e = bson_error_t()
        guard energy_session_append(session, opts.pointer, &e) != 0 else { throw connection.error(&e) }
        return opts
    }

    func startTransaction() throws {
        var e = bson_error_t()
        guard mongoc_client_session_start_transaction(session, nil, &e) else { throw connection.error(&e) }
    }

    func commit() throws {
        var e = bson_error_t()
        guard energy_session_commit(session, &e) != 0 else { throw connection.error(&e) }
    }

    func abort() {
        var e = bson_error_t()
        _ = mongoc_client_session_abort_transaction(session, &e)
    }
}
