import EnergyCore
import EnergyTestSupport
import Foundation
import Testing

@testable import EnergyStore

/// The upsert as a plain model of the rules: a batch's new readings are stored first (the first
/// of a key twice in the batch wins), then every other reading is compared with what was stored
/// before its corrections, and the corrections are applied in batch order.
struct UpsertModel {
    struct Key: Hashable {
        var point: PointKey
        var start: QuarterHour
    }
    var stored: [Key: StoredReading] = [:]
    var corrections = 0

    mutating func upsert(_ batch: [Reading], calendar: LocalCalendar) -> UpsertSummary {
        var summary = UpsertSummary()
        var seen = stored
        var isNew = [Bool](repeating: false, count: batch.count)
        for (i, r) in batch.enumerated() where seen[Key(point: r.point, start: r.start)] == nil {
            seen[Key(point: r.point, start: r.start)] = StoredReading(milliwattHours: r.milliwattHours, quality: r.quality)
            isNew[i] = true
            summary.inserted += 1
            summary.dirtyDays.insert(calendar.localDate(containing: r.start.startSeconds))
        }
        var after = seen
        for (i, r) in batch.enumerated() where !isNew[i] {
            let key = Key(point: r.point, start: r.start)
            guard let old = seen[key] else { continue }
            switch UpsertRules().change(from: old, to: r) {
            case .unchanged: summary.unchanged += 1
            case .kept: summary.keptBetter += 1
            case .correction:
                summary.corrected += 1
                corrections += 1
                after[key] = StoredReading(milliwattHours: r.milliwattHours, quality: r.quality)
                summary.dirtyDays.insert(calendar.localDate(containing: r.start.startSeconds))
            }
        }
        stored = after
        return summary
    }
}

@Suite struct ReadingUpsertTests {
    /// Mixed batches (new, unchanged, corrected, of worse quality, twice in one batch, out of
    /// order, near in time and weeks apart, more rows than one multi-row INSERT holds) give the
    /// counts, dirty days, stored values and corrections of the model, on both backends.
    @Test(arguments: Backend.allCases)
    func mixedBatchesFollowTheModel(backend: Backend) throws {
        let fixture = try TestStore(backend)
        let (store, community) = (fixture.store, fixture.community)
        let calendar = community.calendar
        let day = try LocalDate("2026-10-24")
        var model = UpsertModel()
        var random = SeededRandom(seed: 7)

        // 1: three days in time order (the bulk path, 864 quarter hours x 3 points).
        let first = readings(community, from: day, days: 3) { q, i in Int64(q * 7 + i) }
        #expect(try store.upsert(first, community: community) == model.upsert(first, calendar: calendar))

        // 2: shuffled: a third unchanged, corrections, worse quality (kept), better quality, the
        // same key twice, and a fourth day new.
        var second: [Reading] = []
        for (n, r) in first.enumerated() where n % 3 == 0 {
            var r = r
            switch n % 5 {
            case 1: r.milliwattHours += 1
            case 2: r.quality = .estimated
            case 3:
                r.milliwattHours += 2
                r.quality = .substituted
            default: break
            }
            second.append(r)
            if n % 7 == 0 {
                r.milliwattHours += 5
                second.append(r)
            }
        }
        for var r in readings(community, from: day.adding(days: 3), days: 1, value: { q, i in Int64(q + i) }) {
            second.append(r)
            if r.start.index % 11 == 0 {
                r.milliwattHours += 3
                second.append(r)
            }
        }
        second.shuffle(using: &random)
        #expect(try store.upsert(second, community: community) == model.upsert(second, calendar: calendar))

        // 3: a few readings weeks apart (one lookup per reading): old ones changed, new ones, one twice.
        var third = [first[5], first[600], second[10]]
        third[0].milliwattHours += 9
        let later = readings(community, from: day.adding(days: 40), days: 1) { q, i in Int64(q * 3 + i) }
        third += [later[1], later[200], later[1]]
        third[5].milliwattHours += 1
        #expect(try store.upsert(third, community: community) == model.upsert(third, calendar: calendar))

        // The same batches again: the earlier values are corrections of the later ones now.
        for batch in [first, second, third] {
            #expect(try store.upsert(batch, community: community) == model.upsert(batch, calendar: calendar))
        }
        // What the model holds, again: all unchanged.
        let current = model.stored.map {
            Reading(point: $0.key.point, start: $0.key.start, milliwattHours: $0.value.milliwattHours, quality: $0.value.quality)
        }
        let again = try store.upsert(current, community: community)
        #expect(again.unchanged == current.count && again.total == current.count && again.dirtyDays.isEmpty)

        // What is stored is what the model holds.
        var scanned: [UpsertModel.Key: Int64] = [:]
        let keys = community.pointKeys
        try store.scanReadings(
            community: community.id, points: keys, in: calendar.quarterHours(from: day, to: day.adding(days: 41))
        ) { qh, index, mwh in scanned[UpsertModel.Key(point: keys[index], start: qh)] = mwh }
        #expect(scanned == model.stored.mapValues(\.milliwattHours))
        if let sqlite = store as? SQLiteStore {
            #expect(try sqlite.db.scalarInt("SELECT COUNT(*) FROM corrections") == Int64(model.corrections))
        }
    }
}

@Suite struct PointIDTableTests {
    /// Every point inserted is found with its id (both directions of one Zaehlpunkt apart), after
    /// the table grew many times; a point never inserted is not.
    @Test func findsWhatWasInsertedAfterGrowing() throws {
        var table = PointIDTable()
        var keys: [PointKey] = []
        for i in 1...1500 {
            let zp = try Zaehlpunkt("AT00300000000000000001" + String(format: "%011d", i))
            keys.append(PointKey(zaehlpunkt: zp, direction: .consumption))
            keys.append(PointKey(zaehlpunkt: zp, direction: .generation))
        }
        for (id, key) in keys.enumerated() where id % 2 == 0 || id < 2000 { table.insert(key, id: Int64(id)) }
        for (id, key) in keys.enumerated() {
            #expect(table.find(key) == (id % 2 == 0 || id < 2000 ? Int64(id) : nil))
        }
        table.insert(keys[0], id: 99)
        #expect(table.find(keys[0]) == 99)
    }
}

/// A small deterministic generator for shuffles.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
