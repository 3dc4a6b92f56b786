import ArgumentParser
import ZeroCore

struct CaseNonIssue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "non-issue",
        abstract: "Close an INVESTIGATING case as not a defect (operator; needs verified proof).",
        discussion: """
            Outcomes: IntendedBehavior, Duplicate, Unreproducible, NeedsProductDecision, NeedsUserInput.

            Example:
              zero case non-issue 3125 --outcome Unreproducible --reason "200 runs, no 504"
            """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "Why it is not a defect.") var outcome: Outcome
    @Option(help: "What the investigation found.") var reason: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.markNonIssue(id, outcome: outcome, reason: reason), "closed")
    }
}
