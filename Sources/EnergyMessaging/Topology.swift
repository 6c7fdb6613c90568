import EnergyCore

/// The broker objects of the live path. Both sides declare all of them, idempotently, so either may
/// start first: a durable topic exchange for readings, a durable ingest queue bound to it, and a
/// dead-letter exchange (fanout) with its durable queue for messages that can never be valid.
///
/// ```swift
/// try connection.declare(Topology.standard)
/// Topology.standard.routingKey(community: "eeg-sonnenfeld", direction: .consumption)  // reading.eeg-sonnenfeld.consumption
/// ```
public struct Topology: Sendable, Equatable {
    public var exchange = "energy.readings"
    public var queue = "energy.ingest"
    public var deadLetterExchange = "energy.readings.dead"
    public var deadLetterQueue = "energy.ingest.dead"

    public init() {}

    public static let standard = Topology()

    /// `reading.COMMUNITY.DIRECTION`; the ingest queue is bound with `reading.#`.
    public func routingKey(community: String, direction: Direction) -> String {
        "reading.\(community).\(direction.rawValue)"
    }
}

extension AMQPConnection {
    /// Declares the exchanges and queues of `topology` (no change if they exist with these settings).
    public func declare(_ topology: Topology) throws(AMQPError) {
        try declareExchange(topology.exchange, type: "topic")
        try declareExchange(topology.deadLetterExchange, type: "fanout")
        try declareQueue(topology.deadLetterQueue)
        try bind(queue: topology.deadLetterQueue, exchange: topology.deadLetterExchange, routingKey: "")
        // A message the broker itself dead-letters (rejected without requeue) lands there too.
        try declareQueue(topology.queue, arguments: [("x-dead-letter-exchange", topology.deadLetterExchange)])
        try bind(queue: topology.queue, exchange: topology.exchange, routingKey: "reading.#")
    }
}
