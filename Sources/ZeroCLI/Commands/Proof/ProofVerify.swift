import ArgumentParser
import ZeroCore

struct ProofVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Mark a proof verified (operator), after checking its artifact is intact.",
        usage: "zero proof verify <id> <proof> [--accept-failing --reason <why>] [--yes]",
        discussion: """
            A proof whose command exited non-zero, or whose summary reports failures, is refused \
            unless you accept it knowingly with --accept-failing --reason; the reason is recorded \
            in the proof. Resolving a case needs at least one verified proof that passed or was \
            accepted so. In signed mode the verification carries your SSH signature.

            Examples:
              zero proof verify 3125 7c1e
              zero proof verify 3125 9a0b --accept-failing --reason "flaky, see 4410"
            """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Argument(help: "The proof id or a unique prefix.") var proof: String
    @Flag(help: "Verify a proof whose command failed (needs --reason).") var acceptFailing = false
    @Option(help: "Why a failing proof counts anyway.") var reason: String?
    @Flag(help: "Verify without asking.") var yes = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        if acceptFailing != (reason != nil) {
            throw ZeroError(.usage, "--accept-failing and --reason go together", hint: "zero proof verify \(id) \(proof) --accept-failing --reason \"…\"")
        }
        let context = try CommandContext.make(options)
        if !options.json {
            // What is being verified, as captured: the operator reads it before vouching for it.
            let shown = try context.workspace.findProof(id, proof).proof
            let output = context.output
            output.line("proof \(shown.shortID) (\(shown.type.rawValue)) of case \(shown.caseID.prefix(8)):")
            if let command = shown.command { output.line("  command:   " + Terminal.visible(command)) }
            if let exitCode = shown.exitCode { output.line("  exit code: \(exitCode)") }
            if let summary = shown.summary { output.line("  summary:   " + Terminal.visible(summary)) }
            if let head = shown.head { output.line("  ran on:    \(head.prefix(12))" + (shown.dirty == true ? " (with uncommitted changes)" : "")) }
            let excerpt = shown.excerpt.split(separator: "\n").filter { !$0.hasPrefix("```") }.suffix(8)
            for line in excerpt { output.line("  | " + Terminal.visible(line)) }
        }
        if !yes, !options.json, !Terminal.confirm("verify this proof?") {
            throw ZeroError(.refused, "not verified", hint: "capture a new proof if this one is not what you expect")
        }
        let verified = try context.workspace.verifyProof(id, proof, acceptFailing: reason)
        try context.report(verified, "verified by \(verified.verifiedBy ?? "?")")
    }
}
