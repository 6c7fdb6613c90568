/// Splits an integer total in proportion to integer weights so that the parts sum exactly to it.
///
/// Each part is `total * weight / sum(weights)` rounded down; the units left over go, one each, to
/// the parts with the largest remainders (ties to the earlier part). A part is never more than its
/// exact quotient rounded up, so with `total <= sum(weights)` no part exceeds its weight.
/// ```swift
/// var split = LargestRemainder()
/// split.divide(10, byWeights: [1, 1, 1])   // [4, 3, 3]
/// ```
public struct LargestRemainder {
    private var remainders: [(remainder: Int64, index: Int)] = []

    public init() {}

    /// Returns the parts (same count as `weights`). Weights must not be negative; a zero or empty
    /// weight sum gives all zeros.
    public mutating func divide(_ total: Int64, byWeights weights: [Int64]) -> [Int64] {
        var parts = [Int64](repeating: 0, count: weights.count)
        divide(total, byWeights: weights, into: &parts)
        return parts
    }

    /// Writes the parts into `parts` (resized to the weights' count) without allocating once warm.
    public mutating func divide(_ total: Int64, byWeights weights: [Int64], into parts: inout [Int64]) {
        if parts.count != weights.count { parts = [Int64](repeating: 0, count: weights.count) }
        var sum: Int64 = 0
        for w in weights { sum += w }
        guard sum > 0, total != 0 else {
            for i in parts.indices { parts[i] = 0 }
            return
        }
        remainders.removeAll(keepingCapacity: true)
        var given: Int64 = 0
        for i in weights.indices {
            let w = weights[i]
            let (product, overflow) = total.multipliedReportingOverflow(by: w)
            let quotient: Int64
            let remainder: Int64
            if !overflow {
                quotient = product / sum
                remainder = product % sum
            } else {
                let wide = total.multipliedFullWidth(by: w)
                (quotient, remainder) = sum.dividingFullWidth(wide)
            }
            parts[i] = quotient
            given += quotient
            if remainder != 0 { remainders.append((remainder, i)) }
        }
        var left = total - given
        guard left > 0 else { return }
        remainders.sort { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }
        for entry in remainders {
            guard left > 0 else { break }
            parts[entry.index] += 1
            left -= 1
        }
    }
}
