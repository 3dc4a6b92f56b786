import ArgumentParser
import ZeroCore

struct CaseReopen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen", abstract: "Reopen a case on the watchlist (WATCHLIST → OPEN).",
        discussion: "Example:\n  zero case reopen 3125"
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.reopenCase(id), "reopened")
    }
}
