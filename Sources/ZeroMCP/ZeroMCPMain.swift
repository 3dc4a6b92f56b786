import Foundation
import ZeroCore

/// The entry point of `zero-mcp`, which `zero mcp` replaces itself with:
/// serves MCP over stdio, acting as the repository's git identity (as the
/// CLI does), in the workspace found from the folder it was started in.
public enum ZeroMCPMain {
    public static func run() async -> Never {
        do {
            let environment = try Environment.live(
                variables: ProcessInfo.processInfo.environment, currentFolder: FileSystem.currentDirectory())
            try await ZeroMCPServer.serveStandardIO(environment: environment)
            exit(0)
        } catch let error as ZeroError {
            FileHandle.standardError.write(Data(error.report.utf8))
            exit(error.code.exitCode)
        } catch {
            FileHandle.standardError.write(Data("zero: mcp: \(error)\n".utf8))
            exit(70)
        }
    }
}
