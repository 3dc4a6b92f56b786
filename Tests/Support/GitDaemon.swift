import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `git daemon` serving the repositories under a folder over git:// on
/// 127.0.0.1, pushes allowed: a remote that libgit2 reaches through the git
/// protocol (receive-pack) instead of its local transport, as it would reach
/// a server.
public final class GitDaemon: @unchecked Sendable {
    public let port: Int
    private let pid: pid_t
    private var stopped = false

    /// Starts a daemon on a free port serving `base`; waits until it accepts connections.
    public init(serving base: String) throws {
        let program = try Self.gitExecPath() + "/git-daemon"
        for _ in 0..<20 {
            let port = Int.random(in: 20_000..<60_000)
            let arguments = [
                program, "--reuseaddr", "--export-all", "--enable=receive-pack", "--informative-errors", "--base-path=" + base,
                "--listen=127.0.0.1", "--port=\(port)", base,
            ]
            let pid = try Self.spawn(arguments)
            var status: Int32 = 0
            for _ in 0..<250 where waitpid(pid, &status, WNOHANG) == 0 {
                if Self.accepts(port) {
                    self.port = port
                    self.pid = pid
                    return
                }
                usleep(20_000)
            }
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        throw ProcessFailure(command: "git daemon", status: 1, output: "no free port to listen on")
    }

    /// The git:// URL of the repository at `relative` under the served folder.
    public func url(_ relative: String) -> String { "git://127.0.0.1:\(port)/\(relative)" }

    public func stop() {
        if stopped { return }
        stopped = true
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    deinit { stop() }

    /// posix_spawn with every signal unblocked and at its default: a test
    /// runner's threads block SIGTERM and SIGCHLD, and a child started with
    /// Foundation's Process inherits that mask, so it could neither be stopped
    /// nor reap its own children.
    private static func spawn(_ arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard code == 0 else { throw ProcessFailure(command: arguments[0], status: code, output: "posix_spawn failed") }
        return pid
    }

    private static func gitExecPath() throws -> String {
        let result = try ProcessResult.run(["git", "--exec-path"], in: "/", environment: ProcessInfo.processInfo.environment)
        guard result.status == 0 else { throw ProcessFailure(command: "git --exec-path", status: result.status, output: result.stderr) }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
