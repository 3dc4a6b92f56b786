import ArgumentParser
import ZeroCore

struct PRWorkflow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow", abstract: "Print the GitHub Actions workflow that runs zero check on pull requests.",
        discussion: """
            The workflow builds zero on the runner from ZERO_REPOSITORY at ZERO_REF (edit both; pin a full \
            commit sha), runs zero check from the pull request's base to the merge commit GitHub builds \
            for it, and writes the report to the run's summary and, unless the token is read-only (forks, \
            Dependabot), to a comment on the pull request.

            Example:
              mkdir -p .github/workflows && zero pr workflow > .github/workflows/zero.yml
            """)
    func run() throws {
        Terminal.write(Templates.text("github/zero.yml") ?? "")
    }
}
