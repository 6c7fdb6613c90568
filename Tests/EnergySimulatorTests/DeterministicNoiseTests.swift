// DeterministicNoiseTests.swift
// The stateless hash noise: range, rough uniformity, normal moments, determinism.

import EnergySimulator
import Testing

@Suite("Deterministic noise")
struct DeterministicNoiseTests {
    @Test("Uniform values lie in [0, 1), have mean ~0.5 and fill ten bins evenly")
    func uniformity() {
        let n = 200_000
        var bins = [Int](repeating: 0, count: 10)
        var sum = 0.0
        for i in 0..<n {
            let u = DeterministicNoise.unit(12_345, UInt64(i % 1_000), UInt64(i / 1_000))
            #expect(u >= 0 && u < 1)
            sum += u
            bins[min(9, Int(u * 10))] += 1
        }
        #expect(abs(sum / Double(n) - 0.5) < 0.005)
        for count in bins {
            #expect(abs(Double(count) / Double(n) - 0.1) < 0.005, "bins \(bins)")
        }
    }

    @Test("Normal values have mean ~0 and variance ~1")
    func normalMoments() {
        let n = 200_000
        var sum = 0.0
        var squares = 0.0
        var beyondTwoSigma = 0
        for i in 0..<n {
            let z = DeterministicNoise.normal(7, UInt64(i), 3)
            #expect(z.isFinite)
            sum += z
            squares += z * z
            if abs(z) > 2 { beyondTwoSigma += 1 }
        }
        let mean = sum / Double(n)
        #expect(abs(mean) < 0.01)
        #expect(abs(squares / Double(n) - mean * mean - 1) < 0.02)
        #expect(abs(Double(beyondTwoSigma) / Double(n) - 0.0455) < 0.004)
        let shifted = DeterministicNoise.normal(7, 1, 3, mean: 10, standardDeviation: 2)
        #expect(abs(shifted - (10 + 2 * DeterministicNoise.normal(7, 1, 3))) < 1e-12)
    }

    @Test("Deterministic, and sensitive to seed, each key and key order")
    func determinism() {
        let base = DeterministicNoise.hash(1, 2, 3)
        #expect(DeterministicNoise.hash(1, 2, 3) == base)
        #expect(DeterministicNoise.hash(9, 2, 3) != base)
        #expect(DeterministicNoise.hash(1, 9, 3) != base)
        #expect(DeterministicNoise.hash(1, 2, 9) != base)
        #expect(DeterministicNoise.hash(1, 3, 2) != base)
        #expect(DeterministicNoise.unit(1, 2, 3) == DeterministicNoise.unit(1, 2, 3))
        // Neighbouring keys are uncorrelated: successive differences look like uniform differences.
        var sumProducts = 0.0
        for i in 0..<50_000 {
            let a = DeterministicNoise.unit(0, UInt64(i), 0) - 0.5
            let b = DeterministicNoise.unit(0, UInt64(i + 1), 0) - 0.5
            sumProducts += a * b
        }
        #expect(abs(sumProducts / 50_000) < 0.002)  // covariance of independent uniforms is 0
    }

    @Test("Signed units lie in [-1, 1)")
    func signedUnits() {
        for i in 0..<10_000 {
            let s = DeterministicNoise.signedUnit(3, UInt64(i), 1)
            #expect(s >= -1 && s < 1)
        }
    }
}
