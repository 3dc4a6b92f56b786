import Synchronization
import ZeroCore

/// One run of a command line inside a process that is not `zero` itself (a
/// test): the world it is given, and what it printed. Without one, commands
/// read the process (its variables, folder and stdin) and write to fds 1 and 2.
public final class Invocation: Sendable {
    public struct Printed: Sendable {
        public var stdout = ""
        public var stderr = ""
    }

    let environment: Environment
    let stdin: [UInt8]
    let output = Mutex(Printed())

    @TaskLocal static var current: Invocation?

    init(environment: Environment, stdin: [UInt8]) {
        self.environment = environment
        self.stdin = stdin
    }
}

extension ZeroMain {
    /// Runs one command line in this process with `environment` as its world
    /// and returns its exit status and output, as `zero` would print them.
    /// Questions are not asked (as when stdin is not a terminal).
    public static func execute(_ arguments: [String], environment: Environment, stdin: [UInt8] = [])
        -> (status: Int32, stdout: String, stderr: String)
    {
        let invocation = Invocation(environment: environment, stdin: stdin)
        let status = Invocation.$current.withValue(invocation) { execute(arguments) }
        let printed = invocation.output.withLock { $0 }
        return (status, printed.stdout, printed.stderr)
    }
}
