import ArgumentParser
import ZeroCore

struct SessionPause: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Pause a session; progress is kept and it stops being active here.",
        discussion: "Example:\n  zero session pause 3125"
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.pauseSession(try SessionReference(parsing: session)), "paused")
    }
}
