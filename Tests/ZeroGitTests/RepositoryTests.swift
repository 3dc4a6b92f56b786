import Foundation
import Testing
import ZeroGit
import ZeroTestSupport

@Suite struct RepositoryTests {
    @Test("found from a subfolder, with work tree and git dir", .temporaryRepository)
    func discoveryFromSubfolder() throws {
        let repository = try currentRepository()
        try FileManager.default.createDirectory(atPath: repository.path("a/b/c"), withIntermediateDirectories: true)
        let opened = try Repository.discover(from: repository.path("a/b/c"))
        #expect(opened.workdir == repository.root)
        #expect(opened.gitDir == repository.root + "/.git")
        #expect(opened.commonDir == repository.root + "/.git")
    }

    @Test("a linked worktree has its own git dir and shares the common one", .temporaryRepository)
    func linkedWorktree() throws {
        let repository = try currentRepository()
        let other = repository.root + "-worktree"
        try repository.git("worktree", "add", "-q", other, "-b", "side")
        defer { try? FileManager.default.removeItem(atPath: other) }
        let opened = try Repository.discover(from: other)
        #expect(opened.workdir == other)
        #expect(opened.gitDir == repository.root + "/.git/worktrees/" + URL(fileURLWithPath: other).lastPathComponent)
        #expect(opened.commonDir == repository.root + "/.git")
        #expect(try opened.headCommit() == (try repository.git("rev-parse", "HEAD")).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("reads user.name and user.email from the repository's config", .temporaryRepository)
    func config() throws {
        let repository = try currentRepository()
        let opened = try Repository.discover(from: repository.root)
        #expect(try opened.configString("user.email") == "ada@example.com")
        try repository.actAs(name: "Agent", email: "agent@example.com")
        #expect(try opened.configString("user.email") == "agent@example.com")
        #expect(try opened.configString("zero.nothing") == nil)
    }

    @Test("HEAD of a repository without commits is nil")
    func unbornHead() throws {
        let repository = try TemporaryRepository(initialCommit: false)
        defer { repository.remove() }
        #expect(try Repository.discover(from: repository.root).headCommit() == nil)
    }

    @Test("tracked changes count, untracked files and excluded folders do not", .temporaryRepository)
    func dirty() throws {
        let repository = try currentRepository()
        let opened = try Repository.discover(from: repository.root)
        #expect(try !opened.hasTrackedChanges())
        try repository.write("new-untracked.txt", "x")
        #expect(try !opened.hasTrackedChanges())
        try repository.write("zero-memory/x.md", "x")
        try repository.git("add", "zero-memory/x.md")
        #expect(try opened.hasTrackedChanges())
        #expect(try !opened.hasTrackedChanges(excluding: "zero-memory/"))
        try repository.write("src/app.txt", "changed\n")
        #expect(try opened.hasTrackedChanges(excluding: "zero-memory/"))
    }

    @Test("a folder outside any repository is a clear error")
    func notARepository() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("no-repo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = try #require(throws: ZeroError.self) { try Repository.discover(from: folder) }
        #expect(error.code == .usage)
        #expect(error.hint?.contains("git init") == true)
    }
}
