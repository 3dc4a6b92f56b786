import ArgumentParser
import ZeroCore

struct CaseLog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Show a case's history: every session event and linked commit in time order.",
        discussion: """
            Examples:
              zero case log 3125
              zero case log 3125 --json
            """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.caseLog(id))
    }
}
