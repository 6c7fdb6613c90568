import EnergyCore

/// One holder's claim in a lease: local days `days` (every day when nil) until `expires` (Unix
/// seconds). A lease is the set of its holders' claims; claims of different holders never overlap
/// while both are live.
public struct LeaseClaim: Sendable, Equatable {
    public var holder: String
    /// `from..<to` local days; nil: every day (the whole work, as leases were before day ranges).
    public var days: Range<LocalDate>?
    public var expires: Int64

    public init(holder: String, days: Range<LocalDate>?, expires: Int64) {
        self.holder = holder
        self.days = days
        self.expires = expires
    }
}

/// The rule of leases over day ranges, written once; each store applies it in one atomic step of
/// its own (SQLite: an IMMEDIATE transaction; MongoDB: a compare-and-swap of the lease's one
/// document), so two holders can never both see "free" and both take overlapping days.
///
/// ```swift
/// let spans = DayLeases.spans(of: plan.days)        // [2026-01-01..<2026-01-08, 2026-02-03..<2026-02-04]
/// switch DayLeases.take(stored, days: spans, holder: me, now: now, seconds: 300) {
/// case .taken(let claims): write(claims)
/// case .held(let other): throw …
/// }
/// ```
public enum DayLeases {
    /// What taking a lease comes to: the claims to store, or the live claim in the way.
    public enum Outcome: Sendable, Equatable {
        case taken([LeaseClaim])
        case held(Lease)
    }

    /// The sorted, distinct `days` as maximal runs of consecutive days.
    public static func spans(of days: [LocalDate]) -> [Range<LocalDate>] {
        var spans: [Range<LocalDate>] = []
        for day in Set(days).sorted() {
            if let last = spans.last, last.upperBound == day {
                spans[spans.count - 1] = last.lowerBound..<day.adding(days: 1)
            } else {
                spans.append(day..<day.adding(days: 1))
            }
        }
        return spans
    }

    /// Whether two claims' days share a day (nil: every day).
    public static func overlap(_ a: Range<LocalDate>?, _ b: Range<LocalDate>?) -> Bool {
        guard let a, let b else { return true }
        return a.overlaps(b)
    }

    /// The claims of `stored` that have not expired at `now`.
    public static func live(_ stored: [LeaseClaim], now: Int64) -> [LeaseClaim] { stored.filter { $0.expires > now } }

    /// Takes or renews `holder`'s claim on `days` (every day when nil) until `now + seconds`:
    /// held if another holder's live claim overlaps any of them; else the live claims of the
    /// others plus the holder's new ones (its earlier claims are replaced, so a renewal may also
    /// shrink them). Expired claims are dropped.
    public static func take(
        _ stored: [LeaseClaim], days: [Range<LocalDate>]?, holder: String, now: Int64, seconds: Int64
    ) -> Outcome {
        let others = live(stored, now: now).filter { $0.holder != holder }
        let wanted: [Range<LocalDate>?] = days.map { $0.filter { !$0.isEmpty }.map { Optional($0) } } ?? [nil]
        for span in wanted {
            if let other = others.first(where: { overlap($0.days, span) }) {
                return .held(Lease(holder: other.holder, expires: other.expires, days: other.days))
            }
        }
        return .taken(others + wanted.map { LeaseClaim(holder: holder, days: $0, expires: now + seconds) })
    }
}

/// What a backend supplies so that the lease rule (``DayLeases``) is applied once: an atomic
/// read-modify-write of one lease's claims.
///
/// ```swift
/// extension MyStore: JobLogBackend {
///     func updateLeaseClaims(_ name: String, _ change: ([LeaseClaim]) -> [LeaseClaim]?) throws { … }
/// }
/// ```
public protocol JobLogBackend: JobLog {
    /// Reads the claims of lease `name` and, if `change` returns new ones, replaces them, as one
    /// atomic step: no other update of the same lease comes between the read and the write.
    /// `change` may be called more than once (after a lost race); only its last answer counts.
    func updateLeaseClaims(_ name: String, _ change: ([LeaseClaim]) -> [LeaseClaim]?) throws
}

extension JobLogBackend {
    public func acquireLease(_ name: String, days: [Range<LocalDate>]?, holder: String, now: Int64, seconds: Int64) throws -> Lease? {
        var held: Lease?
        try updateLeaseClaims(name) { stored in
            switch DayLeases.take(stored, days: days, holder: holder, now: now, seconds: seconds) {
            case let .taken(claims):
                held = nil
                return claims
            case let .held(other):
                held = other
                return nil
            }
        }
        return held
    }

    public func releaseLease(_ name: String, holder: String) throws {
        try updateLeaseClaims(name) { stored in
            stored.contains { $0.holder == holder } ? stored.filter { $0.holder != holder } : nil
        }
    }

    public func leaseClaims(_ name: String) throws -> [LeaseClaim] {
        var claims: [LeaseClaim] = []
        try updateLeaseClaims(name) { stored in
            claims = stored
            return nil
        }
        return claims
    }
}
