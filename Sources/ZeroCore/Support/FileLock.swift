#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory lock (`flock`) on a file, held while a mutation re-reads,
/// checks and writes: exclusive, or shared by holders that only exclude an
/// exclusive one. The kernel drops it when the process dies, so a crash never
/// leaves a stale lock behind.
public enum FileLock {
    /// Runs `body` while holding the lock at `path` (created when missing;
    /// never through a symlink: callers check the folder first). Gives up
    /// with `busy` (exit 75) after `timeoutMilliseconds`.
    public static func withLock<T>(
        _ path: String, what: String, timeoutMilliseconds limit: Int, shared: Bool = false,
        _ body: () throws -> T
    ) throws -> T {
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
        while flock(fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw FileSystem.ioError("cannot lock", path) }
            if waited >= limit {
                throw ZeroError(
                    .busy, "\(what) is locked by another zero process",
                    hint: "try again in a moment; the lock is \(path)")
            }
            usleep(5_000)
            waited += 5
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
