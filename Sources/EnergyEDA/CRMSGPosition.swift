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
    private var dtf: [UInt8] = []
    private var dtt: [UInt8] = []
    private var mm: [UInt8] = []
    private var bq: [UInt8] = []
    /// The children seen (a bit per field), and one that came twice.
    private var present: UInt8 = 0
    private var repeated: Field = .none

    init() {
        dtf.reserveCapacity(40)
        dtt.reserveCapacity(40)
        mm.reserveCapacity(8)
        bq.reserveCapacity(24)
    }

    /// Starts a new position whose `EP` element is at `line`.
    mutating func begin(line: Int) {
        self.line = line
        dtf.removeAll(keepingCapacity: true)
        dtt.removeAll(keepingCapacity: true)
        mm.removeAll(keepingCapacity: true)
        bq.removeAll(keepingCapacity: true)
        present = 0
        repeated = .none
    }

    /// A child element starts.
    mutating func open(_ field: Field) {
        guard field != .none else { return }
        if present & field.rawValue != 0 { repeated = field }
        present |= field.rawValue
    }

    /// Text of a child element; several pieces (CDATA, a skipped entity) are joined.
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, to field: Field) {
        switch field {
        case .dtf: dtf.append(contentsOf: bytes)
        case .dtt: dtt.append(contentsOf: bytes)
        case .mm: mm.append(contentsOf: bytes)
        case .bq: bq.append(contentsOf: bytes)
        case .none: break
        }
    }

    /// The `DTF` text, for messages about the position.
    var fromText: String { Self.text(dtf) }

    /// Checks the position, in the order a person would fix it: times, then quality, then quantity.
    func value(version: CRMSGSchemaVersion, period: Period) throws(Refusal) -> Value {
        if repeated != .none { throw Refusal(reason: "EP has more than one \(Self.name(of: repeated))") }
        guard present & Field.dtf.rawValue != 0 else { throw Refusal(reason: "EP has no DTF (start of the quarter hour)") }
        let start = try Self.time(dtf, "DTF")
        guard start % QuarterHour.seconds == 0 else {
            throw Refusal(reason: "DTF \(Self.text(dtf)) is not on a quarter hour (:00, :15, :30, :45)")
        }
        if present & Field.dtt.rawValue != 0 {
            let end = try Self.time(dtt, "DTT")
            guard end == start + QuarterHour.seconds else {
                throw Refusal(reason: "DTT \(Self.text(dtt)) is not 15 minutes after DTF \(Self.text(dtf))")
            }
        } else if version.requiresEveryEPElement {
            throw Refusal(reason: "EP has no DTT (end of the quarter hour); schema \(version) requires it")
        }
        guard period.seconds.contains(start), start + QuarterHour.seconds <= period.seconds.upperBound else {
            throw Refusal(reason: "DTF \(Self.text(dtf)) is outside the MeteringPeriod \(period.startText) to \(period.endText)")
        }
        let quality: Quality
        if present & Field.mm.rawValue != 0 {
            guard let read = Self.quality(mm) else {
                throw Refusal(reason: "MM '\(Self.text(mm))' is not a quality (L1, L2, L3, 01-05)")
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
        return Value(start: start, milliwattHours: try Self.quantity(bq), quality: quality)
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

    /// The bytes without the white space around them (XML Schema collapses it for these types).
    private static func trimmed(_ bytes: [UInt8]) -> Range<Int> {
        var low = 0
        var high = bytes.count
        while low < high, isSpace(bytes[low]) { low += 1 }
        while high > low, isSpace(bytes[high - 1]) { high -= 1 }
        return low..<high
    }

    @inline(__always) private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes[trimmed(bytes)], as: UTF8.self) }

    private static func time(_ bytes: [UInt8], _ element: String) throws(Refusal) -> Int64 {
        let range = trimmed(bytes)
        let parsed = bytes.withUnsafeBufferPointer { buffer -> Result<Int64, TimeError> in
            do throws(TimeError) {
                return .success(try UTCTimestamp.parse(UnsafeBufferPointer(rebasing: buffer[range])))
            } catch {
                return .failure(error)
            }
        }
        switch parsed {
        case .success(let seconds): return seconds
        case .failure(.badTimestamp(_, let reason)):
            throw Refusal(reason: "\(element) '\(text(bytes))' is not a date-time with its offset (\(reason))")
        case .failure(let error): throw Refusal(reason: "\(element) '\(text(bytes))': \(error)")
        }
    }

    /// `MM`: the two-byte codes directly, anything else (case, white space) through `Quality(edaCode:)`.
    private static func quality(_ bytes: [UInt8]) -> Quality? {
        if bytes.count == 2 {
            switch (bytes[0], bytes[1]) {
            case (UInt8(ascii: "L"), UInt8(ascii: "1")), (UInt8(ascii: "0"), UInt8(ascii: "1")): return .measured
            case (UInt8(ascii: "L"), UInt8(ascii: "2")), (UInt8(ascii: "0"), UInt8(ascii: "2")): return .substituted
            case (UInt8(ascii: "L"), UInt8(ascii: "3")), (UInt8(ascii: "0"), UInt8(ascii: "3")): return .estimated
            default: break
            }
        }
        return Quality(edaCode: String(decoding: bytes, as: UTF8.self))
    }

    /// `BQ`: kWh with a point and at most 6 decimals, into mWh; never negative, never absurd.
    private static func quantity(_ bytes: [UInt8]) throws(Refusal) -> Int64 {
        let range = trimmed(bytes)
        guard !range.isEmpty else { throw Refusal(reason: "BQ is empty") }
        if bytes[range].contains(UInt8(ascii: ",")) {
            throw Refusal(reason: "BQ '\(text(bytes))' uses a decimal comma; EDA writes a decimal point")
        }
        let parsed = bytes.withUnsafeBufferPointer { buffer -> Result<Int64, EnergyParseError> in
            do throws(EnergyParseError) {
                return .success(try Energy.parseMilliwattHours(UnsafeBufferPointer(rebasing: buffer[range])))
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
        guard value >= 0 else { throw Refusal(reason: "BQ '\(text(bytes))' is negative") }
        guard value <= Reading.plausibleMaximumMilliwattHours else {
            throw Refusal(reason: "BQ '\(text(bytes))' is implausible: more than 10000 kWh in one quarter hour (Wh sent as kWh?)")
        }
        return value
    }
}
