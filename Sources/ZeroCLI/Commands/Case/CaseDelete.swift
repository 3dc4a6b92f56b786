import ArgumentParser
import ZeroCore

struct CaseDelete: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a case folder (operator; needs --yes; git history keeps it).",
        discussion: """
            Only for a case with no ended session and no proof: those stay in the record (close \
            the case as won't fix, or compress it once resolved). The replay checks the same, and \
            a deleted case that comes back is judged against the files it had.

            Example:
              zero case delete 3125 --yes
            """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Flag(help: "Confirm the deletion.") var yes = false
    @Flag(help: "Also remove it from the depends_on of the cases that depend on it.") var cascade = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let deleted = try context.workspace.deleteCase(id, confirmed: yes, cascade: cascade)
        try context.output.show(CaseDeleted(id: deleted.id, title: deleted.meta?.title))
    }
}
