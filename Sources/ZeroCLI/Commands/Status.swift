import ArgumentParser
import ZeroCore

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show where the workspace stands and what waits for an operator.",
        discussion: """
            Counts cases by state, lists open sessions, the session active in this \\
            worktree, and the plans, diffs and proofs that only an operator can move on.

            Examples:
              zero status
              zero status --json | jq '.awaiting_operator'
            """
    )

    @Flag(help: "Exit 65 when a case is broken (it is reported either way).") var strict = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let status = try context.workspace.status()
        try context.output.show(status)
        if strict { try CaseList.failIfBroken(status.broken.count) }
    }
}
