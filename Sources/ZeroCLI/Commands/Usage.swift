import ArgumentParser
import ZeroCore

struct UsageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Show sessions used this month against plan.monthly_session_limit.",
        discussion: """
            Every session counts once, whatever its type (planning, investigating, \\
            implementing, verifying). Months are calendar months in UTC.

            Examples:
              zero usage
              zero usage --json
            """
    )

    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.usage())
    }
}
