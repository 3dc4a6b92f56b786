import ZeroCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where output goes: stdout for results, stderr for errors and progress.
enum Terminal {
    static func write(_ text: String) {
        if let invocation = Invocation.current {
            invocation.output.withLock { $0.stdout += text }
            return
        }
        print(text, terminator: "")
    }

    /// Unbuffered, so progress shows at once.
    static func writeError(_ text: String) {
        if let invocation = Invocation.current {
            invocation.output.withLock { $0.stderr += text }
            return
        }
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
        writeError(error.report)
    }

    static var stdoutIsTerminal: Bool { Invocation.current == nil && isatty(1) == 1 }

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
    static var stdinIsTerminal: Bool { Invocation.current == nil && isatty(0) == 1 }
    static var stderrIsTerminal: Bool { Invocation.current == nil && isatty(2) == 1 }
}
