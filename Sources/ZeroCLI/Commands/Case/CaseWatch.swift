import ArgumentParser
import ZeroCore

struct CaseWatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Keep watching a resolved case (RESOLVED → WATCHLIST).",
        discussion: "Example:\n  zero case watch 3125"
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.watchCase(id), "on the watchlist")
    }
}
