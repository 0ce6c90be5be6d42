// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "outcomed",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "outcomed", targets: ["outcomed"]),
        .library(name: "OutcomeEngine", targets: ["OutcomeEngine"]),
        .library(name: "OutcomeDaemon", targets: ["OutcomeDaemon"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .target(name: "OutcomeEngine"),
        .target(
            name: "OutcomeDaemon",
            dependencies: [
                "OutcomeEngine",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "outcomed",
            dependencies: [
                "OutcomeEngine",
                "OutcomeDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "OutcomeEngineTests", dependencies: ["OutcomeEngine"]),
        .testTarget(name: "OutcomeDaemonTests", dependencies: ["OutcomeDaemon", "OutcomeEngine"]),
        .testTarget(name: "EndToEndTests", dependencies: ["outcomed"]),
    ],
    swiftLanguageModes: [.v6]
)
