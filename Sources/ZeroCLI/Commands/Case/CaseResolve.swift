import ArgumentParser
import ZeroCore

struct CaseResolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve a VERIFYING case with an outcome (operator; needs verified proof).",
        usage: "zero case resolve <id> --outcome <outcome> [<options>]",
        discussion: """
            Writes final-classification.md with the outcome, root cause, fix and the verified proofs.
            Outcomes: \(Outcome.list).

            Example:
              zero case resolve 3125 --outcome ConfirmedCodeBug --root-cause "off by one"
            """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "How the case ended.") var outcome: Outcome
    @Option(name: .customLong("root-cause"), help: "What caused it.") var rootCause: String?
    @Option(help: "What fixed it.") var fix: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.resolve(id, outcome: outcome, rootCause: rootCause, fix: fix), "resolved")
    }
}
