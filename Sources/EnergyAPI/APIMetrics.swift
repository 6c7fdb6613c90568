import EnergyStore
import Foundation
import Hummingbird
import Prometheus

// MetricNameDescriptor is an immutable struct of strings that its package did not mark Sendable.

/// The figures `/metrics` shows: requests by route and status with their latency, and, read at
/// scrape time, whether the store answers and how the last rollup and billing jobs went (so an
/// alert can say "the nightly rollup has not succeeded for 26 h").
public final class APIMetrics: Sendable {
    /// What `/metrics` shows.
    public let registry = PrometheusCollectorRegistry()
    /// Request latency buckets, seconds: from a cached health check to a year of 15-minute data.
    static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .seconds(2.5), .seconds(5), .seconds(10),
    ]
    nonisolated(unsafe) static let requests = descriptor(
        "http", "requests", unit: "total", "HTTP requests answered, by route template, method and status.")
    nonisolated(unsafe) static let duration = descriptor(
        "http", "request_duration", unit: "seconds", "Time from a request's arrival to its answer, by route template, method and status.")
    nonisolated(unsafe) static let storeUp = descriptor("store", "up", unit: "", "1 when the store answered the last scrape's query.")
    nonisolated(unsafe) static let lastSuccess = descriptor(
        "job", "last_success_timestamp", unit: "seconds", "When the last successful run of a job finished (Unix time).")
    nonisolated(unsafe) static let lastFailed = descriptor(
        "job", "last_run_failed", unit: "", "1 when the most recent finished run of a job failed.")
    nonisolated(unsafe) static let lastRun = descriptor(
        "job", "last_run_timestamp", unit: "seconds", "When the most recent run of a job started (Unix time).")

    private static func descriptor(_ subsystem: String, _ name: String, unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "energy", subsystem: subsystem, metricName: name, unitName: unit, helpText: help)
    }

    public init() {}

    func record(route: String, method: String, status: Int, nanoseconds: Int64) {
        registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("method", method), ("status", String(status))])
            .increment()
        registry.makeDurationHistogram(
            descriptor: Self.duration, labels: [("route", route), ("method", method), ("status", String(status))],
            buckets: Self.buckets
        )
        .recordNanoseconds(nanoseconds)
    }

    /// Sets the store and job gauges from `runs` (newest first), or marks the store down.
    func update(community: String, runs: [JobRun]?) {
        registry.makeGauge(descriptor: Self.storeUp).set(Int64(runs == nil ? 0 : 1))
        guard let runs else { return }
        for job in ["rollup", "bill", "reconcile"] {  // labelled "command": Prometheus keeps "job" for the scrape job
            let labels = [("command", job), ("community", community)]
            let mine = runs.filter { $0.command == job }
            if let latest = mine.first {
                registry.makeGauge(descriptor: Self.lastRun, labels: labels).set(Double(latest.startedAt))
            }
            if let finished = mine.first(where: { $0.finishedAt != nil }) {
                registry.makeGauge(descriptor: Self.lastFailed, labels: labels).set(Int64(finished.result?.outcome == .ok ? 0 : 1))
            }
            if let success = mine.first(where: { $0.result?.outcome == .ok }), let at = success.finishedAt {
                registry.makeGauge(descriptor: Self.lastSuccess, labels: labels).set(Double(at))
            }
        }
    }
}

/// Counts and times every request, by the route template it matched (`{zaehlpunkt}`, not the
/// value, so the number of series stays small).
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: APIMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let method = request.method.rawValue
        do {
            let response = try await next(request, context)
            metrics.record(
                route: context.endpointPath ?? "unmatched", method: method, status: response.status.code,
                nanoseconds: Int64(DispatchTime.now().uptimeNanoseconds - start))
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.record(
                route: context.endpointPath ?? "unmatched", method: method, status: status,
                nanoseconds: Int64(DispatchTime.now().uptimeNanoseconds - start))
            throw error
        }
    }
}
