import ArgumentParser
import ZeroCore

struct SpecImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Create or update specifications from a SpecForge file.",
        discussion: """
            Reads a SpecForge document (.sf.json, .sf.yaml or .sf.yml): its specifications \
            become specs, their epics epics/NN.md, and each ticket a case with --spec, --epic \
            and depends_on set (dependencies may cross epics; 'requires' and 'dependsOnId' \
            name what the ticket waits for, 'blocks' what waits for it). Description, \
            implementation.steps, acceptanceCriteria and implementation.filesToCreate / \
            filesToModify fill the ticket's ## sections; the README lists every field read.

            The whole file is checked first: an unknown dependency, a cycle, a duplicate id \
            or a missing title is an error naming the place in the file (exit 65), and \
            nothing is written. Each record keeps the SpecForge id it came from (source:), \
            so importing the file again creates nothing new; what the file changed is \
            rewritten, for tickets only while they have not started. A file that changes a \
            started ticket is refused whole (exit 73).

            Examples:
              zero spec import plan.sf.json
              zero spec import plan.sf.yaml --dry-run
              zero spec import plan.sf.json --json | jq .ticket_ids
            """)
    @Argument(help: "The SpecForge file.") var file: String
    @Flag(help: "Say what would change and write nothing (new ids are not kept).") var dryRun = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.importSpecForge(file, dryRun: dryRun))
    }
}

extension SpecImportView: TextView {
    func render(_ output: Output) {
        for spec in specs {
            output.line(
                output.paint(Terminal.visible(spec.title), .bold) + " (\(spec.id.short), from \(Terminal.visible(spec.source))): \(spec.change.rawValue)")
        }
        for epic in epics where epic.change != .unchanged {
            output.line("  epic \(epic.number) \(epic.change.rawValue): \(Terminal.visible(epic.title))")
        }
        let changed = tickets.filter { $0.change != .unchanged }
        if !changed.isEmpty {
            output.table(
                ["ID", "CHANGE", "EPIC", "SOURCE", "TITLE"],
                changed.map {
                    [$0.id.short, $0.change.rawValue, $0.epic.map(String.init) ?? "-", Terminal.visible($0.source), Terminal.visible($0.title)]
                }, styles: [1: output.stateStyle])
        }
        if !notInFile.isEmpty {
            output.line(
                "not in the file any more, left as they are: "
                    + notInFile.map { "\($0.id.short) (\(Terminal.visible($0.source)))" }.joined(separator: ", "))
        }
        let summary = "\(count(.created)) created, \(count(.updated)) updated, \(count(.unchanged)) unchanged"
        output.line(dryRun ? summary + " (dry run: nothing written)" : summary)
    }
}
