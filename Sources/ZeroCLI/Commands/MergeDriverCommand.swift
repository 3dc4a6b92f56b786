import ArgumentParser
import ZeroCore
import ZeroGit

struct MergeDriverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge-driver",
        abstract: "Merge a memory file three ways by its meaning (git calls this; see zero-memory/.gitattributes).",
        discussion: """
            git runs it as: zero merge-driver %O %A %B %P (base, ours, theirs, path). meta.yaml \
            merges key by key, a session file section by section with its events as a union in \
            time order. The result goes to the 'ours' file; the exit status is 1 when a conflict \
            is left. Two different sessions under one number stay a conflict: finish the merge \
            with 'zero doctor --fix', which keeps both, renumbered by start time.

            Registered by 'zero init' and 'zero hooks install':
              git config merge.zero.driver "zero merge-driver %O %A %B %P"
            """,
        shouldDisplay: false
    )

    @Argument(help: "The common ancestor's version (%O).") var base: String
    @Argument(help: "Our version (%A); the result is written here.") var ours: String
    @Argument(help: "Their version (%B).") var theirs: String
    @Argument(help: "The path in the repository (%P).") var path: String

    func run() throws {
        let read = { (file: String) throws -> String in
            guard let bytes = try FileSystem.readBytes(file) else { throw ZeroError(.notFound, "no such file: \(file)") }
            return try MemoryText.decode(bytes, file: file)
        }
        let outcome: MemoryMerge.Outcome
        do {
            let baseText = try read(base)
            outcome = try MemoryMerge.merge(path: path, base: baseText.isEmpty ? nil : baseText, ours: try read(ours), theirs: try read(theirs))
        } catch let error as ZeroError {
            // A side that does not parse (or a path zero does not merge): git's own text merge.
            Terminal.writeError("zero: \(path): merged as text (\(error.message))\n")
            let text = try GitCommand.runProgram(["git", "merge-file", "-L", "ours", "-L", "base", "-L", "theirs", ours, base, theirs])
            throw ExitCode(text.status == 0 ? 0 : 1)
        }
        try FileSystem.writeAtomically(outcome.text, to: ours)
        guard !outcome.conflicts.isEmpty else { return }
        Terminal.writeError(
            "zero: \(path): conflict in \(outcome.conflicts.joined(separator: ", "))"
                + (outcome.twoSessions ? "; both sides added a different session under this number: when the merge stops, run 'zero doctor --fix' to keep both, renumbered by start time" : "") + "\n")
        throw ExitCode(1)
    }
}
