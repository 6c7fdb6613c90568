import EnergyCore
import Foundation
import Logging

/// Publishes readings with publisher confirms and a bounded window of unconfirmed messages. A
/// nacked message, or every unconfirmed one when the connection is lost, is published again
/// (after reconnecting with backoff), so a reading handed over is on the broker when `flush()`
/// returns. Redelivered duplicates are harmless: the ingest's upsert is idempotent.
///
/// Blocking; use it from one thread.
///
/// ```swift
/// let publisher = ReadingPublisher(amqp: uri, community: "eeg-sonnenfeld")
/// try publisher.publish(readings)
/// try publisher.flush()
/// print(publisher.confirmed)
/// ```
public final class ReadingPublisher {
    public let amqp: AMQPURI
    public let community: String
    public var topology = Topology.standard
    /// Messages published but not yet confirmed, at most.
    public var window = 2000
    /// Longest pause between reconnection attempts.
    public var maxBackoff = 5.0
    /// Seconds without any confirm before the connection is taken as lost.
    public var confirmTimeout = 30.0
    /// Heartbeats with the broker (seconds; 0: off). Between publishes call ``keepAlive()``.
    public var heartbeatSeconds = 0
    /// Gives up after this many failed connection attempts in a row (nil: never).
    public var maxAttempts: Int? = nil
    public var logger: Logger
    /// The clock the message timestamps come from (seconds since 1970).
    public var clock: any WallClock = SystemClock()

    /// Readings the broker has confirmed.
    public private(set) var confirmed = 0
    /// Messages published again after a nack or a lost connection.
    public private(set) var republished = 0

    private var connection: AMQPConnection?
    /// `outstanding[i]` has delivery tag `firstTag + i`; nil once confirmed.
    private var outstanding: [Reading?] = []
    private var head = 0
    private var firstTag: UInt64 = 1
    private var unconfirmed = 0
    private var retry: [Reading] = []

    public init(amqp: AMQPURI, community: String, logger: Logger = Logger(label: "energy.publisher")) {
        self.amqp = amqp
        self.community = community
        self.logger = logger
    }

    deinit { connection?.close() }

    /// Connects now, without retrying: a wrong URI, credentials or vhost fail here at once.
    public func connect() throws(AMQPError) {
        _ = try liveConnection()
    }

    /// Sends and checks heartbeats while nothing is published (an idle quarter hour). A lost
    /// connection is dropped here, quietly: the next publish connects anew and sends again what
    /// was not confirmed.
    public func keepAlive() {
        guard let connection else { return }
        do { try connection.pump() } catch {
            logger.warning("\(error); connecting again for the next readings")
            dropConnection()
        }
    }

    public func publish(_ readings: [Reading]) throws(AMQPError) {
        for reading in readings { try send(reading) }
        try sendRetries()
    }

    /// Waits until every reading handed over is confirmed.
    public func flush() throws(AMQPError) {
        while true {
            try sendRetries()
            if unconfirmed == 0 && retry.isEmpty { return }
            // After a lost connection nothing is outstanding on the new one: go round and send
            // the retries first, rather than wait for confirms of messages it never carried.
            try recovering { connection throws(AMQPError) in
                if unconfirmed > 0 { try awaitConfirm(connection) }
            }
        }
    }

    private func sendRetries() throws(AMQPError) {
        while let reading = retry.popLast() {
            republished += 1
            try send(reading)
        }
    }

    private func send(_ reading: Reading) throws(AMQPError) {
        try recovering { connection throws(AMQPError) in
            while unconfirmed >= window { try awaitConfirm(connection) }
            let tag = try connection.publish(
                exchange: topology.exchange, routingKey: topology.routingKey(community: community, direction: reading.point.direction),
                body: ReadingMessage.encode(reading, community: community), messageID: ReadingMessage.id(reading),
                timestamp: clock.unixSeconds)
            // Tags count up by one per publish on the channel; keep the index arithmetic honest.
            precondition(tag == firstTag + UInt64(outstanding.count), "delivery tags out of step")
            outstanding.append(reading)
            unconfirmed += 1
        }
    }

    /// Runs `body` on a live connection; on a lost connection every unconfirmed reading goes back
    /// to the retry list and `body` runs again on a new connection.
    private func recovering(_ body: (AMQPConnection) throws(AMQPError) -> Void) throws(AMQPError) {
        var backoff = 0.2
        var attempts = 0
        while true {
            do {
                try body(try liveConnection())
                return
            } catch {
                if case .broker = error, connection == nil { throw error }  // refused topology: no point retrying
                attempts += 1
                dropConnection()
                if let maxAttempts, attempts >= maxAttempts { throw error }
                logger.warning("\(error); publishing again in \(String(format: "%.1f", backoff)) s")
                Thread.sleep(forTimeInterval: backoff)
                backoff = min(backoff * 2, maxBackoff)
            }
        }
    }

    private func liveConnection() throws(AMQPError) -> AMQPConnection {
        if let connection { return connection }
        let fresh = try AMQPConnection(amqp, heartbeatSeconds: heartbeatSeconds)
        try fresh.declare(topology)
        try fresh.enableConfirms()
        connection = fresh
        firstTag = 1
        return fresh
    }

    private func dropConnection() {
        connection?.close()
        connection = nil
        for case let reading? in outstanding[head...] { retry.append(reading) }
        outstanding.removeAll(keepingCapacity: true)
        head = 0
        unconfirmed = 0
    }

    private func awaitConfirm(_ connection: AMQPConnection) throws(AMQPError) {
        guard let confirm = try connection.nextConfirm(timeoutMilliseconds: Int(confirmTimeout * 1000)) else {
            throw .connectionLost(amqp.description, "no publisher confirm for \(Int(confirmTimeout)) s")
        }
        guard confirm.deliveryTag >= firstTag else { return }
        let last = Int(confirm.deliveryTag - firstTag)
        let first = confirm.multiple ? head : last
        guard last < outstanding.count else { return }
        for i in first...last {
            guard let reading = outstanding[i] else { continue }
            outstanding[i] = nil
            unconfirmed -= 1
            if confirm.acked { confirmed += 1 } else { retry.append(reading) }
        }
        while head < outstanding.count, outstanding[head] == nil { head += 1 }
        // Drop the confirmed prefix now and then so the array stays about the window's size.
        if head > 4096 {
            outstanding.removeFirst(head)
            firstTag += UInt64(head)
            head = 0
        }
    }
}
