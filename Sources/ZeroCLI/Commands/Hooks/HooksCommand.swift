import ArgumentParser
import ZeroCore

struct HooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooks",
        abstract: "Install, remove or inspect Zero's git hooks (pre-commit, commit-msg, pre-push).",
        discussion: """
            The hooks live where git looks for them: core.hooksPath, or the shared hooks folder \
            of the repository (all worktrees). A hook you already had is kept as <name>.chained \
            and runs first; Zero's gate runs only if it passes. When husky, lefthook or pre-commit \
            own the hooks, Zero prints the lines to add to their config instead. ZERO_HOOKS=0 skips \
            the hooks for one command, with a warning; zero check and CI still replay every rule.

            Examples:
              zero hooks install
              zero hooks status --json
              zero hooks uninstall
              ZERO_HOOKS=0 git commit -m "emergency"
            """,
        subcommands: [HooksInstall.self, HooksUninstall.self, HooksStatus.self]
    )
}
