import ArgumentParser
import ZeroCore

struct CaseUnblock: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unblock", abstract: "Return a blocked case to the state it had.",
        discussion: "Example:\n  zero case unblock 3125"
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.unblockCase(id), "unblocked")
    }
}
