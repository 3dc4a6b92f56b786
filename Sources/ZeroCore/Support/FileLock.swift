#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock (`flock`) on a file, held while a mutation
/// re-reads, checks and writes. The kernel drops it when the process dies,
/// so a crash never leaves a stale lock behind.
public enum FileLock {
    /// How long to wait for a busy lock before giving up with exit 75.
    /// `ZERO_LOCK_TIMEOUT_MS` overrides the default of 10 seconds.
    static var timeoutMilliseconds: Int {
        if let raw = getenv("ZERO_LOCK_TIMEOUT_MS"), let value = Int(String(cString: raw)), value >= 0 { return value }
        return 10_000
    }

    /// Runs `body` while holding the lock at `path` (created when missing;
    /// never through a symlink: callers check the folder first).
    public static func withLock<T>(_ path: String, what: String, _ body: () throws -> T) throws -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o666)
        if fd < 0 {
            // The folder went away while we waited (a case deleted meanwhile).
            if errno == ENOENT { throw ZeroError(.notFound, "\(what) no longer exists", hint: "'zero case list' shows the cases") }
            if errno == ELOOP || errno == EISDIR {
                throw ZeroError(.malformed, "the lock file \(path) is not a regular file", hint: "run 'zero doctor --fix', which moves it aside", file: path)
            }
            throw FileSystem.ioError("cannot open lock", path)
        }
        defer { close(fd) }
        var waited = 0
        let limit = timeoutMilliseconds
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw FileSystem.ioError("cannot lock", path) }
            if waited >= limit {
                throw ZeroError(.busy, "\(what) is locked by another zero process",
                                hint: "try again in a moment; the lock is \(path)")
            }
            usleep(5_000)
            waited += 5
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
