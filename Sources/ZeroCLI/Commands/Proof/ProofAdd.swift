import ArgumentParser
import ZeroCore

struct ProofAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Attach a file or a note as proof.",
        usage: "zero proof add <id> --type <type> [--file <file>] [<options>]",
        discussion: """
            Examples:
              zero proof add 3125 --type screenshot --file login.png --summary "1.2s"
              zero proof add 3125 --type operator-note --note "no 504s in 1h"
              zero proof add 3125 --type test-log --file ci-output.txt
            """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "test-log, trace, diff, screenshot, operator-note, benchmark or log.") var type: ProofType
    @Option(help: "The artifact file to attach.") var file: String?
    @Option(help: "A note to store as the artifact.") var note: String?
    @Option(help: "A one-line summary (read from test output when omitted).") var summary: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        var input = ProofInput(type: type)
        input.artifactPath = file
        input.note = note
        input.summary = summary
        try context.report(try context.workspace.addProof(id, input), "attached")
    }
}
