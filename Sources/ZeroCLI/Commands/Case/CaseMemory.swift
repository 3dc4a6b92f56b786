import ArgumentParser
import ZeroCore

struct CaseMemory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Print what an agent loads before a session on a case.",
        discussion: """
            The workspace's global memory (zero-memory/global/*.md), then the case's \\
            problem-definition.md, code-context.md and final-classification.md when \\
            present, its latest session file, and the list of its proofs.

            Examples:
              zero case memory 3125
              zero case memory 3125 --json
            """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.caseMemory(id))
    }
}
