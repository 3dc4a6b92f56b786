import ArgumentParser
import ZeroCore

struct PrimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prime", abstract: "A short briefing for an agent starting work here.",
        discussion: """
            The session active in this worktree with its approved steps and scope, the \
            next ready tickets, the rules that will refuse a commit, and the next command. \
            Kept under 1 500 tokens, so an agent can read it at the start of every task.

            Examples:
              zero prime
              zero prime --json
            """)
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.prime())
    }
}

extension PrimeView: TextView {
    func render(_ output: Output) {
        if let active {
            output.line(
                output.paint("active: ", .bold) + "\(active.caseID.short)/\(active.session) \(active.type.rawValue), \(active.state.rawValue)"
                    + (active.approved ? ", plan approved" : ", no approved plan") + " — " + Terminal.visible(active.title))
            for (index, step) in active.steps.enumerated() {
                output.line("  \(index + 1). \(index < active.stepsDone ? "[x]" : "[ ]") \(Terminal.visible(step))")
            }
            output.line("  scope: " + (active.scope.isEmpty ? "none (no code may change)" : active.scope.map(Terminal.visible).joined(separator: ", ")))
        } else {
            output.line(output.paint("active: ", .bold) + "no session in this worktree")
        }
        output.line(output.paint("ready: ", .bold) + (ready.isEmpty ? "none" : "\(readyTotal) ticket\(readyTotal == 1 ? "" : "s")"))
        for ticket in ready { output.line("  \(ticket.id.short) wave \(ticket.wave) \(ticket.priority.rawValue) — \(Terminal.visible(ticket.title))") }
        output.line(output.paint("rules:", .bold))
        for rule in rules { output.line("  - " + rule) }
        output.line(output.paint("next: ", .bold) + next)
    }
}
