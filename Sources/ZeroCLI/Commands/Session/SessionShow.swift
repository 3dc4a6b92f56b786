import ArgumentParser
import ZeroCore

struct SessionShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a session: header, plan, steps, output, events.",
        discussion: """
            Examples:
              zero session show 3125
              zero session show 3125/1 --json
            """
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.sessionDetail(try SessionReference(parsing: session)))
    }
}
