import EnergyCore

/// The compact binary form of one metering point's allocation for one local day, as SQLite keeps
/// it: per quarter hour the reading (or missing) and the community share, as LEB128 varints.
///
/// A reading is written as `value + 1` so that a missing reading (-1) is a single zero byte; a
/// household's day fits in ~500 bytes, small enough to stay inside its B-tree page.
/// ```swift
/// let bytes = AllocationRecord.encode([1000, 400, -1, 0])
/// AllocationRecord.decode(bytes, quarterHours: 2)   // [1000, 400, -1, 0]
/// ```
enum AllocationRecord {
    static func encode(_ interleaved: [Int64]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(interleaved.count * 3)
        for (i, value) in interleaved.enumerated() {
            // Readings are >= -1 and shares >= 0, so neither needs a sign.
            var v = UInt64(bitPattern: i % 2 == 0 ? value &+ 1 : value)
            while v >= 0x80 {
                out.append(UInt8(truncatingIfNeeded: v) | 0x80)
                v >>= 7
            }
            out.append(UInt8(v))
        }
        return out
    }

    /// Decodes `quarterHours` pairs; nil if the bytes do not hold exactly that.
    static func decode(_ bytes: UnsafeRawBufferPointer, quarterHours: Int) -> [Int64]? {
        var out = [Int64](repeating: 0, count: quarterHours * 2)
        var position = 0
        for i in 0..<(quarterHours * 2) {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard position < bytes.count, shift < 64 else { return nil }
                let byte = bytes[position]
                position += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            out[i] = i % 2 == 0 ? Int64(bitPattern: value) &- 1 : Int64(bitPattern: value)
        }
        return position == bytes.count ? out : nil
    }

    /// Which quarter hours' shares are the grid operator's, one bit each (least significant bit
    /// first); nil when none is, so a day without DSO figures stores nothing extra.
    static func encodeMask(_ flags: [Bool]) -> [UInt8]? {
        guard flags.contains(true) else { return nil }
        var bytes = [UInt8](repeating: 0, count: (flags.count + 7) / 8)
        for (q, flag) in flags.enumerated() where flag { bytes[q / 8] |= 1 << UInt8(q % 8) }
        return bytes
    }

    /// The flags of `quarterHours` quarter hours; empty when there is no mask.
    static func decodeMask(_ bytes: UnsafeRawBufferPointer?, quarterHours: Int) -> [Bool] {
        guard let bytes, bytes.count == (quarterHours + 7) / 8, quarterHours > 0 else { return [] }
        return (0..<quarterHours).map { q in bytes[q / 8] & (1 << UInt8(q % 8)) != 0 }
    }
}
