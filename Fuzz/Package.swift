// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for Zero's readers, kept out of the main package so that
// its builds never carry -sanitize=fuzzer. Built and run by `make fuzz`
// (scripts/fuzz.sh):
//
//   swift build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer \
//       -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld   (gold trips over the fuzzer runtime)
//   ZERO_FUZZ_TARGET=session Fuzz/.build/release/zero-fuzz corpus/ -max_total_time=60
let package = Package(
    name: "zero-fuzz",
    dependencies: [
        .package(name: "zero", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "zero-fuzz",
            dependencies: [.product(name: "ZeroCore", package: "zero")]
        )
    ],
    swiftLanguageModes: [.v6]
)
