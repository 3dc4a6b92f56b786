import ArgumentParser
import ZeroCore

struct SessionFail: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fail", abstract: "End a session as failed (an error it cannot recover from).",
        discussion: "Example:\n  zero session fail 3125 --reason \"build toolchain missing\""
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @Option(help: "What went wrong.") var reason: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.endSession(try SessionReference(parsing: session), as: .failed, reason: reason), "ended")
    }
}
