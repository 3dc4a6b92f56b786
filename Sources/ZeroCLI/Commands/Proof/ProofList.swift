import ArgumentParser
import ZeroCore

struct ProofList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List a case's proofs.",
        discussion: """
            Examples:
              zero proof list 3125
              zero proof list 3125 --json
            """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.proofList(id))
    }
}
