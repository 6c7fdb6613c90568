import EnergyCore
import Foundation

/// Makes up realistic readings for every metering point of a community: households, businesses
/// and farms on the BDEW standard load profiles, PV plants from a clear-sky model under a shared
/// cloudiness process, prosumers netted behind their meter.
///
/// Seeded and reproducible: a value depends only on (seed, Zaehlpunkt, quarter hour), so any range
/// gives the same readings wherever it starts.
/// ```swift
/// let simulator = CommunitySimulator(community: community, seed: 42)
/// try simulator.simulate(from: d1, to: d2) { dayReadings in try store.upsert(dayReadings, community: community) }
/// ```
public struct CommunitySimulator: Sendable {
    public let community: Community
    public let seed: UInt64
    private let weather: CloudinessProcess
    private let sources: [Source]
    /// For each point, the index of the member's other point to net against (prosumers), or nil.
    private let nettingPartner: [Int?]

    private enum Source: Sendable {
        case load(LoadProfileModel, noise: Double, key: UInt64)
        case pv(PhotovoltaicModel, key: UInt64)
    }

    public init(community: Community, seed: UInt64) {
        self.community = community
        self.seed = seed
        weather = CloudinessProcess(seed: seed ^ 0x5EA7_4E12)
        let site = community.site
        sources = community.meteringPoints.map { point in
            let key = Self.stableHash(point.zaehlpunkt.description) ^ UInt64(point.direction.code)
            switch point.profile ?? Self.defaultProfile(point.direction) {
            case let .standardLoad(kind, annual):
                let profile: StandardLoadProfile = kind == .h0 ? .h0 : kind == .g0 ? .g0 : .l0
                // Single homes are much spikier than the averaged profile; businesses less so.
                let noise = kind == .h0 ? 0.45 : kind == .g0 ? 0.2 : 0.3
                return .load(LoadProfileModel(profile: profile, annualKWh: annual), noise: noise, key: key)
            case let .photovoltaic(kWp):
                return .pv(PhotovoltaicModel(kWp: kWp, latitude: site.latitude, longitude: site.longitude), key: key)
            }
        }
        // A member with one consumption and one generation point is a prosumer: its meters see
        // the load and the plant netted against each other.
        var partner = [Int?](repeating: nil, count: community.meteringPoints.count)
        var start = 0
        for member in community.members {
            let range = start..<(start + member.meteringPoints.count)
            let consumers = range.filter { community.meteringPoints[$0].direction == .consumption }
            let generators = range.filter { community.meteringPoints[$0].direction == .generation }
            if consumers.count == 1, generators.count == 1, member.meteringPoints.count == 2 {
                partner[consumers[0]] = generators[0]
                partner[generators[0]] = consumers[0]
            }
            start = range.upperBound
        }
        nettingPartner = partner
    }

    static func defaultProfile(_ direction: Direction) -> SimulationProfile {
        direction == .consumption ? .standardLoad(.h0, annualKWh: 3500) : .photovoltaic(kWp: 10)
    }

    /// Readings of local days `from..<to`, handed over one day at a time (all points, time order).
    public func simulate(from: LocalDate, to: LocalDate, _ body: ([Reading]) throws -> Void) rethrows {
        var day = from
        let points = community.pointKeys
        var raw = [Double](repeating: 0, count: points.count)
        while day < to {
            let range = community.calendar.quarterHours(of: day)
            var readings: [Reading] = []
            readings.reserveCapacity(range.count * points.count)
            var offsets = community.calendar.offsetCache()
            for qh in range {
                let seconds = qh.startSeconds
                let local = seconds + Int64(offsets.offset(at: seconds))
                let quarter = Int((local % 86_400 + 86_400) % 86_400 / 900)
                for i in points.indices { raw[i] = energyKWh(source: i, qh: qh, date: day, quarter: quarter) }
                for i in points.indices {
                    var kwh = raw[i]
                    if let other = nettingPartner[i] { kwh = max(0, raw[i] - raw[other]) }
                    readings.append(
                        Reading(point: points[i], start: qh, milliwattHours: Int64((kwh * 1_000_000).rounded()), quality: .measured))
                }
            }
            try body(readings)
            day = day.adding(days: 1)
        }
    }

    private func energyKWh(source i: Int, qh: QuarterHour, date: LocalDate, quarter: Int) -> Double {
        switch sources[i] {
        case let .load(model, noise, key):
            let expected = model.expectedKWh(year: date.year, month: date.month, day: date.day, quarter: quarter)
            // Log-normal factors with mean 1: one per quarter hour, one per day (weather, habits).
            let z = DeterministicNoise.normal(seed, key, UInt64(bitPattern: qh.index))
            let zDay = DeterministicNoise.normal(seed, key &+ 1, UInt64(date.daysSinceEpoch))
            return expected * exp(noise * z - noise * noise / 2) * exp(0.15 * zDay - 0.0225 / 2)
        case let .pv(model, key):
            let clear = model.clearSkyQuarterKWh(startUnixSeconds: qh.startSeconds)
            guard clear > 0 else { return 0 }
            let local = 1 + 0.04 * DeterministicNoise.signedUnit(seed, key, UInt64(bitPattern: qh.index))
            return clear * weather.clearness(unixSeconds: qh.startSeconds + 450) * local
        }
    }

    /// FNV-1a: a hash that is the same in every process (Swift's `hashValue` is not).
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
