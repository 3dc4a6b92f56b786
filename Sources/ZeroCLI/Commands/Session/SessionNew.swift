import ArgumentParser
import ZeroCore

struct SessionNew: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Start the next session on a case.",
        discussion: """
            planning and investigating: the case must be OPEN or INVESTIGATING (or IMPLEMENTING/\
            VERIFYING to re-plan); an OPEN case becomes INVESTIGATING.
            implementing: the case needs an approved plan; the session inherits it and starts approved.
            verifying: the case needs a complete implementing session.
            Only one session per case may be open, and each counts against the monthly limit.

            Examples:
              zero session new 3125 --type planning
              zero session new 3125 --type implementing --start
            """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "planning, investigating, implementing or verifying.") var type: SessionType
    @Flag(help: "Start it at once (an approved session begins executing here).") var start = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let session = try context.workspace.newSession(id, type: type, start: start)
        try context.report(session, "created")
    }
}
