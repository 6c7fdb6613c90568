import Yams

/// Reads and writes the community file (YAML). See `reports/community.example.yaml`.
///
/// Errors name the file, the line, the entry and what is wrong:
/// ```swift
/// do { _ = try CommunityFile.parse(text, source: "eeg.yaml") }
/// catch { print(error) }   // eeg.yaml:7: members[0] (M001).meteringPoints[0].zaehlpunkt: ...
/// ```
public enum CommunityFile {
    public static func parse(_ yaml: String, source: String) throws(CommunityFileError) -> Community {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw CommunityFileError(source: source, line: nil, path: "", message: "the file is empty")
            }
            root = node
        } catch let error as CommunityFileError {
            throw error
        } catch let error as YamlError {
            throw CommunityFileError(source: source, line: nil, path: "", message: "not valid YAML: \(error)")
        } catch {
            throw CommunityFileError(source: source, line: nil, path: "", message: "not valid YAML: \(error)")
        }
        let reader = NodeReader(source: source)
        do {
            return try reader.community(root)
        } catch let error as CommunityFileError {
            throw error
        } catch {
            throw CommunityFileError(source: source, line: nil, path: "", message: "\(error)")
        }
    }
}

/// What is wrong in a community file, and where.
public struct CommunityFileError: Error, CustomStringConvertible, Equatable {
    public var source: String
    public var line: Int?
    public var path: String
    public var message: String

    public var description: String {
        let place = line.map { "\(source):\($0)" } ?? source
        return path.isEmpty ? "\(place): \(message)" : "\(place): \(path): \(message)"
    }
}

/// Walks the YAML tree, remembering where it is for error messages.
private struct NodeReader {
    let source: String

    func fail(_ node: Node?, _ path: String, _ message: String) -> CommunityFileError {
        CommunityFileError(source: source, line: node?.mark?.line, path: path, message: message)
    }

    func mapping(_ node: Node, _ path: String, allowed: Set<String>) throws -> [String: Node] {
        guard case let .mapping(mapping) = node else { throw fail(node, path, "expected a mapping (key: value)") }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw fail(key, path, "keys must be text") }
            guard allowed.contains(name) else {
                throw fail(key, path, "unknown key '\(name)' (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard result[name] == nil else { throw fail(key, path, "key '\(name)' appears twice") }
            result[name] = value
        }
        return result
    }

    func text(_ map: [String: Node], _ key: String, _ path: String, parent: Node) throws -> String {
        guard let node = map[key] else { throw fail(parent, path, "'\(key)' is missing") }
        guard case let .scalar(scalar) = node, !scalar.string.isEmpty else { throw fail(node, "\(path).\(key)", "expected text") }
        return scalar.string
    }

    func optionalText(_ map: [String: Node], _ key: String, _ path: String) throws -> String? {
        guard let node = map[key] else { return nil }
        guard case let .scalar(scalar) = node else { throw fail(node, "\(path).\(key)", "expected text") }
        return scalar.string
    }

    func number(_ node: Node, _ path: String, decimals: Int) throws -> Int64 {
        guard case let .scalar(scalar) = node else { throw fail(node, path, "expected a number") }
        do {
            return try FixedDecimal.parse(scalar.string, decimals: decimals)
        } catch {
            throw fail(node, path, "\(error)")
        }
    }

    func double(_ node: Node, _ path: String) throws -> Double {
        guard case let .scalar(scalar) = node, let value = Double(scalar.string), value.isFinite else {
            throw fail(node, path, "expected a number")
        }
        return value
    }

    func community(_ root: Node) throws -> Community {
        let top = try mapping(root, "", allowed: ["community", "members"])
        guard let header = top["community"] else { throw fail(root, "", "'community' is missing") }
        let c = try mapping(header, "community", allowed: ["id", "name", "timezone", "allocation", "site"])
        let id = try text(c, "id", "community", parent: header)
        let name = try optionalText(c, "name", "community") ?? id
        let zoneName = try optionalText(c, "timezone", "community") ?? "Europe/Vienna"
        let calendar: LocalCalendar
        do { calendar = try LocalCalendar(timeZoneIdentifier: zoneName) } catch {
            throw fail(c["timezone"], "community.timezone", "\(error)")
        }
        let keyName = try optionalText(c, "allocation", "community") ?? "dynamic"
        guard let key = AllocationKey(rawValue: keyName) else {
            throw fail(c["allocation"], "community.allocation", "'\(keyName)' is not an allocation key (dynamic or static)")
        }
        var site = Site.vienna
        if let siteNode = c["site"] {
            let s = try mapping(siteNode, "community.site", allowed: ["latitude", "longitude"])
            if let lat = s["latitude"] { site.latitude = try double(lat, "community.site.latitude") }
            if let lon = s["longitude"] { site.longitude = try double(lon, "community.site.longitude") }
            guard (-90...90).contains(site.latitude), (-180...180).contains(site.longitude) else {
                throw fail(siteNode, "community.site", "latitude must be within ±90 and longitude within ±180")
            }
        }
        guard let membersNode = top["members"], case let .sequence(list) = membersNode else {
            throw fail(top["members"] ?? root, "members", "expected a list of members")
        }
        var members: [Member] = []
        var seenMembers: [String: Int] = [:]
        var seenPoints: [PointKey: String] = [:]
        var staticTotal: Int64 = 0
        for (m, memberNode) in list.enumerated() {
            var path = "members[\(m)]"
            let fields = try mapping(memberNode, path, allowed: ["id", "name", "meteringPoints"])
            let memberID = try text(fields, "id", path, parent: memberNode)
            path += " (\(memberID))"
            if let first = seenMembers[memberID] { throw fail(memberNode, path, "member id '\(memberID)' is used by members[\(first)] too") }
            seenMembers[memberID] = m
            let memberName = try optionalText(fields, "name", path) ?? memberID
            guard let pointsNode = fields["meteringPoints"], case let .sequence(pointList) = pointsNode, pointList.count > 0 else {
                throw fail(fields["meteringPoints"] ?? memberNode, "\(path).meteringPoints", "expected a non-empty list of metering points")
            }
            var points: [MeteringPoint] = []
            for (p, pointNode) in pointList.enumerated() {
                let pp = "\(path).meteringPoints[\(p)]"
                let point = try meteringPoint(pointNode, pp, memberID: memberID, key: key)
                if let owner = seenPoints[point.key] {
                    throw fail(pointNode, pp, "\(point.key) is already listed for member \(owner)")
                }
                seenPoints[point.key] = memberID
                staticTotal += point.staticSharePPM
                points.append(point)
            }
            members.append(Member(id: memberID, name: memberName, meteringPoints: points))
        }
        guard !members.isEmpty else { throw fail(membersNode, "members", "the community has no members") }
        if key == .static && staticTotal > 1_000_000 {
            throw fail(membersNode, "members", "static shares add up to \(Double(staticTotal) / 10_000) %, more than 100 %")
        }
        return Community(id: id, name: name, calendar: calendar, allocationKey: key, site: site, members: members)
    }

    func meteringPoint(_ node: Node, _ path: String, memberID: String, key: AllocationKey) throws -> MeteringPoint {
        let f = try mapping(node, path, allowed: ["zaehlpunkt", "direction", "participation", "share", "profile"])
        let zpText = try text(f, "zaehlpunkt", path, parent: node)
        let zaehlpunkt: Zaehlpunkt
        do { zaehlpunkt = try Zaehlpunkt(zpText) } catch { throw fail(f["zaehlpunkt"], "\(path).zaehlpunkt", "\(error)") }
        let directionText = try text(f, "direction", path, parent: node)
        guard let direction = Direction(rawValue: directionText) else {
            throw fail(f["direction"], "\(path).direction", "'\(directionText)' is not a direction (consumption or generation)")
        }
        var participation: Int64 = 10_000
        if let p = f["participation"] {
            participation = try number(p, "\(path).participation", decimals: 2)
            guard (1...10_000).contains(participation) else {
                throw fail(p, "\(path).participation", "must be between 0.01 and 100 (percent)")
            }
        }
        var share: Int64 = 0
        if let s = f["share"] {
            guard key == .static else { throw fail(s, "\(path).share", "a share is only used with allocation: static") }
            guard direction == .consumption else { throw fail(s, "\(path).share", "only consuming points have a static share") }
            share = try number(s, "\(path).share", decimals: 4)   // 0.0001 % = 1 ppm
            guard (0...1_000_000).contains(share) else { throw fail(s, "\(path).share", "must be between 0 and 100 (percent)") }
        } else if key == .static && direction == .consumption {
            throw fail(node, path, "'share' is missing (allocation: static needs a share for each consuming point)")
        }
        var profile: SimulationProfile?
        if let profileNode = f["profile"] { profile = try simulationProfile(profileNode, "\(path).profile", direction: direction) }
        return MeteringPoint(zaehlpunkt: zaehlpunkt, direction: direction, participationBasisPoints: participation,
                             staticSharePPM: share, memberID: memberID, profile: profile)
    }

    func simulationProfile(_ node: Node, _ path: String, direction: Direction) throws -> SimulationProfile {
        let f = try mapping(node, path, allowed: ["type", "annualKwh", "kWp"])
        let type = try text(f, "type", path, parent: node)
        if type.uppercased() == "PV" {
            guard direction == .generation else { throw fail(node, path, "a PV profile needs direction: generation") }
            guard let kWpNode = f["kWp"] else { throw fail(node, path, "'kWp' is missing") }
            let kWp = try double(kWpNode, "\(path).kWp")
            guard kWp > 0, kWp < 100_000 else { throw fail(kWpNode, "\(path).kWp", "must be between 0 and 100,000") }
            return .photovoltaic(kWp: kWp)
        }
        guard let kind = StandardLoadKind(rawValue: type.uppercased()) else {
            throw fail(f["type"], "\(path).type", "'\(type)' is not a profile (H0, G0, L0 or PV)")
        }
        guard direction == .consumption else { throw fail(node, path, "a load profile needs direction: consumption") }
        guard let annualNode = f["annualKwh"] else { throw fail(node, path, "'annualKwh' is missing") }
        let annual = try double(annualNode, "\(path).annualKwh")
        guard annual > 0, annual < 100_000_000 else { throw fail(annualNode, "\(path).annualKwh", "must be between 0 and 100,000,000") }
        return .standardLoad(kind, annualKWh: annual)
    }
}
