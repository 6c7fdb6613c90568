import Foundation

/// The formats `energy import` reads, told apart by their content (a file's name may lie).
///
/// ```swift
/// let format = try ImportFormat.detect(path: "RC108175_20260701T00_0020260731T23_45.xlsx")   // .edaWorkbook
/// ```
public enum ImportFormat: String, Sendable, CaseIterable {
    /// The canonical readings CSV (`zaehlpunkt,start,direction,kwh,quality`).
    case csv
    /// The grid operator's CR_MSG ConsumptionRecord XML (EDA).
    case crmsg
    /// The EDA portal's quarter-hour export workbook.
    case edaWorkbook = "eda-xlsx"

    /// Looks at the first bytes: a ZIP file is a workbook, XML is CR_MSG, anything else is
    /// read as CSV (whose header check then says what is wrong).
    public static func detect(path: String) throws -> ImportFormat {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError.cannotRead(path, FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 512)) ?? Data()
        return detect(head: Array(head))
    }

    public static func detect(head: [UInt8]) -> ImportFormat {
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .edaWorkbook }
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        while let first = bytes.first, first == 0x20 || first == 0x09 || first == 0x0A || first == 0x0D { bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: "<") { return .crmsg }
        return .csv
    }

    /// The files to import for the arguments: files as given, folders expanded to the regular
    /// files in them (not hidden ones, not sub-folders), sorted by name so a run is repeatable.
    public static func files(for arguments: [String]) throws -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard argument != "-", manager.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue else {
                files.append(argument)
                continue
            }
            let names: [String]
            do { names = try manager.contentsOfDirectory(atPath: argument) } catch {
                throw ImportError.cannotRead(argument, "cannot list the folder")
            }
            for name in names.sorted() where !name.hasPrefix(".") {
                let path = (argument as NSString).appendingPathComponent(name)
                var nested: ObjCBool = false
                if manager.fileExists(atPath: path, isDirectory: &nested), !nested.boolValue { files.append(path) }
            }
        }
        return files
    }
}
