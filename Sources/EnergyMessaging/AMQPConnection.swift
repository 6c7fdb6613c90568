import CRabbitMQ
import Foundation

/// One connection to the broker with one channel: the only code that touches rabbitmq-c.
/// Blocking; owned by one thread at a time (run it on its own thread, not in an async task).
///
/// ```swift
/// let connection = try AMQPConnection(try AMQPURI("amqp://energy:secret@127.0.0.1/eeg"))
/// try connection.declare(Topology.standard)
/// try connection.enableConfirms()
/// let tag = try connection.publish(exchange: "energy.readings", routingKey: "reading.x", body: Array("{}".utf8))
/// ```
public final class AMQPConnection {
    public let uri: AMQPURI
    private let state: amqp_connection_state_t
    private let channel: amqp_channel_t = 1
    private var open = true
    /// The socket failed or the broker closed channel or connection: rabbitmq-c must then not be
    /// asked to close politely (it would write to a socket it has already released).
    private var broken = false
    private var nextDeliveryTag: UInt64 = 1

    /// Connects and logs in. With `heartbeatSeconds` > 0 both sides send heartbeats and a
    /// connection that carries nothing for two intervals is lost (a load balancer's idle timeout,
    /// a dead node): rabbitmq-c sends and checks them only inside its own calls, so an idle user
    /// calls ``pump()`` every second or so.
    public init(_ uri: AMQPURI, heartbeatSeconds: Int = 0) throws(AMQPError) {
        self.uri = uri
        guard let state = amqp_new_connection() else { throw .connect(uri.description, "out of memory") }
        self.state = state
        // From here every stored property is set, so a throw runs deinit, which destroys `state`.
        guard let socket = amqp_tcp_socket_new(state) else {
            broken = true
            throw .connect(uri.description, "cannot create a socket")
        }
        var timeout = Glibc.timeval(tv_sec: 5, tv_usec: 0)
        let status = amqp_socket_open_noblock(socket, uri.host, Int32(uri.port), &timeout)
        guard status == AMQP_STATUS_OK.rawValue else {
            broken = true
            throw .connect(uri.description, String(cString: amqp_error_string2(status)))
        }
        let login = energy_amqp_login(state, uri.virtualHost, uri.user, uri.password, Int32(max(0, heartbeatSeconds)))
        guard login.reply_type == AMQP_RESPONSE_NORMAL else {
            broken = true
            let why = Self.describe(login)
            throw .connect(
                uri.description,
                why.contains("ACCESS_REFUSED") || login.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION
                    ? "login as \(uri.user) to vhost \(uri.virtualHost) failed (\(why))" : why)
        }
        amqp_channel_open(state, channel)
        try check("channel.open")
    }

    deinit { close() }

    /// Closes channel and connection; safe to call twice and after a failure.
    public func close() {
        guard open else { return }
        open = false
        if !broken {
            _ = amqp_channel_close(state, channel, AMQP_REPLY_SUCCESS)
            _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
        }
        amqp_destroy_connection(state)
    }

    // MARK: topology

    public func declareExchange(_ name: String, type: String, arguments: [(String, String)] = []) throws(AMQPError) {
        let nameBytes = Bytes(name)
        let typeBytes = Bytes(type)
        withTable(arguments) { table in
            _ = amqp_exchange_declare(state, channel, nameBytes.raw, typeBytes.raw, 0, 1, 0, 0, table)
        }
        withExtendedLifetime((nameBytes, typeBytes)) {}
        try check("exchange.declare \(name)")
    }

    /// Declares a durable queue; returns the number of messages ready in it.
    @discardableResult
    public func declareQueue(_ name: String, arguments: [(String, String)] = []) throws(AMQPError) -> UInt32 {
        var count: UInt32 = 0
        let nameBytes = Bytes(name)
        withTable(arguments) { table in
            if let ok = amqp_queue_declare(state, channel, nameBytes.raw, 0, 1, 0, 0, table) { count = ok.pointee.message_count }
        }
        withExtendedLifetime(nameBytes) {}
        try check("queue.declare \(name)")
        return count
    }

    public func bind(queue: String, exchange: String, routingKey: String) throws(AMQPError) {
        let q = Bytes(queue)
        let e = Bytes(exchange)
        let k = Bytes(routingKey)
        _ = amqp_queue_bind(state, channel, q.raw, e.raw, k.raw, amqp_empty_table)
        withExtendedLifetime((q, e, k)) {}
        try check("queue.bind \(queue) to \(exchange)")
    }

    /// Drops every ready message of a queue (tests start from an empty queue).
    public func purge(queue: String) throws(AMQPError) {
        let q = Bytes(queue)
        _ = amqp_queue_purge(state, channel, q.raw)
        withExtendedLifetime(q) {}
        try check("queue.purge \(queue)")
    }

    // MARK: publishing

    /// Puts the channel in confirm mode: every publish is then acked or nacked by the broker.
    public func enableConfirms() throws(AMQPError) {
        _ = amqp_confirm_select(state, channel)
        try check("confirm.select")
        nextDeliveryTag = 1
    }

    /// Puts the channel in transaction mode: publishes and acks take effect at `commit()`.
    public func selectTransactions() throws(AMQPError) {
        _ = amqp_tx_select(state, channel)
        try check("tx.select")
    }

    public func commit() throws(AMQPError) {
        _ = amqp_tx_commit(state, channel)
        try check("tx.commit")
    }

    /// Publishes a persistent message; returns its delivery tag (what a confirm refers to).
    @discardableResult
    public func publish(
        exchange: String, routingKey: String, body: [UInt8], messageID: String? = nil,
        timestamp: Int64? = nil, headers: [(String, String)] = []
    ) throws(AMQPError) -> UInt64 {
        let exchangeBytes = Bytes(exchange)
        let keyBytes = Bytes(routingKey)
        let idBytes = messageID.map { Bytes($0) }
        let bodyBytes = Bytes(body)
        let contentType = Bytes("application/json")
        var status: Int32 = 0
        withTable(headers) { table in
            var properties = amqp_basic_properties_t()
            properties._flags = amqp_flags_t(AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_CONTENT_TYPE_FLAG)
            properties.delivery_mode = 2
            properties.content_type = contentType.raw
            if let idBytes {
                properties._flags |= amqp_flags_t(AMQP_BASIC_MESSAGE_ID_FLAG)
                properties.message_id = idBytes.raw
            }
            if let timestamp {
                properties._flags |= amqp_flags_t(AMQP_BASIC_TIMESTAMP_FLAG)
                properties.timestamp = UInt64(max(0, timestamp))
            }
            if !headers.isEmpty {
                properties._flags |= amqp_flags_t(AMQP_BASIC_HEADERS_FLAG)
                properties.headers = table
            }
            status = amqp_basic_publish(state, channel, exchangeBytes.raw, keyBytes.raw, 0, 0, &properties, bodyBytes.raw)
        }
        withExtendedLifetime((exchangeBytes, keyBytes, idBytes, bodyBytes, contentType)) {}
        guard status == AMQP_STATUS_OK.rawValue else { throw lost(status) }
        defer { nextDeliveryTag += 1 }
        return nextDeliveryTag
    }

    /// A broker's answer to published messages in confirm mode.
    public struct Confirm: Sendable, Equatable {
        public var deliveryTag: UInt64
        /// Covers every tag up to `deliveryTag`.
        public var multiple: Bool
        public var acked: Bool
    }

    /// The next confirm, or nil if none came within the timeout (0: only what has already arrived).
    public func nextConfirm(timeoutMilliseconds: Int) throws(AMQPError) -> Confirm? {
        while true {
            guard let frame = try nextFrame(timeoutMilliseconds: timeoutMilliseconds) else { return nil }
            guard frame.frame_type == AMQP_FRAME_METHOD, let decoded = frame.payload.method.decoded else { continue }
            switch frame.payload.method.id {
            case energy_amqp_basic_ack_method():
                let ack = decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
                return Confirm(deliveryTag: ack.delivery_tag, multiple: ack.multiple != 0, acked: true)
            case energy_amqp_basic_nack_method():
                let nack = decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
                return Confirm(deliveryTag: nack.delivery_tag, multiple: nack.multiple != 0, acked: false)
            default:
                try closing(frame)
            }
        }
    }

    // MARK: consuming

    /// A message taken from a queue.
    public struct Delivery: Sendable {
        public var deliveryTag: UInt64
        public var body: [UInt8]
        public var messageID: String?
        /// Seconds since 1970 the publisher stamped, if it did.
        public var timestamp: Int64?
        public var headers: [String: String]
        public var redelivered: Bool
    }

    /// At most `count` unacknowledged messages are sent to this channel at a time.
    public func setPrefetch(_ count: UInt16) throws(AMQPError) {
        _ = amqp_basic_qos(state, channel, 0, count, 0)
        try check("basic.qos")
    }

    /// Starts consuming `queue` with manual acks.
    public func consume(queue: String) throws(AMQPError) {
        let q = Bytes(queue)
        _ = amqp_basic_consume(state, channel, q.raw, amqp_empty_bytes, 0, 0, 0, amqp_empty_table)
        withExtendedLifetime(q) {}
        try check("basic.consume \(queue)")
    }

    /// The next delivery, or nil if none came within the timeout.
    public func nextDelivery(timeoutMilliseconds: Int) throws(AMQPError) -> Delivery? {
        amqp_maybe_release_buffers(state)
        var envelope = amqp_envelope_t()
        var timeout = Self.interval(milliseconds: timeoutMilliseconds)
        let reply = amqp_consume_message(state, &envelope, &timeout, 0)
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            defer { amqp_destroy_envelope(&envelope) }
            return Self.delivery(tag: envelope.delivery_tag, redelivered: envelope.redelivered != 0, message: envelope.message)
        case AMQP_RESPONSE_LIBRARY_EXCEPTION where reply.library_error == AMQP_STATUS_TIMEOUT.rawValue:
            return nil
        case AMQP_RESPONSE_LIBRARY_EXCEPTION where reply.library_error == AMQP_STATUS_UNEXPECTED_STATE.rawValue:
            // Something other than a delivery arrived: a close tells us why, anything else is ignored.
            if let frame = try nextFrame(timeoutMilliseconds: 1000) { try closing(frame) }
            return nil
        default:
            throw lost(reply)
        }
    }

    /// Lets rabbitmq-c send a heartbeat that is due and notice one that is missing, without waiting:
    /// for a connection that is idle between its uses. Throws if the connection is lost or closed.
    public func pump() throws(AMQPError) {
        guard let frame = try nextFrame(timeoutMilliseconds: 0) else { return }
        try closing(frame)
    }

    /// Takes one message without a consumer (auto-acked); nil if the queue is empty.
    public func get(queue: String) throws(AMQPError) -> Delivery? {
        amqp_maybe_release_buffers(state)
        let q = Bytes(queue)
        let reply = amqp_basic_get(state, channel, q.raw, 1)
        withExtendedLifetime(q) {}
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else { throw lost(reply) }
        guard reply.reply.id == AMQP_BASIC_GET_OK_METHOD else { return nil }
        var message = amqp_message_t()
        let read = amqp_read_message(state, channel, &message, 0)
        guard read.reply_type == AMQP_RESPONSE_NORMAL else { throw lost(read) }
        defer { amqp_destroy_message(&message) }
        let tag = reply.reply.decoded.map { $0.assumingMemoryBound(to: amqp_basic_get_ok_t.self).pointee.delivery_tag } ?? 0
        return Self.delivery(tag: tag, redelivered: false, message: message)
    }

    public func ack(_ deliveryTag: UInt64, multiple: Bool) throws(AMQPError) {
        let status = amqp_basic_ack(state, channel, deliveryTag, multiple ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else { throw lost(status) }
    }

    /// Rejects one delivery; without `requeue` the broker dead-letters it (the queue's
    /// `x-dead-letter-exchange`), whole, with its own headers: nothing to publish again.
    public func reject(_ deliveryTag: UInt64, requeue: Bool) throws(AMQPError) {
        let status = amqp_basic_reject(state, channel, deliveryTag, requeue ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else { throw lost(status) }
    }

    // MARK: helpers

    private static func delivery(tag: UInt64, redelivered: Bool, message: amqp_message_t) -> Delivery {
        let p = message.properties
        var headers: [String: String] = [:]
        if p._flags & amqp_flags_t(AMQP_BASIC_HEADERS_FLAG) != 0, let entries = p.headers.entries {
            for i in 0..<Int(p.headers.num_entries) {
                let entry = entries[i]
                let kind = Int32(entry.value.kind)
                guard kind == Int32(UInt8(ascii: "S")) || kind == Int32(UInt8(ascii: "x")) else { continue }
                headers[string(entry.key)] = string(entry.value.value.bytes)
            }
        }
        return Delivery(
            deliveryTag: tag, body: bytes(message.body),
            messageID: p._flags & amqp_flags_t(AMQP_BASIC_MESSAGE_ID_FLAG) != 0 ? string(p.message_id) : nil,
            timestamp: p._flags & amqp_flags_t(AMQP_BASIC_TIMESTAMP_FLAG) != 0 ? Int64(p.timestamp) : nil,
            headers: headers, redelivered: redelivered)
    }

    private func nextFrame(timeoutMilliseconds: Int) throws(AMQPError) -> amqp_frame_t? {
        var frame = amqp_frame_t()
        var timeout = Self.interval(milliseconds: timeoutMilliseconds)
        let status = amqp_simple_wait_frame_noblock(state, &frame, &timeout)
        if status == AMQP_STATUS_TIMEOUT.rawValue { return nil }
        guard status == AMQP_STATUS_OK.rawValue else { throw lost(status) }
        return frame
    }

    /// Throws if the frame closes the channel or the connection.
    private func closing(_ frame: amqp_frame_t) throws(AMQPError) {
        guard frame.frame_type == AMQP_FRAME_METHOD, let decoded = frame.payload.method.decoded else { return }
        switch frame.payload.method.id {
        case energy_amqp_channel_close_method():
            broken = true
            let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            throw .broker("channel", "\(close.reply_code) \(Self.string(close.reply_text))")
        case energy_amqp_connection_close_method():
            broken = true
            let close = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            throw .connectionLost(uri.description, "the broker closed it: \(close.reply_code) \(Self.string(close.reply_text))")
        default:
            return
        }
    }

    private func check(_ operation: String) throws(AMQPError) {
        let reply = amqp_get_rpc_reply(state)
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            if reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION {
                broken = true
                throw .broker(operation, Self.describe(reply))
            }
            throw lost(reply)
        }
    }

    private func lost(_ reply: amqp_rpc_reply_t) -> AMQPError {
        broken = true
        return .connectionLost(uri.description, Self.describe(reply))
    }

    private func lost(_ status: Int32) -> AMQPError {
        broken = true
        return .connectionLost(uri.description, String(cString: amqp_error_string2(status)))
    }

    private static func describe(_ reply: amqp_rpc_reply_t) -> String {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL: return "ok"
        case AMQP_RESPONSE_NONE: return "no reply"
        case AMQP_RESPONSE_LIBRARY_EXCEPTION: return String(cString: amqp_error_string2(reply.library_error))
        default:
            guard let decoded = reply.reply.decoded else { return "server error" }
            if reply.reply.id == energy_amqp_connection_close_method() {
                let c = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                return "\(c.reply_code) \(string(c.reply_text))"
            }
            if reply.reply.id == energy_amqp_channel_close_method() {
                let c = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                return "\(c.reply_code) \(string(c.reply_text))"
            }
            return "server method \(reply.reply.id)"
        }
    }

    private static func interval(milliseconds: Int) -> timeval {
        Glibc.timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
    }

    private static func bytes(_ b: amqp_bytes_t) -> [UInt8] {
        guard let p = b.bytes, b.len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: b.len))
    }

    private static func string(_ b: amqp_bytes_t) -> String { String(decoding: bytes(b), as: UTF8.self) }

    /// Calls `body` with an AMQP table of string entries that lives as long as the call.
    private func withTable<R>(_ entries: [(String, String)], _ body: (amqp_table_t) -> R) -> R {
        let owned = entries.map { (Bytes($0.0), Bytes($0.1)) }
        var table = [amqp_table_entry_t](repeating: amqp_table_entry_t(), count: owned.count)
        for (i, (key, value)) in owned.enumerated() {
            table[i].key = key.raw
            table[i].value.kind = UInt8(ascii: "S")
            table[i].value.value.bytes = value.raw
        }
        let result = table.withUnsafeMutableBufferPointer { buffer in
            body(amqp_table_t(num_entries: Int32(buffer.count), entries: buffer.baseAddress))
        }
        withExtendedLifetime(owned) {}
        return result
    }

}

/// Bytes owned by Swift for as long as this object lives, lent to rabbitmq-c as `amqp_bytes_t`
/// (`amqp_cstring_bytes` on a Swift string would dangle after the call).
private final class Bytes {
    let pointer: UnsafeMutableRawPointer
    let count: Int

    init(_ bytes: [UInt8]) {
        count = bytes.count
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(1, count), alignment: 1)
        bytes.withUnsafeBytes { if let base = $0.baseAddress { pointer.copyMemory(from: base, byteCount: count) } }
    }

    convenience init(_ text: String) { self.init(Array(text.utf8)) }

    deinit { pointer.deallocate() }

    var raw: amqp_bytes_t { amqp_bytes_t(len: count, bytes: pointer) }
}
