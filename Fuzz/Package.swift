// swift-tools-version:6.0
// The fuzz targets, built apart from the product with `-sanitize=fuzzer` by scripts/fuzz.
import PackageDescription

let package = Package(
    name: "OutcomedFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "outcomed", path: ".."),
    ],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(
            name: "FuzzSupport",
            dependencies: ["CLibFuzzer", .product(name: "OutcomeFuzzing", package: "outcomed")]
        ),
        .executableTarget(
            name: "FuzzIntake",
            dependencies: ["FuzzSupport", .product(name: "OutcomeFuzzing", package: "outcomed")]
        ),
        .executableTarget(
            name: "FuzzConfig",
            dependencies: ["FuzzSupport", .product(name: "OutcomeFuzzing", package: "outcomed")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
