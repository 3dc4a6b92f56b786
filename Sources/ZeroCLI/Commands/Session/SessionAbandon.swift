import ArgumentParser
import ZeroCore

struct SessionAbandon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abandon", abstract: "End a session without proof.",
        discussion: "Example:\n  zero session abandon 3125 --reason \"wrong approach; re-planning\""
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.endSession(try SessionReference(parsing: session), as: .abandoned, reason: reason), "ended")
    }
}
