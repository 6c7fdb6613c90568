import Foundation

/// A TCP proxy on loopback whose flows can be frozen: they stop carrying bytes in either direction
/// but stay open (no FIN, no RST), as a flow behind a load balancer that dropped it silently, or a
/// node that died. Connections made after a freeze flow normally.
///
/// ```swift
/// let proxy = try FreezableProxy(targetPort: 5672)
/// // connect to 127.0.0.1:\(proxy.port) …
/// proxy.freezeExistingFlows()
/// ```
public final class FreezableProxy: @unchecked Sendable {
    public let port: Int
    private let listener: Int32
    private let targetPort: Int
    private let lock = NSLock()
    private var flows: [Flow] = []
    private var stopped = false

    final class Flow: @unchecked Sendable {
        let client: Int32
        let server: Int32
        private let lock = NSLock()
        private var isFrozen = false
        var frozen: Bool {
            get { lock.withLock { isFrozen } }
            set { lock.withLock { isFrozen = newValue } }
        }
        init(client: Int32, server: Int32) {
            self.client = client
            self.server = server
        }
    }

    public init(targetPort: Int) throws {
        self.targetPort = targetPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { throw ProxyError("cannot listen: \(String(cString: strerror(errno)))") }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: actual.sin_port))
        Thread { [self] in acceptLoop() }.start()
    }

    deinit { stop() }

    /// Every flow open now stops carrying bytes and stays open.
    public func freezeExistingFlows() { lock.withLock { for flow in flows { flow.frozen = true } } }

    public func stop() {
        let all: [Flow] = lock.withLock {
            guard !stopped else { return [] }
            stopped = true
            return flows
        }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for flow in all {
            close(flow.client)
            close(flow.server)
        }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            guard let server = Self.connectLoopback(port: targetPort) else {
                close(client)
                continue
            }
            let flow = Flow(client: client, server: server)
            let added: Bool = lock.withLock {
                guard !stopped else { return false }
                flows.append(flow)
                return true
            }
            guard added else { return }
            Thread { Self.copy(from: client, to: server, flow: flow) }.start()
            Thread { Self.copy(from: server, to: client, flow: flow) }.start()
        }
    }

    /// Copies bytes until either side closes; while frozen, reads nothing and sends nothing.
    private static func copy(from source: Int32, to target: Int32, flow: Flow) {
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(source, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if flow.frozen {
                usleep(50_000)
                continue
            }
            let n = recv(source, &buffer, buffer.count, 0)
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { continue }
            guard n > 0 else {
                shutdown(target, Int32(SHUT_WR))
                return
            }
            var sent = 0
            while sent < n {
                let m = buffer.withUnsafeBytes { raw -> Int in
                    guard let base = raw.baseAddress else { return -1 }
                    return send(target, base + sent, n - sent, Int32(MSG_NOSIGNAL))
                }
                guard m > 0 else { return }
                sent += m
            }
        }
    }

    /// A TCP connection to `127.0.0.1:port`, nil if it cannot be made.
    public static func connectLoopback(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    struct ProxyError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
