import Yams

/// Reads and writes the community file (YAML). See `reports/community.example.yaml`.
///
/// Errors name the file, the line, the entry and what is wrong:
/// ```swift
/// do { _ = try CommunityFile.parse(text, source: "eeg.yaml") }
/// catch { print(error) }   // eeg.yaml:7: members[0] (M001).meteringPoints[0].zaehlpunkt: ...
/// ```
public enum CommunityFile {
    /// `today` (the community's local date by default) is the latest a SEPA mandate may be signed on.
    public static func parse(_ yaml: String, source: String, today: LocalDate? = nil) throws(CommunityFileError) -> Community {
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
        let reader = NodeReader(source: source, today: today)
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
/// Reads the YAML nodes of a community file, naming file, line and entry in every error.
struct NodeReader {
    let source: String
    /// The latest a SEPA mandate may be signed on (nil: the community's today).
    var today: LocalDate? = nil

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
        let top = try mapping(root, "", allowed: ["community", "members", "tariffs"])
        guard let header = top["community"] else { throw fail(root, "", "'community' is missing") }
        let c = try mapping(
            header, "community", allowed: ["id", "name", "timezone", "allocation", "site", "ecid", "address", "vatId", "sepa", "language"])
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
            let fields = try mapping(memberNode, path, allowed: ["id", "name", "meteringPoints", "address", "sepa"])
            let memberID = try text(fields, "id", path, parent: memberNode)
            path += " (\(memberID))"
            if let first = seenMembers[memberID] {
                throw fail(memberNode, path, "member id '\(memberID)' is used by members[\(first)] too")
            }
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
            let today = self.today ?? calendar.today()
            members.append(
                Member(
                    id: memberID, name: memberName, meteringPoints: points,
                    address: try fields["address"].map { try address($0, "\(path).address") },
                    mandate: try fields["sepa"].map { try mandate($0, "\(path).sepa", today: today) }))
        }
        guard !members.isEmpty else { throw fail(membersNode, "members", "the community has no members") }
        if key == .static && staticTotal > 1_000_000 {
            throw fail(membersNode, "members", "static shares add up to \(Double(staticTotal) / 10_000) %, more than 100 %")
        }
        var community = Community(id: id, name: name, calendar: calendar, allocationKey: key, site: site, members: members)
        community.tariffs = try top["tariffs"].map { try schedule($0) }
        if let ecid = try optionalText(c, "ecid", "community") {
            // An EC-ID has a Zaehlpunkt's shape: AT and 31 characters of 0-9A-Z.
            do { _ = try Zaehlpunkt(ecid) } catch { throw fail(c["ecid"], "community.ecid", "'\(ecid)' is not an EC-ID: \(error)") }
            community.ecid = ecid
        }
        try particulars(c, into: &community)
        return community
    }

    func price(_ node: Node, _ path: String) throws -> EnergyPrice {
        let value = try number(node, path, decimals: 6)
        guard value >= 0 else { throw fail(node, path, "a price cannot be negative") }
        return EnergyPrice(microUnitsPerKilowattHour: value)
    }

    func percentage(_ node: Node, _ path: String) throws -> Percentage {
        let value = try number(node, path, decimals: 2)
        guard (0...10_000).contains(value) else { throw fail(node, path, "must be between 0 and 100 (percent)") }
        return Percentage(basisPoints: value)
    }

    static let tariffKeys: Set<String> = ["validFrom", "currency", "consumption", "generation", "memberFee", "vat", "timeOfUse"]

    /// `tariffs:` as one mapping (a tariff valid from the beginning) or a list of tariffs with `validFrom`.
    func schedule(_ node: Node) throws -> TariffSchedule {
        guard case let .sequence(list) = node else { return try TariffSchedule([tariff(node, "tariffs")]) }
        guard !list.isEmpty else { throw fail(node, "tariffs", "expected a tariff or a non-empty list of tariffs with validFrom dates") }
        let tariffs = try list.enumerated().map { i, item in try tariff(item, "tariffs[\(i)]") }
        do { return try TariffSchedule(tariffs) } catch {
            let i = error.index ?? 0
            let m = try mapping(list[i], "tariffs[\(i)]", allowed: Self.tariffKeys)
            throw fail(m["validFrom"] ?? m["currency"] ?? list[i], "tariffs[\(i)]", error.message)
        }
    }

    func tariff(_ node: Node, _ path: String) throws -> Tariff {
        let t = try mapping(node, path, allowed: Self.tariffKeys)
        var validFrom: LocalDate?
        if let fromText = try optionalText(t, "validFrom", path) {
            do { validFrom = try LocalDate(fromText) } catch {
                throw fail(t["validFrom"], "\(path).validFrom", "'\(fromText)' is not a date (YYYY-MM-DD): \(error)")
            }
        }
        let currency = try optionalText(t, "currency", path) ?? "EUR"
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw fail(t["currency"], "\(path).currency", "'\(currency)' is not a currency code (three capitals, e.g. EUR)")
        }
        guard let consumptionNode = t["consumption"] else {
            throw fail(node, path, "'consumption' (price per kWh of community energy) is missing")
        }
        guard let generationNode = t["generation"] else {
            throw fail(node, path, "'generation' (price per kWh the community takes) is missing")
        }
        let consumption = try price(consumptionNode, "\(path).consumption")
        let generation = try price(generationNode, "\(path).generation")
        var fee = Money.zero
        var feePeriod = FeePeriod.month
        if let feeNode = t["memberFee"] {
            let f = try mapping(feeNode, "\(path).memberFee", allowed: ["amount", "per"])
            guard let amountNode = f["amount"] else { throw fail(feeNode, "\(path).memberFee", "'amount' is missing") }
            fee = Money(cents: try number(amountNode, "\(path).memberFee.amount", decimals: 2))
            guard fee >= .zero else { throw fail(amountNode, "\(path).memberFee.amount", "a fee cannot be negative") }
            let per = try optionalText(f, "per", "\(path).memberFee") ?? "month"
            guard let period = FeePeriod(rawValue: per) else {
                throw fail(f["per"], "\(path).memberFee.per", "'\(per)' is not a fee period (month or year)")
            }
            feePeriod = period
        }
        var vat = VATRates()
        if let vatNode = t["vat"] {
            let v = try mapping(vatNode, "\(path).vat", allowed: ["consumption", "generation", "memberFee"])
            if let n = v["consumption"] { vat.consumption = try percentage(n, "\(path).vat.consumption") }
            if let n = v["generation"] { vat.generation = try percentage(n, "\(path).vat.generation") }
            if let n = v["memberFee"] { vat.memberFee = try percentage(n, "\(path).vat.memberFee") }
        }
        var windows: [TariffWindow] = []
        if let touNode = t["timeOfUse"] {
            guard case let .sequence(list) = touNode, !list.isEmpty else {
                throw fail(touNode, "\(path).timeOfUse", "expected a non-empty list of windows")
            }
            for (i, windowNode) in list.enumerated() {
                let wp = "\(path).timeOfUse[\(i)]"
                let w = try mapping(windowNode, wp, allowed: ["name", "days", "from", "to", "consumption", "generation"])
                let name = try text(w, "name", wp, parent: windowNode)
                let fromText = try text(w, "from", wp, parent: windowNode)
                let toText = try text(w, "to", wp, parent: windowNode)
                guard let from = TariffWindow.minute(fromText) else {
                    throw fail(w["from"], "\(wp).from", "'\(fromText)' is not a local time on the quarter-hour grid (HH:MM, e.g. 10:00)")
                }
                guard let to = TariffWindow.minute(toText) else {
                    throw fail(w["to"], "\(wp).to", "'\(toText)' is not a local time on the quarter-hour grid (HH:MM, 00:00 to 24:00)")
                }
                // An end of 00:00 is the midnight that ends the day.
                let end = to == 0 ? 1440 : to
                guard from != end else {
                    throw fail(windowNode, wp, "'from' and 'to' are equal: the window is empty (00:00 to 24:00 is the whole day)")
                }
                var days = Set(1...7)
                if let daysNode = w["days"] {
                    guard case let .sequence(dayList) = daysNode, !dayList.isEmpty else {
                        throw fail(daysNode, "\(wp).days", "expected a list of weekdays, e.g. [mon, tue, wed, thu, fri]")
                    }
                    days = []
                    for dayNode in dayList {
                        guard let name = dayNode.string, let index = TariffWindow.weekdayNames.firstIndex(of: name.lowercased()) else {
                            throw fail(
                                dayNode, "\(wp).days", "'\(dayNode.string ?? "")' is not a weekday (mon, tue, wed, thu, fri, sat, sun)")
                        }
                        guard days.insert(index + 1).inserted else { throw fail(dayNode, "\(wp).days", "'\(name)' is listed twice") }
                    }
                }
                windows.append(
                    TariffWindow(
                        name: name, days: days, fromMinute: from, toMinute: end,
                        consumptionPrice: try w["consumption"].map { try price($0, "\(wp).consumption") } ?? consumption,
                        generationPrice: try w["generation"].map { try price($0, "\(wp).generation") } ?? generation))
            }
            if let duplicate = Dictionary(grouping: windows.indices, by: { windows[$0].name }).first(where: { $0.value.count > 1 }) {
                throw fail(
                    list[duplicate.value[1]], "\(path).timeOfUse[\(duplicate.value[1])]", "window name '\(duplicate.key)' is used twice")
            }
        }
        do {
            return try Tariff(
                currency: currency, consumptionPrice: consumption, generationPrice: generation, memberFee: fee,
                memberFeePeriod: feePeriod, vat: vat, timeOfUse: windows, validFrom: validFrom)
        } catch {
            if let index = error.index, case let .sequence(list) = t["timeOfUse"] {
                throw fail(list[index], "\(path).timeOfUse[\(index)]", error.message)
            }
            throw fail(t["timeOfUse"] ?? node, "\(path).timeOfUse", error.message)
        }
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
            share = try number(s, "\(path).share", decimals: 4)  // 0.0001 % = 1 ppm
            guard (0...1_000_000).contains(share) else { throw fail(s, "\(path).share", "must be between 0 and 100 (percent)") }
        } else if key == .static && direction == .consumption {
            throw fail(node, path, "'share' is missing (allocation: static needs a share for each consuming point)")
        }
        var profile: SimulationProfile?
        if let profileNode = f["profile"] { profile = try simulationProfile(profileNode, "\(path).profile", direction: direction) }
        return MeteringPoint(
            zaehlpunkt: zaehlpunkt, direction: direction, participationBasisPoints: participation,
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
