import Foundation
import Testing
import ZeroTestSupport

@testable import ZeroGit

/// Compare-and-swap on a remote's refs, against a real bare repository reached
/// as a folder and through `git daemon`.
@Suite(.serialized) struct RemoteRefsTests {
    static let ref = "refs/zero/claims/c0ffee00-0000-4000-8000-000000000001"
    static let signature = CommitSignature(name: "Ada", email: "ada@example.com", time: 1_700_000_000)

    /// A bare repository beside `repository`, pushed to once, as its `origin` at `url` (the bare folder when nil).
    func makeRemote(_ repository: TemporaryRepository, url: ((String) -> String)? = nil) throws -> (bare: String, refs: RemoteRefs) {
        let bare = repository.root + "-remote.git"
        try repository.git("init", "-q", "--bare", bare)
        try repository.git("remote", "add", "origin", url?("repo-remote.git") ?? bare)
        try repository.git("push", "-q", "origin", "main")
        let scratch = repository.root + "-scratch.git"
        let refs = try RemoteRefs(try Repository.discover(from: repository.root), remote: "origin") {
            try Repository.openOrCreateBare(at: scratch)
        }
        return (bare, refs)
    }

    func remoteValue(_ repository: TemporaryRepository, _ bare: String) throws -> String? {
        let result = try repository.run(["git", "--git-dir", bare, "rev-parse", "--verify", "-q", Self.ref])
        return result.status == 0 ? result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// Every rule of the compare-and-swap, whichever way the remote is reached.
    func exerciseSwaps(_ repository: TemporaryRepository, _ bare: String, _ refs: RemoteRefs) throws {
        let before = try repository.git("for-each-ref")
        guard case .done(let first?) = try refs.replace(Self.ref, expected: nil, message: "first\n", signature: Self.signature) else {
            Issue.record("the first create did not land")
            return
        }
        #expect(try remoteValue(repository, bare) == first)
        // A create over an existing ref, and an update from a value it no longer holds, are refused.
        #expect(try refs.replace(Self.ref, expected: nil, message: "second\n", signature: Self.signature) == .changed)
        guard case .done(let second?) = try refs.replace(Self.ref, expected: first, message: "second\n", signature: Self.signature) else {
            Issue.record("the update from the current value did not land")
            return
        }
        #expect(try refs.replace(Self.ref, expected: first, message: "third\n", signature: Self.signature) == .changed)
        #expect(try remoteValue(repository, bare) == second)
        // The update is a fast-forward: the new claim's parent is exactly the old one.
        let parents = try repository.git("--git-dir", bare, "log", "--format=%P", "-1", second).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(parents == first)
        #expect(try refs.read(Self.ref)?.message == "second\n")
        #expect(try refs.list("refs/zero/claims/*") == [Self.ref: second])
        #expect(try refs.delete(Self.ref, expected: first) == .changed)
        #expect(try remoteValue(repository, bare) == second)
        #expect(try refs.delete(Self.ref, expected: second) == .done(nil))
        #expect(try remoteValue(repository, bare) == nil)
        #expect(try refs.read(Self.ref) == nil)
        // Nothing was written into the repository's own refs.
        #expect(try repository.git("for-each-ref") == before)
    }

    @Test("a folder remote: created only if absent, moved only from the value read, deleted only if unchanged", .temporaryRepository)
    func folderRemote() throws {
        let repository = try currentRepository()
        let (bare, refs) = try makeRemote(repository)
        #expect(refs.isFolder)
        try exerciseSwaps(repository, bare, refs)
    }

    @Test("a folder remote: of two writers creating one ref at the same instant, exactly one wins (1000 rounds)", .temporaryRepository)
    func simultaneousCreates() throws {
        let repository = try currentRepository()
        let (bare, _) = try makeRemote(repository)
        let root = repository.root
        let wins = Results(rounds: 1000)
        for round in 0..<1000 {
            let ref = "refs/zero/claims/race-\(round)"
            DispatchQueue.concurrentPerform(iterations: 2) { writer in
                let outcome = Result {
                    let refs = try RemoteRefs(try Repository.discover(from: root), remote: "origin") { throw ZeroError(.internal, "no scratch") }
                    return try refs.replace(ref, expected: nil, message: "writer \(writer)\n", signature: Self.signature)
                }
                wins.record(round, writer, outcome)
            }
        }
        for round in 0..<1000 {
            let outcomes = wins.outcomes[round].map { try? $0?.get() }
            #expect(outcomes.filter { if case .done = $0 { true } else { false } }.count == 1, "round \(round): \(outcomes)")
            #expect(outcomes.filter { $0 == .changed }.count == 1, "round \(round): \(outcomes)")
        }
        #expect(try repository.git("--git-dir", bare, "for-each-ref", "refs/zero/claims").split(separator: "\n").count == 1000)
    }

    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var outcomes: [[Result<RefUpdate, any Error>?]]
        init(rounds: Int) { outcomes = Array(repeating: [nil, nil], count: rounds) }
        func record(_ round: Int, _ writer: Int, _ outcome: Result<RefUpdate, any Error>) { lock.withLock { outcomes[round][writer] = outcome } }
    }

    @Test("a git:// remote: the same rules, through receive-pack", .temporaryRepository)
    func daemonRemote() throws {
        let repository = try currentRepository()
        let daemon = try GitDaemon(serving: URL(fileURLWithPath: repository.root).deletingLastPathComponent().path)
        defer { daemon.stop() }
        let (bare, refs) = try makeRemote(repository, url: daemon.url)
        #expect(!refs.isFolder)
        try exerciseSwaps(repository, bare, refs)
        // The scratch repository keeps no ref of the pushes.
        #expect(try repository.git("--git-dir", repository.root + "-scratch.git", "for-each-ref").isEmpty)
    }

    @Test("a git:// push made from a value that moved after the connection read it is refused by the receiving side", .temporaryRepository)
    func receivingSideCompares() throws {
        let repository = try currentRepository()
        let daemon = try GitDaemon(serving: URL(fileURLWithPath: repository.root).deletingLastPathComponent().path)
        defer { daemon.stop() }
        let (bare, refs) = try makeRemote(repository, url: daemon.url)
        guard case .done(let first?) = try refs.replace(Self.ref, expected: nil, message: "first\n", signature: Self.signature) else {
            Issue.record("the first create did not land")
            return
        }
        // Another writer moves the ref between the advertisement this side compared and its push.
        let main = try repository.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        refs.beforeUpload = { try repository.git("--git-dir", bare, "update-ref", Self.ref, main) }
        #expect(try refs.replace(Self.ref, expected: first, message: "late\n", signature: Self.signature) == .changed)
        #expect(try remoteValue(repository, bare) == main)
        try repository.git("--git-dir", bare, "update-ref", Self.ref, first)
        #expect(try refs.delete(Self.ref, expected: first) == .changed)
        #expect(try remoteValue(repository, bare) == main)
        // A create that another writer beats between advertisement and push.
        try repository.git("--git-dir", bare, "update-ref", "-d", Self.ref)
        #expect(try refs.replace(Self.ref, expected: nil, message: "late\n", signature: Self.signature) == .changed)
        #expect(try remoteValue(repository, bare) == main)
    }

    @Test("an unreachable remote is a clear git_unavailable error, a missing one not_found", .temporaryRepository)
    func unreachable() throws {
        let repository = try currentRepository()
        try repository.git("remote", "add", "origin", "git://127.0.0.1:1/nothing.git")
        let scratch = repository.root + "-scratch.git"
        let refs = try RemoteRefs(try Repository.discover(from: repository.root), remote: "origin") { try Repository.openOrCreateBare(at: scratch) }
        let unreachable = #expect(throws: ZeroError.self) { try refs.read(Self.ref) }
        #expect(unreachable?.code == .gitUnavailable)
        #expect(unreachable?.message.contains("cannot connect to remote 'origin'") == true, "\(String(describing: unreachable))")
        let missing = #expect(throws: ZeroError.self) {
            try RemoteRefs(try Repository.discover(from: repository.root), remote: "upstream") { try Repository.openOrCreateBare(at: scratch) }
        }
        #expect(missing?.code == .notFound)
    }
}
