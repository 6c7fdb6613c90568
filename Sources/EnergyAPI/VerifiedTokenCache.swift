import Synchronization

/// The callers of tokens already verified, by the token's exact text, so a client that sends the
/// same token again (every request of a session) costs a dictionary lookup instead of a signature
/// check (an RSA or EC verification, two base64 and three JSON decodes and two actor hops).
///
/// A cached token is still refused once it expires (the same `exp` rule and skew as a full check,
/// on the verifier's clock); entries live only as long as the keys that verified them: when the
/// keys are refetched, every entry whose key is gone or changed is dropped, and while the keys are
/// older than `maximumKeyAgeSeconds` nothing is answered from the cache (the full check refetches
/// them first). At most `capacity` tokens are kept: two generations of `capacity / 2`, the older
/// one dropped whole when the newer one fills (a token still in use moves to the newer one), so a
/// flood of distinct tokens costs no more memory.
///
/// ```swift
/// let cache = VerifiedTokenCache(capacity: 4096)
/// cache.keysLoaded(at: now, keeping: [])
/// cache.insert(token, caller: caller, keyID: "rsa-1", expiresAt: exp, generation: cache.generation)
/// cache.caller(for: token, now: now, skew: 30, maximumKeyAge: 3600)   // caller, until exp + skew
/// ```
public final class VerifiedTokenCache: Sendable {
    struct Entry: Sendable {
        var caller: Caller
        var keyID: String
        /// The token's `exp`, seconds since 1970.
        var expiresAt: Double
    }

    private struct State: Sendable {
        var current: [String: Entry] = [:]
        var previous: [String: Entry] = [:]
        /// When the verifier last loaded the keys; nil: never (nothing is answered).
        var keysLoadedAt: Double?
        /// How many times the keys were loaded: a token checked with keys replaced since is not kept.
        var generation = 0
    }

    private let state = Mutex(State())
    /// The most tokens kept; 0 switches the cache off.
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// The caller of `token` if it was verified with keys still trusted and has not expired by
    /// `now` (Unix seconds, whole): the rule of the full check, `now - skew < exp`.
    public func caller(for token: String, now: Int64, skew: Int64, maximumKeyAge: Double) -> Caller? {
        guard capacity > 0 else { return nil }
        return state.withLock { state -> Caller? in
            guard let loaded = state.keysLoadedAt, Double(now) - loaded < maximumKeyAge else { return nil }
            var entry = state.current[token]
            if entry == nil, let old = state.previous[token] {
                // Still in use: kept into the newer generation, so it survives the next turnover.
                entry = old
                state.previous[token] = nil
                Self.add(token, old, to: &state, capacity: capacity)
            }
            guard let entry else { return nil }
            guard Double(now - skew) < entry.expiresAt else {
                // Expired: forgotten, and the full check answers why it is refused.
                state.current[token] = nil
                return nil
            }
            return entry.caller
        }
    }

    /// The keys' load count now: read before checking a signature, passed to `insert`.
    public var generation: Int { state.withLock { $0.generation } }

    /// Remembers a token the verifier has just accepted with key `keyID`, unless the keys were
    /// loaded again since `generation` was read (the key may be gone).
    public func insert(_ token: String, caller: Caller, keyID: String, expiresAt: Double, generation: Int) {
        guard capacity > 0 else { return }
        state.withLock { state in
            guard state.generation == generation else { return }
            Self.add(token, Entry(caller: caller, keyID: keyID, expiresAt: expiresAt), to: &state, capacity: capacity)
        }
    }

    /// The keys were (re)loaded at `at`: entries verified by keys no longer published, or published
    /// with other material, are dropped.
    public func keysLoaded(at: Double, keeping unchanged: Set<String>) {
        state.withLock { state in
            state.keysLoadedAt = at
            state.generation += 1
            state.current = state.current.filter { unchanged.contains($0.value.keyID) }
            state.previous = state.previous.filter { unchanged.contains($0.value.keyID) }
        }
    }

    /// How many tokens are cached now (for tests and diagnostics).
    public var count: Int { state.withLock { $0.current.count + $0.previous.count } }

    private static func add(_ token: String, _ entry: Entry, to state: inout State, capacity: Int) {
        if state.current.count >= max(1, capacity / 2) {
            state.previous = state.current
            state.current = [:]
        }
        state.current[token] = entry
    }
}
