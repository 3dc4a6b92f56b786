import ArgumentParser
import ZeroCore

struct SessionComplete: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete",
        abstract: "Complete an executing session; its file is sealed and never changes again.",
        discussion: """
            Test counts come from the last test-log proof recorded in the session. With \
            gates.diff_review: auto, completing an implementing session also moves the case to VERIFYING.

            Example:
              zero session complete 3125 --output "Patched jwt.rs:142"
            """
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @Option(help: "The execution output, if not written yet.") var output: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.completeSession(try SessionReference(parsing: session), output: output), "completed")
    }
}
