import EnergyCore
import Testing

/// The DSO's shares replace ours where it sent them; hand-computed.
@Suite struct GridOperatorDayTests {
    // Points: a plant, consumers A and B; two quarter hours.
    let directions: [Direction] = [.generation, .consumption, .consumption]

    @Test func theSharesFollowTheDocumentedRule() {
        var dso = GridOperatorDay(quarterHours: 2, directions: directions)
        // Quarter hour 0: G.01T − P.01T for the plant, G.03 for both consumers.
        dso.record(quarterHour: 0, point: 0, code: .participatingProduction, milliwattHours: 900)
        dso.record(quarterHour: 0, point: 0, code: .participatingSurplus, milliwattHours: 300)
        dso.record(quarterHour: 0, point: 1, code: .coveredShare, milliwattHours: 400)
        dso.record(quarterHour: 0, point: 2, code: .coveredShare, milliwattHours: 200)
        // Quarter hour 1: no T codes, so reading − P.01; G.02 is kept out of the share.
        dso.record(quarterHour: 1, point: 0, code: .surplus, milliwattHours: 100)
        dso.record(quarterHour: 1, point: 1, code: .offeredShare, milliwattHours: 999)
        // A figure of the wrong direction for its point is ignored.
        dso.record(quarterHour: 1, point: 2, code: .surplus, milliwattHours: 5)
        let readings: [Int64] = [1000, 500, 300, 800, 600, 100]
        #expect(dso.shares(readings: readings) == [600, 400, 200, 700, -1, -1])
    }

    @Test func aDayWithoutFiguresHasNoShares() {
        // No slots are made until a figure arrives; the answers are those of empty slots.
        let dso = GridOperatorDay(quarterHours: 2, directions: directions)
        #expect(dso.figures == 0)
        #expect(dso.share(quarterHour: 1, point: 0, reading: 500) == nil)
        #expect(dso.shares(readings: [1000, 500, 300, 800, 600, 100]) == [-1, -1, -1, -1, -1, -1])
    }

    @Test func dayAllocationUsesTheDSOSharesAndCountsThem() {
        var allocator = QuarterHourAllocator(
            key: .dynamic, participants: directions.map { AllocationParticipant(direction: $0) })
        let readings: [Int64] = [1000, 500, 300, 800, 600, 100]
        let dso: [Int64] = [600, 400, 200, -1, -1, -1]
        let day = DayAllocation(
            date: LocalDate(daysSinceEpoch: 20_000), firstQuarterHour: QuarterHour(index: 20_000 * 96), values: readings,
            allocator: &allocator, gridOperator: dso)
        // Quarter hour 0 is the DSO's; quarter hour 1 ours (800 produced, 700 consumed: all of it shared).
        #expect(Array(day.shares) == [600, 400, 200, 700, 600, 100])
        #expect(day.community[0].shared == 600 && day.community[0].grid == 200 && day.community[0].surplus == 400)
        #expect(day.community[0].dsoIntervals == 3 && day.community[1].dsoIntervals == 0)
        #expect(
            day.totals(ofPoint: 1)
                == EnergyTotals(
                    consumed: 1100, produced: 0, shared: 1000, grid: 100, surplus: 0, intervals: 2, expectedIntervals: 2, dsoIntervals: 1))
        #expect(day.communityTotals.dsoIntervals == 3)
        // Without DSO figures the allocation is exactly the computed one.
        var plain = QuarterHourAllocator(key: .dynamic, participants: directions.map { AllocationParticipant(direction: $0) })
        let ours = DayAllocation(
            date: day.date, firstQuarterHour: day.firstQuarterHour, values: readings, allocator: &plain,
            gridOperator: [Int64](repeating: -1, count: 6))
        #expect(Array(ours.shares) == [800, 500, 300, 700, 600, 100] && ours.communityTotals.dsoIntervals == 0)
    }
}
