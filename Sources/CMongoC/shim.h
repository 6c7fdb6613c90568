#include <mongoc/mongoc.h>

// Small helpers over libbson/libmongoc for Swift: bson_t and bson_iter_t are 128-byte aligned and
// arrive in Swift as opaque pointers, so everything that needs one on the stack happens here.

static inline int energy_bson_int64(const bson_t *doc, const char *dotted_key, int64_t *out) {
    bson_iter_t it, child;
    if (!bson_iter_init(&it, doc) || !bson_iter_find_descendant(&it, dotted_key, &child)) return 0;
    if (BSON_ITER_HOLDS_DATE_TIME(&child)) { *out = bson_iter_date_time(&child); return 1; }
    if (BSON_ITER_HOLDS_INT64(&child) || BSON_ITER_HOLDS_INT32(&child) || BSON_ITER_HOLDS_DOUBLE(&child)) {
        *out = bson_iter_as_int64(&child);
        return 1;
    }
    return 0;
}

static inline int energy_bson_double(const bson_t *doc, const char *dotted_key, double *out) {
    bson_iter_t it, child;
    if (!bson_iter_init(&it, doc) || !bson_iter_find_descendant(&it, dotted_key, &child)) return 0;
    if (BSON_ITER_HOLDS_DOUBLE(&child)) { *out = bson_iter_double(&child); return 1; }
    if (BSON_ITER_HOLDS_INT64(&child) || BSON_ITER_HOLDS_INT32(&child)) { *out = (double)bson_iter_as_int64(&child); return 1; }
    return 0;
}

/// The UTF-8 string at `dotted_key` (valid while `doc` lives), or NULL.
static inline const char *energy_bson_utf8(const bson_t *doc, const char *dotted_key, uint32_t *length) {
    bson_iter_t it, child;
    if (!bson_iter_init(&it, doc) || !bson_iter_find_descendant(&it, dotted_key, &child)) return NULL;
    if (!BSON_ITER_HOLDS_UTF8(&child)) return NULL;
    return bson_iter_utf8(&child, length);
}

/// The binary data at `key` (valid while `doc` lives), or NULL.
static inline const uint8_t *energy_bson_binary(const bson_t *doc, const char *key, uint32_t *length) {
    bson_iter_t it;
    if (!bson_iter_init_find(&it, doc, key) || !BSON_ITER_HOLDS_BINARY(&it)) return NULL;
    bson_subtype_t subtype;
    const uint8_t *data = NULL;
    bson_iter_binary(&it, &subtype, length, &data);
    return data;
}

/// One reading document's fields, in one pass: start (ms), mwh, zaehlpunkt and direction.
static inline int energy_bson_reading(const bson_t *doc, int64_t *start_ms, int64_t *mwh,
                                      const char **zaehlpunkt, uint32_t *zaehlpunkt_length,
                                      const char **direction, uint32_t *direction_length) {
    bson_iter_t it;
    int found = 0;
    if (!bson_iter_init(&it, doc)) return 0;
    while (bson_iter_next(&it)) {
        const char *key = bson_iter_key(&it);
        if (strcmp(key, "start") == 0 && BSON_ITER_HOLDS_DATE_TIME(&it)) { *start_ms = bson_iter_date_time(&it); found |= 1; }
        else if (strcmp(key, "mwh") == 0) { *mwh = bson_iter_as_int64(&it); found |= 2; }
        else if (strcmp(key, "zaehlpunkt") == 0 && BSON_ITER_HOLDS_UTF8(&it)) { *zaehlpunkt = bson_iter_utf8(&it, zaehlpunkt_length); found |= 4; }
        else if (strcmp(key, "direction") == 0 && BSON_ITER_HOLDS_UTF8(&it)) { *direction = bson_iter_utf8(&it, direction_length); found |= 8; }
    }
    return found == 15;
}

/// Runs a bulk operation and reads its reply: counts, the first error that is not a duplicate
/// key, and the indices of the operations that failed on a duplicate key (at most `capacity`).
static inline uint32_t energy_bulk_execute(mongoc_bulk_operation_t *bulk, int64_t *inserted, int64_t *matched,
                                           int64_t *modified, int64_t *upserted, int64_t *deleted,
                                           int32_t *duplicate_indices, int64_t capacity,
                                           int32_t *write_errors, int32_t *first_non_duplicate_error,
                                           bson_error_t *error) {
    bson_t reply;
    uint32_t ok = mongoc_bulk_operation_execute(bulk, &reply, error);
    bson_iter_t it, child;
    *inserted = *matched = *modified = *upserted = *deleted = 0;
    *write_errors = 0;
    *first_non_duplicate_error = 0;
    if (bson_iter_init_find(&it, &reply, "nInserted")) *inserted = bson_iter_as_int64(&it);
    if (bson_iter_init_find(&it, &reply, "nMatched")) *matched = bson_iter_as_int64(&it);
    if (bson_iter_init_find(&it, &reply, "nModified")) *modified = bson_iter_as_int64(&it);
    if (bson_iter_init_find(&it, &reply, "nUpserted")) *upserted = bson_iter_as_int64(&it);
    if (bson_iter_init_find(&it, &reply, "nRemoved")) *deleted = bson_iter_as_int64(&it);
    if (bson_iter_init_find(&it, &reply, "writeErrors") && BSON_ITER_HOLDS_ARRAY(&it) && bson_iter_recurse(&it, &child)) {
        while (bson_iter_next(&child)) {
            bson_iter_t entry;
            int32_t code = 0, index = -1;
            if (!BSON_ITER_HOLDS_DOCUMENT(&child) || !bson_iter_recurse(&child, &entry)) continue;
            while (bson_iter_next(&entry)) {
                if (strcmp(bson_iter_key(&entry), "code") == 0) code = (int32_t)bson_iter_as_int64(&entry);
                else if (strcmp(bson_iter_key(&entry), "index") == 0) index = (int32_t)bson_iter_as_int64(&entry);
            }
            if (code == 11000) {
                if (*write_errors < capacity) duplicate_indices[*write_errors] = index;
                (*write_errors)++;
            } else if (*first_non_duplicate_error == 0) {
                *first_non_duplicate_error = code;
            }
        }
    }
    bson_destroy(&reply);
    return ok;
}

/// Runs a command and returns its reply as a new bson_t (caller destroys), or NULL with `error` set.
static inline bson_t *energy_command(mongoc_client_t *client, const char *db, const bson_t *command,
                                     const bson_t *opts, bson_error_t *error) {
    bson_t *reply = bson_new();
    if (!mongoc_client_command_with_opts(client, db, command, NULL, opts, reply, error)) {
        bson_destroy(reply);
        return NULL;
    }
    return reply;
}

/// Appends a session's id to `opts` (for operations inside a transaction).
static inline int energy_session_append(mongoc_client_session_t *session, bson_t *opts, bson_error_t *error) {
    return mongoc_client_session_append(session, opts, error) ? 1 : 0;
}

static inline int energy_session_commit(mongoc_client_session_t *session, bson_error_t *error) {
    bson_t reply;
    bool ok = mongoc_client_session_commit_transaction(session, &reply, error);
    bson_destroy(&reply);
    return ok ? 1 : 0;
}
