// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// What every test target that runs a real server needs.
let endToEndTestDependencies: [Target.Dependency] = [
    "ChatTesting",
    "ChatCore",
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "Logging", package: "swift-log"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
]

let package = Package(
    name: "slashchat",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "server", targets: ["server"]),
        .executable(name: "client", targets: ["client"]),
        .executable(name: "chatbench", targets: ["chatbench"]),
        .library(name: "ChatCore", targets: ["ChatCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .target(
            name: "ChatCore",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "server",
            dependencies: [
                "ChatCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "client",
            dependencies: [
                "ChatCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ChatBench",
            dependencies: [
                "ChatCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "chatbench",
            dependencies: [
                "ChatBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ChatTesting",
            dependencies: [
                "ChatCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FuzzChecks",
            dependencies: [
                "ChatCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChatCoreTests",
            dependencies: [
                "ChatCore",
                "FuzzChecks",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: endToEndTestDependencies,
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BenchTests",
            dependencies: endToEndTestDependencies + ["ChatBench", .product(name: "NIOEmbedded", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ClientTests",
            dependencies: endToEndTestDependencies,
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: endToEndTestDependencies + [.product(name: "SQLiteNIO", package: "sqlite-nio")],
            swiftSettings: swiftSettings
        ),
    ]
)

/// The libFuzzer executables, one per target in `Fuzz/Targets/NAME`. They exist only when `SLASHCHAT_FUZZ=1`, because
/// they link only with `-sanitize=fuzzer` (libFuzzer's driver): a plain `swift build` or `swift test` never sees
/// them. `Scripts/fuzz` sets the variable and builds them into `.build-fuzz`. The property checks themselves live in
/// the `FuzzChecks` library, which the corpus replay test uses too.
let fuzzTargetNames = [
    "LineDecoder", "Sanitizer", "CommandLine", "ShellWords", "KeyDecoder", "ChatEventJSON", "PluginManifest",
]
if Context.environment["SLASHCHAT_FUZZ"] == "1" {
    package.targets.append(.target(name: "CFuzzDriver", path: "Fuzz/Targets/CFuzzDriver"))
    for name in fuzzTargetNames {
        package.targets.append(
            .executableTarget(
                name: "Fuzz\(name)",
                dependencies: ["FuzzChecks", "CFuzzDriver"],
                path: "Fuzz/Targets/\(name)",
                swiftSettings: swiftSettings
            )
        )
        package.products.append(.executable(name: "Fuzz\(name)", targets: ["Fuzz\(name)"]))
    }
}
