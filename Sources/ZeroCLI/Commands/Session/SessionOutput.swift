import ArgumentParser
import ZeroCore

struct SessionOutput: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "output",
        abstract: "Write the session's execution output.",
        discussion: """
            Examples:
              zero session output 3125 "Patched jwt.rs:142; 47/47 tests pass"
              zero session output 3125 --file notes.md
            """
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @Argument(help: "The output text.") var text: String?
    @Option(help: "Read the output from a file, or - for stdin.") var file: String?
    @OptionGroup var options: OutputOptions

    func validate() throws {
        guard (text == nil) != (file == nil) else {
            throw ValidationError("give the output as text or with --file, not both or neither")
        }
    }

    func run() throws {
        let context = try CommandContext.make(options)
        var body = text ?? ""
        if let file {
            let bytes = try readArgumentBytes(file, context)
            guard let decoded = MemoryText.decodeIfValid(bytes) else { throw ZeroError(.usage, "\(file) is not UTF-8 text", file: file) }
            body = decoded
        }
        try context.report(try context.workspace.writeOutput(try SessionReference(parsing: session), text: body), "output written")
    }
}
