import ArgumentParser
import ZeroCore

struct CaseBlock: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block",
        abstract: "Block an open case for an outside reason.",
        discussion: """
            Example:
              zero case block 3125 --reason "needs a migration of the users table"
            """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "What blocks it.") var reason: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.blockCase(id, reason: reason), "blocked")
    }
}
