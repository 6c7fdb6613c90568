import EnergyMessaging
import EnergyStore
import Foundation

/// What the ingest service has done, shared between its consumer thread and the HTTP thread that
/// serves `/metrics` (Prometheus text format) and `/healthz`.
///
/// ```swift
/// let metrics = IngestMetrics()
/// metrics.recordBatch(stored: summary, rejected: [.badZaehlpunkt], seconds: 0.012, lagSeconds: 1)
/// print(metrics.prometheusText())
/// ```
public final class IngestMetrics: @unchecked Sendable {
    // Guarded by `lock`: written by the consumer thread, read by the HTTP thread.
    private let lock = NSLock()
    private var inserted = 0
    private var corrected = 0
    private var unchanged = 0
    private var rejected: [ReadingRejection.Reason: Int] = [:]
    private var batches = 0
    private var batchSecondsSum = 0.0
    private var batchBuckets = [Int](repeating: 0, count: IngestMetrics.bucketBounds.count)
    private var lagSeconds = 0.0
    private var connected = false
    private var reconnects = 0
    private var storeErrors = 0

    static let bucketBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public init() {}

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    public func recordBatch(stored: UpsertSummary, rejected reasons: [ReadingRejection.Reason], seconds: Double, lagSeconds lag: Double?) {
        locked {
            inserted += stored.inserted
            corrected += stored.corrected
            unchanged += stored.unchanged
            for reason in reasons { rejected[reason, default: 0] += 1 }
            batches += 1
            batchSecondsSum += seconds
            for (i, bound) in Self.bucketBounds.enumerated() where seconds <= bound { batchBuckets[i] += 1 }
            if let lag { lagSeconds = max(0, lag) }
        }
    }

    public func setConnected(_ value: Bool) { locked { connected = value } }
    public func countReconnect() { locked { reconnects += 1 } }
    public func countStoreError() { locked { storeErrors += 1 } }

    /// Whether the consumer is connected to the broker.
    public var isConnected: Bool { locked { connected } }

    /// Readings written (new and corrected) so far.
    public var storedReadings: Int { locked { inserted + corrected + unchanged } }

    public func prometheusText() -> String {
        locked {
            var out = """
                # HELP energy_ingest_readings_stored_total Readings committed to the store, by outcome.
                # TYPE energy_ingest_readings_stored_total counter
                energy_ingest_readings_stored_total{outcome="inserted"} \(inserted)
                energy_ingest_readings_stored_total{outcome="corrected"} \(corrected)
                energy_ingest_readings_stored_total{outcome="unchanged"} \(unchanged)
                # HELP energy_ingest_readings_rejected_total Messages sent to the dead-letter queue, by reason.
                # TYPE energy_ingest_readings_rejected_total counter

                """
            for reason in ReadingRejection.Reason.allCases {
                out += "energy_ingest_readings_rejected_total{reason=\"\(reason.rawValue)\"} \(rejected[reason, default: 0])\n"
            }
            out += """
                # HELP energy_ingest_batch_seconds Time from a batch's first message to its commit and ack.
                # TYPE energy_ingest_batch_seconds histogram

                """
            for (i, bound) in Self.bucketBounds.enumerated() {
                out += "energy_ingest_batch_seconds_bucket{le=\"\(bound)\"} \(batchBuckets[i])\n"
            }
            out += """
                energy_ingest_batch_seconds_bucket{le="+Inf"} \(batches)
                energy_ingest_batch_seconds_sum \(batchSecondsSum)
                energy_ingest_batch_seconds_count \(batches)
                # HELP energy_ingest_lag_seconds Seconds from publishing to storing, of the oldest message in the last batch.
                # TYPE energy_ingest_lag_seconds gauge
                energy_ingest_lag_seconds \(lagSeconds)
                # HELP energy_ingest_broker_connected 1 while connected to the broker.
                # TYPE energy_ingest_broker_connected gauge
                energy_ingest_broker_connected \(connected ? 1 : 0)
                # HELP energy_ingest_reconnects_total Connections to the broker lost and retried.
                # TYPE energy_ingest_reconnects_total counter
                energy_ingest_reconnects_total \(reconnects)
                # HELP energy_ingest_store_errors_total Failed store writes (retried).
                # TYPE energy_ingest_store_errors_total counter
                energy_ingest_store_errors_total \(storeErrors)

                """
            return out
        }
    }
}
