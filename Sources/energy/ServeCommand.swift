import ArgumentParser
import EnergyAPI
import EnergyCore
import EnergyService
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API: rollups, readings, statements and job runs, with Keycloak login.",
        discussion: """
            API under BASE/api/v1 and its OpenAPI document at BASE/openapi.yaml; /healthz, /readyz \
            (store reachable) and /metrics (Prometheus) at the root. Every API request needs a bearer \
            token of --oidc-issuer for --oidc-audience (or ENERGY_OIDC_ISSUER / ENERGY_OIDC_AUDIENCE); \
            --no-auth switches that off for local use only. Stops on SIGTERM or SIGINT after the \
            requests in flight.
            """
    )

    @OptionGroup var communityOptions: CommunityOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Address to listen on.", valueName: "address"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("Port to listen on (0: any free port, printed at start).", valueName: "port"))
    var port = 8080

    @Option(help: ArgumentHelp("Path prefix the API gateway forwards, e.g. /team-1/energy.", valueName: "path"))
    var basePath = ""

    @Option(help: ArgumentHelp("Token issuer (Keycloak realm URL, as in the tokens' iss).", valueName: "url"))
    var oidcIssuer: String?

    @Option(help: ArgumentHelp("Audience the tokens must name (the API's Keycloak client).", valueName: "name"))
    var oidcAudience: String?

    @Option(help: ArgumentHelp("Claim naming the member a member-role token may read.", valueName: "claim"))
    var memberClaim = "member_id"

    @Option(help: ArgumentHelp("Realm role that may read everything.", valueName: "role"))
    var adminRole = "energy-admin"

    @Option(help: ArgumentHelp("Realm role that may read its own member's data.", valueName: "role"))
    var memberRole = "energy-member"

    @Flag(help: "Accept every request without a token, as an administrator. For a laptop, never for a network.")
    var noAuth = false

    @Option(help: ArgumentHelp("Close a connection that sends nothing (or half a request) for this long.", valueName: "seconds"))
    var idleTimeout: Int64 = 30

    @Option(help: ArgumentHelp("Open connections at most; more wait until one closes.", valueName: "count"))
    var maxConnections = 512

    @Option(
        help: ArgumentHelp(
            "Rollups answers remembered per store connection until the data changes (SQLite only; 0: compute every answer).",
            valueName: "count"))
    var answerCache = 64

    private var issuer: String? { oidcIssuer ?? Self.environment("ENERGY_OIDC_ISSUER") }
    private var audience: String? { oidcAudience ?? Self.environment("ENERGY_OIDC_AUDIENCE") }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard (1...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be from 1 to 3600 seconds") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        guard (0...4096).contains(answerCache) else { throw ValidationError("--answer-cache must be from 0 to 4096") }
        if noAuth {
            if issuer != nil && oidcIssuer != nil { throw ValidationError("--no-auth and --oidc-issuer exclude each other") }
            return
        }
        guard let issuer else {
            throw ValidationError(
                "give --oidc-issuer URL and --oidc-audience NAME (or ENERGY_OIDC_ISSUER/ENERGY_OIDC_AUDIENCE), or --no-auth for local use")
        }
        guard let url = URL(string: issuer), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw ValidationError("--oidc-issuer '\(issuer)' is not an http(s) URL")
        }
        guard let audience, !audience.isEmpty else { throw ValidationError("give --oidc-audience (the API's client id in Keycloak)") }
    }

    func run() async throws {
        let logger = Logger(label: "energy.serve")
        let community: Community
        let server: APIServer
        do {
            community = try communityOptions.load()
            let store = try storeOptions.open()
            let oidc =
                noAuth
                ? nil
                : issuer.map {
                    OIDCSettings(
                        issuer: $0, audience: audience ?? "", memberClaim: memberClaim, adminRole: adminRole, memberRole: memberRole)
                }
            server = APIServer(
                configuration: APIConfiguration(
                    host: host, port: port, basePath: basePath, oidc: oidc,
                    http: HTTPLimits(idleSeconds: idleTimeout, maxConnections: maxConnections),
                    answersPerConnection: answerCache),
                community: community, store: store)
            logger.info("serve: community '\(community.id)', store \(store.location)")
        } catch {
            throw fail(error)
        }
        let base = server.configuration.basePath
        do {
            try await server.run(logger: logger) { port in
                logger.info(
                    "serve: listening on http://\(host):\(port) (API \(base)/api/v1, \(base)/openapi.yaml; /healthz /readyz /metrics)")
            }
        } catch {
            throw fail(error)
        }
    }

    private static func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
