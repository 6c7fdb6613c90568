import EnergyCore
import EnergyStore

/// `energy check`: what is wrong with a store. The store's own integrity check and stored values
/// (`checkIntegrity`), and with a community the rollups' invariant: on every day the energy the
/// consuming points received, the energy taken from the generating points and the community's
/// shared energy are the same (to the mWh).
///
/// ```swift
/// let findings = try StoreAudit(store: store, community: community).run()
/// findings.isEmpty   // a sound store
/// ```
public struct StoreAudit {
    public let store: any ReadingStore
    public let community: Community?

    public init(store: any ReadingStore, community: Community?) {
        self.store = store
        self.community = community
    }

    public func run() throws -> [String] {
        var findings = try store.checkIntegrity()
        guard let community, let first = LocalDate(year: 2000, month: 1, day: 1), let end = LocalDate(year: 2100, month: 1, day: 1) else {
            return findings
        }
        var received: [Int64: Int64] = [:]
        var taken: [Int64: Int64] = [:]
        var shared: [Int64: Int64] = [:]
        for row in try store.dayRollups(community: community.id, from: first, to: end) {
            guard let point = row.point else {
                shared[row.bucketStart, default: 0] += row.totals.shared
                continue
            }
            guard community.pointIndex(of: point) != nil else { continue }
            if point.direction == .consumption {
                received[row.bucketStart, default: 0] += row.totals.shared
            } else {
                taken[row.bucketStart, default: 0] += row.totals.shared
            }
        }
        var days = 0
        for start in Set(received.keys).union(taken.keys).union(shared.keys).sorted() {
            let (r, t, s) = (received[start] ?? 0, taken[start] ?? 0, shared[start] ?? 0)
            guard r != t || t != s else { continue }
            days += 1
            if days <= 20 {
                findings.append(
                    "day \(community.calendar.localDate(containing: start)): members received \(r) mWh, generators gave \(t) mWh, "
                        + "the community rollup says \(s) mWh (run energy rollup for that day)")
            }
        }
        if days > 20 { findings.append("… \(days - 20) more days whose rollups do not conserve") }
        return findings
    }
}
