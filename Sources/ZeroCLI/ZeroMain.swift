import ArgumentParser
import ZeroCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The entry point `zero/main.swift` calls: parse, run, and turn a `ZeroError`
/// into one line on stderr, a hint, and the exit status of DESIGN §6.1.
public enum ZeroMain {
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        // Answered before the argument parser, as git does: the parser's first
        // dynamic casts scan every protocol conformance in the binary (about
        // 8 million instructions), which is the whole cost of this command.
        if arguments == ["--version"] {
            Terminal.write(ZeroCommand.version + "\n")
            Terminal.flush()
            exit(0)
        }
        // Git runs hooks on every commit: they skip the parser too.
        if arguments.first == "hook", arguments.count >= 2 {
            let code: Int32
            do {
                code = Hooks.run(
                    arguments[1], arguments: Array(arguments.dropFirst(2)), environment: try processEnvironment(),
                    stdin: readStandardInput, report: Terminal.writeError)
            } catch let error as ZeroError {
                Terminal.error(error)
                code = error.code.exitCode
            } catch {
                code = 70
            }
            Terminal.flush()
            exit(code)
        }
        let code = execute(arguments)
        exit(code)
    }

    static func readStandardInput() -> [UInt8] {
        if let invocation = Invocation.current { return invocation.stdin }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(0, &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }

    /// This process's variables, read from `environ` (no Foundation on the hooks' path).
    static func processVariables() -> [String: String] {
        var variables: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor += 1
        }
        return variables
    }

    /// What ZeroCore is told about the world: this process's variables and folder.
    static func processEnvironment() throws -> Environment {
        if let invocation = Invocation.current { return invocation.environment }
        return try Environment.live(variables: processVariables(), currentFolder: FileSystem.currentDirectory())
    }

    /// The absolute path of this binary, for the hook shims.
    static var binaryPath: String {
        if let path = FileSystem.realPath("/proc/self/exe") { return path }
        let first = CommandLine.arguments.first ?? "zero"
        return FileSystem.realPath(first) ?? first
    }

    /// Runs one command line and returns its exit status (used by tests too).
    /// With `--json`, a failure is also printed on stdout as
    /// `{"error": {"code", "message", "hint", "file", "line"}}`.
    public static func execute(_ arguments: [String]) -> Int32 {
        let json = wantsJSON(arguments)
        if let unknown = Suggestions.unknownCommand(in: arguments) { return fail(unknown, json: json) }
        do {
            var command = try ZeroCommand.parseAsRoot(arguments)
            try command.run()
            Terminal.flush()
            return 0
        } catch let error as ZeroError {
            return fail(error, json: json)
        } catch let failure as FailureAfterOutput {
            // The result is on stdout already (JSON or text): the status and a line on stderr say the rest.
            Terminal.flush()
            Terminal.error(failure.error)
            return failure.error.code.exitCode
        } catch {
            Terminal.flush()
            let code = ZeroCommand.exitCode(for: error)
            let message = ZeroCommand.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Terminal.write(message + "\n") }
                return 0
            }
            // A command that already printed its result and only sets the status (proof run, check).
            if error is ExitCode {
                return code.rawValue
            }
            let usage = ZeroError(code.rawValue == 64 ? .usage : .internal, ZeroCommand.message(for: error), hint: nil)
            if json { printJSON(usage) }
            if !message.isEmpty { Terminal.writeError(message + "\n") }
            if let hint = usage.hint, !message.contains(hint) { Terminal.writeError("hint: " + hint + "\n") }
            return code.rawValue
        }
    }

    /// Reports `error`: the human lines on stderr, and with `--json` the error object on stdout.
    static func fail(_ error: ZeroError, json: Bool) -> Int32 {
        Terminal.flush()
        if json { printJSON(error) }
        Terminal.error(error)
        return error.code.exitCode
    }

    static func printJSON(_ error: ZeroError) {
        struct Envelope: Encodable { var error: ZeroError }
        try? Output(json: true, environment: [:]).emit(Envelope(error: error))
        Terminal.flush()
    }

    /// `--json` among the options (not after `--`, where a proof's command starts).
    static func wantsJSON(_ arguments: [String]) -> Bool {
        for argument in arguments {
            if argument == "--" { return false }
            if argument == "--json" { return true }
        }
        return false
    }
}

/// Thrown by a command that printed its whole result and still fails
/// (`doctor` with findings left, `--strict` with broken cases): stdout keeps
/// that one document, and stderr says why the status is not 0.
struct FailureAfterOutput: Error {
    var error: ZeroError
}
