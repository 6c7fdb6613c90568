import Foundation

/// A file a command writes (a report, simulated readings, statements): written to a temporary
/// file in the target's folder and renamed over it when complete, so a reader never sees half a
/// file and a killed command leaves the old one. Only a regular file (or nothing) is replaced: a
/// symbolic link, device, pipe or folder at the path is refused, since renaming over it would
/// replace what it names (`/dev/null` turned into a file). `-` and `/dev/stdout` mean standard
/// output, written directly.
///
/// ```swift
/// let out = try OutputFile(path: "readings.csv")
/// try out.write(Data("zaehlpunkt,…\n".utf8))
/// try out.commit()            // renamed into place; without it, `abort()` removes the temporary file
/// ```
public final class OutputFile {
    public let path: String
    /// nil for standard output.
    let temporary: String?
    private let handle: FileHandle
    private var finished = false

    /// Checks `path` and opens the temporary file beside it.
    public init(path: String) throws(OutputFileError) {
        self.path = path
        if path == "-" || path == "/dev/stdout" {
            temporary = nil
            handle = FileHandle.standardOutput
            return
        }
        try Self.check(path)
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        // A fixed name per target: a killed run's leftover is overwritten by the next one.
        let temporary = (folder.isEmpty ? "" : folder + "/") + "." + name + ".part"
        // Opened directly: FileManager.createFile writes atomically through a `.dat.nosync…` file
        // of its own, which a command killed at that moment would leave in the folder.
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotWrite(path, Self.reason(errno, folder: folder)) }
        self.temporary = temporary
        self.handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    deinit { if !finished { abort() } }

    public func write(_ data: Data) throws(OutputFileError) {
        do { try handle.write(contentsOf: data) } catch { throw .cannotWrite(path, "\(error.localizedDescription)") }
    }

    /// Makes the file visible under its name (standard output: nothing to do).
    public func commit() throws(OutputFileError) {
        finished = true
        guard let temporary else { return }
        do { try handle.close() } catch { throw .cannotWrite(path, "\(error.localizedDescription)") }
        // Checked again: something may have appeared at the path meanwhile.
        try Self.check(path)
        guard rename(temporary, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw .cannotWrite(path, why)
        }
    }

    /// Removes the temporary file; the target is left as it was.
    public func abort() {
        finished = true
        guard let temporary else { return }
        try? handle.close()
        unlink(temporary)
    }

    /// Writes `data` to `path` in one go (temporary file, then rename).
    public static func write(_ data: Data, to path: String) throws(OutputFileError) {
        let file = try OutputFile(path: path)
        try file.write(data)
        try file.commit()
    }

    /// Refuses anything at `path` but a regular file (a symbolic link is refused, not followed).
    public static func check(_ path: String) throws(OutputFileError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }  // nothing there: fine
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFLNK: throw .notARegularFile(path, "a symbolic link")
        case S_IFDIR: throw .notARegularFile(path, "a folder")
        case S_IFCHR, S_IFBLK: throw .notARegularFile(path, "a device")
        case S_IFIFO: throw .notARegularFile(path, "a pipe")
        case S_IFSOCK: throw .notARegularFile(path, "a socket")
        default: throw .notARegularFile(path, "not a regular file")
        }
    }

    static func reason(_ code: Int32, folder: String) -> String {
        if code == ENOENT { return "the folder \(folder.isEmpty ? "." : folder) does not exist" }
        return String(cString: strerror(code))
    }
}

/// Why an output file cannot be written.
public enum OutputFileError: Error, Equatable, CustomStringConvertible {
    /// The path and what is there instead of a regular file.
    case notARegularFile(String, String)
    case cannotWrite(String, String)

    public var description: String {
        switch self {
        case let .notARegularFile(path, what):
            return "refusing to write \(path): it is \(what), not a regular file (name a new or regular file, or - for standard output)"
        case let .cannotWrite(path, why): return "cannot write \(path): \(why)"
        }
    }
}
