import EnergyCore

/// One `EP` (energy position) of a CR_MSG `EnergyData` as read: the text of its `DTF`, `DTT`, `MM`
/// and `BQ` kept as bytes (no String per value: a month file has thousands of them), and the checks
/// that turn it into one quarter hour's value or say, in words, why not.
///
/// ```swift
/// var position = CRMSGPosition()
/// position.begin(line: 412)
/// position.open(.bq); position.append(bytes, to: .bq)   // for each child's text
/// let value = try position.value(version: .v01p41, period: period)
/// ```
struct CRMSGPosition {
    enum Field: UInt8 {
        case none = 0
        case dtf = 1
        case dtt = 2
        case mm = 4
        case bq = 8
    }

    /// A value of the position, ready to become a figure.
    struct Value {
        /// Start of the quarter hour, Unix seconds (on the UTC grid).
        var start: Int64
        var milliwattHours: Int64
        var quality: Quality
    }

    /// Why the position is refused, in words for the person who reads the import report.
    struct Refusal: Error {
        var reason: String
    }

    /// The metering period an `Energy` block declares, which its positions must lie in.
    struct Period {
        var seconds: Range<Int64>
        var startText: String
        var endText: String
    }

    private(set) var line = 0
    /// The text of all four children, one after the other, and where each one is in it.
    private var text: [UInt8] = []
    private var dtf = 0..<0
    private var dtt = 0..<0
    private var mm = 0..<0
    private var bq = 0..<0
    /// The children seen (a bit per field), and one that came twice.
    private var present: UInt8 = 0
    private var repeated: Field = .none

    init() { text.reserveCapacity(128) }

    /// Starts a new position whose `EP` element is at `line`.
    mutating func begin(line: Int) {
        self.line = line
        text.removeAll(keepingCapacity: true)
        present = 0
        repeated = .none
    }

    /// A child element starts; its text (several pieces, if CDATA or an entity split it) follows.
    mutating func open(_ field: Field) {
        guard field != .none else { return }
        if present & field.rawValue != 0 { repeated = field }
        present |= field.rawValue
        self[field] = text.count..<text.count
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, to field: Field) {
        guard field != .none else { return }
        text.append(contentsOf: bytes)
        self[field] = self[field].lowerBound..<text.count
    }

    private subscript(field: Field) -> Range<Int> {
        get {
            switch field {
            case .dtf: return dtf
            case .dtt: return dtt
            case .mm: return mm
            case .bq: return bq
            case .none: return 0..<0
            }
        }
        set {
            switch field {
            case .dtf: dtf = newValue
            case .dtt: dtt = newValue
            case .mm: mm = newValue
            case .bq: bq = newValue
            case .none: break
            }
        }
    }

    /// The `DTF` text, for messages about the position.
    var fromText: String { string(dtf) }

    /// Checks the position, in the order a person would fix it: times, then quality, then quantity.
    func value(version: CRMSGSchemaVersion, period: Period) throws(Refusal) -> Value {
        if repeated != .none { throw Refusal(reason: "EP has more than one \(Self.name(of: repeated))") }
        guard present & Field.dtf.rawValue != 0 else { throw Refusal(reason: "EP has no DTF (start of the quarter hour)") }
        let start = try time(dtf, "DTF")
        guard start % QuarterHour.seconds == 0 else {
            throw Refusal(reason: "DTF \(string(dtf)) is not on a quarter hour (:00, :15, :30, :45)")
        }
        if present & Field.dtt.rawValue != 0 {
            let end = try time(dtt, "DTT")
            guard end == start + QuarterHour.seconds else {
                throw Refusal(reason: "DTT \(string(dtt)) is not 15 minutes after DTF \(string(dtf))")
            }
        } else if version.requiresEveryEPElement {
            throw Refusal(reason: "EP has no DTT (end of the quarter hour); schema \(version) requires it")
        }
        guard period.seconds.contains(start), start + QuarterHour.seconds <= period.seconds.upperBound else {
            throw Refusal(reason: "DTF \(string(dtf)) is outside the MeteringPeriod \(period.startText) to \(period.endText)")
        }
        let quality: Quality
        if present & Field.mm.rawValue != 0 {
            guard let read = readQuality(mm) else {
                throw Refusal(reason: "MM '\(string(mm))' is not a quality (L1, L2, L3, 01-05)")
            }
            quality = read
        } else if version.requiresEveryEPElement {
            throw Refusal(reason: "EP has no MM (quality); schema \(version) requires it")
        } else {
            // 01.30 lets MM out. Without a word on how the value came about it is taken as the
            // least reliable kind, so any value with a stated quality replaces it later.
            quality = .estimated
        }
        guard present & Field.bq.rawValue != 0 else { throw Refusal(reason: "EP has no BQ (quantity)") }
        return Value(start: start, milliwattHours: try quantity(bq), quality: quality)
    }

    private static func name(of field: Field) -> String {
        switch field {
        case .dtf: return "DTF"
        case .dtt: return "DTT"
        case .mm: return "MM"
        case .bq: return "BQ"
        case .none: return "child"
        }
    }

    /// The field without the white space around it (XML Schema collapses it for these types).
    private func trimmed(_ range: Range<Int>) -> Range<Int> {
        var low = range.lowerBound
        var high = range.upperBound
        while low < high, Self.isSpace(text[low]) { low += 1 }
        while high > low, Self.isSpace(text[high - 1]) { high -= 1 }
        return low..<high
    }

    @inline(__always) private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private func string(_ range: Range<Int>) -> String { String(decoding: text[trimmed(range)], as: UTF8.self) }

    private func time(_ range: Range<Int>, _ element: String) throws(Refusal) -> Int64 {
        let field = trimmed(range)
        let parsed = text.withUnsafeBufferPointer { buffer -> Result<Int64, TimeError> in
            do throws(TimeError) {
                return .success(try UTCTimestamp.parse(UnsafeBufferPointer(rebasing: buffer[field])))
            } catch {
                return .failure(error)
            }
        }
        switch parsed {
        case .success(let seconds): return seconds
        case .failure(.badTimestamp(_, let reason)):
            throw Refusal(reason: "\(element) '\(string(range))' is not a date-time with its offset (\(reason))")
        case .failure(let error): throw Refusal(reason: "\(element) '\(string(range))': \(error)")
        }
    }

    /// `MM`: the two-byte codes directly, anything else (case, white space) through `Quality(edaCode:)`.
    private func readQuality(_ range: Range<Int>) -> Quality? {
        if range.count == 2 {
            switch (text[range.lowerBound], text[range.lowerBound + 1]) {
            case (UInt8(ascii: "L"), UInt8(ascii: "1")), (UInt8(ascii: "0"), UInt8(ascii: "1")): return .measured
            case (UInt8(ascii: "L"), UInt8(ascii: "2")), (UInt8(ascii: "0"), UInt8(ascii: "2")): return .substituted
            case (UInt8(ascii: "L"), UInt8(ascii: "3")), (UInt8(ascii: "0"), UInt8(ascii: "3")): return .estimated
            default: break
            }
        }
        return Quality(edaCode: String(decoding: text[range], as: UTF8.self))
    }

    /// `BQ`: kWh with a point and at most 6 decimals, into mWh; never negative, never absurd.
    private func quantity(_ range: Range<Int>) throws(Refusal) -> Int64 {
        let field = trimmed(range)
        guard !field.isEmpty else { throw Refusal(reason: "BQ is empty") }
        if text[field].contains(UInt8(ascii: ",")) {
            throw Refusal(reason: "BQ '\(string(range))' uses a decimal comma; EDA writes a decimal point")
        }
        let parsed = text.withUnsafeBufferPointer { buffer -> Result<Int64, EnergyParseError> in
            do throws(EnergyParseError) {
                return .success(try Energy.parseMilliwattHours(UnsafeBufferPointer(rebasing: buffer[field])))
            } catch {
                return .failure(error)
            }
        }
        let value: Int64
        switch parsed {
        case .success(let read): value = read
        case .failure(.empty): throw Refusal(reason: "BQ is empty")
        case .failure(let error): throw Refusal(reason: "BQ \(error)")
        }
        guard value >= 0 else { throw Refusal(reason: "BQ '\(string(range))' is negative") }
        guard value <= Reading.plausibleMaximumMilliwattHours else {
            throw Refusal(reason: "BQ '\(string(range))' is implausible: more than 10000 kWh in one quarter hour (Wh sent as kWh?)")
        }
        return value
    }
}
