import EnergyCore
import EnergyMessaging
import EnergyStore
import Foundation
import Logging

/// Consumes readings from the broker and stores each exactly once: messages are validated,
/// written in batches through `ReadingStore.upsert` (idempotent, so a redelivery duplicates
/// nothing; a changed value is a correction), and acknowledged only after the batch is
/// committed, so a crash loses nothing. A message that can never be valid goes to the
/// dead-letter queue at once, with its reason in the `x-energy-reason` header.
///
/// Blocking: run it on its own thread (`ThreadService` of EnergyService does). Broker and store
/// outages are retried with backoff; `requestStop()`, from any thread, finishes and acks the
/// batch in flight, then `run()` returns. Set the properties before `run()`.
///
/// ```swift
/// let service = IngestService(amqp: uri, community: community, openStore: { try location.open() })
/// try service.run()
/// ```
public final class IngestService: @unchecked Sendable {
    public let amqp: AMQPURI
    public let community: Community
    public var topology = Topology.standard
    /// Unacknowledged messages the broker may send ahead.
    public var prefetch: UInt16 = 2000
    /// Messages per store transaction.
    public var batchSize = 1000
    /// A batch that is not full is written after this long.
    public var maxBatchDelay = 0.2
    /// Longest pause between reconnection attempts.
    public var maxBackoff = 5.0
    /// Heartbeats with the broker (seconds; 0: off): a connection that stops carrying anything
    /// (a frozen flow behind a load balancer) is noticed within two intervals and made anew.
    public var heartbeatSeconds = 30
    /// A message body larger than this is dead-lettered unread (no reading is anywhere near it).
    public var maxMessageBytes = 64 * 1024
    /// Readings starting outside are dead-lettered (default: 2000-01-01 to ten years from now).
    public var plausible = PlausibleTimes(now: SystemClock().unixSeconds)
    public let metrics: IngestMetrics
    private let stop = StopFlag()
    /// The store as log lines name it.
    public var storeName = "the store"
    public var logger = Logger(label: "energy.ingest")
    /// Times the batches (how long a batch waits, how old its readings are).
    public var clock: any WallClock = SystemClock()

    private let openStore: () throws -> any ReadingStore
    private var store: (any ReadingStore)?

    public init(
        amqp: AMQPURI, community: Community, openStore: @escaping () throws -> any ReadingStore,
        metrics: IngestMetrics = IngestMetrics()
    ) {
        self.amqp = amqp
        self.community = community
        self.openStore = openStore
        self.metrics = metrics
    }

    /// Asks `run()` to store and acknowledge the batch in flight and return. Any thread.
    public func requestStop() { stop.request() }

    /// Connects once and declares the topology, without retrying: a wrong URI, credentials or
    /// vhost fail here at once instead of being retried forever by `run()`.
    public func checkBroker() throws(AMQPError) {
        let connection = try AMQPConnection(amqp)
        defer { connection.close() }
        try connection.declare(topology)
    }

    /// Runs until a stop is requested. Throws only if the store is still failing at that point
    /// (the batch in flight then stays unacknowledged and is redelivered to the next run).
    public func run() throws {
        var backoff = 0.2
        var attempt = 0
        var wasConnected = false
        while !stop.isRequested {
            do {
                let connection = try AMQPConnection(amqp, heartbeatSeconds: heartbeatSeconds)
                defer { connection.close() }
                try connection.declare(topology)
                try connection.setPrefetch(prefetch)
                // Dead letters and acks of a batch take effect together at commit.
                try connection.selectTransactions()
                try connection.consume(queue: topology.queue)
                metrics.setConnected(true)
                wasConnected = true
                logger.info("consuming \(topology.queue) on \(amqp) into \(storeName)")
                backoff = 0.2
                attempt = 0
                try consume(connection)
                metrics.setConnected(false)
                return
            } catch let error as AMQPError {
                metrics.setConnected(false)
                attempt += 1
                // Every new attempt after a lost connection, or after a failed one, is a reconnect.
                if wasConnected || attempt > 1 { metrics.countReconnect() }
                wasConnected = false
                logger.warning("\(error); retrying in \(String(format: "%.1f", backoff)) s")
                stop.sleep(seconds: backoff)
                backoff = min(backoff * 2, maxBackoff)
            }
        }
    }

    private struct Batch {
        var readings: [Reading] = []
        var deadLetters: [(AMQPConnection.Delivery, ReadingRejection)] = []
        /// Rejected without requeue: the broker dead-letters them (too large to read, or a
        /// dead letter that came back, i.e. publishing it failed before).
        var rejects: [(AMQPConnection.Delivery, ReadingRejection)] = []
        /// The last delivery to acknowledge: not a rejected one, which the broker no longer
        /// knows once rejected (acking it would close the channel, and the batch would come
        /// back to fail the same way).
        var lastAckTag: UInt64?
        var firstArrival: Date?
        var oldestTimestamp: Int64?
        var count: Int { readings.count + deadLetters.count + rejects.count }
    }

    private func consume(_ connection: AMQPConnection) throws {
        var batch = Batch()
        while true {
            if stop.isRequested {
                try commit(&batch, on: connection)
                logger.info("stopped; every stored reading is acknowledged")
                return
            }
            var wait = 200
            if let first = batch.firstArrival {
                wait = max(0, Int((maxBatchDelay - clock.now().timeIntervalSince(first)) * 1000))
            }
            if wait > 0, let delivery = try connection.nextDelivery(timeoutMilliseconds: wait) {
                add(delivery, to: &batch)
                if batch.count >= batchSize { try commit(&batch, on: connection) }
            } else if batch.count > 0 {
                try commit(&batch, on: connection)
            }
        }
    }

    private func add(_ delivery: AMQPConnection.Delivery, to batch: inout Batch) {
        if batch.firstArrival == nil { batch.firstArrival = clock.now() }
        if let stamp = delivery.timestamp { batch.oldestTimestamp = min(batch.oldestTimestamp ?? stamp, stamp) }
        guard delivery.body.count <= maxMessageBytes else {
            let rejection = ReadingRejection(
                .tooLarge, "the message has \(delivery.body.count) bytes, more than --max-message-bytes \(maxMessageBytes)")
            batch.rejects.append((delivery, rejection))
            return
        }
        do {
            batch.readings.append(try validate(delivery.body))
            batch.lastAckTag = delivery.deliveryTag
        } catch {
            // A dead letter seen before: publishing it failed (the connection dropped) and it came
            // back. The broker dead-letters it this time, so it can never go round in a loop.
            if delivery.redelivered {
                batch.rejects.append((delivery, error))
            } else {
                batch.deadLetters.append((delivery, error))
                batch.lastAckTag = delivery.deliveryTag
            }
        }
    }

    /// The reading in a message body, if it is one of this community's.
    public func validate(_ body: [UInt8]) throws(ReadingRejection) -> Reading {
        let (communityID, reading) = try ReadingMessage.decode(body, plausible: plausible)
        guard communityID == community.id else {
            throw ReadingRejection(.notInCommunity, "the message is for community '\(communityID)', this ingest stores '\(community.id)'")
        }
        do { try community.check(reading.point) } catch { throw ReadingRejection(.notInCommunity, "\(error)") }
        return reading
    }

    /// Writes the readings (retrying a failing store), publishes the dead letters, acks everything
    /// up to the last delivery and commits; only then are the messages gone from the queue.
    private func commit(_ batch: inout Batch, on connection: AMQPConnection) throws {
        guard batch.count > 0 else { return }
        var summary = UpsertSummary()
        if !batch.readings.isEmpty { summary = try write(batch.readings) }
        for (delivery, rejection) in batch.deadLetters {
            logger.warning(
                "dead letter \(delivery.messageID ?? "#\(delivery.deliveryTag)"): \(rejection)",
                metadata: ["reason": "\(rejection.reason.rawValue)"])
            var headers = [
                ("x-energy-reason", rejection.reason.rawValue), ("x-energy-detail", rejection.shownDetail),
                ("x-energy-community", community.id),
            ]
            if let id = delivery.messageID { headers.append(("x-energy-message-id", id)) }
            // The publisher's own headers go along, each cut to a few hundred bytes (a header
            // table rabbitmq-c cannot frame would drop the connection).
            for (key, value) in delivery.headers.sorted(by: { $0.key < $1.key }) where !key.hasPrefix("x-energy-") {
                headers.append((String(key.prefix(128)), ReadingRejection(.badField, value).shownHeaderValue))
            }
            try connection.publish(
                exchange: topology.deadLetterExchange, routingKey: topology.queue, body: delivery.body,
                messageID: delivery.messageID, timestamp: delivery.timestamp, headers: headers)
        }
        for (delivery, rejection) in batch.rejects {
            logger.warning(
                "dead letter \(delivery.messageID ?? "#\(delivery.deliveryTag)") (by the broker, unread): \(rejection)",
                metadata: ["reason": "\(rejection.reason.rawValue)"])
            try connection.reject(delivery.deliveryTag, requeue: false)
        }
        // In the transaction the rejects come first, so this ack covers only the others.
        if let tag = batch.lastAckTag { try connection.ack(tag, multiple: true) }
        try connection.commit()
        let now = clock.now()
        metrics.recordBatch(
            stored: summary, rejected: (batch.deadLetters + batch.rejects).map(\.1.reason),
            seconds: now.timeIntervalSince(batch.firstArrival ?? now),
            lagSeconds: batch.oldestTimestamp.map { now.timeIntervalSince1970 - Double($0) })
        batch = Batch()
    }

    /// Stores readings, reopening the store and retrying with backoff while it fails. Gives up
    /// only when a stop is requested.
    private func write(_ readings: [Reading]) throws -> UpsertSummary {
        var backoff = 0.2
        while true {
            do {
                let store = try self.store ?? openStore()
                self.store = store
                return try store.upsert(readings, community: community)
            } catch {
                metrics.countStoreError()
                store = nil
                if stop.isRequested { throw IngestError.storeFailing("\(error)") }
                logger.warning("store write failed (\(error)); retrying in \(String(format: "%.1f", backoff)) s")
                stop.sleep(seconds: backoff)
                backoff = min(backoff * 2, maxBackoff)
            }
        }
    }
}

public enum IngestError: Error, CustomStringConvertible {
    case storeFailing(String)
    public var description: String {
        switch self {
        case let .storeFailing(why): return "stopped while the store was failing (\(why)); the unacknowledged batch will be redelivered"
        }
    }
}

/// A flag set once from any thread and polled by the blocking loop, whose pauses it cuts short.
private final class StopFlag: @unchecked Sendable {
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var requested = false

    func request() {
        condition.lock()
        requested = true
        condition.broadcast()
        condition.unlock()
    }

    var isRequested: Bool {
        condition.lock()
        defer { condition.unlock() }
        return requested
    }

    /// Sleeps up to `seconds`, waking at once when a stop is requested.
    func sleep(seconds: Double) {
        // A deadline for the condition variable: the system's time, not a clock of ours.
        let end = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while !requested, condition.wait(until: end) {}
    }
}
