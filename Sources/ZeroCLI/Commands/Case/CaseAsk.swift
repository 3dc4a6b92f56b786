import ArgumentParser
import ZeroCore

struct CaseAsk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask", abstract: "Ask the user a question; the case waits in NEEDS_USER_INPUT.",
        discussion: "Example:\n  zero case ask 3125 \"Should expired tokens get a grace period?\""
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Argument(help: "The question.") var question: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.askQuestion(id, question: question), "waiting for an answer")
    }
}
