/// The community most tests share, written once: a plant P (generation) and two consumers A and B,
/// one metering point each.
///
/// ```swift
/// let yaml = ThreeMemberCommunity.yaml(id: "eeg-cli", name: "EEG CLI", participationB: 50)
/// let community = try CommunityFile.parse(yaml, source: "test.yaml")
/// ```
public enum ThreeMemberCommunity {
    public static let plant = "AT0030000000000000000000000000001"
    public static let pointA = "AT0030000000000000000000000000002"
    public static let pointB = "AT0030000000000000000000000000003"

    /// The community file: `names` of A and B (no name line if nil), B's participation in percent
    /// (full if nil), and `extra` YAML appended (tariffs, say).
    public static func yaml(
        id: String, name: String, names: (a: String?, b: String?) = (nil, nil), participationB: Int? = nil, extra: String = ""
    ) -> String {
        var lines = [
            "community: {id: \(id), name: \"\(name)\", timezone: Europe/Vienna, allocation: dynamic}",
            "members:",
            "  - id: P",
            "    name: Plant",
            "    meteringPoints:",
            "      - {zaehlpunkt: \(plant), direction: generation}",
            "  - id: A",
        ]
        if let a = names.a { lines.append("    name: \(a)") }
        lines += ["    meteringPoints:", "      - {zaehlpunkt: \(pointA), direction: consumption}", "  - id: B"]
        if let b = names.b { lines.append("    name: \(b)") }
        lines.append("    meteringPoints:")
        lines.append(
            "      - {zaehlpunkt: \(pointB), direction: consumption" + (participationB.map { ", participation: \($0)" } ?? "") + "}")
        return lines.joined(separator: "\n") + (extra.isEmpty ? "" : "\n" + extra)
    }
}
