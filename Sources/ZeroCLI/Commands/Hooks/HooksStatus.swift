import ArgumentParser
import ZeroCore

struct HooksStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show whether each hook runs Zero's gate.",
        discussion: "Examples:\n  zero hooks status\n  zero hooks status --json")
    @OptionGroup var options: OutputOptions
    func run() throws {
        let context = try CommandContext.make(options)
        let report = try context.workspace.hookStatus(zeroBinary: ZeroMain.binaryPath)
        try context.output.show(report)
    }
}
