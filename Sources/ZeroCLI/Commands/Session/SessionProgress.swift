import ArgumentParser
import ZeroCore

struct SessionProgress: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Report progress: steps done, files touched, discoveries, a note.",
        usage: "zero session progress <session> [--done <n> ...] [<options>]",
        discussion: """
            Examples:
              zero session progress 3125 --done 1 --file modified:auth/jwt.rs
              zero session progress 3125 --discovery "clock skew is 2s in staging"
            """
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @Option(name: .customLong("done"), help: "A plan step (1-based) now done; repeat for more.") var done: [Int] = []
    @Option(name: .customLong("file"), help: "action:path, action is created, modified, deleted or renamed.") var files: [String] = []
    @Option(name: .customLong("discovery"), help: "Something learned that the plan did not know.") var discoveries: [String] = []
    @Option(help: "A short note for the event log.") var note: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        var input = ProgressInput()
        input.doneSteps = done
        input.files = try files.map { text in
            guard let colon = text.firstIndex(of: ":") else {
                throw ZeroError(.usage, "'\(text)' is not action:path", hint: "for example --file modified:auth/jwt.rs")
            }
            return (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }
        input.discoveries = discoveries
        input.note = note
        try context.report(try context.workspace.reportProgress(try SessionReference(parsing: session), input), "progress recorded")
    }
}
