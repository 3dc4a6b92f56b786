import ArgumentParser
import ZeroCore

struct SessionPlan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Write the hypothesis, plan and scope, and submit the plan for approval.",
        usage: "zero session plan <session> [--step <step> ...] [<options>]",
        discussion: """
            The plan is submitted (plan_ready) unless --draft is given. Editing the plan \
            of an approved or executing session voids its approval: it goes back to \
            plan_ready until an operator approves the new text.

            --plan-file reads a markdown plan: '## Hypothesis' (text), '## Plan' \
            (steps as '1. ...' or '- ...') and '## Scope' (one glob per line). A line \
            it cannot place is refused with its line number.

            Examples:
              zero session plan 3125 --hypothesis "JWT expiry uses < not <=" \\
                   --step "Patch auth/jwt.rs:142" --step "Run cargo test auth" \\
                   --scope 'auth/**'
              zero session plan 3125/1 --plan-file plan.md
              cat plan.md | zero session plan 3125 --plan-file -
            """
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @Option(help: "The hypothesis.") var hypothesis: String?
    @Option(name: .customLong("step"), help: "A plan step; repeat in order.") var steps: [String] = []
    @Option(name: .customLong("plan-file"), help: "A markdown plan (## Hypothesis, ## Plan, ## Scope), or - for stdin.")
    var planFile: String?
    @Option(name: .customLong("scope"), help: "A path glob the plan may touch; repeat for more.") var scope: [String] = []
    @Flag(help: "Save without submitting for approval.") var draft = false
    @OptionGroup var options: OutputOptions

    func validate() throws {
        if planFile != nil, !steps.isEmpty {
            throw ValidationError("give the steps either with --step or in --plan-file, not both")
        }
    }

    func run() throws {
        let context = try CommandContext.make(options)
        var input = PlanInput()
        if let planFile {
            input = try PlanDocument.parse(try readArgumentBytes(planFile, context), file: planFile == "-" ? "<stdin>" : planFile)
            if hypothesis != nil, input.hypothesis != nil {
                throw ZeroError(
                    .usage, "the hypothesis is given twice: in --hypothesis and in \(planFile)'s '## Hypothesis'",
                    hint: "keep one of them")
            }
            if !scope.isEmpty, input.scope != nil {
                throw ZeroError(.usage, "the scope is given twice: in --scope and in \(planFile)'s '## Scope'", hint: "keep one of them")
            }
        }
        input.hypothesis = hypothesis ?? input.hypothesis
        if !steps.isEmpty { input.steps = steps }
        if !scope.isEmpty { input.scope = scope }
        input.draft = draft
        let session = try context.workspace.writePlan(try SessionReference(parsing: self.session), input)
        try context.report(session, "plan written")
    }
}
