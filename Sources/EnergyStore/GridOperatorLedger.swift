import EnergyCore

/// The grid operator's (DSO's) allocation of a community's production, as EDA delivers it: per
/// metering point, quarter hour and series (``MeterCode``), with its quality.
///
/// Unlike readings, these figures belong to one community: a point taking part in several
/// communities has one reading per quarter hour but each community's own DSO figures. Storing
/// follows the same rules as readings (``UpsertRules``: quality precedence, corrections recorded,
/// the community's changed days marked dirty).
/// ```swift
/// let summary = try store.upsert(figures, community: community)
/// try store.scanGridOperatorFigures(community: community.id, points: community.pointKeys, in: day) { qh, point, code, mWh in … }
/// ```
public protocol GridOperatorLedger: AnyObject {
    /// Stores `community`'s DSO figures idempotently (the two reading codes belong in
    /// ``ReadingLedger/upsert(_:community:)`` and are refused here).
    func upsert(_ figures: [GridOperatorFigure], community: Community) throws -> UpsertSummary

    /// Calls `body(quarterHour, pointIndex, meterCode, milliwattHours)` for every stored figure of
    /// `community` for one of `points` (indices into that array) starting in `range`. Returns the
    /// number of figures.
    @discardableResult
    func scanGridOperatorFigures(
        community: String, points: [PointKey], in range: Range<QuarterHour>,
        _ body: (QuarterHour, Int, MeterCode, Int64) throws -> Void
    ) throws -> Int

    /// Every reading of `points` and DSO figure of `community` in `range` whose quality is
    /// ``Quality/estimated`` (L3): what a final bill must not rest on.
    func unreliableValues(community: String, points: [PointKey], in range: Range<QuarterHour>) throws -> [UnreliableValue]
}

/// A stored value of quality L3: a reading (`meterCode` nil) or a DSO figure.
public struct UnreliableValue: Sendable, Equatable, Hashable {
    public var point: PointKey
    public var start: QuarterHour
    public var meterCode: MeterCode?
}

/// What a backend supplies so that ``GridOperatorLedger/upsert(_:community:)`` is the same rule
/// as the readings' (``UpsertRules``), written once in the extension below.
public protocol GridOperatorLedgerBackend: GridOperatorLedger, ReadingLedgerBackend {
    /// Inserts the figures whose (community, point, quarter hour, code) is not stored yet.
    func insertFiguresIgnoringDuplicates(_ figures: [GridOperatorFigure], community: Community) throws -> [Bool]
    /// The stored values of `figures[i]` for each `i` in `indices`.
    func storedFigureValues(of figures: [GridOperatorFigure], at indices: [Int], community: Community) throws -> [Int: StoredReading]
    /// Overwrites stored figures and records each as a correction (stamped `recordedAt`).
    func applyFigures(_ updates: [LedgerUpdate<GridOperatorFigure>], community: Community, recordedAt: Int64) throws
}

extension GridOperatorLedgerBackend {
    public func upsert(_ figures: [GridOperatorFigure], community: Community) throws -> UpsertSummary {
        guard !figures.isEmpty else { return UpsertSummary() }
        if let reading = figures.first(where: \.meterCode.isReading) {
            throw StoreError.invalidData(
                "\(reading.meterCode.rawValue) of \(reading.zaehlpunkt) is a meter reading: store it with the readings")
        }
        let now = clock.unixSeconds
        return try writingReadings {
            let summary = try upsertRules.upsert(
                figures, calendar: community.calendar,
                insertIgnoringDuplicates: { try insertFiguresIgnoringDuplicates($0, community: community) },
                storedValues: { try storedFigureValues(of: figures, at: $0, community: community) },
                apply: { try applyFigures($0, community: community, recordedAt: now) })
            if !summary.dirtyDays.isEmpty { try markDirty(summary.dirtyDays, community: community.id) }
            return summary
        }
    }
}
