import ArgumentParser
import ZeroCore

struct SessionApprove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a submitted plan (operator). The approval binds to the plan's SHA-256.",
        discussion: """
            Prints what it approves (hypothesis, plan, scope, hash) and, on a terminal, asks \
            before approving; --yes skips the question. If the plan changes between showing \
            and approving, nothing is approved. A planning session completes with its approval \
            and the case moves INVESTIGATING → IMPLEMENTING; code may then change under an \
            implementing session. In signed mode the approval carries your SSH signature.

            Examples:
              zero session approve 3125
              zero session approve 3125/1 --yes
            """
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @Flag(help: "Approve without asking.") var yes = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let reference = try SessionReference(parsing: session)
        let shown = try context.workspace.findSession(reference).session
        let hash = shown.computedPlanHash
        if !options.json {
            let output = context.output
            output.line("session \(shown.caseID.short)/\(shown.number) \(shown.type.rawValue), plan \(hash.prefix(12)):")
            for (name, body) in [("Hypothesis", shown.hypothesis), ("Plan", shown.plan)] {
                output.line("  \(name):")
                let text = body.isEmpty ? "(none)" : body
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) { output.line("    " + Terminal.visible(line)) }
            }
            output.line("  Scope (paths code may change):")
            for glob in shown.scopeGlobs {
                // A glob without "/" matches a file name at any depth, as in .gitignore.
                output.line("    - " + Terminal.visible(glob) + (glob.contains("/") ? "" : "   (a name at any depth)"))
            }
            if shown.scopeGlobs.isEmpty { output.line("    (none)") }
        }
        if !yes, !options.json, !Terminal.confirm("approve this plan?") {
            throw ZeroError(.refused, "not approved", hint: "reject it with reasons: zero session reject \(shown.caseID.short) --reason \"…\"")
        }
        let approved = try context.workspace.approvePlan(SessionReference(caseReference: shown.caseID, number: shown.number), expectedHash: hash)
        try context.report(approved, "approved (plan \(approved.planSHA256?.prefix(12) ?? "?"))")
    }
}
