import Foundation

/// Where the broker is and who we are there: `amqp://user:password@host:5672/vhost`.
/// The description never shows the password.
///
/// ```swift
/// let uri = try AMQPURI("amqp://energy:secret@127.0.0.1:5672/eeg")
/// uri.virtualHost   // "eeg"
/// "\(uri)"          // amqp://energy@127.0.0.1:5672/eeg
/// ```
public struct AMQPURI: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var virtualHost: String

    public init(host: String = "127.0.0.1", port: Int = 5672, user: String = "guest", password: String = "guest", virtualHost: String = "/")
    {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.virtualHost = virtualHost
    }

    /// Parses the URI; user, password and vhost are percent-decoded (an empty path is the vhost `/`).
    public init(_ text: String) throws(AMQPError) {
        func bad(_ why: String) -> AMQPError { .badURI(Self.redacted(text), why) }
        guard text.hasPrefix("amqp://") else { throw bad("it must start with amqp:// (amqps is not supported)") }
        var rest = Substring(text.dropFirst("amqp://".count))
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[rest.index(after: slash)...])
            rest = rest[..<slash]
        }
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        var user = "guest"
        var password = "guest"
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = String(credentials[..<colon])
                password = String(credentials[credentials.index(after: colon)...])
            } else {
                user = String(credentials)
                password = ""
            }
        }
        var host = String(rest)
        var port = 5672
        if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            guard let p = Int(rest[rest.index(after: colon)...]), (1...65535).contains(p) else {
                throw bad("the port '\(rest[rest.index(after: colon)...])' is not a number from 1 to 65535")
            }
            port = p
        }
        guard !host.isEmpty else { throw bad("it names no host") }
        guard let u = user.removingPercentEncoding, let pw = password.removingPercentEncoding,
            let vhost = path.removingPercentEncoding
        else { throw bad("bad percent-encoding") }
        self.init(host: host, port: port, user: u, password: pw, virtualHost: vhost.isEmpty ? "/" : vhost)
    }

    public var description: String {
        let vhost =
            virtualHost == "/"
            ? "" : (virtualHost.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? virtualHost)
        return "amqp://\(user)@\(host):\(port)/\(vhost)"
    }

    /// The text with any password replaced, for messages about a URI that did not parse.
    static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://"),
            let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
        else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}
