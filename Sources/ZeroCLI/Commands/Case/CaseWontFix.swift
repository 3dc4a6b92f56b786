import ArgumentParser
import ZeroCore

struct CaseWontFix: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wont-fix", abstract: "Close an open case without fixing it (operator).",
        discussion: "Example:\n  zero case wont-fix 3125 --reason \"endpoint is being removed in 2.0\""
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "Why it will not be fixed.") var reason: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.wontFix(id, reason: reason), "closed")
    }
}
