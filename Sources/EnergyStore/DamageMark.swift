import Foundation

/// A note beside an SQLite store file (`PATH.damaged`) saying SQLite found the file damaged, left
/// by whichever command first met the damage (or by `energy check`). From then on every command
/// refuses the store until `energy check` finds it sound again, so a damaged file is not worked
/// with further by commands that happen not to read its damaged pages: checking a whole file
/// takes about as long as reading all of it (0.6 s for 47 MB), too long to do on every open.
///
/// ```swift
/// DamageMark(storePath: "energy.sqlite").record("database disk image is malformed")
/// if let why = DamageMark(storePath: "energy.sqlite").reason { print(why) }
/// ```
public struct DamageMark: Sendable {
    public let path: String

    public init(storePath: String) { path = storePath + ".damaged" }

    /// What SQLite said when the damage was found, nil if the store is not marked.
    public var reason: String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data.prefix(2000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "no reason recorded" : text
    }

    /// Marks the store. Best effort: a store on a read-only or full disk cannot be marked, and the
    /// command that met the damage fails anyway.
    public func record(_ what: String) {
        guard reason == nil else { return }
        try? Data((what + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    public func clear() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// SQLite's result codes for a damaged file: SQLITE_CORRUPT and SQLITE_NOTADB (sqlite3.h).
    public static func meansDamage(_ code: Int32) -> Bool { [11, 26].contains(code & 0xFF) }
}
