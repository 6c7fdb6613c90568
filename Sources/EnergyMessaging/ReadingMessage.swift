import EnergyCore

/// The wire format of one reading, version 1: a flat JSON object.
///
/// ```json
/// {"version":1,"id":"AT0030000000000000000000000000001/2026-10-01T00:00:00Z/consumption",
///  "community":"eeg-sonnenfeld","zaehlpunkt":"AT0030000000000000000000000000001",
///  "start":"2026-10-01T00:00:00Z","direction":"consumption","kwh":0.25,"quality":"measured"}
/// ```
/// `kwh` is a JSON number or a string, read from its exact text (at most 6 decimals); `quality` is
/// optional (default measured); `id` is optional and only for tracing. Unknown fields are ignored.
///
/// ```swift
/// let body = ReadingMessage.encode(reading, community: "eeg-sonnenfeld")
/// let (community, back) = try ReadingMessage.decode(body)   // back == reading
/// ```
public enum ReadingMessage {
    public static let version = 1

    /// `ZAEHLPUNKT/START/DIRECTION`: the same reading always has the same id.
    public static func id(_ reading: Reading) -> String {
        "\(reading.point.zaehlpunkt)/\(reading.start)/\(reading.point.direction.rawValue)"
    }

    public static func encode(_ reading: Reading, community: String) -> [UInt8] {
        let message: JSONText = .object([
            ("version", .int(1)), ("id", .string(id(reading))), ("community", .string(community)),
            ("zaehlpunkt", .string(reading.point.zaehlpunkt.description)), ("start", .string(reading.start.description)),
            ("direction", .string(reading.point.direction.rawValue)), ("kwh", .number(Energy.kilowattHoursText(reading.milliwattHours))),
            ("quality", .string(reading.quality.rawValue)),
        ])
        return Array(message.rendered.utf8)
    }

    /// The community a message names and its reading, checked as far as the message alone allows
    /// (format, Zaehlpunkt, grid, energy); whether the point belongs to the community is the
    /// receiver's check.
    public static func decode(
        _ body: [UInt8], plausible: PlausibleTimes = PlausibleTimes(now: SystemClock().unixSeconds)
    ) throws(ReadingRejection) -> (community: String, reading: Reading) {
        let object: [String: FlatJSON.Value]
        do { object = try FlatJSON.parse(body) } catch { throw ReadingRejection(.malformedJSON, "\(error)") }
        guard case let .number(versionText)? = object["version"] else {
            throw ReadingRejection(.unknownVersion, object["version"] == nil ? "no version field" : "version is not a number")
        }
        guard versionText == String(version) else {
            throw ReadingRejection(.unknownVersion, "version \(versionText) (this ingest reads version \(version))")
        }
        func text(_ field: String) throws(ReadingRejection) -> String {
            switch object[field] {
            case let .string(value)?: return value
            case nil: throw ReadingRejection(.missingField, "no \(field) field")
            default: throw ReadingRejection(.badField, "\(field) is not a string")
            }
        }
        let community = try text("community")
        let zaehlpunkt: Zaehlpunkt
        do { zaehlpunkt = try Zaehlpunkt(try text("zaehlpunkt")) } catch let error as ZaehlpunktError {
            throw ReadingRejection(.badZaehlpunkt, "\(error)")
        } catch let error as ReadingRejection { throw error } catch { throw ReadingRejection(.badZaehlpunkt, "\(error)") }
        let startText = try text("start")
        let start: QuarterHour
        do {
            let seconds = try UTCTimestamp.parse(startText)
            do { start = try QuarterHour(startSeconds: seconds) } catch { throw ReadingRejection(.notOnQuarterHourGrid, "\(error)") }
            do { try plausible.check(start) } catch { throw ReadingRejection(.badStart, "\(error)") }
        } catch let error as ReadingRejection { throw error } catch { throw ReadingRejection(.badStart, "\(error)") }
        let directionText = try text("direction")
        guard let direction = Direction(rawValue: directionText) else {
            throw ReadingRejection(.badField, "direction '\(directionText)' is not consumption or generation")
        }
        let kwhText: String
        switch object["kwh"] {
        case let .number(value)?, let .string(value)?: kwhText = value
        case nil: throw ReadingRejection(.missingField, "no kwh field")
        default: throw ReadingRejection(.badEnergy, "kwh is not a number")
        }
        let milliwattHours: Int64
        do { milliwattHours = try FixedDecimal.parse(kwhText, decimals: 6) } catch { throw ReadingRejection(.badEnergy, "kwh: \(error)") }
        do { try Reading.validate(milliwattHours: milliwattHours) } catch {
            switch error {
            case .negative: throw ReadingRejection(.negativeEnergy, "\(error)")
            default: throw ReadingRejection(.implausibleEnergy, "\(error)")
            }
        }
        var quality = Quality.measured
        switch object["quality"] {
        case nil, .null?: break
        case let .string(value)?:
            guard let q = Quality(rawValue: value) else {
                throw ReadingRejection(.badField, "quality '\(value)' is not measured, substituted or estimated")
            }
            quality = q
        default: throw ReadingRejection(.badField, "quality is not a string")
        }
        let reading = Reading(
            point: PointKey(zaehlpunkt: zaehlpunkt, direction: direction), start: start,
            milliwattHours: milliwattHours, quality: quality)
        return (community, reading)
    }
}

/// Why a message can never become a stored reading; `reason` goes into the dead letter's
/// `x-energy-reason` header, `detail` into `x-energy-detail`.
public struct ReadingRejection: Error, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable, CaseIterable {
        case malformedJSON = "malformed-json"
        case unknownVersion = "unknown-version"
        case missingField = "missing-field"
        case badField = "bad-field"
        case badZaehlpunkt = "bad-zaehlpunkt"
        case notInCommunity = "not-in-community"
        case badStart = "bad-start"
        case notOnQuarterHourGrid = "not-on-quarter-hour-grid"
        case badEnergy = "bad-energy"
        case negativeEnergy = "negative-energy"
        case implausibleEnergy = "implausible-energy"
        /// Larger than the ingest reads (`--max-message-bytes`): dead-lettered unread.
        case tooLarge = "too-large"
    }

    public var reason: Reason
    public var detail: String

    public init(_ reason: Reason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    /// At most this many bytes of `detail` go into a dead letter's header or a log line: a
    /// message's values can be of any size, and rabbitmq-c refuses a header table larger than its
    /// frame buffer (the connection drops, the message comes back, and the queue never drains).
    public static let shownDetailBytes = 500

    /// `detail`, cut to `shownDetailBytes` with its full size said.
    public var shownDetail: String {
        let size = detail.utf8.count
        guard size > Self.shownDetailBytes else { return detail }
        // A cut inside a character is repaired by the decoding (U+FFFD).
        return String(decoding: detail.utf8.prefix(Self.shownDetailBytes), as: UTF8.self) + "… (\(size) bytes in all)"
    }

    public var description: String { "\(reason.rawValue): \(shownDetail)" }

    /// `detail` cut to 200 bytes, for a header passed on with a dead letter.
    public var shownHeaderValue: String {
        detail.utf8.count <= 200 ? detail : String(decoding: detail.utf8.prefix(200), as: UTF8.self) + "…"
    }
}
