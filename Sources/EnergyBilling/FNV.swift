/// FNV-1a, 64 bits: a change detector for statement figures, not a signature.
enum FNV {
    static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    @inline(__always)
    static func mix(_ hash: UInt64, _ value: UInt64) -> UInt64 {
        var h = hash
        var v = value
        for _ in 0..<8 {
            h = (h ^ (v & 0xff)) &* 0x0000_0100_0000_01b3
            v >>= 8
        }
        return h
    }
    static func mix(_ hash: UInt64, _ text: String) -> UInt64 {
        var h = hash
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return mix(h, UInt64(text.utf8.count))
    }
}
