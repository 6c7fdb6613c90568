// DeterministicNoise.swift
// Stateless, counter-based pseudo-random numbers: a pure function of (seed, keys).

import Foundation

/// Stateless pseudo-random numbers keyed by a seed and two integers, built on the SplitMix64 finalizer.
///
/// Unlike a sequential generator, every value is a pure function of its inputs, so any sub-range of a
/// simulation (any meter, any quarter hour, any thread) reproduces exactly the same numbers. Use the
/// keys for e.g. the meter number and the quarter-hour index; negative indices can be passed with
/// `UInt64(bitPattern:)`. Each call is a few multiplications and shifts, no allocation.
///
/// ```swift
/// let seed: UInt64 = 7
/// let meter: UInt64 = 42
/// let unixSeconds: Int64 = 1_767_225_600
/// let quarterIndex = UInt64(bitPattern: unixSeconds / 900)
/// let u = DeterministicNoise.unit(seed, meter, quarterIndex)     // uniform in [0, 1)
/// let z = DeterministicNoise.normal(seed, meter, quarterIndex)   // standard normal
/// let expected = LoadProfileModel(profile: .h0, annualKWh: 3_500)
///     .expectedKWh(year: 2026, month: 1, day: 1, quarter: 0)
/// let kWh = expected * max(0, 1 + 0.2 * z)                       // noisy meter reading
/// ```
public struct DeterministicNoise: Sendable {
    private init() {}

    /// The SplitMix64 output function (Steele, Lea & Flood 2014): a bijective 64-bit mixer.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A well-mixed 64-bit hash of a seed and two keys. Changing any input changes the result
    /// (the order of `a` and `b` matters).
    @inline(__always)
    public static func hash(_ seed: UInt64, _ a: UInt64, _ b: UInt64) -> UInt64 {
        mix(mix(mix(seed) ^ a) ^ b)
    }

    /// A uniform number in [0, 1) with 53 random bits.
    @inline(__always)
    public static func unit(_ seed: UInt64, _ a: UInt64, _ b: UInt64) -> Double {
        Double(hash(seed, a, b) >> 11) * 0x1.0p-53
    }

    /// A uniform number in [-1, 1).
    @inline(__always)
    public static func signedUnit(_ seed: UInt64, _ a: UInt64, _ b: UInt64) -> Double {
        2 * unit(seed, a, b) - 1
    }

    /// A standard normal number (mean 0, standard deviation 1) by the Box-Muller transform of two
    /// uniforms derived from the same hash. Always finite (|z| < 8.6).
    public static func normal(_ seed: UInt64, _ a: UInt64, _ b: UInt64) -> Double {
        let h = hash(seed, a, b)
        // u1 in (0, 1] so that log(u1) is finite; u2 in [0, 1).
        let u1 = Double((h >> 11) + 1) * 0x1.0p-53
        let u2 = Double(mix(h) >> 11) * 0x1.0p-53
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// A normal number with the given mean and standard deviation.
    public static func normal(_ seed: UInt64, _ a: UInt64, _ b: UInt64, mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * normal(seed, a, b)
    }
}
