import EnergyCore
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The log handler of every energy command: one JSON object per line (timestamp, level, label,
/// message, metadata) for a log collector, or a readable line for a person at a terminal.
/// Standard error by default; `bootstrapLogging` picks the format from whether it is a terminal.
///
/// ```swift
/// LoggingSystem.bootstrap { EnergyLogHandler(label: $0, format: .json, logLevel: .info) }
/// Logger(label: "energy.ingest").info("stored", metadata: ["readings": "96"])
/// // {"timestamp":"2026-10-20T06:00:00.000Z","level":"info","label":"energy.ingest","message":"stored","metadata":{"readings":"96"}}
/// ```
public struct EnergyLogHandler: LogHandler {
    public enum Format: Sendable { case json, text }

    public let label: String
    public let format: Format
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let write: @Sendable (String) -> Void

    /// `write` gets each line with its newline; the default appends to standard error.
    public init(
        label: String, format: Format, logLevel: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil,
        write: @escaping @Sendable (String) -> Void = EnergyLogHandler.standardError
    ) {
        self.label = label
        self.format = format
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let timestamp = Self.timestamp()
        switch format {
        case .json:
            var fields: [(String, JSONText)] = [
                ("timestamp", .string(timestamp)), ("level", .string(event.level.rawValue)), ("label", .string(label)),
                ("message", .string("\(event.message)")),
            ]
            if !all.isEmpty { fields.append(("metadata", Self.json(.dictionary(all)))) }
            write(JSONText.object(fields).rendered + "\n")
        case .text:
            var line = "\(timestamp) \(event.level.rawValue) \(label): \(event.message)"
            for (key, value) in all.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
            write(line + "\n")
        }
    }

    /// Appends to standard error, one write per line (lines of concurrent loggers do not mix).
    public static let standardError: @Sendable (String) -> Void = { line in
        let bytes = Array(line.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// UTC, milliseconds: `2026-10-20T06:00:00.000Z`.
    static func timestamp(_ date: Date = Date()) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        let millis = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):"
            + "\(two(parts.tm_sec)).\(ms)Z"
    }

    /// A metadata value as JSON: strings and string-convertibles as strings, arrays and dictionaries nested.
    static func json(_ value: Logger.MetadataValue) -> JSONText {
        switch value {
        case let .string(text): return .string(text)
        case let .stringConvertible(convertible): return .string(convertible.description)
        case let .array(values): return .array(values.map { json($0) })
        case let .dictionary(entries): return .object(entries.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) })
        }
    }
}

/// Sets up swift-log for the whole process, once, at start-up: JSON lines on standard error when
/// it is not a terminal (what Kubernetes collects), readable lines when it is; `level` and above.
public func bootstrapLogging(level: Logger.Level) {
    let format: EnergyLogHandler.Format = isatty(2) == 1 ? .text : .json
    LoggingSystem.bootstrap { label in EnergyLogHandler(label: label, format: format, logLevel: level) }
}
