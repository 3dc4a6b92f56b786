import ArgumentParser
import ZeroCore

struct CaseShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a case: its state, problem definition, sessions and proofs.",
        discussion: """
            Examples:
              zero case show 3125
              zero case show 3125 --json
            """
    )

    @Argument(help: "The case id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.caseDetail(id))
    }
}
