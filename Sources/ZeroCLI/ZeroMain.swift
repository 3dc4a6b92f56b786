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
            let code = Hooks.run(arguments[1], arguments: Array(arguments.dropFirst(2)), stdin: readStandardInput,
                                 report: Terminal.writeError)
            Terminal.flush()
            exit(code)
        }
        let code = execute(arguments)
        exit(code)
    }

    static func readStandardInput() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(0, &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }

    /// The absolute path of this binary, for the hook shims.
    static var binaryPath: String {
        if let path = FileSystem.realPath("/proc/self/exe") { return path }
        let first = CommandLine.arguments.first ?? "zero"
        return FileSystem.realPath(first) ?? first
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

    /// `text` with control characters spelled out (`\e[1A`, `\x07`), so what an
    /// agent wrote cannot move the cursor or erase lines in front of an operator.
    static func visible(_ text: some StringProtocol) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0a, 0x09: out.unicodeScalars.append(scalar)
            case 0x1b: out += "\\e"
            case 0x00...0x1f, 0x7f...0x9f: out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Asks `question` on a terminal; true for y/yes. Not asked (true) when stdin or stderr is not a terminal.
    static func confirm(_ question: String) -> Bool {
        guard stdinIsTerminal, stderrIsTerminal else { return true }
        flush()
        writeError(question + " [y/N] ")
        let answer = readLine(strippingNewline: true)?.lowercased() ?? ""
        return answer == "y" || answer == "yes"
    }
    static var stdinIsTerminal: Bool { isatty(0) == 1 }
    static var stderrIsTerminal: Bool { isatty(2) == 1 }
}
