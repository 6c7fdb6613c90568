import EnergyCore
import EnergyTestSupport
import Testing

@Suite struct TimeTests {
    let vienna = try! LocalCalendar(timeZoneIdentifier: "Europe/Vienna")

    @Test func parsesInstantsWithOffsets() throws {
        #expect(try UTCTimestamp.parse("2026-10-01T00:00:00Z") == 1_790_812_800)
        #expect(try UTCTimestamp.parse("2026-10-01T02:00:00+02:00") == 1_790_812_800)
        #expect(try UTCTimestamp.parse("2026-10-01T02:00:00+0200") == 1_790_812_800)
        #expect(try UTCTimestamp.parse("2026-09-30T23:00:00-01:00") == 1_790_812_800)
        #expect(try UTCTimestamp.parse("2026-10-01 00:00:00.000Z") == 1_790_812_800)
    }

    @Test(arguments: [
        "2026-10-01T00:00:00", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-10-01T24:00:00Z",
        "2026-10-01T00:00:00.5Z", "2026-10-01", "yesterday", "2026-10-01T00:00:00+25:00", "2026-10-01T00:00:00Zjunk",
    ])
    func rejectsBadTimestamps(text: String) {
        #expect(throws: TimeError.self) { try UTCTimestamp.parse(text) }
    }

    @Test func formatsAndParsesBack() throws {
        var random = SplitMix64(seed: 3)
        for _ in 0..<1000 {
            let seconds = Int64(random.next() % 4_000_000_000)
            #expect(try UTCTimestamp.parse(UTCTimestamp.format(seconds)) == seconds)
            let offset = Int(random.next() % 57) * 900 - 12 * 3600
            #expect(try UTCTimestamp.parse(UTCTimestamp.format(seconds, offsetSeconds: offset)) == seconds)
        }
    }

    @Test func quarterHourGrid() throws {
        #expect(try QuarterHour(startSeconds: 1_790_812_800).next.startSeconds == 1_790_813_700)
        #expect(throws: TimeError.notOnQuarterHourGrid(1_790_812_860)) { try QuarterHour(startSeconds: 1_790_812_860) }
        #expect(throws: TimeError.self) { try QuarterHour(startSeconds: 1_790_812_801) }
    }

    @Test func daylightSavingDaysHave92And100QuarterHours() throws {
        #expect(vienna.quarterHourCount(of: try LocalDate("2026-03-29")) == 92)
        #expect(vienna.quarterHourCount(of: try LocalDate("2026-10-25")) == 100)
        #expect(vienna.quarterHourCount(of: try LocalDate("2026-10-24")) == 96)
        #expect(vienna.startOfDay(try LocalDate("2026-10-25")) == 1_792_879_200)  // 2026-10-24T22:00:00Z
        #expect(vienna.startOfDay(try LocalDate("2026-10-26")) == 1_792_969_200)  // 2026-10-25T23:00:00Z
        #expect(vienna.quarterHours(of: try LocalMonth("2026-10")).count == 31 * 96 + 4)
        let utc = try LocalCalendar(timeZoneIdentifier: "UTC")
        #expect(utc.quarterHourCount(of: try LocalDate("2026-10-25")) == 96)
    }

    @Test func aYearOfLocalDaysCoversEveryQuarterHourOnce() throws {
        var day = try LocalDate("2026-01-01")
        var total = 0
        var previousEnd = vienna.startOfDay(day)
        while day.year == 2026 {
            let range = vienna.quarterHours(of: day)
            #expect(range.lowerBound.startSeconds == previousEnd)
            #expect([92, 96, 100].contains(range.count))
            #expect(vienna.localDate(containing: range.lowerBound.startSeconds) == day)
            #expect(vienna.localDate(containing: range.upperBound.startSeconds - 1) == day)
            previousEnd = range.upperBound.startSeconds
            total += range.count
            day = day.adding(days: 1)
        }
        #expect(total == 365 * 96)
    }

    /// The report's bucket grid takes day starts with an offset cache: the same instants as the
    /// zone's own lookups, including zones whose changes fall at midnight or are 30 minutes.
    @Test(arguments: ["Europe/Vienna", "America/Santiago", "America/Havana", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"])
    func startOfDayWithAnOffsetCacheIsTheSame(zone: String) throws {
        let calendar = try LocalCalendar(timeZoneIdentifier: zone)
        var offsets = calendar.offsetCache()
        var day = try LocalDate("2024-01-01")
        while day.year < 2028 {
            #expect(calendar.startOfDay(day, offsets: &offsets) == calendar.startOfDay(day), "\(zone) \(day)")
            day = day.adding(days: 1)
        }
    }

    @Test func localISOStringsCarryTheOffsetInForce() throws {
        #expect(vienna.isoString(1_792_879_200) == "2026-10-25T00:00:00+02:00")
        #expect(vienna.isoString(1_792_890_000) == "2026-10-25T02:00:00+01:00")  // 01:00Z, after the change
        #expect(vienna.startOfHour(containing: 1_792_890_000 + 1000) == 1_792_890_000)
    }

    @Test func datesAndMonths() throws {
        #expect(try LocalDate("2026-10-25").isoWeekday == 7)
        #expect(try LocalDate("2024-02-29").adding(days: 1).description == "2024-03-01")
        #expect(throws: TimeError.self) { try LocalDate("2026-02-30") }
        #expect(throws: TimeError.self) { try LocalDate("26-10-01") }
        #expect(try LocalMonth("2026-12").next.description == "2027-01")
        #expect(throws: TimeError.self) { try LocalMonth("2026-13") }
        #expect(throws: TimeError.unknownTimeZone("Mars/Olympus")) { try LocalCalendar(timeZoneIdentifier: "Mars/Olympus") }
        for days in stride(from: -1000, through: 30000, by: 7) {
            let date = LocalDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
        }
    }
}
