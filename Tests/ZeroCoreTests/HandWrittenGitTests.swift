import Foundation
import Testing
import ZeroTestSupport

@testable import ZeroCore

/// The parts of Zero that read git's files by hand (to avoid loading libgit2
/// on hot paths), held to git itself: HEAD through loose and packed refs,
/// detached heads and linked worktrees, and the derived link cache, which must
/// follow every history rewrite and never be trusted over the commits.
@Suite struct HandWrittenGitTests {
    func head(_ repo: TemporaryRepository, in folder: String? = nil) throws -> String {
        try repo.git("rev-parse", "HEAD", in: folder).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("HEAD read from the ref files is what git rev-parse says, or nil", .temporaryRepository)
    func headFromRefs() throws {
        let repo = try currentRepository()
        let environment = Environment(identity: { _ in ada })
        func locations(_ top: String? = nil) throws -> GitLocations {
            try GitLocations.find(workTree: top ?? repo.root, environment: environment)
        }
        // A loose branch ref.
        #expect(try locations().headCommit() == head(repo))
        // Packed: git moves the ref into packed-refs.
        try repo.git("pack-refs", "--all")
        #expect(!FileManager.default.fileExists(atPath: repo.path(".git/refs/heads/main")))
        #expect(try locations().headCommit() == head(repo))
        // A packed ref and a newer loose one: the loose one wins, as in git.
        try repo.write("more.txt", "x\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "more")
        #expect(try locations().headCommit() == head(repo))
        // Detached.
        try repo.git("checkout", "-q", "--detach", "HEAD~1")
        #expect(try locations().headCommit() == head(repo))
        try repo.git("checkout", "-q", "main")
        // A linked worktree: its own HEAD, the branches of the common dir, and the same shared folder.
        let other = repo.root + "-worktree"
        try repo.git("worktree", "add", "-q", "-b", "side", other, "HEAD~1")
        defer { _ = try? repo.git("worktree", "remove", "--force", other) }
        let linked = try locations(other)
        #expect(linked.headCommit() == (try head(repo, in: other)))
        #expect(linked.headCommit() != (try locations().headCommit()))
        #expect(linked.commonDir == (try locations().commonDir), "one link cache for every worktree")
        #expect(linked.linkCache == (try locations().linkCache))
        #expect(linked.activeSession != (try locations().activeSession), "each worktree has its own active session")
        // GIT_DIR from the environment is honoured, as git does.
        var withGitDir = environment
        withGitDir.variables["GIT_DIR"] = repo.root + "/.git"
        withGitDir.currentFolder = "/"
        #expect(try GitLocations.find(workTree: other, environment: withGitDir).gitDir == repo.root + "/.git")
        // Unborn: nothing to read, nil rather than a guess.
        let empty = try TemporaryRepository(initialCommit: false)
        #expect(try GitLocations.find(workTree: empty.root, environment: environment).headCommit() == nil)
        // A ref file with garbage in it: nil, so the caller asks libgit2.
        try repo.write(".git/refs/heads/main", "not a commit id\n")
        #expect(try locations().headCommit() == nil)
    }

    @Test("the link cache follows commits, resets, amends and a damaged cache file", .temporaryRepository)
    func linkCacheInvalidation() throws {
        let repo = try currentRepository()
        let (_, workspace) = try makeWorkspace()
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "adopt zero")
        let id = try workspace.createCase(NewCase(title: "t")).id
        func commit(_ file: String, session: Int) throws -> String {
            try repo.write(file, UUID().uuidString)
            try repo.git("add", "-A")
            try repo.git("commit", "-q", "-m", "change \(file)\n\nZero-Case: \(id)\nZero-Session: \(session)")
            return try head(repo)
        }
        func linked(_ session: Int? = nil) throws -> [String] {
            // A fresh Workspace each time, as each command has.
            try Workspace(root: repo.root, environment: workspace.environment).linkedCommits(id, session: session).map(\.id)
        }
        let a = try commit("src/a.txt", session: 1)
        #expect(try linked() == [a])
        let cachePath = try workspace.gitLocations().linkCache
        #expect(FileManager.default.fileExists(atPath: cachePath), "the cache lives where every reader looks for it")
        let b = try commit("src/b.txt", session: 2)
        #expect(Set(try linked()) == [a, b], "a new commit extends the cache")
        #expect(try linked(2) == [b])
        try repo.git("reset", "-q", "--hard", "HEAD~1")
        #expect(try linked() == [a], "a reset forgets the commit it left")
        try repo.git("commit", "-q", "--amend", "-m", "change src/a.txt, unlinked")
        #expect(try linked().isEmpty, "an amended message without trailers links nothing")
        let c = try commit("src/c.txt", session: 1)
        try "zero-links 2\ntip \(c)\nthis is not a cache line\n".write(toFile: cachePath, atomically: true, encoding: .utf8)
        #expect(try linked() == [c], "a damaged cache is rebuilt from the commits")
        try "zero-links 1\ntip \(c)\n".write(toFile: cachePath, atomically: true, encoding: .utf8)
        #expect(try linked() == [c], "a cache of another format is rebuilt")
    }

    @Test("case delete: an operator removes a case with no record; a case with a record stays", .temporaryRepository)
    func caseDelete() throws {
        let (repo, workspace) = try makeWorkspace()
        let factory = CaseFactory(repository: repo, workspace: workspace)
        let fresh = try factory.new("fresh")
        // Not confirmed: nothing happens.
        #expect(throws: ZeroError.self) { try workspace.deleteCase(fresh, confirmed: false) }
        #expect(FileManager.default.fileExists(atPath: workspace.caseFolder(fresh)))
        // Not an operator: refused.
        let refused = try #require(throws: ZeroError.self) { try workspace.acting(as: agent).deleteCase(fresh, confirmed: true) }
        #expect(refused.code == .notOperator)
        // An open session that has not ended is no record yet: deleted, with its active pointer.
        _ = try workspace.newSession(fresh, type: .planning)
        let deleted = try workspace.deleteCase(String(fresh.prefix(6)), confirmed: true)
        #expect(deleted.id == fresh && deleted.meta?.title == "fresh")
        #expect(!FileManager.default.fileExists(atPath: workspace.caseFolder(fresh)))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: workspace.casesFolder).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "no hidden folder left behind: \(leftovers)")
        // A case with an ended session keeps its record.
        let done = try factory.implemented()
        let before = try repo.snapshot()
        let kept = try #require(throws: ZeroError.self) { try workspace.deleteCase(done, confirmed: true) }
        #expect(kept.code == .refused)
        #expect(kept.message.contains("ended session"))
        #expect(try repo.snapshot() == before)
        // A half-made case (no meta.yaml) is removed too, and says so.
        let half = try factory.new("half")
        try FileManager.default.removeItem(atPath: workspace.metaPath(half))
        let removed = try workspace.deleteCase(half, confirmed: true)
        #expect(removed.meta == nil)
        #expect(!FileManager.default.fileExists(atPath: workspace.caseFolder(half)))
    }

    @Test("a session moves only along the table the replay judges by")
    func oneTransitionFunction() throws {
        var session = Session(
            caseID: "3125aaaa-0000-4000-8000-000000000000", caseTitle: "t", type: .verifying, number: 2,
            startedAt: Timestamp("2026-04-21T14:22:00Z")!)
        let error = try #require(throws: ZeroError.self) { try session.move(to: .planning) }
        #expect(error.code == .illegalTransition)
        #expect(error.hint?.contains("planning session") == true)
        #expect(session.state == .created, "a refused move changes nothing")
        for type in SessionType.allCases {
            for from in SessionState.allCases {
                for to in SessionState.allCases {
                    var probe = Session(caseID: session.caseID, caseTitle: "t", type: type, number: 1, startedAt: session.startedAt)
                    probe.state = from
                    let moved = (try? probe.move(to: to)) != nil
                    #expect(moved == from.mayMove(to: to, type: type), "\(type) \(from) → \(to)")
                }
            }
        }
    }
}
