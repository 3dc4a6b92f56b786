import ArgumentParser
import ZeroCore

struct HooksUninstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall", abstract: "Remove Zero's shims and restore chained hooks.",
        discussion: "Example:\n  zero hooks uninstall")
    @OptionGroup var options: OutputOptions
    func run() throws {
        let context = try CommandContext.make(options)
        let report = try context.workspace.uninstallHooks()
        try context.output.show(report)
    }
}
