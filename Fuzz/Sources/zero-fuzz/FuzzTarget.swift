import ZeroCore

#if canImport(Glibc)
import Glibc
#endif

/// One libFuzzer entry point for every reader; ZERO_FUZZ_TARGET picks which
/// (header, session, meta, proof, classification, config, trailers, intent).
/// The oracle is `RoundTrip.check`: a refusal is fine, a crash or a lossy
/// rewrite aborts, and libFuzzer keeps the input as a crash file.
nonisolated(unsafe) private let target: RoundTrip.Kind = {
    let name = getenv("ZERO_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let kind = RoundTrip.Kind(rawValue: name) else {
        let known = RoundTrip.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        report("zero-fuzz: set ZERO_FUZZ_TARGET to one of \(known)\n")
        exit(64)
    }
    return kind
}()

func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    if let problem = RoundTrip.check(target, bytes) {
        report("zero-fuzz: \(target.rawValue): \(problem)\n")
        abort()
    }
    return 0
}

private func report(_ message: String) {
    var text = message
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
