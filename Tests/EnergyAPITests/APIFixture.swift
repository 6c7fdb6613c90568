import EnergyAPI
import EnergyBilling
import EnergyCore
import EnergyJobs
import EnergyReports
import EnergyStore
import EnergyTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Three members: a plant P, and consumers A and B. October 2026 stored, rolled up and billed
/// finally (statements 2026-0001 … 0003), shared by the tests (they only read it).
final class APIFixture: Sendable {
    static let communityYAML = ThreeMemberCommunity.yaml(
        id: "eeg-api", name: "EEG API", names: ("Anna", "Bernd"),
        extra: """
            tariffs:
              consumption: 0.12
              generation: 0.08
              vat: {consumption: 20, generation: 0}
            """)
    static let plant = ThreeMemberCommunity.plant
    static let pointA = ThreeMemberCommunity.pointA
    static let pointB = ThreeMemberCommunity.pointB

    let folder: String
    let community: Community
    let storePath: String
    /// Statement number per member, and the files the final run wrote.
    let numbers: [String: String]
    let finalFolder: String

    private static let cache = Mutex<APIFixture?>(nil)

    static func shared() throws -> APIFixture {
        try cache.withLock { cached in
            if let cached { return cached }
            let fixture = try APIFixture()
            cached = fixture
            return fixture
        }
    }

    private init() throws {
        folder = NSTemporaryDirectory() + "energy-api-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        community = try CommunityFile.parse(Self.communityYAML, source: "api-test.yaml")
        storePath = folder + "/e.sqlite"
        let store = try SQLiteStore(path: storePath)
        let from = try LocalDate("2026-10-01")
        let to = try LocalDate("2026-11-01")
        var readings: [Reading] = []
        for qh in community.calendar.quarterHours(from: from, to: to) {
            for (i, key) in community.pointKeys.enumerated() {
                // The plant makes 0.8 kWh in daytime quarter hours; A and B use 0.5 and 0.25 kWh.
                let daytime = (qh.index % 96) >= 28 && (qh.index % 96) < 68
                let value: Int64 = i == 0 ? (daytime ? 800_000 : 0) : (i == 1 ? 500_000 : 250_000)
                readings.append(Reading(point: key, start: qh, milliwattHours: value))
            }
        }
        _ = try store.upsert(readings, community: community)
        let job = RollupJob(store: store, community: community)
        _ = try job.run(try job.plan(.range(from: from, to: to)))
        finalFolder = folder + "/final"
        let result = try BillingRun(store: store, community: community).run(
            .init(period: try BillingPeriod("2026-10"), mode: .final, formats: [.xlsx, .csv], directory: finalFolder))
        var numbers: [String: String] = [:]
        for (i, statement) in result.figures.statements.enumerated() { numbers[statement.member.id] = result.numbers[i] }
        self.numbers = numbers
        // The grid operator's figures of the day before, with one difference from our allocation:
        // A received 1.5 Wh more at noon (the reconciliation route's data).
        var dso = GridOperatorFixture(community: community, days: [Self.dsoDay])
        dso.inject(point: 1, quarterHour: community.calendar.quarterHours(of: Self.dsoDay).lowerBound.advanced(by: 48), extraShare: 1_500)
        let figures = dso.figures()
        _ = try store.upsert(figures.compactMap(\.reading), community: community)
        _ = try store.upsert(figures.filter { !$0.meterCode.isReading }, community: community)
    }

    /// The day with grid-operator figures (not billed).
    static let dsoDay = LocalDate(daysSinceEpoch: 20_726)  // 2026-09-30

    func openStore() throws -> any ReadingStore { try SQLiteStore(path: storePath) }
}

/// One answer of the API, as a client sees it.
struct Answer: Sendable {
    var status: Int
    var contentType: String
    var body: ByteBuffer
    var text: String { String(buffer: body) }
    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] }
    var errorCode: String? { json?["error"] as? String }
}

/// The API server of `fixture` on a loopback port, with `issuer` as its token issuer (or none).
struct APIHarness: Sendable {
    static let base = "/team-1/energy"
    let client: any TestClientProtocol

    func get(_ path: String, token: String? = nil) async throws -> Answer {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer " + token }
        return try await client.execute(uri: path, method: .get, headers: headers) { response in
            Answer(status: response.status.code, contentType: response.headers[.contentType] ?? "", body: response.body)
        }
    }

    func api(_ path: String, token: String?) async throws -> Answer { try await get(Self.base + "/api/v1" + path, token: token) }

    static func run<T: Sendable>(
        fixture: APIFixture, issuer: TestIssuer?, store: (any ReadingStore)? = nil, tokenCacheSize: Int = 4096,
        answersPerConnection: Int = 64, clock: any WallClock = SystemClock(), _ body: @escaping @Sendable (APIHarness) async throws -> T
    ) async throws -> T {
        try await serve(
            fixture: fixture, issuer: issuer, store: store, tokenCacheSize: tokenCacheSize, answersPerConnection: answersPerConnection,
            clock: clock
        ) { api, _ in
            try await body(api)
        }
    }

    /// As `run`, also handing `body` the server (its verifier's token cache).
    static func serve<T: Sendable>(
        fixture: APIFixture, issuer: TestIssuer?, store: (any ReadingStore)? = nil, tokenCacheSize: Int = 4096,
        answersPerConnection: Int = 64, clock: any WallClock = SystemClock(),
        _ body: @escaping @Sendable (APIHarness, APIServer) async throws -> T
    ) async throws -> T {
        let oidc = issuer.map {
            OIDCSettings(issuer: $0.issuer, audience: "energy-api", minimumRefetchSeconds: 0, tokenCacheSize: tokenCacheSize)
        }
        var configuration = APIConfiguration(host: "127.0.0.1", port: 0, basePath: base, oidc: oidc)
        configuration.answersPerConnection = answersPerConnection
        let server = APIServer(
            configuration: configuration,
            community: fixture.community, store: try store ?? fixture.openStore(), clock: clock)
        let app = Application(router: server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in try await body(APIHarness(client: client), server) }
    }

    /// The shared fixture's API with a Keycloak stand-in of its own, served while `body` runs.
    static func withIssuer<T: Sendable>(
        _ body: @escaping @Sendable (APIHarness, TestIssuer, APIFixture) async throws -> T
    ) async throws -> T {
        let fixture = try APIFixture.shared()
        let issuer = try TestIssuer()
        return try await issuer.serve { try await run(fixture: fixture, issuer: issuer) { api in try await body(api, issuer, fixture) } }
    }
}
