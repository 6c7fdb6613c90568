import EnergyCore

/// Metering points' store ids by (Zaehlpunkt, direction), in an open-addressing table hashed by
/// the Zaehlpunkt's own bits: the import asks for one point per reading, and hashing a
/// `PointKey` with `Hasher` (its direction by its raw text) took a tenth of the writing thread
/// (perf). Grows as points are added; never removes.
///
/// ```swift
/// var table = PointIDTable()
/// table.insert(key, id: 7)
/// table.find(key)   // 7
/// ```
struct PointIDTable {
    private var keys: [PointKey?] = Array(repeating: nil, count: 64)
    private var ids: [Int64] = Array(repeating: 0, count: 64)
    private var count = 0

    func find(_ key: PointKey) -> Int64? {
        let mask = keys.count - 1
        var slot = Self.hash(key) & mask
        while let stored = keys[slot] {
            if stored == key { return ids[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    mutating func insert(_ key: PointKey, id: Int64) {
        if (count + 1) * 2 > keys.count { grow() }
        let mask = keys.count - 1
        var slot = Self.hash(key) & mask
        while let stored = keys[slot] {
            if stored == key {
                ids[slot] = id
                return
            }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        ids[slot] = id
        count += 1
    }

    private mutating func grow() {
        let old = zip(keys, ids).compactMap { key, id in key.map { ($0, id) } }
        keys = Array(repeating: nil, count: keys.count * 2)
        ids = Array(repeating: 0, count: keys.count)
        count = 0
        for (key, id) in old { insert(key, id: id) }
    }

    /// FNV-style mixing of the Zaehlpunkt's bytes and the direction; not for untrusted keys
    /// (only the community's points, validated before, reach the store).
    private static func hash(_ key: PointKey) -> Int {
        var h: UInt64 = key.direction == .consumption ? 0xCBF2_9CE4_8422_2325 : 0x8422_2325_CBF2_9CE4
        withUnsafeBytes(of: key.zaehlpunkt) { raw in
            var offset = 0
            while offset + 8 <= raw.count {
                h = (h ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x0000_0100_0000_01B3
                offset += 8
            }
        }
        return Int(truncatingIfNeeded: h ^ (h >> 31))
    }
}
