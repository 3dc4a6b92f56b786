import ArgumentParser
import ZeroCore

struct PRBody: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "body", abstract: "Sessions, plan, commits, proofs and outcome of cases, as markdown.",
        discussion: "Examples:\n  zero pr body 3125\n  zero pr body 3125 9f2c\n  zero pr body 3125 --json")
    @Argument(help: "Case ids or prefixes.") var cases: [String] = []
    @OptionGroup var options: OutputOptions
    func run() throws {
        let context = try CommandContext.make(options)
        let markdown = try context.workspace.pullRequestBody(cases)
        try context.output.show(MarkdownView(markdown: markdown, cases: try cases.map { try context.workspace.resolveCase($0) }))
    }

    /// JSON `{"markdown", "cases"}`; text is the markdown itself.
    struct MarkdownView: TextView {
        var markdown: String
        var cases: [String]
        func render(_ output: Output) { output.raw(markdown) }
    }
}
