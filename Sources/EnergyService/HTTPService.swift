import Hummingbird
import Logging
import ServiceLifecycle

/// The one way energy services serve HTTP: a Hummingbird application on `host:port`, as a
/// `Service` for a `ServiceGroup` (`runServices`), calling `onStart` with the bound port (the
/// one asked for, or the one the system chose for port 0).
///
/// ```swift
/// let router = Router()
/// router.addOperationsRoutes(registry: registry)
/// let http = httpService(router: router, host: "0.0.0.0", port: 9464, logger: logger) { print($0) }
/// ```
public func httpService<Context: RequestContext>(
    router: Router<Context>, host: String, port: Int, logger: Logger, onStart: @escaping @Sendable (Int) -> Void = { _ in }
) -> some Service where Context.Source == ApplicationRequestContextSource {
    Application(
        router: router,
        configuration: .init(address: .hostname(host, port: port), serverName: "energy"),
        onServerRunning: { channel in onStart(channel.localAddress?.port ?? 0) },
        logger: logger)
}

/// Runs `services` in one `ServiceGroup` until SIGTERM or SIGINT asks them to shut down
/// gracefully (services shut down in reverse order: the last one first) or one of them ends
/// the group (see `ServiceGroupConfiguration.ServiceConfiguration`). Rethrows the first
/// service's error.
public func runServices(_ services: [ServiceGroupConfiguration.ServiceConfiguration], logger: Logger) async throws {
    let group = ServiceGroup(
        configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
}
