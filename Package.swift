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
        // The MCP server `zero mcp` execs: the SDK stays out of the binary git hooks start.
        .executable(name: "zero-mcp", targets: ["zero-mcp"]),
        // For the fuzz package in Fuzz/, which builds ZeroCore with -sanitize=fuzzer.
        .library(name: "ZeroCore", targets: ["ZeroCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
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
