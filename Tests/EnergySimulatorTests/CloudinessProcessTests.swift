// CloudinessProcessTests.swift
// The stateless weather process: reproducibility, range, climatology, smoothness.

import EnergySimulator
import Testing

@Suite("Cloudiness process")
struct CloudinessProcessTests {
    static let start2026 = CivilCalendar.unixSeconds(year: 2026, month: 1, day: 1)
    static let start2027 = CivilCalendar.unixSeconds(year: 2027, month: 1, day: 1)

    @Test("Same seed, same values, in any evaluation order")
    func reproducible() {
        let a = CloudinessProcess(seed: 42)
        let b = CloudinessProcess(seed: 42)
        let times = stride(from: Self.start2026, to: Self.start2026 + 30 * 86_400, by: 900).map { $0 }
        let forward = times.map { a.clearness(unixSeconds: $0) }
        let backward = times.reversed().map { b.clearness(unixSeconds: $0) }
        #expect(forward == Array(backward.reversed()))
        // A single instant evaluated alone equals the same instant inside a range.
        #expect(CloudinessProcess(seed: 42).clearness(unixSeconds: times[1_234]) == forward[1_234])
    }

    @Test("Another seed gives different weather")
    func seedMatters() {
        let a = CloudinessProcess(seed: 1)
        let b = CloudinessProcess(seed: 2)
        var differing = 0
        var total = 0
        for t in stride(from: Self.start2026, to: Self.start2027, by: 3_600 * 7) {
            total += 1
            if abs(a.clearness(unixSeconds: t) - b.clearness(unixSeconds: t)) > 1e-9 { differing += 1 }
        }
        #expect(Double(differing) > 0.9 * Double(total))
    }

    @Test(
        "Values stay in [0.1, 1.0], the yearly mean is 0.5-0.7, winter is duller than summer",
        arguments: [UInt64(0), 7, 2026, 0xDEAD_BEEF])
    func rangeAndClimatology(seed: UInt64) {
        let process = CloudinessProcess(seed: seed)
        var sum = 0.0
        var count = 0
        var winter = (sum: 0.0, count: 0)
        var summer = (sum: 0.0, count: 0)
        for t in stride(from: Self.start2026, to: Self.start2027, by: 900) {
            let c = process.clearness(unixSeconds: t)
            #expect(c >= 0.1 && c <= 1.0)
            sum += c
            count += 1
            let month = CivilCalendar.civilDate(daysSinceEpoch: CivilCalendar.daysSinceEpoch(unixSeconds: t)).month
            if month == 12 || month == 1 || month == 11 { winter = (winter.sum + c, winter.count + 1) }
            if month == 6 || month == 7 || month == 8 { summer = (summer.sum + c, summer.count + 1) }
        }
        let mean = sum / Double(count)
        // Observed yearly means for 2025/2026 are 0.57-0.61 depending on the seed.
        #expect(mean > 0.5 && mean < 0.7, "seed \(seed): mean \(mean)")
        #expect(winter.sum / Double(winter.count) < summer.sum / Double(summer.count) - 0.1)
    }

    @Test("Consecutive quarter hours differ by at most 0.18 (smooth)")
    func smooth() {
        let process = CloudinessProcess(seed: 99)
        var previous = process.clearness(unixSeconds: Self.start2026)
        var largest = 0.0
        var totalVariation = 0.0
        for t in stride(from: Self.start2026 + 900, to: Self.start2027, by: 900) {
            let c = process.clearness(unixSeconds: t)
            largest = max(largest, abs(c - previous))
            totalVariation += abs(c - previous)
            previous = c
        }
        #expect(largest < 0.18, "largest step \(largest)")
        #expect(totalVariation / 35_039 < 0.05, "mean step \(totalVariation / 35_039)")
        #expect(totalVariation > 100, "the process must not be constant: \(totalVariation)")
    }

    @Test("Regime frequencies follow the monthly probabilities over many years")
    func regimeFrequencies() {
        let process = CloudinessProcess(seed: 5)
        var overcast = [Int](repeating: 0, count: 13)
        var days = [Int](repeating: 0, count: 13)
        let first = CivilCalendar.daysSinceEpoch(year: 2000, month: 1, day: 1)
        let last = CivilCalendar.daysSinceEpoch(year: 2040, month: 1, day: 1)
        for day in first..<last {
            let month = CivilCalendar.civilDate(daysSinceEpoch: day).month
            days[month] += 1
            if process.regime(daysSinceEpoch: day) == .overcast { overcast[month] += 1 }
        }
        for month in 1...12 {
            let p = CloudinessProcess.regimeProbabilities(month: month)
            let expected = 1 - p.sunny - p.mixed
            let observed = Double(overcast[month]) / Double(days[month])
            #expect(abs(observed - expected) < 0.05, "month \(month): \(observed) vs \(expected)")
        }
    }

    @Test("Works before 1970 (negative timestamps)")
    func negativeTimes() {
        let process = CloudinessProcess(seed: 3)
        let c0 = process.clearness(unixSeconds: -1)
        let c1 = process.clearness(unixSeconds: 0)
        #expect(c0 >= 0.1 && c0 <= 1.0)
        #expect(abs(c0 - c1) < 0.01)
    }
}
