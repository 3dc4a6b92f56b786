#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ArgumentParser
import ZeroCore

/// `--json`, shared by every command that prints something.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON (stable keys, for agents and scripts) instead of text.")
    var json = false
}

/// What a command needs: the workspace it runs in and how to print.
struct CommandContext {
    let workspace: Workspace
    let output: Output

    /// Locates the workspace from the current folder.
    static func make(_ options: OutputOptions) throws -> CommandContext {
        try make(json: options.json)
    }

    static func make(json: Bool) throws -> CommandContext {
        let variables = ProcessInfo.processInfo.environment
        let environment = try Environment.live(variables: variables)
        let workspace = try Workspace.locate(from: FileSystem.currentDirectory(), environment: environment)
        return CommandContext(workspace: workspace, output: Output(json: json, environment: variables))
    }
}
