// PhotovoltaicModel.swift
// Clear-sky output of a fixed, equator-facing photovoltaic array.

import Foundation

/// The clear-sky AC output of a fixed photovoltaic array facing the equator (south in Austria).
///
/// Model, per UTC instant:
/// 1. Sun position from ``SolarGeometry`` (NOAA/Spencer equation of time and declination).
/// 2. Air mass by Kasten & Young (1989): AM = 1 / (cos z + 0.50572 (96.07995 - z)^-1.6364), z in degrees.
/// 3. Direct normal irradiance by Meinel: DNI = 1353 * 0.7^(AM^0.678) W/m2.
/// 4. Diffuse horizontal irradiance of 10 % of DNI; global horizontal GHI = DNI cos z + DHI.
/// 5. Plane of array (isotropic sky): DNI max(0, cos theta) + DHI (1 + cos tilt) / 2
///    + albedo GHI (1 - cos tilt) / 2, with albedo 0.2.
/// 6. Output kW = kWp * POA / 1000 W/m2 * performance ratio (0.85 by default), zero at night.
///
/// With the defaults (30 degree tilt, PR 0.85) the output peaks near 0.87 * kWp on a June noon in Vienna;
/// a clear-sky year yields about 1,850 kWh per kWp there (real weather: multiply by a
/// clearness index such as ``CloudinessProcess``).
///
/// ```swift
/// let pv = PhotovoltaicModel(kWp: 9.9, latitude: 48.2, longitude: 16.37)
/// let noon = CivilCalendar.unixSeconds(year: 2026, month: 6, day: 21) + 11 * 3_600
/// let kW = pv.clearSkyKW(unixSeconds: noon)                  // about 8.6 kW
/// let kWh = pv.clearSkyQuarterKWh(startUnixSeconds: noon)    // energy of 11:00-11:15 UTC
/// ```
public struct PhotovoltaicModel: Sendable, Hashable {
    /// Installed peak power in kW (STC); negative or non-finite input is stored as 0.
    public let kWp: Double
    /// Module tilt from horizontal in degrees (clamped to 0...90).
    public let tiltDegrees: Double
    /// Performance ratio: all system losses (temperature, inverter, wiring, soiling), clamped to 0...1.
    public let performanceRatio: Double
    /// The solar geometry of the site.
    public let geometry: SolarGeometry

    /// Solar constant used by the Meinel model, W/m2.
    public static let solarConstant = 1_353.0
    /// Diffuse horizontal irradiance as a fraction of the direct normal irradiance.
    public static let diffuseFraction = 0.1
    /// Ground reflectance for the ground-reflected share on the tilted module.
    public static let albedo = 0.2

    private let diffuseViewFactor: Double
    private let groundViewFactor: Double
    private let sinEffectiveLatitude: Double
    private let cosEffectiveLatitude: Double

    /// Creates a model of an equator-facing array.
    ///
    /// - Parameters:
    ///   - kWp: installed peak power in kW.
    ///   - latitude: site latitude in degrees north.
    ///   - longitude: site longitude in degrees east.
    ///   - tiltDegrees: module tilt from horizontal, default 30 degrees.
    ///   - performanceRatio: system performance ratio, default 0.85.
    public init(
        kWp: Double, latitude: Double, longitude: Double,
        tiltDegrees: Double = 30, performanceRatio: Double = 0.85
    ) {
        self.kWp = kWp.isFinite && kWp > 0 ? kWp : 0
        let tilt = tiltDegrees.isFinite ? max(0, min(90, tiltDegrees)) : 30
        self.tiltDegrees = tilt
        self.performanceRatio = performanceRatio.isFinite ? max(0, min(1, performanceRatio)) : 0.85
        self.geometry = SolarGeometry(latitude: latitude, longitude: longitude)
        let cosTilt = cos(tilt * .pi / 180)
        self.diffuseViewFactor = (1 + cosTilt) / 2
        self.groundViewFactor = (1 - cosTilt) / 2
        let effectiveLatitude = (abs(geometry.latitude) - tilt) * .pi / 180
        self.sinEffectiveLatitude = sin(effectiveLatitude)
        self.cosEffectiveLatitude = cos(effectiveLatitude)
    }

    /// Clear-sky irradiance on the module plane in W/m2 at a UTC instant (0 when the sun is down).
    public func clearSkyPlaneOfArrayIrradiance(unixSeconds: Int64) -> Double {
        let sun = geometry.position(unixSeconds: unixSeconds)
        guard sun.cosZenith > 0 else { return 0 }
        let dni = Self.directNormalIrradiance(cosZenith: sun.cosZenith)
        let dhi = Self.diffuseFraction * dni
        let ghi = dni * sun.cosZenith + dhi
        let cosTheta = geometry.cosIncidence(
            sun, sinEffectiveLatitude: sinEffectiveLatitude,
            cosEffectiveLatitude: cosEffectiveLatitude)
        return dni * max(0, cosTheta) + dhi * diffuseViewFactor + Self.albedo * ghi * groundViewFactor
    }

    /// Clear-sky AC output in kW at a UTC instant: kWp * POA / 1000 W/m2 * performance ratio.
    public func clearSkyKW(unixSeconds: Int64) -> Double {
        kWp * clearSkyPlaneOfArrayIrradiance(unixSeconds: unixSeconds) / 1_000 * performanceRatio
    }

    /// Clear-sky energy in kWh of the quarter hour starting at `startUnixSeconds`, evaluated at its
    /// midpoint (`clearSkyKW(start + 450 s) / 4`).
    public func clearSkyQuarterKWh(startUnixSeconds: Int64) -> Double {
        clearSkyKW(unixSeconds: startUnixSeconds &+ 450) / 4
    }

    /// Meinel direct normal irradiance in W/m2 for a sun with the given cos(zenith) (> 0), using the
    /// Kasten-Young air mass. Returns 0 for cosZenith <= 0.
    public static func directNormalIrradiance(cosZenith: Double) -> Double {
        guard cosZenith > 0 else { return 0 }
        let airMass = kastenYoungAirMass(cosZenith: cosZenith)
        // 0.7^(AM^0.678) = exp(ln 0.7 * exp(0.678 ln AM))
        return solarConstant * exp(-0.356_674_943_938_732_4 * exp(0.678 * log(airMass)))
    }

    /// Kasten & Young (1989) relative optical air mass for a sun with the given cos(zenith) (> 0).
    public static func kastenYoungAirMass(cosZenith: Double) -> Double {
        let c = max(0, min(1, cosZenith))
        let zenithDegrees = acos(c) * 180 / .pi
        return 1 / (c + 0.50572 * exp(-1.6364 * log(96.07995 - zenithDegrees)))
    }
}
