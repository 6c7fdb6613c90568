// CloudinessProcess.swift
// A deterministic, smooth clearness-index process: a pure function of (seed, time).

/// A synthetic weather process giving the clearness index (fraction of clear-sky PV output) at any
/// UTC instant, as a pure function of the seed and the time (no sequential state).
///
/// Construction:
/// - Every UTC day draws a weather regime from a hash of (seed, day): sunny, mixed or overcast, with
///   month-dependent probabilities (overcast is most likely November-January, sunny July-August).
///   Each regime has a base clearness (0.92 / 0.62 / 0.25) and a noise amplitude (0.06 / 0.22 / 0.12).
/// - Base and amplitude are interpolated with a smoothstep between the noons of consecutive days, so
///   regime changes happen gradually, mostly at night.
/// - Hourly noise knots in [-1, 1] (hashed from (seed, hour)) are interpolated with a smoothstep.
/// - clearness = clamp(base + amplitude * noise, 0.1, 1.0).
///
/// Because every value depends only on (seed, time), simulating any range, in any order or in
/// parallel, gives identical values at the same instant. Consecutive quarter hours differ by at most
/// about 0.17 (a smoothstep over one hour moves at most 37 % of the way in a quarter hour; knots differ
/// by at most 2 x 0.22), typically by a few hundredths. Over a year the mean is about 0.6.
///
/// ```swift
/// let weather = CloudinessProcess(seed: 2026)
/// let pv = PhotovoltaicModel(kWp: 5, latitude: 48.2, longitude: 16.37)
/// let t: Int64 = 1_781_002_800
/// let kW = pv.clearSkyKW(unixSeconds: t) * weather.clearness(unixSeconds: t)
/// ```
public struct CloudinessProcess: Sendable, Hashable {
    /// The seed; equal seeds give identical weather.
    public let seed: UInt64

    /// Lowest clearness the process returns.
    public static let minimumClearness = 0.1
    /// Highest clearness the process returns.
    public static let maximumClearness = 1.0

    /// Daily weather regimes.
    ///
    /// ```swift
    /// let day = CivilCalendar.daysSinceEpoch(year: 2026, month: 12, day: 1)
    /// let regime = CloudinessProcess(seed: 1).regime(daysSinceEpoch: day)   // .overcast is most likely
    /// print(regime.baseClearness, regime.noiseAmplitude)
    /// ```
    public enum Regime: Sendable, CaseIterable {
        /// Clear or nearly clear sky.
        case sunny
        /// Broken clouds, variable.
        case mixed
        /// Overcast.
        case overcast

        /// Base clearness of the regime.
        public var baseClearness: Double {
            switch self {
            case .sunny: return 0.92
            case .mixed: return 0.62
            case .overcast: return 0.25
            }
        }

        /// Amplitude of the hourly noise around the base clearness.
        public var noiseAmplitude: Double {
            switch self {
            case .sunny: return 0.06
            case .mixed: return 0.22
            case .overcast: return 0.12
            }
        }
    }

    // Hash stream identifiers, so the daily draw and the hourly knots are independent.
    private static let regimeStream: UInt64 = 0x5245_4749_4D45  // "REGIME"
    private static let knotStream: UInt64 = 0x4B4E_4F54  // "KNOT"

    /// Creates the process for a seed.
    public init(seed: UInt64) {
        self.seed = seed
    }

    /// Clearness index in [0.1, 1.0] at a UTC instant.
    public func clearness(unixSeconds: Int64) -> Double {
        // Daily regimes, blended between the noons of consecutive UTC days.
        let shifted = unixSeconds &- 43_200
        let dayBefore = CivilCalendar.daysSinceEpoch(unixSeconds: shifted)
        let dayFraction = Double(shifted - Int64(dayBefore) * CivilCalendar.secondsPerDay) / 86_400
        let first = regime(daysSinceEpoch: dayBefore)
        let second = regime(daysSinceEpoch: dayBefore + 1)
        let w = Self.smoothstep(dayFraction)
        let base = first.baseClearness + (second.baseClearness - first.baseClearness) * w
        let amplitude = first.noiseAmplitude + (second.noiseAmplitude - first.noiseAmplitude) * w

        // Hourly knots, smoothstep-interpolated.
        let hourQuotient = unixSeconds / 3_600
        let hour = unixSeconds % 3_600 < 0 ? hourQuotient - 1 : hourQuotient
        let hourFraction = Double(unixSeconds - hour * 3_600) / 3_600
        let k0 = knot(hour: hour)
        let k1 = knot(hour: hour &+ 1)
        let noise = k0 + (k1 - k0) * Self.smoothstep(hourFraction)

        let value = base + amplitude * noise
        return max(Self.minimumClearness, min(Self.maximumClearness, value))
    }

    /// The weather regime of a UTC day (days since 1970-01-01).
    public func regime(daysSinceEpoch day: Int) -> Regime {
        let month = CivilCalendar.civilDate(daysSinceEpoch: day).month
        let u = DeterministicNoise.unit(seed ^ Self.regimeStream, UInt64(bitPattern: Int64(day)), 0)
        let p = Self.regimeProbabilities(month: month)
        if u < p.sunny { return .sunny }
        if u < p.sunny + p.mixed { return .mixed }
        return .overcast
    }

    /// Probabilities of a sunny and a mixed day in a month (overcast takes the rest).
    /// Loosely follows Vienna's sunshine climatology: dull Nov-Jan, bright Jul-Aug.
    public static func regimeProbabilities(month: Int) -> (sunny: Double, mixed: Double) {
        switch month {
        case 1: return (0.15, 0.35)
        case 2: return (0.22, 0.38)
        case 3: return (0.28, 0.42)
        case 4: return (0.33, 0.44)
        case 5: return (0.36, 0.44)
        case 6: return (0.42, 0.42)
        case 7: return (0.50, 0.38)
        case 8: return (0.50, 0.38)
        case 9: return (0.42, 0.40)
        case 10: return (0.30, 0.40)
        case 11: return (0.12, 0.33)
        default: return (0.10, 0.30)
        }
    }

    /// Noise knot in [-1, 1) for an hour index (hours since the epoch).
    private func knot(hour: Int64) -> Double {
        DeterministicNoise.signedUnit(seed ^ Self.knotStream, UInt64(bitPattern: hour), 1)
    }

    @inline(__always)
    private static func smoothstep(_ x: Double) -> Double {
        x * x * (3 - 2 * x)
    }
}
