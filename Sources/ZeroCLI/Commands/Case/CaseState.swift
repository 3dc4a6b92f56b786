import ArgumentParser
import ZeroCore

struct CaseState_: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Move a case to another state, if the transition table allows it.",
        discussion: """
            Only moves in the table of DESIGN §3.1 are allowed, each with its gate (operator, \
            verified proof). BLOCKED, NEEDS_USER_INPUT, WONT_FIX and COMPRESSED need --reason; \
            RESOLVED and NON_ISSUE need an outcome, so use 'zero case resolve' or 'non-issue'.

            Examples:
              zero case state 3125 IMPLEMENTING
              zero case state 3125 BLOCKED --reason "waiting on infra"
            """
    )

    @Argument(help: "The case id or a unique prefix.") var id: String
    @Argument(help: "The target state.") var state: String
    @Option(help: "Why (for BLOCKED, NEEDS_USER_INPUT, WONT_FIX, COMPRESSED).") var reason: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        guard let target = CaseState(loose: state) else {
            throw ZeroError(.usage, "'\(state)' is not a case state", hint: "use one of \(CaseState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try context.report(try context.workspace.forceState(id, to: target, reason: reason), "moved")
    }
}
