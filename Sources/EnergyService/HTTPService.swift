import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

/// How much an HTTP client may hold of a server: a connection that sends nothing (no request, or
/// half a request head) for `idleSeconds` is closed; a request head is at most `maxHeadBytes`
/// with at most `maxHeaderFields` fields; at most `maxConnections` connections are open (more
/// wait in the listen backlog until one closes).
public struct HTTPLimits: Sendable, Equatable {
    public var idleSeconds: Int64 = 30
    public var maxHeadBytes = 16 * 1024
    public var maxHeaderFields = 100
    public var maxConnections = 512
    public init(idleSeconds: Int64 = 30, maxConnections: Int = 512) {
        self.idleSeconds = idleSeconds
        self.maxConnections = maxConnections
    }
}

/// The one way energy services serve HTTP: a Hummingbird application on `host:port`, as a
/// `Service` for a `ServiceGroup` (`runServices`), calling `onStart` with the bound port (the
/// one asked for, or the one the system chose for port 0), within `limits`.
///
/// ```swift
/// let router = Router()
/// router.addOperationsRoutes(registry: registry)
/// let http = httpService(router: router, host: "0.0.0.0", port: 9464, logger: logger) { print($0) }
/// ```
public func httpService<Context: RequestContext>(
    router: Router<Context>, host: String, port: Int, limits: HTTPLimits = HTTPLimits(), logger: Logger,
    onStart: @escaping @Sendable (Int) -> Void = { _ in }
) -> some Service where Context.Source == ApplicationRequestContextSource {
    Application(
        router: router,
        server: .http1(
            configuration: .init(
                idleTimeout: .seconds(limits.idleSeconds),
                httpDecoderConfiguration: .init(
                    maxHeaderFieldSize: limits.maxHeadBytes, maxHeaderListSize: limits.maxHeadBytes,
                    maxHeaderFieldCount: limits.maxHeaderFields))),
        configuration: .init(
            address: .hostname(host, port: port), serverName: "energy",
            availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections, logger: logger)),
        onServerRunning: { channel in onStart(channel.localAddress?.port ?? 0) },
        logger: logger)
}

/// Runs `services` in one `ServiceGroup` until SIGTERM or SIGINT asks them to shut down
/// gracefully (services shut down in reverse order: the last one first) or one of them ends
/// the group (see `ServiceGroupConfiguration.ServiceConfiguration`). Rethrows the first
/// service's error.
/// A ``HeapTrimmer`` runs alongside, so memory that a burst of connections took goes back to the
/// system after they close.
public func runServices(_ services: [ServiceGroupConfiguration.ServiceConfiguration], logger: Logger) async throws {
    let trimmer = ServiceGroupConfiguration.ServiceConfiguration(service: HeapTrimmer(), successTerminationBehavior: .ignore)
    let group = ServiceGroup(
        configuration: .init(services: [trimmer] + services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
}
