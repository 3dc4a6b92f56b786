import ArgumentParser
import ZeroCore

struct SessionAccept: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Accept a complete implementing session's diff (operator): case IMPLEMENTING → VERIFYING.",
        discussion: "Example:\n  zero session accept 3125"
    )
    @Argument(help: "The case, or <case>/<number> of the implementing session.") var session: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.acceptSession(try SessionReference(parsing: session)), "diff accepted")
    }
}
