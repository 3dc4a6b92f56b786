import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a command for `zero proof run`: no shell, PATH lookup through
/// `/usr/bin/env`, stdout and stderr captured together in the order they
/// arrive and echoed live so the user sees the run.
public enum CommandRunner {
    public struct Result: Sendable {
        public var output: [UInt8]
        public var exitCode: Int
        public var durationMs: Int
    }

    /// Runs `arguments` in `folder`; `echo` receives each chunk as it comes.
    public static func run(_ arguments: [String], in folder: String, echo: (@Sendable ([UInt8]) -> Void)? = nil) throws -> Result {
        guard !arguments.isEmpty else {
            throw ZeroError(.usage, "no command to run", hint: "put the command after '--', e.g. zero proof run 3125 -- swift test")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let start = monotonicMilliseconds()
        do {
            try process.run()
        } catch {
            throw ZeroError(.usage, "cannot start '\(arguments[0])': \(error)", hint: "check the command and your PATH")
        }
        var output: [UInt8] = []
        let reader = pipe.fileHandleForReading
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            let bytes = [UInt8](chunk)
            output += bytes
            echo?(bytes)
        }
        process.waitUntilExit()
        let duration = monotonicMilliseconds() - start
        let status = Int(process.terminationStatus)
        let exitCode = process.terminationReason == .uncaughtSignal ? 128 + status : status
        if exitCode == 127, output.isEmpty || String(decoding: output, as: UTF8.self).contains("No such file") {
            throw ZeroError(.usage, "command not found: \(arguments[0])", hint: "check the command and your PATH")
        }
        return Result(output: output, exitCode: exitCode, durationMs: duration)
    }

    static func monotonicMilliseconds() -> Int {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int(spec.tv_sec) * 1000 + Int(spec.tv_nsec) / 1_000_000
    }
}
