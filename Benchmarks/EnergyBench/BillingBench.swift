import Foundation

// The treasurer's month for 1,000 members: a final run writing every statement as PDF, XLSX and
// CSV plus the bank's SEPA files, into a store that has issued nothing yet; its rerun (all issued:
// the same files again); and a correction (one statement cancelled, then the period reissued).
// The baseline, in the same run: computing the same statement figures, no files.

/// Copies a SQLite store file with its WAL, so each round starts from the same state.
func copyStore(_ from: String, to: String) {
    let fm = FileManager.default
    for suffix in ["", "-wal", "-shm"] {
        try? fm.removeItem(atPath: to + suffix)
        if fm.fileExists(atPath: from + suffix) { try? fm.copyItem(atPath: from + suffix, toPath: to + suffix) }
    }
}

func billingSection(_ o: Options, selfPath: String) throws -> String {
    let fm = FileManager.default
    let members = 1000
    let dir = o.work + "/treasurer"
    try? fm.removeItem(atPath: dir)
    // `energy demo` makes the community (time-of-use tariff, addresses, mandates for most
    // members, the community's creditor id), its month and the rollups.
    _ = measure(o.energy, ["demo", dir + "/demo", "--members", String(members), "--month", o.month, "--seed", "3"])
    let community = dir + "/demo/community.yaml"
    let pristine = dir + "/demo/energy.sqlite"
    let store = dir + "/round.sqlite"
    func bill(_ out: String, _ extra: [String] = []) -> [String] {
        ["bill", "--community", community, "--store", "sqlite:" + store, "--period", o.month, "--final", "--out", out] + extra
    }
    let formats = ["--format", "pdf,xlsx,csv,sepa"]
    var figures: [Measurement] = []
    var finals: [Measurement] = []
    var reruns: [Measurement] = []
    var corrections: [Measurement] = []
    for i in 0..<o.repeats {
        copyStore(pristine, to: store)
        figures.append(measure(selfPath, ["figures", community, "sqlite:" + store, o.month]))
        try? fm.removeItem(atPath: dir + "/final")
        finals.append(measure(o.energy, bill(dir + "/final", formats)))
        try? fm.removeItem(atPath: dir + "/rerun")
        reruns.append(measure(o.energy, bill(dir + "/rerun", formats)))
        // A correction: the second statement cancelled, then the month's final run reissues it
        // (and writes every other member's files again, byte for byte).
        _ = measure(
            o.energy,
            [
                "bill", "--community", community, "--store", "sqlite:" + store, "--cancel", "\(o.month.prefix(4))-0002", "--reason",
                "bench",
                "--out", dir + "/rerun",
            ] + formats)
        corrections.append(measure(o.energy, bill(dir + "/rerun", formats)))
        print(
            String(
                format: "round %d: figures %.2f s, final %.2f s (%.0f MB), rerun %.2f s, reissue %.2f s", i + 1, figures[i].seconds,
                finals[i].seconds, finals[i].peakMegabytes, reruns[i].seconds, corrections[i].seconds))
    }
    let names = (try? fm.contentsOfDirectory(atPath: dir + "/final")) ?? []
    func count(_ suffix: String) -> Int { names.filter { $0.hasSuffix(suffix) }.count }
    let bytes = names.reduce(0) { $0 + ((try? fm.attributesOfItem(atPath: dir + "/final/" + $1)[.size] as? Int) ?? 0) }
    // The accounting CSV gains the cancellation's and the reissue's rows; everything else stays.
    let identical = names.allSatisfy { name in
        name.hasPrefix("statements-") || fm.contents(atPath: dir + "/final/" + name) == fm.contents(atPath: dir + "/rerun/" + name)
    }
    let (final, rerun, reissue, baseline) = (
        median(finals.map(\.seconds)), median(reruns.map(\.seconds)), median(corrections.map(\.seconds)), median(figures.map(\.seconds))
    )
    let peak = (finals + reruns + corrections).map(\.peakMegabytes).max() ?? 0
    let cpu = median(finals.map(\.cpuSeconds))
    let cores = ProcessInfo.processInfo.activeProcessorCount
    func f(_ v: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }
    return """
        ## Billing for the treasurer

        A final run of \(members) members' statements for \(o.month) with `--format pdf,xlsx,csv,sepa` into a store that has
        issued nothing (copied afresh each round), on \(cores) cores; medians of \(o.repeats) rounds. It wrote \(count(".pdf")) PDF,
        \(count(".xlsx")) XLSX, \(count(".csv")) CSV and \(count(".xml")) SEPA files (\(bytes / 1_048_576) MB). Baseline in the same run: the
        same statement figures computed, no files.

        | what | figure | baseline (same run) | ratio | target |
        |---|---|---|---|---|
        | final run, PDF + XLSX + CSV + SEPA | \(f(final)) s (CPU \(f(cpu)) s), peak \(f(peak, 0)) MB | statement figures: \(f(baseline)) s | \(f(final / baseline)) x | < 20 s and < 300 MB: \(final < 20 && peak < 300 ? "met" : "**missed**") |
        | rerun of the issued month (the same files again) | \(f(rerun)) s | the first final run | \(f(rerun / final)) x | |
        | correction: one statement cancelled, the month reissued | \(f(reissue)) s | the first final run | \(f(reissue / final)) x | |

        Every other member's files after the correction byte-identical to the first run's: \(identical ? "yes" : "**no**").
        Reproduce: `make bench`, or this section alone: `.build/release/EnergyBench --billing-only --energy .build/release/energy --month \(o.month)`.

        """
}
