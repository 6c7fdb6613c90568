// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "energy",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "energy", targets: ["energy"]),
        .library(name: "EnergyCore", targets: ["EnergyCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.1.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        // Only the API tests use it directly (to mint tokens); jwt-kit depends on it anyway.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        // The EDA portal's workbooks are ZIP files (XLSX); libxlsxwriter only writes.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // C libraries: each wrapped once, thinly, by one Swift file or folder.
        .systemLibrary(name: "CSQLite3", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CMongoC", pkgConfig: "libmongoc-1.0", providers: [.apt(["libmongoc-dev", "libbson-dev"])]),
        .systemLibrary(name: "CRabbitMQ", pkgConfig: "librabbitmq", providers: [.apt(["librabbitmq-dev"])]),
        .systemLibrary(name: "CXLSXWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // libharu: Debian ships no pkg-config file for it (header in /usr/include, library in the default path).
        .systemLibrary(name: "CHaru", providers: [.apt(["libhpdf-dev"])]),

        // Domain: no I/O, no C modules.
        .target(name: "EnergyCore", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "EnergySimulator", dependencies: ["EnergyCore"]),
        // The grid operator's files (EDA): CR_MSG XML and the EDA portal's workbooks, read into
        // the domain's values. No store: EnergyIngest stores what these readers return.
        .target(
            name: "EnergyEDA",
            dependencies: ["EnergyCore", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .target(
            name: "EnergyStore", dependencies: ["EnergyCore", "CSQLite3", "CMongoC", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "EnergyMessaging", dependencies: ["EnergyCore", "CRabbitMQ", .product(name: "Logging", package: "swift-log")]),
        // What every long-running service shares: one HTTP stack (Hummingbird; /healthz and
        // /metrics from a Prometheus registry), start and graceful stop (ServiceGroup).
        .target(
            name: "EnergyService",
            dependencies: [
                "EnergyCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "EnergyIngest",
            dependencies: [
                "EnergyCore", "EnergyStore", "EnergyEDA", "EnergyMessaging", .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(name: "EnergyReports", dependencies: ["EnergyCore", "EnergyStore"]),
        // The jobs that write (rollup, billing) and the one runner they share.
        .target(
            name: "EnergyJobs",
            dependencies: [
                "EnergyCore", "EnergyStore", "EnergyBilling",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]),
        .target(name: "EnergyBilling", dependencies: ["EnergyCore", "EnergyStore", "CXLSXWriter", "CHaru"]),
        .target(
            name: "EnergyAPI",
            dependencies: [
                "EnergyCore", "EnergyStore", "EnergyReports", "EnergyBilling", "EnergyService",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .executableTarget(
            name: "energy",
            dependencies: [
                "EnergyCore", "EnergyStore", "EnergyEDA", "EnergySimulator", "EnergyMessaging", "EnergyIngest", "EnergyReports",
                "EnergyJobs",
                "EnergyBilling", "EnergyAPI", "EnergyService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "EnergyBench",
            dependencies: [
                "EnergyCore", "EnergyStore", "EnergyEDA", "EnergySimulator", "EnergyMessaging", "EnergyIngest", "EnergyReports",
                "EnergyJobs",
                "EnergyBilling", "EnergyService",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ], path: "Benchmarks/EnergyBench"),

        .target(name: "EnergyTestSupport", dependencies: ["EnergyCore"], path: "Tests/EnergyTestSupport"),
        .testTarget(name: "EnergyCoreTests", dependencies: ["EnergyCore", "EnergyTestSupport"]),
        .testTarget(name: "EnergySimulatorTests", dependencies: ["EnergySimulator", "EnergyCore"]),
        .testTarget(name: "EnergyEDATests", dependencies: ["EnergyEDA", "EnergyCore", "EnergyTestSupport"]),
        .testTarget(
            name: "EnergyStoreTests",
            dependencies: ["EnergyCore", "EnergyStore", "EnergyReports", "EnergyJobs", "EnergySimulator", "EnergyTestSupport"]),
        .testTarget(
            name: "EnergyReportsTests",
            dependencies: [
                "EnergyCore", "EnergyStore", "EnergyReports", "EnergyJobs", "EnergyIngest", "EnergySimulator", "EnergyTestSupport",
            ]),
        .testTarget(
            name: "EnergyCLITests",
            dependencies: ["energy", "EnergyCore", "EnergyStore", "EnergyMessaging", "EnergySimulator", "EnergyTestSupport", "EnergyEDA"]),
        .testTarget(name: "EnergyServiceTests", dependencies: ["EnergyService", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "EnergyMessagingTests", dependencies: ["EnergyMessaging", "EnergyCore", "EnergyTestSupport"]),
        .testTarget(
            name: "EnergyAPITests",
            dependencies: [
                "EnergyAPI", "EnergyCore", "EnergyStore", "EnergyReports", "EnergyJobs", "EnergySimulator", "EnergyTestSupport",
                "EnergyBilling",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]),
        .testTarget(
            name: "EnergyBillingTests",
            dependencies: [
                "EnergyCore", "EnergyStore", "EnergyBilling", "EnergyIngest", "EnergyReports", "EnergyJobs", "EnergySimulator",
                "EnergyTestSupport",
            ]),
    ],
    swiftLanguageModes: [.v6]
)
