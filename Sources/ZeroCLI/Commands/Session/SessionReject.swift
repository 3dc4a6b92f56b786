import ArgumentParser
import ZeroCore

struct SessionReject: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Send a submitted plan back to planning (operator); on a VERIFYING case, reject the verification.",
        discussion: """
            Examples:
              zero session reject 3125 --reason "scope too wide; touch only auth/jwt.rs"
              zero session reject 3125 --reason "tests miss the boundary"
            """
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let result = try context.workspace.rejectPlan(try SessionReference(parsing: session), reason: reason)
        if let session = result.session {
            try context.report(session, "plan rejected")
        } else {
            try context.report(result.meta, "verification rejected")
        }
    }
}
