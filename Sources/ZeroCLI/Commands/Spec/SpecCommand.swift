import ArgumentParser
import ZeroCore

struct SpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec",
        abstract: "Specifications: epics and tickets that unlock in waves.",
        discussion: """
            A specification lives in zero-memory/specs/<id>/ (spec.md and epics/NN.md); its \
            tickets are cases with --spec and --epic set. Its status is computed: draft, \
            planning (tickets, not approved), ready (approved), in_progress, \
            ready_for_review (every ticket done), completed (an operator confirmed).

            Examples:
              zero spec new "billing rewrite" --epic "invoices" --epic "payments"
              zero case new "invoice model" --type ticket --spec 5e1f --epic 1
              zero spec approve 5e1f
              zero ready --spec 5e1f
              zero spec complete 5e1f
            """,
        subcommands: [SpecNew.self, SpecList.self, SpecShow.self, SpecImport.self, SpecReviewCommand.self, SpecApprove.self, SpecComplete.self]
    )
}

struct SpecNew: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new", abstract: "Create a specification with its epics.",
        usage: "zero spec new <title> [--epic <title> ...] [<options>]",
        discussion: """
            Examples:
              zero spec new "billing rewrite" --goals "one invoice path" --epic invoices
              zero spec new "search" --requirements "- R1: find a case by a word"
            """)
    @Argument(help: "The specification's title.") var title: String
    @Option(parsing: .unconditional, help: "What it is about.") var description = ""
    @Option(parsing: .unconditional, help: "What it must achieve.") var goals = ""
    @Option(parsing: .unconditional, help: "What it requires.") var requirements = ""
    @Option(parsing: .unconditional, help: "Patterns to follow.") var patterns = ""
    @Option(name: .customLong("epic"), help: "An epic title; repeat in order (numbered 1, 2, …).") var epics: [String] = []
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        var new = NewSpec(title: title)
        new.description = description
        new.goals = goals
        new.requirements = requirements
        new.patterns = patterns
        new.epics = epics
        let spec = try context.workspace.createSpec(new)
        try context.output.show(try context.workspace.specView(spec.id))
    }
}

struct SpecList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the specifications with their status.",
        discussion: "Examples:\n  zero spec list\n  zero spec list --json")
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(SpecListView(specs: try context.workspace.specIDs().map { try context.workspace.specView($0) }))
    }
}

struct SpecShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a specification: status, epics and tickets.",
        discussion: "Examples:\n  zero spec show 5e1f\n  zero spec show 5e1f --json")
    @Argument(help: "The specification id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.specView(id))
    }
}

struct SpecApprove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve a specification (operator): each ticket's steps and files become its approved plan.",
        discussion: """
            One operator action: every ticket not yet approved gets a planning session whose \
            plan is its ## Steps and whose scope is its ## Files, approved by you (signed in \
            signed mode). The tickets move to IMPLEMENTING; 'zero work start' opens their \
            implementing sessions, which may change only the files each ticket lists. With \
            quality.require_planning_review (the default), a specification that does not \
            pass 'zero spec review' is refused.

            Example:
              zero spec review 5e1f && zero spec approve 5e1f
            """)
    @Argument(help: "The specification id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.approveSpec(id))
    }
}

struct SpecComplete: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete", abstract: "Confirm a delivered specification (operator; every ticket done).",
        discussion: "Example:\n  zero spec complete 5e1f")
    @Argument(help: "The specification id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.completeSpec(id))
    }
}

/// JSON: an array of specification views.
struct SpecListView: TextView {
    var specs: [SpecView]

    func encode(to encoder: any Encoder) throws { try specs.encode(to: encoder) }

    func render(_ output: Output) {
        if specs.isEmpty {
            output.line("no specifications; create one with 'zero spec new \"<title>\"'")
            return
        }
        output.table(
            ["ID", "STATUS", "TICKETS", "DONE", "TITLE"],
            specs.map {
                [$0.spec.id.short, $0.status.rawValue, String($0.tickets.count), String($0.tickets.filter { $0.status == .done }.count), $0.spec.title]
            })
    }
}
