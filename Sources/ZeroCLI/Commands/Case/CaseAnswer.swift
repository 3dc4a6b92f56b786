import ArgumentParser
import ZeroCore

struct CaseAnswer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer", abstract: "Answer the open question; the case returns to its previous state.",
        discussion: "Example:\n  zero case answer 3125 \"No grace period.\""
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Argument(help: "The answer.") var answer: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.answerQuestion(id, answer: answer), "answered")
    }
}
