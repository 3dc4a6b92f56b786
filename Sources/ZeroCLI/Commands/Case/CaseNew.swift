import ArgumentParser
import ZeroCore

struct CaseNew: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a case.",
        usage: "zero case new <title> [--type <type>] [--tag <tag> ...] [<options>]",
        discussion: """
            The case starts OPEN with a problem-definition.md: Observed/Expected/Repro for a \
            bug, Description for other types (tickets also get Steps, Acceptance criteria, Files).

            Examples:
              zero case new "auth timeout on /api/login" --type bug --priority high
              zero case new "Add rate limiting" --type feature --description "10/min"
              zero case new "Migrate users table" --depends-on 3125 --json
            """
    )

    @Argument(help: "The case title (one line).") var title: String
    @Option(help: "bug, feature, refactor, investigation, epic, greenfield or ticket.") var type: CaseType = .bug
    @Option(help: "low, medium or high.") var priority: Priority = .medium
    @Option(name: .customLong("tag"), help: "A tag; repeat for more.") var tags: [String] = []
    @Option(help: "A one-line summary.") var summary: String?
    @Option(name: .customLong("depends-on"), help: "A case this one depends on; repeat for more.") var dependsOn: [String] = []
    @Option(help: "The specification this ticket belongs to (id or prefix).") var spec: String?
    @Option(help: "The epic number within the specification.") var epic: Int?
    @Option(help: "What was observed (bug).") var observed: String?
    @Option(help: "What was expected (bug).") var expected: String?
    @Option(help: "How to reproduce it (bug).") var repro: String?
    @Option(help: "What the work is (other types).") var description: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        var new = NewCase(title: title)
        new.type = type
        new.priority = priority
        new.tags = tags
        new.summary = summary
        new.dependsOn = dependsOn
        new.spec = spec
        new.epic = epic
        new.problem = [("Observed", observed), ("Expected", expected), ("Repro", repro), ("Description", description)]
            .compactMap { name, body in body.map { (name, $0) } }
        let meta = try context.workspace.createCase(new)
        try context.report(meta, "created")
    }
}
