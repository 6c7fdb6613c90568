// PhotovoltaicModelTests.swift
// Solar geometry and the clear-sky photovoltaic model for Vienna.

import EnergySimulator
import Testing

@Suite("Solar geometry and photovoltaic model")
struct PhotovoltaicModelTests {
    static let vienna = PhotovoltaicModel(kWp: 10, latitude: 48.2, longitude: 16.37)

    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Int64 {
        CivilCalendar.unixSeconds(year: year, month: month, day: day) + Int64(hour * 3_600 + minute * 60)
    }

    @Test("Declination and noon elevation at the solstices in Vienna")
    func solsticeGeometry() {
        let geometry = SolarGeometry(latitude: 48.2, longitude: 16.37)
        let june = geometry.position(unixSeconds: Self.utc(2026, 6, 21, 10, 56))
        #expect(abs(june.declination * 180 / .pi - 23.44) < 0.3)
        #expect(abs(june.elevationDegrees - 65.24) < 0.4)
        #expect(abs(june.hourAngle) < 0.02)  // within ~1 degree (4 minutes) of solar noon
        let december = geometry.position(unixSeconds: Self.utc(2026, 12, 21, 11, 5))
        #expect(abs(december.declination * 180 / .pi + 23.44) < 0.3)
        #expect(abs(december.elevationDegrees - 18.36) < 0.4)
        // Equation of time: about -14 min in mid-February, about +16 min in early November.
        #expect(abs(geometry.position(unixSeconds: Self.utc(2026, 2, 11, 12)).equationOfTimeMinutes + 14.2) < 0.7)
        #expect(abs(geometry.position(unixSeconds: Self.utc(2026, 11, 3, 12)).equationOfTimeMinutes - 16.4) < 0.7)
    }

    @Test("Zero at local midnight and whenever the sun is down")
    func zeroAtNight() {
        // Local midnight in Vienna: 22:00 UTC in summer (CEST), 23:00 UTC in winter (CET).
        #expect(Self.vienna.clearSkyKW(unixSeconds: Self.utc(2026, 6, 20, 22)) == 0)
        #expect(Self.vienna.clearSkyKW(unixSeconds: Self.utc(2026, 12, 20, 23)) == 0)
        #expect(Self.vienna.clearSkyKW(unixSeconds: Self.utc(2026, 3, 1, 2)) == 0)
        let geometry = SolarGeometry(latitude: 48.2, longitude: 16.37)
        for t in stride(from: Self.utc(2026, 1, 1, 0), to: Self.utc(2027, 1, 1, 0), by: 900) {
            let kW = Self.vienna.clearSkyKW(unixSeconds: t)
            if !geometry.position(unixSeconds: t).isAboveHorizon {
                #expect(kW == 0)
            }
        }
    }

    @Test("Peak output near solar noon (~10:56 UTC in Vienna in June)")
    func peakAtSolarNoon() {
        var best = (t: Int64(0), kW: -1.0)
        for t in stride(from: Self.utc(2026, 6, 21, 0), to: Self.utc(2026, 6, 22, 0), by: 60) {
            let kW = Self.vienna.clearSkyKW(unixSeconds: t)
            if kW > best.kW { best = (t, kW) }
        }
        let peakMinute = Int(best.t - Self.utc(2026, 6, 21, 0)) / 60
        #expect(peakMinute >= 10 * 60 + 45 && peakMinute <= 11 * 60 + 5, "peak at minute \(peakMinute)")
        #expect(best.kW > 8.0 && best.kW < 9.5, "peak \(best.kW) kW")
        // Morning and afternoon are lower than noon and roughly symmetric around it.
        let morning = Self.vienna.clearSkyKW(unixSeconds: best.t - 3 * 3_600)
        let afternoon = Self.vienna.clearSkyKW(unixSeconds: best.t + 3 * 3_600)
        #expect(morning < best.kW && afternoon < best.kW)
        #expect(abs(morning - afternoon) < 0.05 * best.kW)
    }

    @Test("June noon output exceeds December noon output")
    func summerAboveWinter() {
        let june = Self.vienna.clearSkyKW(unixSeconds: Self.utc(2026, 6, 21, 11))
        let december = Self.vienna.clearSkyKW(unixSeconds: Self.utc(2026, 12, 21, 11))
        #expect(december > 0)
        #expect(june > december)
    }

    @Test("Output never exceeds 1.05 kWp; yearly clear-sky yield is 1,400-1,900 kWh/kWp")
    func boundsAndYield() {
        let model = PhotovoltaicModel(kWp: 1, latitude: 48.2, longitude: 16.37)
        var yield = 0.0
        var maximum = 0.0
        for t in stride(from: Self.utc(2025, 1, 1, 0), to: Self.utc(2026, 1, 1, 0), by: 900) {
            let kW = model.clearSkyKW(unixSeconds: t + 450)
            #expect(kW >= 0 && kW <= 1.05)
            maximum = max(maximum, kW)
            yield += model.clearSkyQuarterKWh(startUnixSeconds: t)
        }
        // Observed for 2025: 1,846.6 kWh/kWp (horizontal module: 1,492) with a peak of 0.867 kW per kWp.
        #expect(yield > 1_400 && yield < 1_900, "yield \(yield) kWh/kWp")
        #expect(maximum > 0.8, "maximum \(maximum)")
    }

    @Test("Southern hemisphere: the module faces north and December beats June")
    func southernHemisphere() {
        // Sydney, 33.87 S 151.21 E: solar noon about 01:55 UTC.
        let sydney = PhotovoltaicModel(kWp: 1, latitude: -33.87, longitude: 151.21)
        let december = sydney.clearSkyKW(unixSeconds: Self.utc(2026, 12, 21, 2))
        let june = sydney.clearSkyKW(unixSeconds: Self.utc(2026, 6, 21, 2))
        #expect(june > 0.5)
        #expect(december > june * 0.95)
        #expect(sydney.clearSkyKW(unixSeconds: Self.utc(2026, 6, 21, 14)) == 0)
    }

    @Test("Invalid parameters are sanitised")
    func sanitisedParameters() {
        let broken = PhotovoltaicModel(kWp: -3, latitude: .nan, longitude: .infinity)
        #expect(broken.kWp == 0)
        #expect(broken.clearSkyKW(unixSeconds: Self.utc(2026, 6, 21, 12)) == 0)
        #expect(PhotovoltaicModel(kWp: 1, latitude: 48, longitude: 16, tiltDegrees: 200).tiltDegrees == 90)
    }

    @Test("Meinel/Kasten-Young irradiance: ~950 W/m2 at zenith, falling towards the horizon")
    func clearSkyIrradiance() {
        #expect(abs(PhotovoltaicModel.kastenYoungAirMass(cosZenith: 1) - 1.0) < 0.001)
        #expect(abs(PhotovoltaicModel.kastenYoungAirMass(cosZenith: 0.5) - 1.995) < 0.01)
        #expect(abs(PhotovoltaicModel.directNormalIrradiance(cosZenith: 1) - 1_353 * 0.7) < 1)
        #expect(PhotovoltaicModel.directNormalIrradiance(cosZenith: 0.05) < PhotovoltaicModel.directNormalIrradiance(cosZenith: 0.5))
        #expect(PhotovoltaicModel.directNormalIrradiance(cosZenith: 0) == 0)
        #expect(PhotovoltaicModel.directNormalIrradiance(cosZenith: 0.001).isFinite)
    }
}
