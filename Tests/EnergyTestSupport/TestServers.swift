import Foundation

/// The servers `make test` starts on loopback (scripts/test-services.sh), found through the
/// environment. A test that needs one and does not find it fails and says how to start it.
///
/// ```swift
/// let uri = try TestServers.mongoURI(database: "energy_test_1")
/// let broker = try TestServers.amqpURI(vhost: 1)
/// ```
public enum TestServers {
    /// The open MongoDB-wire test server, with `database` in the URI's path.
    public static func mongoURI(database: String) throws -> String {
        try with(database: database, in: uri("ENERGY_TEST_MONGODB_URI"))
    }

    /// A second open server, for a test that leaves an abandoned transaction behind.
    public static func isolatedMongoURI(database: String) throws -> String {
        try with(database: database, in: uri("ENERGY_TEST_MONGODB_ISOLATED_URI"))
    }

    /// The test server that requires authentication (user `energy`, password `energy-test`).
    public static func authenticatingMongoURI() throws -> String { try uri("ENERGY_TEST_MONGODB_AUTH_URI") }

    /// The test RabbitMQ with vhost `energy-test-N` (1…8; `scripts/test-services.sh start` creates
    /// them empty). Tests that run at the same time take different numbers.
    public static func amqpURI(vhost number: Int) throws -> String {
        try uri("ENERGY_TEST_AMQP_URI") + "/energy-test-\(number)"
    }

    /// A database name no other test uses.
    public static func uniqueDatabaseName(_ prefix: String = "energy_test") -> String {
        prefix + "_" + UUID().uuidString.prefix(8).lowercased()
    }

    private static func uri(_ variable: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
            throw TestSetupError("\(variable) is not set: run `make test`, which starts the test MongoDB servers and RabbitMQ")
        }
        return value
    }

    private static func with(database: String, in base: String) -> String {
        guard let slash = base.range(of: "/?") else { return base + "/" + database }
        return base.replacingCharacters(in: slash, with: "/\(database)?")
    }
}

/// The test environment is incomplete.
public struct TestSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
