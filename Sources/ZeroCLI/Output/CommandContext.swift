import ArgumentParser
import ZeroCore
import ZeroGit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
        let environment = try ZeroMain.processEnvironment()
        let workspace = try Workspace.locate(from: environment.currentFolder, environment: environment)
        return CommandContext(workspace: workspace, output: Output(json: json, environment: environment.variables))
    }

    /// For commands that judge history (`zero check`, `zero pr report`): the
    /// workspace, or the repository's top when its work tree has no
    /// zero-memory/config.yaml (history is judged, not the files on disk).
    static func makeForHistory(json: Bool) throws -> CommandContext {
        do {
            return try make(json: json)
        } catch let error as ZeroError where error.code == .notFound {
            let environment = try ZeroMain.processEnvironment()
            let repository = try Repository.discover(from: environment.currentFolder)
            guard let top = repository.workdir else { throw error }
            return CommandContext(
                workspace: Workspace(root: top, environment: environment),
                output: Output(json: json, environment: environment.variables))
        }
    }
}
