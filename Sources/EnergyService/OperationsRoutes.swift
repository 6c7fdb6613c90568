import Hummingbird
import Prometheus

/// What `/healthz` answers: 200 with the message when healthy, else 503.
public struct Health: Sendable {
    public var isHealthy: Bool
    public var message: String

    public init(isHealthy: Bool, message: String) {
        self.isHealthy = isHealthy
        self.message = message
    }

    public static let ok = Health(isHealthy: true, message: "ok")
}

extension Router {
    /// The operational endpoints every energy service serves at the root: `/healthz` and
    /// `/metrics` (Prometheus text format from `registry`, after `beforeScrape` has updated it).
    ///
    /// ```swift
    /// let router = Router()
    /// router.addOperationsRoutes(registry: registry, health: { .ok })
    /// ```
    public func addOperationsRoutes(
        registry: PrometheusCollectorRegistry, health: @escaping @Sendable () async -> Health = { .ok },
        beforeScrape: @escaping @Sendable () async -> Void = {}
    ) {
        get("healthz") { _, _ in
            let health = await health()
            return Response.plainText(health.message + "\n", status: health.isHealthy ? .ok : .serviceUnavailable)
        }
        get("metrics") { _, _ in
            await beforeScrape()
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}

extension Response {
    /// A `text/plain` UTF-8 response.
    public static func plainText(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// A router with only the operational endpoints (a service whose work is not HTTP: the ingest).
public func operationsRouter(
    registry: PrometheusCollectorRegistry, health: @escaping @Sendable () async -> Health = { .ok }
) -> Router<BasicRequestContext> {
    let router = Router()
    router.addOperationsRoutes(registry: registry, health: health)
    return router
}
