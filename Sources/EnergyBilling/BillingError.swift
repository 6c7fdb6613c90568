import EnergyCore

/// Why a billing run refused or failed, with what to do about it.
public enum BillingError: Error, CustomStringConvertible {
    case noTariff(String)
    case incomplete(Completeness)
    case stale(Completeness, BillingPeriod)
    case unbalanced(Reconciliation)
    case changedSinceFinal(String, [String])
    case overlaps(String, issued: String)
    case cannotWrite(String, String)

    public var description: String {
        switch self {
        case let .noTariff(id):
            return "community \(id) has no tariffs: add a tariffs: block to the community file (see reports/community.example.yaml)"
        case let .incomplete(c):
            return
                "refusing the final run: \(c.missingQuarterHours) quarter hours have no reading\(c.notRolledUp.isEmpty ? "" : " or were never rolled up")\n"
                + c.report()
                + "\nimport the missing readings and run energy rollup, or pass --allow-incomplete (the statements then say so)"
        case let .stale(c, period):
            return "refusing the final run: readings changed after the rollup of \(c.staleDays.count) days\n" + c.report()
                + "\nrun: energy rollup --from \(period.from) --to \(period.to), then bill again"
        case let .unbalanced(r):
            return "the reconciliation failed, no statements written: \(r)\n"
                + "the stored allocations and rollups disagree; run energy rollup for the period again"
        case let .changedSinceFinal(period, changes):
            return "refusing: the final statements of \(period) were issued and the data changed since, so they cannot be reproduced\n"
                + changes.prefix(20).joined(separator: "\n") + (changes.count > 20 ? "\n… \(changes.count - 20) more" : "")
                + "\nissued statements are never replaced or renumbered; bill the difference as a correction in a later period"
        case let .overlaps(period, issued):
            return "refusing: final statements for \(issued) are already issued and overlap \(period); a period is billed once"
        case let .cannotWrite(path, why):
            return "cannot write \(path): \(why)"
        }
    }
}
