import ArgumentParser
import ZeroCore

struct SessionList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List a case's sessions.",
        discussion: """
            Examples:
              zero session list 3125
              zero session list 3125 --json
            """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.sessionList(id))
    }
}
