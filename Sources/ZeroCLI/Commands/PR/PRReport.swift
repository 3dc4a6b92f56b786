import ArgumentParser
import ZeroCore

struct PRReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Every case touched in a range, gate status and findings, as markdown.",
        discussion: "Examples:\n  zero pr report origin/main..HEAD\n  zero pr report \"$BASE..$HEAD\" --json")
    @Argument(help: "A range of commits, A..B.") var range: String
    @OptionGroup var options: OutputOptions
    func run() throws {
        let context = try CommandContext.makeForHistory(json: options.json)
        let report = try context.workspace.pullRequestReport(try CheckRange(parsing: range))
        try context.output.show(ReportView(markdown: report.markdown, check: report.result))
    }

    /// JSON `{"markdown", "check"}`; text is the markdown itself.
    struct ReportView: TextView {
        var markdown: String
        var check: CheckResult
        func render(_ output: Output) { output.raw(markdown) }
    }
}
