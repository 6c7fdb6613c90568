import EnergyCore
import EnergyJobs
import EnergyReports
import EnergyStore
import EnergyTestSupport
import Foundation
import Testing

/// Three members: a plant P (0.9 kWh every quarter hour), A (1 kWh) and B (1 kWh at 50 %
/// participation). Dynamic key: each quarter hour A receives 0.6 kWh and B 0.3 kWh.
let smallCommunityYAML = ThreeMemberCommunity.yaml(
    id: "eeg-bill", name: "EEG Bill, Test", names: ("Anna Amsel", #"Bernd "B" Berger"#), participationB: 50)

let flatTariffYAML = """
    tariffs:
      consumption: 0.1234
      generation: 0.0875
      memberFee: {amount: 3, per: month}
      vat: {consumption: 20, generation: 10, memberFee: 20}
    """

/// A store on disk with the small community's readings for local days `from..<to` rolled up.
struct BillingFixture {
    let folder: TemporaryFolder
    let store: any ReadingStore
    let community: Community

    /// Any community on a store of the caller's; `add` stores and rolls up the same readings.
    init(store: any ReadingStore, community: Community, folder: TemporaryFolder) {
        self.store = store
        self.community = community
        self.folder = folder
    }

    init(tariff: String = flatTariffYAML, from: String, to: String, skip: (QuarterHour, Int) -> Bool = { _, _ in false }) throws {
        folder = TemporaryFolder()
        community = try CommunityFile.parse(smallCommunityYAML + "\n" + tariff, source: "test.yaml")
        store = try SQLiteStore(path: folder.path + "/e.sqlite")
        try add(from: from, to: to, skip: skip)
    }

    /// Stores readings (P 0.9 kWh, A and B 1 kWh per quarter hour) and rolls the days up.
    func add(from: String, to: String, skip: (QuarterHour, Int) -> Bool = { _, _ in false }, value: Int64? = nil) throws {
        let start = try LocalDate(from)
        let end = try LocalDate(to)
        var readings: [Reading] = []
        for qh in community.calendar.quarterHours(from: start, to: end) {
            for (i, key) in community.pointKeys.enumerated() where !skip(qh, i) {
                readings.append(Reading(point: key, start: qh, milliwattHours: value ?? (i == 0 ? 900_000 : 1_000_000)))
            }
        }
        _ = try store.upsert(readings, community: community)
        let job = RollupJob(store: store, community: community)
        _ = try job.run(try job.plan(.range(from: start, to: end)))
    }
}

/// Reads an XLSX file back with openpyxl (a real reader) from the virtualenv that
/// `scripts/install-deps.sh` makes: every sheet's cells (dates as ISO text, formulas as text),
/// each formula cell's cached value, the charts per sheet and the creation time.
enum OpenPyXL {
    static let python: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".venv/bin/python").path
    }()

    static let script = """
        import json, sys, datetime, openpyxl
        def plain(v):
            if isinstance(v, (datetime.datetime, datetime.date)):
                return v.isoformat()
            return v
        path = sys.argv[1]
        formulas = openpyxl.load_workbook(path)
        values = openpyxl.load_workbook(path, data_only=True)
        out = {"sheets": {}, "cached": {}, "charts": {}, "created": formulas.properties.created.isoformat()}
        for ws in formulas.worksheets:
            out["sheets"][ws.title] = [[plain(c) for c in row] for row in ws.iter_rows(values_only=True)]
            out["charts"][ws.title] = len(ws._charts)
            cached = values[ws.title]
            out["cached"][ws.title] = {c.coordinate: plain(cached[c.coordinate].value)
                                       for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")}
        print(json.dumps(out))
        """

    struct Workbook {
        var sheets: [String: [[Any?]]]
        var cached: [String: [String: Any]]
        var charts: [String: Int]
        var created: String

        func cell(_ sheet: String, _ row: Int, _ column: Int) -> Any? {
            guard let rows = sheets[sheet], row < rows.count, column < rows[row].count else { return nil }
            return rows[row][column]
        }
        func text(_ sheet: String, _ row: Int, _ column: Int) -> String? { cell(sheet, row, column) as? String }
        func number(_ sheet: String, _ row: Int, _ column: Int) -> Double? { (cell(sheet, row, column) as? NSNumber)?.doubleValue }
    }

    struct ReaderError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func read(_ path: String) throws -> Workbook {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ReaderError(message: "no \(python): run scripts/install-deps.sh (or make test) to create the virtualenv with openpyxl")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, path]
        let outPath = NSTemporaryDirectory() + "openpyxl-" + UUID().uuidString + ".json"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardOutput = out
        try process.run()
        process.waitUntilExit()
        try out.close()
        let data = FileManager.default.contents(atPath: outPath) ?? Data()
        guard process.terminationStatus == 0,
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let sheets = json["sheets"] as? [String: [[Any]]], let cached = json["cached"] as? [String: [String: Any]],
            let charts = json["charts"] as? [String: Int], let created = json["created"] as? String
        else {
            throw ReaderError(
                message: "openpyxl could not read \(path) (exit \(process.terminationStatus)); "
                    + "is openpyxl installed in .venv? run scripts/install-deps.sh")
        }
        return Workbook(
            sheets: sheets.mapValues { $0.map { $0.map { $0 is NSNull ? nil : $0 } } }, cached: cached, charts: charts,
            created: created)
    }
}
