// swift-tools-version: 6.2
import PackageDescription

// Zero: one native binary over a small core.
//
// libgit2 is loaded with dlopen on first use (see Sources/Clibgit2) rather than
// linked: linking it maps 16 more shared libraries at every start, which costs
// 2.3 ms and 7.9 million instructions (4x the whole of `zero --version`) even
// for commands that never touch git (BENCHMARKS.md, scripts/bench-dlopen.sh).
// Only the libgit2 of the headers it was built with is loaded (same SONAME,
// same major.minor).

// Our own Swift targets build with every warning as an error (dependencies do not).
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "zero",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "zero", targets: ["zero"]),
        // `zero serve` runs it (Sidecar.swift): the HTTP API, SSE and webhooks.
        .executable(name: "zero-serve", targets: ["zero-serve"]),
        // The MCP server `zero mcp` execs: the SDK stays out of the binary git hooks start.
        .executable(name: "zero-mcp", targets: ["zero-mcp"]),
        // For the fuzz package in Fuzz/, which builds ZeroCore with -sanitize=fuzzer.
        .library(name: "ZeroCore", targets: ["ZeroCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Only in zero-serve (the HTTP server), never in zero: see Sources/ZeroCLI/Commands/Sidecar.swift.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        .target(
            name: "Clibgit2",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        .target(
            name: "ZeroGit",
            dependencies: ["Clibgit2"],
            swiftSettings: strict
        ),
        .target(
            name: "ZeroCore",
            dependencies: [
                "ZeroGit",
                "Yams",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ZeroCLI",
            dependencies: [
                "ZeroCore",
                "ZeroGit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "zero",
            dependencies: ["ZeroCLI"],
            swiftSettings: strict
        ),
        // The HTTP API of DESIGN §6.2 over ZeroCore: routes from its OpenAPI
        // document, SSE from the files, webhooks.
        .target(
            name: "ZeroServer",
            dependencies: [
                "ZeroCore",
                "ZeroGit",
                "Yams",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("openapi.yaml")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "zero-serve",
            dependencies: [
                "ZeroServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // MCP over stdio (DESIGN §6.3); never linked into `zero` (see Sidecar.swift).
        .target(
            name: "ZeroMCP",
            dependencies: [
                "ZeroCore",
                "ZeroGit",
                .product(name: "MCP", package: "swift-sdk"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "zero-mcp",
            dependencies: ["ZeroMCP"],
            swiftSettings: strict
        ),
        // The benchmark's data generator; never linked into `zero`.
        .executableTarget(
            name: "zero-bench",
            dependencies: [
                "ZeroCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // Real git repositories for tests: a scoping trait and a git runner.
        .target(
            name: "ZeroTestSupport",
            path: "Tests/Support",
            swiftSettings: strict
        ),
        .testTarget(
            name: "ZeroGitTests",
            dependencies: ["ZeroGit", "ZeroTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ZeroCoreTests",
            dependencies: ["ZeroCore", "ZeroTestSupport", "Yams"],
            exclude: ["Golden", "FuzzRegressions"],
            swiftSettings: strict
        ),
        // Commands run in-process: arguments parsed, run with a given environment, output captured.
        .testTarget(
            name: "ZeroCLITests",
            dependencies: ["ZeroCLI", "ZeroCore", "ZeroTestSupport"],
            swiftSettings: strict
        ),
        // The real zero-serve on a loopback port, driven over HTTP and SSE.
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "ZeroCore", "ZeroTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The MCP server driven by the SDK's own client, in-process.
        .testTarget(
            name: "MCPTests",
            dependencies: [
                "ZeroMCP",
                "ZeroCore",
                "ZeroTestSupport",
                .product(name: "MCP", package: "swift-sdk"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["ZeroCore", "ZeroTestSupport", "Yams"],
            exclude: ["Golden", "Support/mcp_client.py"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
