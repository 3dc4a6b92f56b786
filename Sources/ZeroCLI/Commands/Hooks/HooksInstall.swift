import ArgumentParser
import ZeroCore

struct HooksInstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install", abstract: "Install the hook shims (idempotent).",
        discussion: "Example:\n  zero hooks install")
    @OptionGroup var options: OutputOptions
    func run() throws {
        let context = try CommandContext.make(options)
        let report = try context.workspace.installHooks(zeroBinary: ZeroMain.binaryPath)
        try context.output.show(report)
    }
}
