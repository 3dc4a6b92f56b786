import ArgumentParser
import ZeroCore

struct SpecReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Score a specification's plan, and review what its tickets delivered.",
        discussion: """
            The planning review scores completeness, dependencies, coverage of the \
            requirements, ticket quality and acceptance criteria (0-100 each, weighted) \
            and passes at quality.readiness_threshold with no blocker (a cycle, a missing \
            case, a ticket without steps or files). With quality.require_planning_review, \
            'zero spec approve' refuses a spec that does not pass. Delivered tickets are \
            also reviewed: criteria recorded as passed, expected files changed by their \
            commits, validation recorded. Exit status 1 when either review finds gaps.

            Examples:
              zero spec review 5e1f
              zero spec review 5e1f --json
            """)
    @Argument(help: "The specification (a unique id prefix).") var spec: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let review = try context.workspace.reviewSpec(spec)
        try context.output.show(review)
        if !review.passed || review.implementation?.passed == false { throw ExitCode(1) }
    }
}
