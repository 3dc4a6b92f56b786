import Clibgit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawnp` and reaped with `waitpid`.
///
/// Foundation's `Process.waitUntilExit` polls a run loop on Linux, which adds
/// tens of milliseconds per child: too much on the hook path, where git waits
/// for every commit.
final class ChildProcess {
    let pid: pid_t
    /// Our ends of the pipes: write to the child's stdin, read its stdout / stderr.
    private(set) var input: Int32 = -1
    private(set) var output: Int32 = -1
    private(set) var errors: Int32 = -1

    /// Starts `arguments` (looked up on PATH) in `folder`; the environment is inherited.
    /// stdin/stdout/stderr are pipes when asked for, else /dev/null.
    init(_ arguments: [String], in folder: String?, pipeInput: Bool, pipeOutput: Bool, pipeErrors: Bool) throws {
        // A child that exits before reading its input (ssh-keygen refusing a
        // damaged signature at once) must make our write fail with EPIPE, not
        // kill zero with SIGPIPE in the middle of a replay.
        if pipeInput { signal(SIGPIPE, SIG_IGN) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var childEnds: [Int32] = []
        func pipeFor(_ target: Int32, childReads: Bool) throws -> Int32 {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw GitFailure.other("cannot create a pipe: \(String(cString: strerror(errno)))") }
            let (child, ours) = childReads ? (fds[0], fds[1]) : (fds[1], fds[0])
            _ = fcntl(ours, F_SETFD, FD_CLOEXEC)
            posix_spawn_file_actions_adddup2(&actions, child, target)
            posix_spawn_file_actions_addclose(&actions, child)
            childEnds.append(child)
            return ours
        }
        if pipeInput { input = try pipeFor(0, childReads: true) } else { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
        if pipeOutput { output = try pipeFor(1, childReads: false) } else { posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0) }
        if pipeErrors { errors = try pipeFor(2, childReads: false) } else { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
        if let folder { zg_spawn_addchdir(&actions, folder) }
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        // Inside a hook git exports its exec path, which holds the git binary: no PATH search.
        var program = arguments[0]
        if program == "git", let execPath = getenv("GIT_EXEC_PATH"), access(String(cString: execPath) + "/git", X_OK) == 0 {
            program = String(cString: execPath) + "/git"
        }
        // The child gets SIGPIPE back at its default, whatever we ignore.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        let code = posix_spawnp(&child, program, &actions, &attributes, argv, environ)
        for fd in childEnds { close(fd) }
        guard code == 0 else {
            for fd in [input, output, errors] where fd >= 0 { close(fd) }
            throw GitFailure.other(
                "cannot run \(arguments[0]): \(String(cString: strerror(code)))",
                hint: arguments[0] == "git" ? "install git" : "install \(arguments[0])")
        }
        pid = child
    }

    /// Writes all of `bytes` to the child's stdin.
    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(input, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw GitFailure.other("cannot write to a child process: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    func closeInput() {
        if input >= 0 { close(input); input = -1 }
    }

    /// Reads up to `limit` bytes from `fd`; empty at end of file.
    static func readChunk(_ fd: Int32, limit: Int = 65536) -> [UInt8] {
        // Not zero-filled first: on the hook path most reads are a few hundred bytes.
        [UInt8](unsafeUninitializedCapacity: limit) { buffer, initialized in
            while true {
                let count = read(fd, buffer.baseAddress, limit)
                if count < 0, errno == EINTR { continue }
                initialized = max(count, 0)
                return
            }
        }
    }

    /// Reads stdout and stderr to their ends (both at once, so neither pipe fills) and waits.
    func finish() -> (status: Int32, output: [UInt8], errors: [UInt8]) {
        closeInput()
        var out: [UInt8] = [], err: [UInt8] = []
        var fds = [pollfd]()
        if output >= 0 { fds.append(pollfd(fd: output, events: Int16(POLLIN), revents: 0)) }
        if errors >= 0 { fds.append(pollfd(fd: errors, events: Int16(POLLIN), revents: 0)) }
        while !fds.isEmpty {
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in fds.indices.reversed() where fds[index].revents != 0 {
                let chunk = Self.readChunk(fds[index].fd)
                if chunk.isEmpty {
                    close(fds[index].fd)
                    fds.remove(at: index)
                } else if fds[index].fd == output {
                    out += chunk
                } else {
                    err += chunk
                }
            }
        }
        output = -1
        errors = -1
        return (wait(), out, err)
    }

    /// Waits for the child; its exit status (128 + signal when killed).
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        return 128 + (status & 0x7f)
    }
}
