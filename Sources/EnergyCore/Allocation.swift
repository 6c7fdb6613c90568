/// How a quarter hour's community production is shared among the consuming metering points.
public enum AllocationKey: String, Sendable, Codable, CaseIterable {
    /// In proportion to each point's (participating) consumption.
    case dynamic
    /// A fixed share of production per consuming point; what a point cannot use goes to surplus.
    case `static`
}

/// Whether a metering point draws from the grid or feeds into it.
public enum Direction: String, Sendable, Codable, CaseIterable {
    case consumption
    case generation

    /// Stable small integer for storage.
    public var code: Int { self == .consumption ? 0 : 1 }
    public init?(code: Int) {
        switch code {
        case 0: self = .consumption
        case 1: self = .generation
        default: return nil
        }
    }
}

/// One metering point as the allocation sees it.
public struct AllocationParticipant: Sendable, Equatable {
    public var direction: Direction
    /// Participation factor in basis points, 1...10_000 (0.01 % ... 100 %).
    public var participationBasisPoints: Int64
    /// Static key only: the share of production in parts per million (0 for generators).
    public var staticSharePPM: Int64

    public init(direction: Direction, participationBasisPoints: Int64 = 10_000, staticSharePPM: Int64 = 0) {
        self.direction = direction
        self.participationBasisPoints = participationBasisPoints
        self.staticSharePPM = staticSharePPM
    }
}

/// Community-wide energy of one quarter hour, in mWh.
public struct QuarterHourTotals: Sendable, Equatable {
    public var consumed: Int64 = 0
    public var produced: Int64 = 0
    /// Production allocated to consumers (= taken from generators).
    public var shared: Int64 = 0
    public init() {}
    public var grid: Int64 { consumed - shared }
    public var surplus: Int64 { produced - shared }
}

/// Allocates each quarter hour's production to the consuming points of a community.
///
/// `values[i]` is point i's consumption (for a consumer) or production (for a generator) in mWh;
/// `shares[i]` becomes the community energy point i received (consumer) or gave (generator).
/// The shares of consumers sum exactly to the allocated energy, and so do the generators' shares;
/// no consumer receives more than its participating consumption, no generator gives more than its
/// participating production.
/// ```swift
/// var allocator = QuarterHourAllocator(key: .dynamic, participants: [
///     .init(direction: .generation), .init(direction: .consumption), .init(direction: .consumption)])
/// var shares = [Int64](repeating: 0, count: 3)
/// let totals = allocator.allocate([900, 1000, 500], shares: &shares)   // shares [900, 600, 300]
/// ```
public struct QuarterHourAllocator {
    public let key: AllocationKey
    public let participants: [AllocationParticipant]
    private let consumers: [Int]
    private let generators: [Int]
    private let staticWeights: [Int64]
    private let staticTotalPPM: Int64
    private var split = LargestRemainder()
    private var consumerWeights: [Int64]
    private var generatorWeights: [Int64]
    private var consumerParts: [Int64]
    private var generatorParts: [Int64]

    public init(key: AllocationKey, participants: [AllocationParticipant]) {
        self.key = key
        self.participants = participants
        consumers = participants.indices.filter { participants[$0].direction == .consumption }
        generators = participants.indices.filter { participants[$0].direction == .generation }
        staticWeights = consumers.map { participants[$0].staticSharePPM }
        staticTotalPPM = staticWeights.reduce(0, +)
        consumerWeights = [Int64](repeating: 0, count: consumers.count)
        generatorWeights = [Int64](repeating: 0, count: generators.count)
        consumerParts = consumerWeights
        generatorParts = generatorWeights
    }

    /// Allocates one quarter hour. Missing readings must be passed as 0.
    @discardableResult
    public mutating func allocate(_ values: UnsafeBufferPointer<Int64>, shares: UnsafeMutableBufferPointer<Int64>) -> QuarterHourTotals {
        var totals = QuarterHourTotals()
        var offered: Int64 = 0
        for (k, i) in generators.enumerated() {
            let value = values[i]
            totals.produced += value
            let weight = value * participants[i].participationBasisPoints / 10_000
            generatorWeights[k] = weight
            offered += weight
        }
        var demand: Int64 = 0
        for (k, i) in consumers.enumerated() {
            let value = values[i]
            totals.consumed += value
            let weight = value * participants[i].participationBasisPoints / 10_000
            consumerWeights[k] = weight
            demand += weight
        }
        var allocated: Int64 = 0
        switch key {
        case .dynamic:
            allocated = min(offered, demand)
            if allocated == demand {
                // Everyone gets all they asked for: no rounding needed.
                for k in consumers.indices { consumerParts[k] = consumerWeights[k] }
            } else {
                split.divide(allocated, byWeights: consumerWeights, into: &consumerParts)
            }
        case .static:
            // Each consumer's quota of production, rounded so the quotas sum to the keyed total.
            let keyed = Self.scale(offered, byPPM: staticTotalPPM)
            split.divide(keyed, byWeights: staticWeights, into: &consumerParts)
            for k in consumers.indices {
                consumerParts[k] = min(consumerParts[k], consumerWeights[k])
                allocated += consumerParts[k]
            }
        }
        for (k, i) in consumers.enumerated() { shares[i] = consumerParts[k] }
        if allocated == offered {
            for (k, i) in generators.enumerated() { shares[i] = generatorWeights[k] }
        } else {
            split.divide(allocated, byWeights: generatorWeights, into: &generatorParts)
            for (k, i) in generators.enumerated() { shares[i] = generatorParts[k] }
        }
        totals.shared = allocated
        return totals
    }

    /// Convenience for tests and small callers.
    public mutating func allocate(_ values: [Int64], shares: inout [Int64]) -> QuarterHourTotals {
        if shares.count != values.count { shares = [Int64](repeating: 0, count: values.count) }
        return values.withUnsafeBufferPointer { v in
            shares.withUnsafeMutableBufferPointer { s in allocate(v, shares: s) }
        }
    }

    /// `value * ppm / 1_000_000`, rounded down, without overflow.
    static func scale(_ value: Int64, byPPM ppm: Int64) -> Int64 {
        let (product, overflow) = value.multipliedReportingOverflow(by: ppm)
        if !overflow { return product / 1_000_000 }
        return Int64(1_000_000).dividingFullWidth(value.multipliedFullWidth(by: ppm)).quotient
    }
}
