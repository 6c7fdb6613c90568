import EnergyCore

/// The local times of the EDA workbook (column A's quarter-hour starts, the data periods) on the
/// community's calendar.
///
/// A time is text (`01.07.2026 00:15`, with or without seconds, or ISO `2026-07-01 00:15`) or an
/// Excel serial date (a number cell). Local times become UTC quarter hours: in the autumn the
/// repeated hour appears twice with the same text, and the file's order tells them apart (the
/// first is still summer time, +02:00 in Vienna; the second +01:00). A spring time that does not
/// exist, a time off the quarter-hour grid or a quarter hour seen before is refused with a reason.
/// ```swift
/// var time = EDAWorkbookTime(calendar: vienna, uses1904Dates: false)
/// let wall = EDAWorkbookTime.wall(Array("25.10.2026 02:00".utf8))!   // twice in the file
/// time.quarterHour(wall: wall.seconds, row: 20)   // .success(2026-10-25T00:00:00Z)
/// time.quarterHour(wall: wall.seconds, row: 24)   // .success(2026-10-25T01:00:00Z)
/// ```
struct EDAWorkbookTime {
    /// A local wall-clock time: seconds since 1970-01-01 00:00 as if local time were UTC.
    struct Wall: Equatable {
        var seconds: Int64
        /// False for a date alone (`01.07.2026`).
        var hasTime: Bool
    }

    let calendar: LocalCalendar
    let uses1904Dates: Bool
    /// Each quarter hour read so far (its index), with the row that had it.
    private var seen: [Int64: Int] = [:]

    init(calendar: LocalCalendar, uses1904Dates: Bool) {
        self.calendar = calendar
        self.uses1904Dates = uses1904Dates
    }

    /// The local time in a cell: text, or a serial date.
    func wall(_ cell: XLSXCell) -> Wall? {
        if cell.kind == .number {
            guard let serial = cell.number else { return nil }
            return Self.wall(serial: serial, uses1904Dates: uses1904Dates)
        }
        guard cell.isText || cell.kind == .date else { return nil }
        return cell.withBytes { Self.wall($0) }
    }

    /// An Excel serial date: days since 1899-12-30 (or 1904-01-01), the time as a fraction of a
    /// day, rounded to the second.
    static func wall(serial: Double, uses1904Dates: Bool) -> Wall? {
        // 1900-01-01 up to 9999-12-31, as Excel allows.
        guard serial.isFinite, serial >= 1, serial < 2_958_466 else { return nil }
        let seconds = Int64((serial * 86_400).rounded())
        let epoch: Int64 = uses1904Dates ? 24_107 : 25_569
        return Wall(seconds: seconds - epoch * 86_400, hasTime: seconds % 86_400 != 0)
    }

    /// `01.07.2026 00:15`, `1.7.2026 0:15:00`, `2026-07-01 00:15`, `2026-07-01T00:15:00`, or a date alone.
    static func wall(_ bytes: UnsafeBufferPointer<UInt8>) -> Wall? {
        var index = 0
        let count = bytes.count
        func skipSpaces() { while index < count, bytes[index] == UInt8(ascii: " ") { index += 1 } }
        func number(_ most: Int) -> (value: Int, digits: Int)? {
            var value = 0
            var digits = 0
            while index < count, digits < most, bytes[index] &- UInt8(ascii: "0") < 10 {
                value = value * 10 + Int(bytes[index] &- UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            return digits > 0 ? (value, digits) : nil
        }
        func take(_ byte: Character) -> Bool {
            guard index < count, bytes[index] == byte.asciiValue else { return false }
            index += 1
            return true
        }
        skipSpaces()
        guard let first = number(4) else { return nil }
        let year: Int
        let month: Int
        let day: Int
        if take("."), let second = number(2), take("."), let third = number(4), third.digits == 4, first.digits <= 2 {
            (year, month, day) = (third.value, second.value, first.value)
        } else if first.digits == 4, take("-"), let second = number(2), take("-"), let third = number(2) {
            (year, month, day) = (first.value, second.value, third.value)
        } else {
            return nil
        }
        guard let date = LocalDate(year: year, month: month, day: day) else { return nil }
        let midnight = Int64(date.daysSinceEpoch) * 86_400
        skipSpaces()
        if index == count { return Wall(seconds: midnight, hasTime: false) }
        _ = take("T")
        skipSpaces()
        guard let hour = number(2), take(":"), let minute = number(2), minute.digits == 2 else { return nil }
        var second = 0
        if take(":") {
            guard let seconds = number(2), seconds.digits == 2 else { return nil }
            second = seconds.value
            // A fraction of a second is accepted only when it is zero (`00:15:00.000`).
            if take(".") {
                while index < count, bytes[index] == UInt8(ascii: "0") { index += 1 }
            }
        }
        skipSpaces()
        guard index == count, hour.value < 24, minute.value < 60, second < 60 else { return nil }
        return Wall(seconds: midnight + Int64(hour.value * 3600 + minute.value * 60 + second), hasTime: true)
    }

    static func wall(_ bytes: [UInt8]) -> Wall? { bytes.withUnsafeBufferPointer { wall($0) } }

    /// `25.10.2026 02:00` (with `:ss` when the seconds are not 0).
    static func text(_ wall: Int64) -> String {
        let days = Int(wall >= 0 ? wall / 86_400 : (wall - 86_399) / 86_400)
        let second = Int(wall - Int64(days) * 86_400)
        let date = LocalDate(daysSinceEpoch: days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(two(date.day)).\(two(date.month)).\(date.year) \(two(second / 3600)):\(two(second / 60 % 60))"
            + (second % 60 == 0 ? "" : ":\(two(second % 60))")
    }

    /// The UTC quarter hour that starts at local time `wall`, in row `row`: the autumn's repeated
    /// hour by file order, anything else once. Fails with the reason.
    mutating func quarterHour(wall: Int64, row: Int) -> Result<QuarterHour, EDAWorkbookTimeRefusal> {
        let text = Self.text(wall)
        guard wall % QuarterHour.seconds == 0 else {
            return .failure(.init(reason: "'\(text)' is not the start of a quarter hour (:00, :15, :30 or :45)"))
        }
        // The UTC instants whose local time is `wall`: the offsets in force half a day before and
        // after, each checked (none in the spring gap, two in the autumn's repeated hour).
        var candidates: [Int64] = []
        for probe in [wall - 43_200, wall + 43_200] {
            let candidate = wall - Int64(calendar.offset(at: probe))
            if candidate + Int64(calendar.offset(at: candidate)) == wall, !candidates.contains(candidate) { candidates.append(candidate) }
        }
        candidates.sort()
        guard let earlier = candidates.first else {
            return .failure(.init(reason: "\(text) does not exist in \(calendar.identifier) (the clocks skip that hour)"))
        }
        let index = earlier / QuarterHour.seconds
        var chosen = index
        if candidates.count == 2, seen[index] != nil { chosen = candidates[1] / QuarterHour.seconds }
        if let before = seen[chosen] {
            let again = candidates.count == 2 ? "a third time" : "again"
            return .failure(.init(reason: "\(text) appears \(again) (row \(before) has that quarter hour)"))
        }
        seen[chosen] = row
        return .success(QuarterHour(index: chosen))
    }
}

/// Why a row's time was refused.
struct EDAWorkbookTimeRefusal: Error, Equatable {
    var reason: String
}
