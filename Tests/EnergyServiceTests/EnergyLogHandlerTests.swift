import Foundation
import Logging
import Synchronization
import Testing

@testable import EnergyService

/// The lines a handler wrote.
final class Lines: Sendable {
    let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
}

@Suite struct EnergyLogHandlerTests {
    @Test func jsonLinesCarryTimestampLevelLabelMessageAndMetadata() throws {
        let out = Lines()
        var logger = Logger(label: "energy.test") { EnergyLogHandler(label: $0, format: .json, logLevel: .info, write: out.append) }
        logger[metadataKey: "community"] = "eeg-1"
        logger.info(#"stored 96 readings into sqlite:/tmp/a "b"\c"#, metadata: ["batch": "3", "tags": ["x", "y"]])
        logger.warning("line one\nline two\t\u{1}")
        logger.debug("not shown at info")
        let lines = out.all
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasSuffix("}\n") && $0.dropLast().firstIndex(of: "\n") == nil })
        let objects = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects[0]["level"] as? String == "info")
        #expect(objects[0]["label"] as? String == "energy.test")
        #expect(objects[0]["message"] as? String == #"stored 96 readings into sqlite:/tmp/a "b"\c"#)
        let metadata = try #require(objects[0]["metadata"] as? [String: Any])
        #expect(metadata["community"] as? String == "eeg-1")
        #expect(metadata["batch"] as? String == "3")
        #expect(metadata["tags"] as? [String] == ["x", "y"])
        let timestamp = try #require(objects[0]["timestamp"] as? String)
        #expect(timestamp.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression) != nil, "\(timestamp)")
        #expect(objects[1]["level"] as? String == "warning")
        #expect(objects[1]["message"] as? String == "line one\nline two\t\u{1}")
        #expect((objects[1]["metadata"] as? [String: String]) == ["community": "eeg-1"], "the logger's own metadata stays")
        // Slashes stay as they are: a URL in a message can be found with grep.
        #expect(lines[0].contains("sqlite:/tmp/a"))
    }

    @Test func textLinesAreReadable() {
        let out = Lines()
        let logger = Logger(label: "energy.test") { EnergyLogHandler(label: $0, format: .text, logLevel: .warning, write: out.append) }
        logger.info("hidden")
        logger.error("the store does not answer", metadata: ["store": "sqlite:x"])
        #expect(out.all.count == 1)
        #expect(out.all.first?.hasSuffix(" error energy.test: the store does not answer store=sqlite:x\n") == true, "\(out.all)")
    }

    @Test func timestampsAreUTCWithMilliseconds() {
        #expect(EnergyLogHandler.timestamp(Date(timeIntervalSince1970: 1_792_476_000.25)) == "2026-10-20T06:00:00.250Z")
        #expect(EnergyLogHandler.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    }
}
