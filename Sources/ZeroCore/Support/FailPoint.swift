#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A crash on demand, for the kill tests: with `ZERO_KILL_AT_STEP=N` the
/// process SIGKILLs itself at the N-th step that changes the file system
/// (a temporary file written, a rename, a link, a removal, a folder made).
/// Random timers rarely land between two of those steps; this reaches each
/// one. Unset, it costs one integer comparison per step.
enum FailPoint {
    nonisolated(unsafe) private static var remaining: Int = {
        guard let raw = getenv("ZERO_KILL_AT_STEP"), let steps = Int(String(cString: raw)), steps > 0 else { return 0 }
        return steps
    }()

    static func step() {
        guard remaining > 0 else { return }
        remaining -= 1
        if remaining == 0 { kill(getpid(), SIGKILL) }
    }
}
