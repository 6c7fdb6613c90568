// SolarGeometry.swift
// Sun position for a site from a UTC instant (NOAA / Spencer Fourier approximations).

import Foundation

/// The position of the sun seen from a site, from the NOAA "general solar position calculations"
/// (Spencer's Fourier series for the equation of time and the declination).
///
/// The fractional year is taken from the UTC day of the year and hour; the apparent solar time is
/// UTC plus 4 minutes per degree of east longitude plus the equation of time; the hour angle is
/// 15 degrees per hour from solar noon. Accuracy is a few tenths of a degree, plenty for energy models.
/// Everything is pure arithmetic (a handful of `sin`/`cos`), no allocation, no Foundation `Calendar`.
///
/// ```swift
/// let vienna = SolarGeometry(latitude: 48.2, longitude: 16.37)
/// let noon = CivilCalendar.unixSeconds(year: 2026, month: 6, day: 21) + 11 * 3_600   // ~solar noon
/// let sun = vienna.position(unixSeconds: noon)
/// print(sun.elevationDegrees)   // about 65 degrees
/// ```
public struct SolarGeometry: Sendable, Hashable {
    /// The sun's position at one instant, as seen from the site.
    ///
    /// ```swift
    /// let sun = SolarGeometry(latitude: 48.2, longitude: 16.37).position(unixSeconds: 1_781_002_800)
    /// if sun.isAboveHorizon { print(sun.elevationDegrees, sun.hourAngle * 180 / .pi) }
    /// ```
    public struct Position: Sendable, Hashable {
        /// Solar declination in radians (positive north).
        public let declination: Double
        /// Hour angle in radians: 0 at apparent solar noon, negative in the morning, positive afternoon.
        public let hourAngle: Double
        /// Cosine of the solar zenith angle; <= 0 when the sun is at or below the horizon.
        public let cosZenith: Double
        /// Equation of time in minutes (apparent minus mean solar time).
        public let equationOfTimeMinutes: Double

        // Cached trigonometry for the incidence angle.
        let sinDeclination: Double
        let cosDeclination: Double
        let cosHourAngle: Double

        /// Solar elevation above the horizon in degrees (negative below the horizon).
        public var elevationDegrees: Double {
            90 - acos(max(-1, min(1, cosZenith))) * 180 / .pi
        }

        /// Whether the sun's centre is above the geometric horizon.
        public var isAboveHorizon: Bool {
            cosZenith > 0
        }
    }

    /// Site latitude in degrees (north positive).
    public let latitude: Double
    /// Site longitude in degrees (east positive).
    public let longitude: Double

    private let sinLatitude: Double
    private let cosLatitude: Double

    /// Creates the geometry for a site. Latitude is clamped to -90...90; non-finite input becomes 0.
    public init(latitude: Double, longitude: Double) {
        let lat = latitude.isFinite ? max(-90, min(90, latitude)) : 0
        self.latitude = lat
        self.longitude = longitude.isFinite ? longitude : 0
        self.sinLatitude = sin(lat * .pi / 180)
        self.cosLatitude = cos(lat * .pi / 180)
    }

    /// The sun's position at a UTC instant.
    public func position(unixSeconds: Int64) -> Position {
        let days = CivilCalendar.daysSinceEpoch(unixSeconds: unixSeconds)
        let secondOfDay = Double(unixSeconds - Int64(days) * CivilCalendar.secondsPerDay)
        let date = CivilCalendar.civilDate(daysSinceEpoch: days)
        let dayOfYear = CivilCalendar.dayOfYear(year: date.year, month: date.month, day: date.day)
        let daysInYear = CivilCalendar.isLeapYear(date.year) ? 366.0 : 365.0
        let hour = secondOfDay / 3_600
        let gamma = 2 * Double.pi / daysInYear * (Double(dayOfYear - 1) + (hour - 12) / 24)
        let series = Self.spencer(gamma)
        let trueSolarMinutes = secondOfDay / 60 + series.equationOfTime + 4 * longitude
        let hourAngle = (trueSolarMinutes / 4 - 180) * .pi / 180
        let sinDeclination = sin(series.declination)
        let cosDeclination = cos(series.declination)
        let cosHourAngle = cos(hourAngle)
        let cosZenith = sinLatitude * sinDeclination + cosLatitude * cosDeclination * cosHourAngle
        return Position(
            declination: series.declination, hourAngle: hourAngle, cosZenith: cosZenith,
            equationOfTimeMinutes: series.equationOfTime, sinDeclination: sinDeclination,
            cosDeclination: cosDeclination, cosHourAngle: cosHourAngle)
    }

    /// Cosine of the angle of incidence of direct sunlight on a module facing the equator
    /// (south in the northern hemisphere, north in the southern) tilted by `tiltDegrees` from horizontal.
    ///
    /// Uses cos(theta) = sin(delta) sin(phi') + cos(delta) cos(phi') cos(omega) with the effective latitude
    /// phi' = |phi| - tilt (and delta mirrored for the southern hemisphere). Negative values mean the sun is
    /// behind the module.
    public func cosIncidence(_ position: Position, tiltDegrees: Double) -> Double {
        let effectiveLatitude = (abs(latitude) - tiltDegrees) * .pi / 180
        return cosIncidence(
            position, sinEffectiveLatitude: sin(effectiveLatitude),
            cosEffectiveLatitude: cos(effectiveLatitude))
    }

    /// ``cosIncidence(_:tiltDegrees:)`` with the effective latitude's sine and cosine precomputed.
    @inline(__always)
    func cosIncidence(_ position: Position, sinEffectiveLatitude: Double, cosEffectiveLatitude: Double) -> Double {
        let sinDeclination = latitude < 0 ? -position.sinDeclination : position.sinDeclination
        return sinDeclination * sinEffectiveLatitude
            + position.cosDeclination * cosEffectiveLatitude * position.cosHourAngle
    }

    /// Equation of time in minutes for the fractional year `gamma` (radians), Spencer (1971) / NOAA.
    public static func equationOfTimeMinutes(fractionalYear gamma: Double) -> Double {
        spencer(gamma).equationOfTime
    }

    /// Solar declination in radians for the fractional year `gamma` (radians), Spencer (1971) / NOAA.
    public static func declination(fractionalYear gamma: Double) -> Double {
        spencer(gamma).declination
    }

    /// Both Spencer series from one sine/cosine pair (multiple angles by the double/triple-angle identities).
    @inline(__always)
    static func spencer(_ gamma: Double) -> (equationOfTime: Double, declination: Double) {
        let s1 = sin(gamma)
        let c1 = cos(gamma)
        let s2 = 2 * s1 * c1
        let c2 = c1 * c1 - s1 * s1
        let s3 = s1 * (3 - 4 * s1 * s1)
        let c3 = c1 * (4 * c1 * c1 - 3)
        let equationOfTime = 229.18 * (0.000075 + 0.001868 * c1 - 0.032077 * s1 - 0.014615 * c2 - 0.040849 * s2)
        let declination =
            0.006918 - 0.399912 * c1 + 0.070257 * s1 - 0.006758 * c2 + 0.000907 * s2
            - 0.002697 * c3 + 0.00148 * s3
        return (equationOfTime, declination)
    }
}
