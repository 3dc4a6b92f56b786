import ArgumentParser
import ZeroCore

struct CaseEdit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change a case's title, type, priority, summary, tags or dependencies.",
        usage: "zero case edit <id> [--title <title>] [--tag <tag> ...] [<options>]",
        discussion: """
            Examples:
              zero case edit 3125 --priority high --tag urgent
              zero case edit 3125 --title "auth timeout on /api/login under load"
              zero case edit 3125 --depends-on 9f2c --untag wip
            """
    )

    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "A new title.") var title: String?
    @Option(help: "A new type.") var type: CaseType?
    @Option(help: "low, medium or high.") var priority: Priority?
    @Option(help: "A new summary (empty to clear).") var summary: String?
    @Option(name: .customLong("tag"), help: "Add a tag; repeat for more.") var tags: [String] = []
    @Option(name: .customLong("untag"), help: "Remove a tag; repeat for more.") var untags: [String] = []
    @Option(name: .customLong("depends-on"), help: "Add a dependency; repeat for more.") var dependsOn: [String] = []
    @Option(name: .customLong("no-depends-on"), help: "Remove a dependency; repeat for more.") var noDependsOn: [String] = []
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        var edit = ZeroCore.CaseEdit()
        edit.title = title
        edit.type = type
        edit.priority = priority
        edit.summary = summary
        edit.addTags = tags
        edit.removeTags = untags.map { $0.lowercased() }
        edit.addDependencies = dependsOn
        edit.removeDependencies = noDependsOn
        try context.report(try context.workspace.editCase(id, edit), "updated")
    }
}
