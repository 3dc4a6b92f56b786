import ArgumentParser
import Foundation
import ZeroCore
import ZeroServer

/// `zero-serve`: what `zero serve` runs (see Sources/ZeroCLI/Commands/Sidecar.swift).
/// The token comes from ZERO_SERVE_TOKEN when `zero serve --token` passed it on.
@main
struct ZeroServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zero-serve", abstract: "The HTTP API of zero (run it as 'zero serve').")

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port (0 picks a free one).") var port = 7878

    func run() async throws {
        let variables = ProcessInfo.processInfo.environment
        var options = ServerOptions()
        options.host = host
        options.port = port
        options.token = variables["ZERO_SERVE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if let seconds = variables["ZERO_SSE_HEARTBEAT_SECONDS"].flatMap(Double.init), seconds > 0 { options.heartbeatSeconds = seconds }
        if let milliseconds = variables["ZERO_WEBHOOK_BACKOFF_MS"].flatMap(Int.init), milliseconds >= 0 { options.webhookBackoffMilliseconds = milliseconds }
        if let attempts = variables["ZERO_WEBHOOK_ATTEMPTS"].flatMap(Int.init), attempts > 0 { options.webhookAttempts = attempts }
        do {
            let environment = try Environment.live(variables: variables, currentFolder: FileSystem.currentDirectory())
            // FileHandle writes at once, unbuffered: a test reads the port as it is printed.
            try await ZeroServe.run(options: options, environment: environment) { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        } catch let error as ZeroError {
            FileHandle.standardError.write(Data(error.report.utf8))
            throw ExitCode(error.code.exitCode)
        }
    }
}
