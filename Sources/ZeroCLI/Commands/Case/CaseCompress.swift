import ArgumentParser
import ZeroCore

struct CaseCompress: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compress", abstract: "Archive a RESOLVED or NON_ISSUE case with a summary.",
        discussion: "Example:\n  zero case compress 3125 --summary \"JWT expiry off-by-one; fixed in 4a1f\""
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "The summary to keep.") var summary: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.compressCase(id, summary: summary), "archived")
    }
}
