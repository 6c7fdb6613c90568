import EnergyCore

/// Errors about stores themselves (not SQL or server errors).
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case badLocation(String, String)
    case cannotOpen(String, String)
    case newerSchema(String, found: Int, supported: Int)
    /// A final run for a period that overlaps statements already issued (period, their period).
    case periodAlreadyIssued(String, issued: String)
    /// Another billing run issued documents of the period while this one was deciding (period).
    case issuedMeanwhile(String)
    /// A caller handed the store something it must not keep (a programming error, said plainly).
    case invalidData(String)
    /// The store holds what no version of energy writes (a damaged file or a hand edit): where, what.
    case damaged(String, String)

    public var description: String {
        switch self {
        case let .badLocation(text, why): return "store '\(text)': \(why)"
        case let .cannotOpen(location, why): return "cannot open store \(location): \(why)"
        case let .newerSchema(location, found, supported):
            return "store \(location) has schema version \(found), this energy understands up to \(supported): upgrade energy"
        case let .periodAlreadyIssued(period, issued):
            return "statements for \(issued) are already issued and overlap \(period); issued statements are never renumbered or replaced"
        case let .issuedMeanwhile(period):
            return "another billing run issued or cancelled statements of \(period) at the same time; nothing was issued: run it again"
        case let .invalidData(why): return why
        case let .damaged(location, what):
            return "store \(location) is damaged: \(what); run energy check --store \(location) for a full report"
        }
    }
}

extension StoreError {
    /// A stored value as energy writes it: on the grid, in the range asked for, not negative,
    /// not absurd. Anything else is a damaged file, reported instead of computed with.
    /// `location` is built only for the error: this runs for every value read.
    static func checkStored(
        start: Int64, milliwattHours mwh: Int64, in range: Range<QuarterHour>, location: @autoclosure () -> String, table: String,
        point: Int
    ) throws {
        guard start % QuarterHour.seconds == 0, start >= range.lowerBound.startSeconds, start < range.upperBound.startSeconds else {
            throw StoreError.damaged(
                location(), "\(table) of point id \(point) has a start \(start) off the quarter-hour grid or outside the range read")
        }
        guard mwh >= 0, mwh <= Reading.plausibleMaximumMilliwattHours else {
            throw StoreError.damaged(location(), "\(table) of point id \(point) at \(UTCTimestamp.format(start)) holds \(mwh) mWh")
        }
    }
}
