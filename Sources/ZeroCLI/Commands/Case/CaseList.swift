import ArgumentParser
import ZeroCore

struct CaseList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List cases, oldest first.",
        usage: "zero case list [--state <state> ...] [--tag <tag>] [<options>]",
        discussion: """
            A case whose files do not read is listed as BROKEN with the reason; \\
            'zero doctor' explains and repairs what is safe.

            Examples:
              zero case list
              zero case list --state OPEN --state INVESTIGATING
              zero case list --tag auth --json
              zero case list --strict        # exit 65 when any case is broken
            """
    )

    @Option(help: "Only cases in this state (or BROKEN); repeat for more.") var state: [String] = []
    @Option(help: "Only cases with this tag.") var tag: String?
    @Option(help: "Only cases of this type.") var type: CaseType?
    @Option(help: "Only cases with this outcome.") var outcome: Outcome?
    @Flag(help: "Exit 65 when a case is broken (they are listed either way).") var strict = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        var filter = CaseFilter()
        try filter.addStates(state)
        filter.tag = tag
        filter.type = type
        filter.outcome = outcome
        let view = try context.workspace.caseList(filter)
        try context.output.show(view)
        if strict {
            // Every broken case counts, shown or filtered out.
            try Self.failIfBroken(try context.workspace.scanCases().broken.count)
        }
    }

    /// `--strict`: everything was printed; the exit status tells a script some case is broken.
    static func failIfBroken(_ count: Int) throws {
        guard count > 0 else { return }
        throw FailureAfterOutput(
            error: ZeroError(
                .malformed, "\(count) case\(count == 1 ? " is" : "s are") broken",
                hint: "run 'zero doctor' to see why"))
    }
}
