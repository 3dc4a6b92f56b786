import ArgumentParser
import ZeroCore
import ZeroServer

#if canImport(Glibc)
import Glibc
#endif

/// `zero-serve`: what `zero serve` runs (see Sources/ZeroCLI/Commands/Sidecar.swift).
/// The token comes from ZERO_SERVE_TOKEN when `zero serve --token` passed it on.
@main
struct ZeroServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zero-serve", abstract: "The HTTP API of zero (run it as 'zero serve').")

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port (0 picks a free one).") var port = 7878

    func run() async throws {
        var variables: [String: String] = [:]
        for (key, value) in ProcessInfoVariables.all() { variables[key] = value }
        var options = ServerOptions()
        options.host = host
        options.port = port
        options.token = variables["ZERO_SERVE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if let seconds = variables["ZERO_SSE_HEARTBEAT_SECONDS"].flatMap(Double.init), seconds > 0 { options.heartbeatSeconds = seconds }
        if let milliseconds = variables["ZERO_WEBHOOK_BACKOFF_MS"].flatMap(Int.init), milliseconds >= 0 { options.webhookBackoffMilliseconds = milliseconds }
        if let attempts = variables["ZERO_WEBHOOK_ATTEMPTS"].flatMap(Int.init), attempts > 0 { options.webhookAttempts = attempts }
        do {
            let environment = try Environment.live(variables: variables, currentFolder: FileSystem.currentDirectory())
            try await ZeroServe.run(options: options, environment: environment) { line in emit(1, line + "\n") }
        } catch let error as ZeroError {
            var text = "zero: \(error)\n"
            if let hint = error.hint { text += "hint: \(hint)\n" }
            emit(2, text)
            throw ExitCode(error.code.exitCode)
        }
    }
}

/// Writes `text` to file descriptor `fd` at once (no buffer: a test reads the port as it is printed).
func emit(_ fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written <= 0 { return }
        bytes = bytes.dropFirst(written)
    }
}

/// The process's variables.
enum ProcessInfoVariables {
    static func all() -> [String: String] {
        var variables: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") { variables[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            cursor += 1
        }
        return variables
    }
}
