import ArgumentParser
import ZeroCore

/// `zero hook <name>`: what the shims call. Normally dispatched before the
/// argument parser (see ZeroMain); this entry exists for help and completeness.
struct HookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Run one git hook's gate (called by the installed shims).",
        discussion: """
            Examples:
              zero hook pre-commit
              zero hook commit-msg .git/COMMIT_EDITMSG
              echo "refs/heads/x <sha> refs/heads/x <sha>" | zero hook pre-push origin url
            """,
        shouldDisplay: false
    )
    @Argument(help: "pre-commit, commit-msg or pre-push.") var name: String
    @Argument(parsing: .captureForPassthrough, help: "What git passes to the hook.") var arguments: [String] = []

    func run() throws {
        let code = Hooks.run(
            name, arguments: arguments, environment: try ZeroMain.processEnvironment(), stdin: ZeroMain.readStandardInput,
            report: Terminal.writeError)
        if code != 0 { throw ExitCode(code) }
    }
}
