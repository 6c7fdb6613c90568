import Foundation

/// A fresh folder for one test's files, removed when the test lets go of it.
///
/// ```swift
/// let folder = TemporaryFolder()
/// let store = try SQLiteStore(path: folder.path + "/e.sqlite")
/// ```
public final class TemporaryFolder {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "energy-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Every file of `folder` by name, with its bytes: two runs' outputs compare as one value.
    public static func files(in folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            files[name] = FileManager.default.contents(atPath: folder + "/" + name)
        }
        return files
    }
}
