import EnergyCore
import EnergyEDA
import EnergySimulator
import Foundation

// The grid operator's files: a month of CR_MSG (one file per metering point) for a community of
// about `points` metering points, three series each, imported into an empty SQLite store, against
// reading the same files without storing them (the parse baseline, in the same run).

/// The bench's grid-operator figures of one metering point for `range`: consumers G.01, G.02 and
/// G.03, producers G.01, G.01T and P.01T. Deterministic; they need not conserve to be imported.
func benchFigures(_ point: MeteringPoint, index i: Int, range: Range<QuarterHour>) -> [GridOperatorFigure] {
    var out: [GridOperatorFigure] = []
    out.reserveCapacity(range.count * 3)
    let codes: [MeterCode] =
        point.direction == .consumption
        ? [.consumption, .offeredShare, .coveredShare] : [.production, .participatingProduction, .participatingSurplus]
    for (c, code) in codes.enumerated() {
        for (q, start) in range.enumerated() {
            let base = Int64(100_000 + (q * 37 + i * 101) % 50_000)
            let value = c == 0 ? base : (c == 1 ? base * 2 / 3 : base / 3)
            out.append(
                GridOperatorFigure(zaehlpunkt: point.zaehlpunkt, meterCode: code, start: start, milliwattHours: value, quality: .measured))
        }
    }
    return out
}

/// `eda-parse crmsg FOLDER` or `eda-parse xlsx FILE`: reads like `energy import` does, stores nothing.
func edaParseChild(_ arguments: [String]) throws -> Never {
    var values = 0
    var sum: Int64 = 0
    func count(_ document: EDADocument) {
        values += document.figures.count
        for figure in document.figures { sum &+= figure.milliwattHours }
    }
    if arguments[2] == "xlsx" {
        count(try EDAWorkbookReader(calendar: try LocalCalendar(timeZoneIdentifier: "Europe/Vienna")).read(path: arguments[3]))
    } else {
        for name in try FileManager.default.contentsOfDirectory(atPath: arguments[3]).sorted() {
            count(try CRMSGReader().read(path: arguments[3] + "/" + name))
        }
    }
    print(values, sum)
    exit(0)
}

/// `energy import` of `path` into an empty SQLite store at `store`, `o.repeats` times: the run of
/// median time (the machines are shared; one run says little).
func importIntoEmptyStores(_ o: Options, communityPath: String, store: String, path: String) -> Measurement {
    var runs: [Measurement] = []
    for _ in 0..<o.repeats {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + suffix) }
        runs.append(measure(o.energy, ["import", "--community", communityPath, "--store", "sqlite:" + store, path]))
    }
    return runs.sorted { $0.seconds < $1.seconds }[runs.count / 2]
}

func edaSection(_ o: Options, selfPath: String) throws -> String {
    let fm = FileManager.default
    let month = try LocalMonth(o.month)
    let work = o.work + "/eda"
    try? fm.removeItem(atPath: work)
    let folder = work + "/crmsg"
    try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var members = o.points * 3 / 4
    var community = DemoCommunity.make(members: members, seed: 1)
    while community.meteringPoints.count < o.points {
        members += 1
        community = DemoCommunity.make(members: members, seed: 1)
    }
    let communityPath = work + "/community.yaml"
    try CommunityFile.render(community).write(toFile: communityPath, atomically: true, encoding: .utf8)
    let range = community.calendar.quarterHours(of: month)
    let writer = CRMSGWriter(version: .v01p41, calendar: community.calendar)
    var values = 0
    var bytes = 0
    let started = Date()
    for (i, point) in community.meteringPoints.enumerated() {
        let figures = benchFigures(point, index: i, range: range)
        let document = try writer.write(figures, created: range.upperBound.startSeconds, sequence: i + 1)
        try Data(document).write(to: URL(fileURLWithPath: "\(folder)/\(point.zaehlpunkt)_\(month).xml"))
        values += figures.count
        bytes += document.count
    }
    print(
        String(
            format: "eda: %d CR_MSG values in %d files (%d MB) written in %.1f s", values, community.meteringPoints.count,
            bytes >> 20, Date().timeIntervalSince(started)))

    var parses: [Double] = []
    for _ in 0..<o.repeats { parses.append(measure(selfPath, ["eda-parse", "crmsg", folder]).seconds) }
    let store = "sqlite:" + work + "/eda.sqlite"
    let first = importIntoEmptyStores(o, communityPath: communityPath, store: work + "/eda.sqlite", path: folder)
    let again = measure(o.energy, ["import", "--community", communityPath, "--store", store, folder])
    let parse = median(parses)
    let rate = Double(values) / first.seconds
    print(
        String(
            format: "eda: CR_MSG import %.1f s (%.0f values/s, %.0f MB), again %.1f s, parse only %.1f s", first.seconds, rate,
            first.peakMegabytes, again.seconds, parse))

    // The same month as one workbook of the EDA portal (every point's three series, MM columns,
    // the producers' community column and the TOTALs).
    let workbookPath = work + "/RC100181_\(month).xlsx"
    let figures = community.meteringPoints.enumerated().flatMap { i, point in benchFigures(point, index: i, range: range) }
    let points = community.meteringPoints.map {
        EDAWorkbookWriter.Point(zaehlpunkt: $0.zaehlpunkt, direction: $0.direction, name: $0.memberID)
    }
    try EDAWorkbookWriter(calendar: community.calendar).write(
        points: points, figures: figures, from: month.firstDay, to: month.next.firstDay, path: workbookPath)
    let workbookBytes = (try? fm.attributesOfItem(atPath: workbookPath)[.size] as? Int) ?? 0
    var workbookParses: [Double] = []
    for _ in 0..<o.repeats { workbookParses.append(measure(selfPath, ["eda-parse", "xlsx", workbookPath]).seconds) }
    let workbook = importIntoEmptyStores(o, communityPath: communityPath, store: work + "/eda-workbook.sqlite", path: workbookPath)
    let workbookParse = median(workbookParses)
    let workbookRate = Double(figures.count) / workbook.seconds
    print(
        String(
            format: "eda: workbook import %.1f s (%.0f values/s, %.0f MB), parse only %.1f s", workbook.seconds, workbookRate,
            workbook.peakMegabytes, workbookParse))
    return """
        ## Grid-operator files (EDA)

        A month (\(month)) of CR_MSG `ConsumptionRecord` files for \(community.meteringPoints.count) metering points, one file per \
        point, three series each (consumers G.01, G.02, G.03; producers G.01, G.01T, P.01T): \(values) values, \(bytes >> 20) MB \
        of XML, imported with `energy import FOLDER` into an empty SQLite store (readings and the community's DSO figures).

        | what | figure | baseline (same run) | ratio | target |
        |---|---|---|---|---|
        | CR_MSG import (median of \(o.repeats)) | \(f(rate, 0)) values/s (\(f(first.seconds)) s, peak \(f(first.peakMegabytes, 0)) MB) | reading the same files, nothing stored: \(f(Double(values) / parse, 0)) values/s (\(f(parse)) s) | \(f(first.seconds / parse)) x the read time | ≥ 300,000 values/s: \(verdict(rate >= 300_000)) |
        | CR_MSG import again (all unchanged) | \(f(Double(values) / again.seconds, 0)) values/s (\(f(again.seconds)) s) | | | |
        | EDA workbook import (median of \(o.repeats); the same month as one `.xlsx`, \(workbookBytes >> 20) MB) | \(f(workbookRate, 0)) values/s (\(f(workbook.seconds)) s, peak \(f(workbook.peakMegabytes, 0)) MB) | reading the same workbook, nothing stored: \(f(Double(figures.count) / workbookParse, 0)) values/s (\(f(workbookParse)) s) | \(f(workbook.seconds / workbookParse)) x the read time | ≥ 200,000 values/s: \(verdict(workbookRate >= 200_000)) |

        Reproduce: `make bench`, or this section alone: `.build/release/EnergyBench --energy .build/release/energy --eda-only`.

        """
}
