import EnergyCore
import EnergyService
import EnergyStore
import Foundation
import Hummingbird
import Logging

/// The request context of the API: who is asking, once the token is checked.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var caller: Caller?
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.caller = nil
    }
}

/// How `energy serve` runs: where, for which community and store, and how callers are checked.
public struct APIConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The prefix the API gateway routes to us (`/team-1/energy`); "" for none. The operational
    /// endpoints (/healthz, /readyz, /metrics) stay at the root, so the gateway never exposes them.
    public var basePath: String
    /// nil: no authentication (only with an explicit flag; everyone is an administrator).
    public var oidc: OIDCSettings?
    public var limits: RangeLimits
    /// Idle and slow clients, request heads, open connections.
    public var http: HTTPLimits
    /// Rollup answers each store connection keeps until the data changes (0: none).
    public var answersPerConnection = 64

    public init(
        host: String = "127.0.0.1", port: Int = 8080, basePath: String = "", oidc: OIDCSettings?, limits: RangeLimits = .init(),
        http: HTTPLimits = HTTPLimits(), answersPerConnection: Int = 64
    ) {
        self.answersPerConnection = answersPerConnection
        self.host = host
        self.port = port
        self.basePath = APIConfiguration.normalized(basePath)
        self.oidc = oidc
        self.limits = limits
        self.http = http
    }

    /// `team-1/energy/` → `/team-1/energy`; `/` → "".
    public static func normalized(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return parts.isEmpty ? "" : "/" + parts.joined(separator: "/")
    }
}

/// The longest date ranges one request may ask for, by granularity (a year of 15-minute values of
/// one point is 35,040 rows; the limits keep answers below a few MB).
public struct RangeLimits: Sendable {
    public var quarterHourDays = 31
    public var hourDays = 92
    public var dayDays = 366
    public var monthDays = 3_660
    public var readingsDays = 31
    public init() {}
}

/// The HTTP API: builds the router of `energy serve`.
public struct APIServer: Sendable {
    public let configuration: APIConfiguration
    public let community: Community
    public let stores: StoreConnections
    public let metrics: APIMetrics
    public let verifier: TokenVerifier?

    /// `clock` is the verifier's (token expiry, key age): a test's `ManualClock`, else the system's.
    public init(
        configuration: APIConfiguration, community: Community, store: any ReadingStore,
        fetch: (@Sendable (URL) async throws -> Data)? = nil,
        clock: any WallClock = SystemClock()
    ) {
        self.configuration = configuration
        self.community = community
        self.stores = StoreConnections(store, answersPerConnection: configuration.answersPerConnection)
        self.metrics = APIMetrics()
        self.verifier = configuration.oidc.map { TokenVerifier(settings: $0, fetch: fetch, clock: clock) }
    }

    public func makeRouter() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: ErrorBodyMiddleware())

        router.addOperationsRoutes(
            registry: metrics.registry,
            beforeScrape: { [stores, community, metrics] in
                let id = community.id
                let runs = try? await stores.withStore { try $0.jobRuns(community: id, limit: 200) }
                metrics.update(community: id, runs: runs)
            })
        router.get("readyz") { _, _ in
            do {
                _ = try await stores.withStore { try $0.jobRuns(community: community.id, limit: 1) }
                return Response.plainText("ready\n")
            } catch {
                throw APIError.unavailable("the store does not answer: \(error)")
            }
        }

        let base = router.group(RouterPath(configuration.basePath))
        base.get("openapi.yaml") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        let api = base.group("api/v1").add(middleware: BearerAuthMiddleware(verifier: verifier))
        CommunityRoutes(server: self).register(on: api)
        return router
    }

    /// Runs the server until the process is told to stop (SIGTERM/SIGINT): the requests in flight
    /// are answered, then it returns.
    public func run(logger: Logger, onStart: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        if let verifier {
            do { try await verifier.load() } catch {
                logger.warning("cannot load the signing keys yet; requests will retry: \(error.message)")
            }
        } else {
            logger.warning("authentication is OFF (--no-auth): every caller is an administrator. Never expose this server.")
        }
        let http = httpService(
            router: makeRouter(), host: configuration.host, port: configuration.port, limits: configuration.http, logger: logger,
            onStart: onStart)
        try await runServices([.init(service: http)], logger: logger)
    }

    static func json(_ value: JSONText, status: HTTPResponse.Status = .ok) -> Response {
        json(bytes: jsonBytes(value), status: status)
    }

    /// A JSON answer's body: the compact text and a newline. `capacity`: the expected size in
    /// bytes, so a long answer is not copied while it grows.
    static func jsonBytes(_ value: JSONText, capacity: Int = 4096) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity)
        value.render(into: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// A JSON answer of a body from `jsonBytes`.
    static func json(bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Turns every failure into a JSON error body: the router's "no such route", and anything
/// unexpected (logged, answered as 500 without internals).
struct ErrorBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            switch error.status {
            case .notFound: throw APIError.notFound("no route \(request.method.rawValue) \(request.uri.path)")
            case .methodNotAllowed:
                throw APIError(.methodNotAllowed, "method_not_allowed", "\(request.method.rawValue) is not allowed on \(request.uri.path)")
            default: throw APIError(error.status, "http_error", error.body ?? error.status.reasonPhrase)
            }
        } catch {
            context.logger.error("request failed: \(request.method.rawValue) \(request.uri.path): \(error)")
            throw APIError.internalError("the request failed inside the server; the server log has the details")
        }
    }
}

/// Checks the bearer token of every API request and puts the caller into the context.
struct BearerAuthMiddleware: RouterMiddleware {
    let verifier: TokenVerifier?

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        guard let verifier else {
            context.caller = .unauthenticatedAdmin
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("no token: send 'Authorization: Bearer <access token>' from the realm's login")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("the Authorization header must be 'Bearer <access token>'")
        }
        context.caller = try await verifier.verify(Self.trimmed(parts[1]))
        return try await next(request, context)
    }

    /// The token without surrounding blanks. Tokens are ASCII: the usual one has no blanks and is
    /// taken as it is, without a trip through Foundation on every request.
    static func trimmed(_ text: Substring) -> String {
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 >= 0x80 }
        guard let first = text.utf8.first, let last = text.utf8.last, blank(first) || blank(last) else { return String(text) }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
