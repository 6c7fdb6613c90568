/// What went wrong talking to the broker. Messages name the broker (never the password) and the
/// operation.
public enum AMQPError: Error, Equatable, CustomStringConvertible {
    case badURI(String, String)
    /// The TCP connection or the login failed.
    case connect(String, String)
    /// The broker refused an operation or closed the channel or connection.
    case broker(String, String)
    /// The connection broke (socket error, broker gone).
    case connectionLost(String, String)

    public var description: String {
        switch self {
        case let .badURI(uri, why): return "AMQP URI '\(uri)' is not usable: \(why)"
        case let .connect(broker, why): return "cannot connect to \(broker): \(why)"
        case let .broker(operation, why): return "\(operation) refused by the broker: \(why)"
        case let .connectionLost(broker, why): return "connection to \(broker) lost: \(why)"
        }
    }
}
