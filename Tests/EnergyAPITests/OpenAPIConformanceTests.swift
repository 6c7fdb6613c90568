import EnergyAPI
import Foundation
import Testing
import Yams

/// The OpenAPI document against what the server really answers: every documented path is
/// requested as an administrator, without a token, as a member without rights and with bad
/// input; each answer's status must be documented and its JSON body must match the schema.
@Suite struct OpenAPIConformanceTests {
    static func document() throws -> [String: Any] {
        try #require(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
    }

    @Test func theDocumentListsExactlyTheServersRoutes() throws {
        let document = try Self.document()
        let paths = try #require(document["paths"] as? [String: Any])
        let api = Set(paths.keys.filter { $0.hasPrefix("/api/v1/") }.map { String($0.dropFirst("/api/v1/".count)) })
        #expect(api == Set(CommunityRoutes.paths))
        #expect(Set(paths.keys).subtracting(api.map { "/api/v1/" + $0 }) == ["/healthz", "/readyz", "/metrics", "/openapi.yaml"])
    }

    @Test func everyDocumentedAnswerMatchesItsSchemaAndEveryAnswerIsDocumented() async throws {
        try await APIHarness.withIssuer { api, issuer, fixture in
            let document = try Self.document()
            let admin = try issuer.token(issuer.claims(roles: ["energy-admin"]))
            let memberB = try issuer.token(issuer.claims(roles: ["energy-member"], member: "B"))
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var checked = 0
            for (template, item) in paths.sorted(by: { $0.key < $1.key }) {
                let operation = try #require(item["get"] as? [String: Any], "\(template) has no GET")
                let responses = try #require(operation["responses"] as? [String: Any])
                let isAPI = template.hasPrefix("/api/v1/")
                let url = (isAPI || template == "/openapi.yaml" ? APIHarness.base : "") + Self.concrete(template, fixture: fixture)
                var attempts: [(String, String?)] = [("admin", admin)]
                if isAPI {
                    attempts += [("no token", nil), ("member B", memberB)]
                    attempts.append(("bad input", admin))
                }
                for (who, token) in attempts {
                    let target = who == "bad input" ? url + (url.contains("?") ? "&" : "?") + "unexpected=1" : url
                    let answer = try await api.get(target, token: token)
                    let status = String(answer.status)
                    guard let documented = responses[status] else {
                        Issue.record(
                            "\(who) GET \(target) answered \(status), which \(template) does not document: \(answer.text.prefix(200))")
                        continue
                    }
                    try Self.validate(answer, against: documented, in: document, context: "\(who) GET \(target)")
                    checked += 1
                }
            }
            #expect(checked >= 30)
        }
    }

    /// A request URL for a documented path: real ids, and every required parameter filled in.
    static func concrete(_ template: String, fixture: APIFixture) -> String {
        switch template {
        case "/api/v1/points/{zaehlpunkt}/rollups":
            return "/api/v1/points/\(APIFixture.pointA)/rollups?granularity=hour&from=2026-10-24&to=2026-10-27"
        case "/api/v1/points/{zaehlpunkt}/readings": return "/api/v1/points/\(APIFixture.pointA)/readings?from=2026-10-25&to=2026-10-26"
        case "/api/v1/community/rollups": return "/api/v1/community/rollups?from=2026-10-01&to=2026-11-01"
        case "/api/v1/community/reconciliation": return "/api/v1/community/reconciliation?from=2026-09-30&to=2026-10-02"
        case "/api/v1/statements/{number}": return "/api/v1/statements/\((fixture.numbers["A"] ?? nil) ?? "2026-0001")?format=csv"
        default: return template
        }
    }

    static func validate(_ answer: Answer, against response: Any, in document: [String: Any], context: String) throws {
        let resolved = try #require(resolve(response, in: document) as? [String: Any], "\(context)")
        guard let content = resolved["content"] as? [String: Any] else { return }
        let mediaType = answer.contentType.split(separator: ";").first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        let entry = try #require(content[mediaType] as? [String: Any], "\(context): content type '\(mediaType)' is not documented")
        guard mediaType == "application/json" else { return }
        let schema = try #require(entry["schema"], "\(context)")
        let body = try JSONDecoder().decode(JSONValue.self, from: Data(answer.text.utf8))
        let problems = SchemaCheck(document: document).problems(body, schema, at: "$")
        #expect(problems.isEmpty, "\(context): \(problems.prefix(5).joined(separator: "; "))")
    }
}

func resolve(_ node: Any, in document: [String: Any]) -> Any? {
    guard let object = node as? [String: Any], let ref = object["$ref"] as? String else { return node }
    var current: Any? = document
    for part in ref.dropFirst(2).split(separator: "/") { current = (current as? [String: Any])?[String(part)] }
    return current.flatMap { resolve($0, in: document) }
}

/// A JSON value that keeps booleans, numbers and strings apart (JSONSerialization does not).
indirect enum JSONValue: Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    var text: String {
        switch self {
        case .string(let s): return s
        case .number(let n): return String(n)
        case .bool(let b): return String(b)
        default: return "\(self)"
        }
    }
}

/// The part of JSON Schema the document uses: type, nullable, required, additionalProperties:
/// false, properties, items, enum and $ref.
struct SchemaCheck {
    let document: [String: Any]

    func problems(_ value: JSONValue, _ schemaNode: Any, at path: String) -> [String] {
        guard let schema = resolve(schemaNode, in: document) as? [String: Any] else { return ["\(path): unresolvable schema"] }
        if case .null = value { return schema["nullable"] as? Bool == true ? [] : ["\(path): null is not allowed"] }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == value.text }) {
            return ["\(path): '\(value.text)' not in enum"]
        }
        switch (schema["type"] as? String, value) {
        case ("object", .object(let object)):
            let properties = schema["properties"] as? [String: Any] ?? [:]
            var out: [String] = []
            for name in schema["required"] as? [String] ?? [] where object[name] == nil { out.append("\(path).\(name): missing") }
            if schema["additionalProperties"] as? Bool == false {
                for name in object.keys where properties[name] == nil { out.append("\(path).\(name): not in the schema") }
            }
            for (name, child) in object { if let sub = properties[name] { out += problems(child, sub, at: "\(path).\(name)") } }
            return out
        case ("array", .array(let array)):
            guard let items = schema["items"] else { return [] }
            return array.enumerated().flatMap { problems($0.element, items, at: "\(path)[\($0.offset)]") }
        case ("string", .string), ("boolean", .bool), ("number", .number), (nil, _): return []
        case ("integer", .number(let n)) where n == n.rounded(): return []
        case (let type?, _): return ["\(path): not of type \(type)"]
        }
    }
}
