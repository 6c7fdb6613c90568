import EnergyMessaging
import EnergyStore
import Foundation
import Prometheus

/// What the ingest service has done, in a Prometheus registry that `/metrics` serves: written
/// by the consumer thread, read by the HTTP server. Every series exists from the start (at 0),
/// so rates and alerts see them before the first batch.
///
/// ```swift
/// let metrics = IngestMetrics()
/// metrics.recordBatch(stored: summary, rejected: [.badZaehlpunkt], seconds: 0.012, lagSeconds: 1)
/// print(metrics.registry.emitToString())
/// ```
public final class IngestMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let stored: (inserted: Counter, corrected: Counter, unchanged: Counter, keptBetter: Counter)
    private let rejected: [ReadingRejection.Reason: Counter]
    private let batchSeconds: ValueHistogram
    private let lag: Gauge
    private let connected: Gauge
    private let reconnects: Counter
    private let storeErrors: Counter
    // What the process reports about itself (a health answer, the final log line), guarded by `lock`.
    private let lock = NSLock()
    nonisolated(unsafe) private var isConnectedNow = false
    nonisolated(unsafe) private var storedCount = 0

    static let bucketBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        func name(_ name: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "energy", subsystem: "ingest", metricName: name, unitName: "", helpText: help)
        }
        let storedName = name("readings_stored_total", "Readings committed to the store, by outcome.")
        func storedCounter(_ outcome: String) -> Counter { registry.makeCounter(descriptor: storedName, labels: [("outcome", outcome)]) }
        // kept_better: a value of worse quality than the stored one, refused (quality precedence).
        stored = (storedCounter("inserted"), storedCounter("corrected"), storedCounter("unchanged"), storedCounter("kept_better"))
        let rejectedName = name("readings_rejected_total", "Messages sent to the dead-letter queue, by reason.")
        var rejected: [ReadingRejection.Reason: Counter] = [:]
        for reason in ReadingRejection.Reason.allCases {
            rejected[reason] = registry.makeCounter(descriptor: rejectedName, labels: [("reason", reason.rawValue)])
        }
        self.rejected = rejected
        batchSeconds = registry.makeValueHistogram(
            descriptor: name("batch_seconds", "Time from a batch's first message to its commit and ack."), buckets: Self.bucketBounds)
        lag = registry.makeGauge(
            descriptor: name("lag_seconds", "Seconds from publishing to storing, of the oldest message in the last batch."))
        connected = registry.makeGauge(descriptor: name("broker_connected", "1 while connected to the broker."))
        reconnects = registry.makeCounter(descriptor: name("reconnects_total", "Connections to the broker lost and retried."))
        storeErrors = registry.makeCounter(descriptor: name("store_errors_total", "Failed store writes (retried)."))
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    public func recordBatch(
        stored summary: UpsertSummary, rejected reasons: [ReadingRejection.Reason], seconds: Double, lagSeconds: Double?
    ) {
        stored.inserted.increment(by: Int64(summary.inserted))
        stored.corrected.increment(by: Int64(summary.corrected))
        stored.unchanged.increment(by: Int64(summary.unchanged))
        stored.keptBetter.increment(by: Int64(summary.keptBetter))
        for reason in reasons { rejected[reason]?.increment() }
        batchSeconds.record(seconds)
        if let lagSeconds { lag.set(max(0, lagSeconds)) }
        locked { storedCount += summary.inserted + summary.corrected + summary.unchanged + summary.keptBetter }
    }

    public func setConnected(_ value: Bool) {
        connected.set(Int64(value ? 1 : 0))
        locked { isConnectedNow = value }
    }

    public func countReconnect() { reconnects.increment() }
    public func countStoreError() { storeErrors.increment() }

    /// Whether the consumer is connected to the broker.
    public var isConnected: Bool { locked { isConnectedNow } }

    /// Readings handled by the store (new, corrected, unchanged and kept) so far.
    public var storedReadings: Int { locked { storedCount } }
}
