import ArgumentParser
import ZeroCore

struct SessionResume: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resume a paused session; it becomes active in this worktree again.",
        discussion: "Example:\n  zero session resume 3125"
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.resumeSession(try SessionReference(parsing: session)), "resumed")
    }
}
