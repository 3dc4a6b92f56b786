import ArgumentParser
import ZeroCore

struct SessionDiff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show the commits linked to a session by their trailers, with their diff stats.",
        discussion: """
            Without a session number: the case's newest implementing session, else \\
            its newest session.

            Examples:
              zero session diff 3125
              zero session diff 3125/2 --json
            """
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.sessionDiffView(try SessionReference(parsing: session)))
    }
}
