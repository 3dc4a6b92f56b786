import Foundation
import Testing
import ZeroGit
import ZeroTestSupport

/// Zero's own tree diff (which prunes equal subtrees) against git's: the
/// replay must see exactly what `git diff-tree -r --no-renames --raw` sees.
@Suite struct TreeDiffTests {
    /// Commits that change modes, types, submodules, deletions and folders.
    static func corpus(_ repository: TemporaryRepository) throws -> [String] {
        let manager = FileManager.default
        func link(_ path: String, _ target: String) throws {
            try? manager.removeItem(atPath: repository.path(path))
            try manager.createDirectory(atPath: (repository.path(path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try manager.createSymbolicLink(atPath: repository.path(path), withDestinationPath: target)
        }
        /// Commits the index as it is.
        func commitStaged(_ message: String) throws -> String {
            try repository.git("commit", "-q", "--allow-empty", "-m", message)
            return try repository.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func commit(_ message: String) throws -> String {
            try repository.git("add", "-A")
            return try commitStaged(message)
        }
        var commits: [String] = []
        try repository.write("a/b/c.txt", "c\n")
        try repository.write("a/b/d.txt", "d\n")
        try repository.write("x/y.txt", "y\n")
        try repository.write("run.sh", "echo\n")
        commits.append(try commit("files in folders"))
        try repository.git("update-index", "--chmod=+x", "run.sh")
        commits.append(try commitStaged("mode only"))
        try manager.removeItem(atPath: repository.path("x/y.txt"))
        try link("x/y.txt", "../a/b/c.txt")
        commits.append(try commit("file becomes a link"))
        try link("x/y.txt", "../run.sh")
        commits.append(try commit("link retargeted"))
        let head = try repository.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try repository.git("update-index", "--add", "--cacheinfo", "160000,\(head),vendor/lib")
        commits.append(try commitStaged("submodule added"))
        let root = try repository.git("rev-list", "--max-parents=0", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try repository.git("update-index", "--cacheinfo", "160000,\(root),vendor/lib")
        commits.append(try commitStaged("submodule bumped"))
        try repository.git("rm", "-q", "--cached", "vendor/lib")
        try repository.write("vendor/lib", "now a file\n")
        commits.append(try commit("submodule becomes a file"))
        try manager.removeItem(atPath: repository.path("a/b"))
        try repository.write("a/b", "folder becomes a file\n")
        commits.append(try commit("folder becomes a file"))
        try manager.removeItem(atPath: repository.path("a/b"))
        try repository.write("a/b/e.txt", "e\n")
        try repository.write("a/b.txt", "sorts between\n")
        commits.append(try commit("file becomes a folder, with a neighbour that sorts between"))
        try manager.removeItem(atPath: repository.path("a"))
        commits.append(try commit("deletions"))
        commits.append(try commit("nothing at all"))
        return commits
    }

    static func gitLines(_ repository: TemporaryRepository, _ commit: String) throws -> [String] {
        try repository.git("diff-tree", "-r", "--no-renames", "--raw", "--no-abbrev", "--root", "--no-commit-id", commit)
            .split(separator: "\n").map(String.init).sorted()
    }

    @Test("every commit of the corpus: the same changes, modes and ids as git diff-tree", .temporaryRepository)
    func matchesGit() throws {
        let repository = try currentRepository()
        let commits = try Self.corpus(repository)
        let opened = try Repository.discover(from: repository.root)
        var checked = 0
        for commit in commits {
            let ours = try opened.changes(commit).map(\.rawLine).sorted()
            let theirs = try Self.gitLines(repository, commit)
            let subject = try repository.git("log", "-1", "--format=%s", commit)
            #expect(ours == theirs, "commit \(subject)")
            checked += 1
        }
        #expect(checked == 11)
        // And the first commit of the test repository, a root commit.
        let root = try repository.git("rev-list", "--max-parents=0", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try opened.changes(root).map(\.rawLine).sorted() == (try Self.gitLines(repository, root)))
    }

    @Test("a clean merge changes nothing of its own; an edit made in the merge and a conflict resolution do", .temporaryRepository)
    func merges() throws {
        let repository = try currentRepository()
        let opened = try Repository.discover(from: repository.root)
        func head() throws -> String { try repository.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines) }
        try repository.write("shared.txt", "1\n2\n3\n4\n5\n6\n7\n8\n")
        try repository.git("add", "-A")
        try repository.git("commit", "-qm", "shared")
        try repository.git("checkout", "-q", "-b", "side")
        try repository.write("shared.txt", "one\n2\n3\n4\n5\n6\n7\n8\n")
        try repository.write("side.txt", "side\n")
        try repository.git("add", "-A")
        try repository.git("commit", "-qm", "side work")
        try repository.git("checkout", "-q", "main")
        try repository.write("shared.txt", "1\n2\n3\n4\n5\n6\n7\neight\n")
        try repository.git("commit", "-qam", "main work")
        let main = try head()

        // Both edited shared.txt in different places: git merges the contents cleanly.
        try repository.git("merge", "-q", "--no-edit", "side")
        let clean = try opened.mergeChanges(try head())
        #expect(clean.changes.isEmpty, "\(clean.changes)")
        #expect(clean.conflicts.isEmpty)

        // The same merge with a file slipped in.
        try repository.git("reset", "-q", "--hard", main)
        try repository.git("merge", "-q", "--no-commit", "side")
        try repository.write("extra.txt", "evil\n")
        try repository.git("add", "extra.txt")
        try repository.git("commit", "-qm", "merge with an extra")
        let evil = try opened.mergeChanges(try head())
        #expect(evil.changes.map(\.path) == ["extra.txt"])
        #expect(evil.changes.first?.status == .added)

        // A conflict: the resolution is the merge's own change.
        try repository.git("reset", "-q", "--hard", main)
        try repository.write("shared.txt", "uno\n2\n3\n4\n5\n6\n7\neight\n")
        try repository.git("commit", "-qam", "main edits line one too")
        #expect(try repository.run(["git", "merge", "-q", "side"]).status != 0)
        try repository.write("shared.txt", "ONE\n2\n3\n4\n5\n6\n7\neight\n")
        try repository.git("add", "shared.txt")
        try repository.git("commit", "-qm", "resolved")
        // Judging it runs libgit2's merge, which writes trees: to memory, never into the repository.
        let objectsBefore = try repository.git("count-objects", "-v")
        let resolved = try opened.mergeChanges(try head())
        #expect(try repository.git("count-objects", "-v") == objectsBefore)
        #expect(resolved.conflicts == ["shared.txt"])
        #expect(resolved.changes.map(\.path) == ["shared.txt"])

        // `-s ours` discards the side branch: dropping its changes is the merge's own act.
        try repository.git("reset", "-q", "--hard", main)
        try repository.git("merge", "-q", "-s", "ours", "--no-edit", "side")
        let ours = try opened.mergeChanges(try head())
        #expect(Set(ours.changes.map(\.path)) == ["shared.txt", "side.txt"])
    }
}
