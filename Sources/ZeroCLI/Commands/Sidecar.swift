import ZeroCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `zero serve` and `zero mcp` run companion binaries installed beside `zero`
/// (`zero-serve`, `zero-mcp`): the HTTP server and the MCP server carry
/// SwiftNIO, Hummingbird and the MCP SDK, thousands of types whose protocol
/// conformances the Swift runtime scans on the first dynamic cast of every
/// process. Kept out of `zero`, they cost the hooks nothing on each commit
/// (DESIGN §8). The command replaces itself with the companion (same pid,
/// same terminal, signals go straight to it).
enum Sidecar {
    /// The companion's path: next to this binary.
    static func path(_ name: String) -> String {
        let binary = ZeroMain.binaryPath
        guard let slash = binary.lastIndex(of: "/") else { return name }
        return String(binary[..<slash]) + "/" + name
    }

    /// Replaces this process with companion `name`, given `arguments` and
    /// this process's variables plus `variables`.
    static func exec(_ name: String, _ arguments: [String], variables: [String: String] = [:]) throws -> Never {
        let path = path(name)
        guard FileSystem.exists(path) else {
            throw ZeroError(
                .internal, "\(name) is not installed next to zero (\(path) is missing)",
                hint: "build it with 'swift build --product \(name)' (make build builds both), or install it beside zero")
        }
        // Tests run commands in their own process: replacing it would end the test run.
        guard Invocation.current == nil else {
            throw ZeroError(.internal, "\(name) runs as its own process; start the zero binary instead of calling it in-process")
        }
        Terminal.flush()
        var environment = ZeroMain.processVariables()
        for (key, value) in variables { environment[key] = value }
        let argv = ([name] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        execve(path, argv, envp)
        let reason = String(cString: strerror(errno))
        throw ZeroError(.internal, "cannot start \(path): \(reason)")
    }
}
