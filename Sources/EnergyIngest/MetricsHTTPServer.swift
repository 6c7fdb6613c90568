import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 responder on a POSIX socket for `/metrics` and `/healthz`, on its own thread
/// (blocking accept and reads never touch the Swift concurrency pool). One request per connection;
/// requests are read with a timeout, so a silent client cannot hold it. Until the HTTP API brings
/// a real server, this is all the ingest service needs.
///
/// ```swift
/// let server = try MetricsHTTPServer(host: "127.0.0.1", port: 9464) { path in
///     path == "/healthz" ? (200, "ok\n") : nil
/// }
/// print(server.port)
/// ```
public final class MetricsHTTPServer: @unchecked Sendable {
    /// The bound port (the one asked for, or the one the system chose for port 0).
    public let port: Int
    private let socket: Int32
    // Read only by the accept thread after init.
    private let respond: @Sendable (String) -> (status: Int, body: String)?

    public init(host: String, port: Int, respond: @escaping @Sendable (String) -> (status: Int, body: String)?) throws {
        // Close-on-exec: a child process (a spawned `energy`) must not inherit the listening socket.
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HTTPServerError("cannot create a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(fd)
            throw HTTPServerError("'\(host)' is not an IPv4 address")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw HTTPServerError("cannot listen on \(host):\(port): \(why)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.socket = fd
        self.respond = respond
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "metrics-http"
        thread.start()
    }

    private func acceptLoop() {
        while true {
            let client = accept(socket, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while request.count < 16_384 {
            let n = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            request.append(contentsOf: buffer[0..<n])
            if request.count >= 4, request.suffix(4).elementsEqual([13, 10, 13, 10]) { break }
        }
        let line = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self).split(separator: " ")
        var status = 400
        var body = "bad request\n"
        if line.count >= 2 {
            let path = String(line[1].split(separator: "?", maxSplits: 1).first ?? "")
            if line[0] != "GET" && line[0] != "HEAD" {
                (status, body) = (405, "only GET\n")
            } else if let answer = respond(path) {
                (status, body) = answer
            } else {
                (status, body) = (404, "not found: \(path)\n")
            }
        }
        let reason =
            [200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"][status] ?? "Status"
        let contentType = body.hasPrefix("# HELP") ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8"
        let response = Array(
            ("HTTP/1.1 \(status) \(reason)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\n\r\n" + (line.first == "HEAD" ? "" : body)).utf8)
        var sent = 0
        while sent < response.count {
            let n = response[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }
}

public struct HTTPServerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
