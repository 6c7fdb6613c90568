import Foundation

/// Runs Python scripts with openpyxl from the project's virtualenv (`.venv`, made by
/// `scripts/install-deps.sh test`): to write workbooks with a real XLSX writer, read them back
/// with a real reader, or pack hand-made parts into a ZIP file.
///
/// ```swift
/// try OpenPyXLScript.run("import json, sys; print(json.load(sys.stdin))", input: ["a": 1])
/// let sheets = try OpenPyXLScript.read(path)   // sheet title → rows of cell texts
/// ```
public enum OpenPyXLScript {
    public static let python: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".venv/bin/python").path
    }()

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Runs `script` with `input` as JSON on stdin and `arguments` after it; returns its stdout.
    @discardableResult
    public static func run(_ script: String, input: Any = [String: Any](), arguments: [String] = []) throws -> Data {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(message: "no \(python): run scripts/install-deps.sh test to create the virtualenv with openpyxl")
        }
        let folder = TemporaryFolder()
        let inPath = folder.path + "/in.json"
        let outPath = folder.path + "/out"
        let errorPath = folder.path + "/err"
        try JSONSerialization.data(withJSONObject: input).write(to: URL(fileURLWithPath: inPath))
        for path in [outPath, errorPath] { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        // Files, not pipes: neither side can block the other on a full pipe.
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let error = String(decoding: FileManager.default.contents(atPath: errorPath) ?? Data(), as: UTF8.self)
            throw Failure(message: "python failed (exit \(process.terminationStatus)): \(error.suffix(2000))")
        }
        return FileManager.default.contents(atPath: outPath) ?? Data()
    }

    /// Every sheet of the workbook at `path` as openpyxl reads it: title → rows of cells, each
    /// the cell's text (a float as Python's `repr`, a date in ISO), nil when empty.
    public static func read(_ path: String) throws -> (titles: [String], sheets: [String: [[String?]]]) {
        let script = """
            import json, sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            def text(v):
                if v is None:
                    return None
                if isinstance(v, float):
                    return repr(v)
                if hasattr(v, "isoformat"):
                    return v.isoformat()
                return str(v)
            out = {"titles": wb.sheetnames, "sheets": {}}
            for ws in wb.worksheets:
                out["sheets"][ws.title] = [[text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            print(json.dumps(out))
            """
        let data = try run(script, arguments: [path])
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any], let titles = json["titles"] as? [String],
            let sheets = json["sheets"] as? [String: [[Any]]]
        else { throw Failure(message: "openpyxl's output for \(path) is not what the script prints") }
        return (titles, sheets.mapValues { $0.map { $0.map { $0 as? String } } })
    }

    /// A ZIP file of `parts` (path inside, text), deflated or `stored`: hand-made workbooks for
    /// reader tests.
    public static func zip(_ parts: [(path: String, text: String)], to path: String, stored: Bool = false) throws {
        let script = """
            import json, sys, zipfile
            data = json.load(sys.stdin)
            with zipfile.ZipFile(data["path"], "w", zipfile.ZIP_STORED if data["stored"] else zipfile.ZIP_DEFLATED) as z:
                for name, text in data["parts"]:
                    z.writestr(name, text)
            """
        try run(script, input: ["path": path, "parts": parts.map { [$0.path, $0.text] }, "stored": stored])
    }
}
