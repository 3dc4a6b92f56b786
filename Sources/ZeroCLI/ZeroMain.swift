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
        let code = execute(arguments)
        exit(code)
    }

    /// Runs one command line and returns its exit status (used by tests too).
    public static func execute(_ arguments: [String]) -> Int32 {
        do {
            var command = try ZeroCommand.parseAsRoot(arguments)
            try command.run()
            Terminal.flush()
            return 0
        } catch let error as ZeroError {
            Terminal.flush()
            Terminal.error(error)
            return error.code.exitCode
        } catch {
            Terminal.flush()
            let code = ZeroCommand.exitCode(for: error)
            let message = ZeroCommand.fullMessage(for: error)
            if !message.isEmpty {
                if code == .success { Terminal.write(message + "\n") } else { Terminal.writeError(message + "\n") }
            }
            return code.rawValue
        }
    }
}

/// Where output goes: stdout for results, stderr for errors and progress.
enum Terminal {
    static func write(_ text: String) {
        print(text, terminator: "")
    }

    /// Unbuffered, so progress shows at once.
    static func writeError(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Flushes every stdio stream (stdout is buffered).
    static func flush() {
        fflush(nil)
    }

    /// `zero: <what> (<file>:<line>)` then `hint: <how to fix>`.
    static func error(_ error: ZeroError) {
        var text = "zero: " + error.description + "\n"
        if let hint = error.hint, !hint.isEmpty { text += "hint: " + hint + "\n" }
        writeError(text)
    }

    static var stdoutIsTerminal: Bool { isatty(1) == 1 }
}
