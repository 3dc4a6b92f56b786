import ArgumentParser
import ZeroCore

struct SessionStart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start an approved session: it executes and becomes active in this worktree.",
        discussion: "Example:\n  zero session start 3125"
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.startSession(try SessionReference(parsing: session)), "started")
    }
}
