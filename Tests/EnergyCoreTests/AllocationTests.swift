import EnergyCore
import EnergyTestSupport
import Testing

@Suite struct LargestRemainderTests {
    @Test func handComputed() {
        var split = LargestRemainder()
        #expect(split.divide(10, byWeights: [1, 1, 1]) == [4, 3, 3])
        #expect(split.divide(7, byWeights: [2, 3, 5]) == [1, 2, 4])  // 1.4, 2.1, 3.5 -> floors 1,2,3; one left to 3.5
        #expect(split.divide(0, byWeights: [2, 3]) == [0, 0])
        #expect(split.divide(5, byWeights: [0, 0]) == [0, 0])
        #expect(split.divide(3, byWeights: [0, 5, 0]) == [0, 3, 0])
    }

    @Test func partsSumExactlyAndStayWithinOneOfTheQuota() {
        var random = SplitMix64(seed: 11)
        var split = LargestRemainder()
        for round in 0..<500 {
            let count = Int(random.next() % 40) + 1
            let big = round % 5 == 0  // exercise the 128-bit path
            let weights = (0..<count).map { _ in Int64(random.next() % (big ? 1_000_000_000_000 : 5000)) }
            let sum = weights.reduce(0, +)
            let total = sum == 0 ? 0 : Int64(random.next() % UInt64(sum + 1))
            let parts = split.divide(total, byWeights: weights)
            #expect(parts.reduce(0, +) == total)
            for (part, weight) in zip(parts, weights) {
                #expect(part >= 0 && part <= weight)
                if sum > 0 {
                    let exact = Double(total) * Double(weight) / Double(sum)
                    #expect(
                        Double(part) >= exact.rounded(.down) - 1e-3 * max(1, exact)
                            && Double(part) <= exact.rounded(.up) + 1e-3 * max(1, exact))
                }
            }
        }
    }
}

@Suite struct AllocationTests {
    func allocate(_ key: AllocationKey, _ participants: [AllocationParticipant], _ values: [Int64]) -> ([Int64], QuarterHourTotals) {
        var allocator = QuarterHourAllocator(key: key, participants: participants)
        var shares: [Int64] = []
        let totals = allocator.allocate(values, shares: &shares)
        return (shares, totals)
    }

    let gen = AllocationParticipant(direction: .generation)
    let con = AllocationParticipant(direction: .consumption)

    @Test func dynamicKeySharesInProportionToConsumption() {
        let (shares, totals) = allocate(.dynamic, [gen, con, con], [900, 1000, 500])
        #expect(shares == [900, 600, 300])
        #expect(totals.shared == 900 && totals.surplus == 0 && totals.grid == 600)
    }

    @Test func dynamicKeyWithMoreProductionThanConsumptionLeavesSurplus() {
        let (shares, totals) = allocate(.dynamic, [gen, gen, con, con], [3000, 1000, 1000, 500])
        #expect(shares == [1125, 375, 1000, 500])  // 1500 taken, 3:1 from the plants
        #expect(totals.shared == 1500 && totals.surplus == 2500 && totals.grid == 0)
    }

    @Test func dynamicKeyRoundsByLargestRemainder() {
        let (shares, totals) = allocate(.dynamic, [gen, con, con, con], [10, 7, 7, 7])
        #expect(shares == [10, 4, 3, 3])
        #expect(totals.shared == 10)
    }

    @Test func participationFactorScalesEachPoint() {
        let half = AllocationParticipant(direction: .consumption, participationBasisPoints: 5000)
        let (shares, _) = allocate(.dynamic, [gen, half, con], [2000, 1000, 1000])
        #expect(shares == [1500, 500, 1000])  // the half-participating point asks for 500
        let halfPlant = AllocationParticipant(direction: .generation, participationBasisPoints: 5000)
        let (plantShares, totals) = allocate(.dynamic, [halfPlant, con], [1000, 2000])
        #expect(plantShares == [500, 500])
        #expect(totals.surplus == 500 && totals.grid == 1500)
    }

    @Test func staticKeyGivesFixedSharesAndUnusedShareIsSurplus() {
        let a = AllocationParticipant(direction: .consumption, staticSharePPM: 500_000)  // 50 %
        let b = AllocationParticipant(direction: .consumption, staticSharePPM: 300_000)  // 30 %
        let (shares, totals) = allocate(.static, [gen, a, b], [1000, 200, 1000])
        #expect(shares == [500, 200, 300])  // a can use only 200 of its 500; 20 % unkeyed
        #expect(totals.shared == 500 && totals.surplus == 500 && totals.grid == 700)
    }

    @Test func conservationOnRandomCommunities() {
        var random = SplitMix64(seed: 5)
        for round in 0..<400 {
            let key: AllocationKey = round % 2 == 0 ? .dynamic : .static
            let count = Int(random.next() % 30) + 2
            var participants: [AllocationParticipant] = []
            var ppmLeft: Int64 = 1_000_000
            for i in 0..<count {
                let direction: Direction = i == 0 || random.next() % 4 == 0 ? .generation : .consumption
                let factor = Int64(random.next() % 10_000) + 1
                var ppm: Int64 = 0
                if direction == .consumption && key == .static {
                    ppm = Int64(random.next() % UInt64(ppmLeft / 2 + 1))
                    ppmLeft -= ppm
                }
                participants.append(AllocationParticipant(direction: direction, participationBasisPoints: factor, staticSharePPM: ppm))
            }
            let values = (0..<count).map { _ in Int64(random.next() % 3_000_000) }
            let (shares, totals) = allocate(key, participants, values)
            var consumerSum: Int64 = 0
            var generatorSum: Int64 = 0
            var offered: Int64 = 0
            var demand: Int64 = 0
            for (i, p) in participants.enumerated() {
                let eligible = values[i] * p.participationBasisPoints / 10_000
                #expect(shares[i] >= 0 && shares[i] <= eligible && shares[i] <= values[i])
                if p.direction == .consumption {
                    consumerSum += shares[i]
                    demand += eligible
                } else {
                    generatorSum += shares[i]
                    offered += eligible
                }
            }
            #expect(consumerSum == totals.shared)
            #expect(generatorSum == totals.shared)
            #expect(totals.shared <= min(offered, demand))
            if key == .dynamic { #expect(totals.shared == min(offered, demand)) }
            #expect(totals.grid + totals.shared == totals.consumed)
            #expect(totals.surplus + totals.shared == totals.produced)
        }
    }

    @Test func dayAllocationTreatsMissingReadingsAsAbsent() {
        var allocator = QuarterHourAllocator(key: .dynamic, participants: [gen, con])
        // two quarter hours; the consumer's second reading is missing
        let day = DayAllocation(
            date: LocalDate(year: 2026, month: 10, day: 1)!, firstQuarterHour: QuarterHour(index: 0),
            values: [400, 1000, 800, -1], allocator: &allocator)
        #expect(
            day.totals(ofPoint: 1)
                == EnergyTotals(consumed: 1000, produced: 0, shared: 400, grid: 600, surplus: 0, intervals: 1, expectedIntervals: 2))
        #expect(
            day.totals(ofPoint: 0)
                == EnergyTotals(consumed: 0, produced: 1200, shared: 400, grid: 0, surplus: 800, intervals: 2, expectedIntervals: 2))
        #expect(day.communityTotals.shared == 400 && day.communityTotals.intervals == 3)
        #expect(day.interleavedSeries(ofPoint: 1) == [1000, 400, -1, 0])
    }
}
