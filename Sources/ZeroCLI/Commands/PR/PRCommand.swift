import ArgumentParser
import ZeroCore

struct PRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pr",
        abstract: "Markdown for pull requests: the proof of each case, and the report of a range.",
        discussion: """
            Examples:
              zero pr body 3125 > body.md && gh pr create --body-file body.md
              zero pr report origin/main..HEAD
              zero pr workflow > .github/workflows/zero.yml
            """,
        subcommands: [PRBody.self, PRReport.self, PRWorkflow.self]
    )
}
