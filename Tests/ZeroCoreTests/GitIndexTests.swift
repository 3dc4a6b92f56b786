import Foundation
import Testing
import ZeroTestSupport

@testable import ZeroCore

/// The pre-commit hook trusts a work-tree file only when it hashes to the blob
/// git's index holds; these read real index files written by git.
@Suite struct GitIndexTests {
    static let paths = ["a.txt", "deep/er/b.txt", "link", "z.txt"]

    func makeFiles(_ repository: TemporaryRepository) throws {
        try repository.write("a.txt", "alpha\n")
        try repository.write("deep/er/b.txt", "beta\n")
        try repository.write("z.txt", "zulu\n")
        try FileManager.default.createSymbolicLink(atPath: repository.path("link"), withDestinationPath: "a.txt")
        try repository.git("add", "-A")
    }

    func blob(_ repository: TemporaryRepository, _ path: String) throws -> [UInt8] {
        let hex = try repository.git("rev-parse", ":" + path).trimmingCharacters(in: .whitespacesAndNewlines)
        return stride(from: 0, to: hex.count, by: 2).map { UInt8(hex.dropFirst($0).prefix(2), radix: 16)! }
    }

    @Test("versions 2, 3 and 4: the same ids and modes as git ls-files -s", .temporaryRepository, arguments: [2, 3, 4])
    func versions(_ version: Int) throws {
        let repository = try currentRepository()
        try makeFiles(repository)
        // An intent-to-add entry needs extended flags, which version 2 lacks.
        if version >= 3 {
            try repository.write("later.txt", "later\n")
            try repository.git("add", "-N", "later.txt")
        }
        try repository.git("update-index", "--index-version", String(version))
        let bytes = try #require(FileManager.default.contents(atPath: repository.path(".git/index")))
        #expect(Int(bytes[7]) == version)
        let index = try #require(GitIndex.read(repository.path(".git/index"), wanted: Set(Self.paths + ["missing.txt"])))
        for path in Self.paths {
            let entry = try #require(index.entry(path), "\(path)")
            #expect(entry.id == (try blob(repository, path)), "\(path)")
        }
        #expect(index.entry("link")?.mode == 0o120000)
        #expect(index.entry("a.txt")?.mode == 0o100644)
        #expect(index.entry("missing.txt") == nil)
        #expect(index.entry("later.txt") == nil, "not asked for")
        // The work tree's bytes match their blobs; edited bytes do not.
        #expect(GitIndex.blobMatches(Array("alpha\n".utf8), id: try #require(index.entry("a.txt")).id))
        #expect(!GitIndex.blobMatches(Array("alpha!\n".utf8), id: try #require(index.entry("a.txt")).id))
    }

    @Test("a split index is not read, so the hook asks git instead", .temporaryRepository)
    func splitIndex() throws {
        let repository = try currentRepository()
        try makeFiles(repository)
        try repository.git("update-index", "--split-index")
        #expect(GitIndex.read(repository.path(".git/index"), wanted: Set(Self.paths)) == nil)
    }

    @Test("a conflicted path has no entry to trust", .temporaryRepository)
    func conflicts() throws {
        let repository = try currentRepository()
        try repository.write("a.txt", "base\n")
        try repository.git("add", "a.txt")
        try repository.git("commit", "-qm", "base")
        try repository.git("checkout", "-q", "-b", "side")
        try repository.write("a.txt", "side\n")
        try repository.git("commit", "-qam", "side")
        try repository.git("checkout", "-q", "main")
        try repository.write("a.txt", "main\n")
        try repository.git("commit", "-qam", "main")
        #expect(try repository.run(["git", "merge", "-q", "side"]).status != 0)
        let index = try #require(GitIndex.read(repository.path(".git/index"), wanted: ["a.txt", "src/app.txt"]))
        #expect(index.isConflicted("a.txt"))
        #expect(index.entry("a.txt") == nil)
        #expect(index.entry("src/app.txt") != nil)
    }

    @Test("a damaged index is refused, not misread")
    func damaged() {
        #expect(GitIndex.parse(Array("DIRC".utf8) + [0, 0, 0, 2, 0, 0, 0, 5] + [UInt8](repeating: 7, count: 40), wanted: ["a"]) == nil)
        #expect(GitIndex.parse(Array("NOPE".utf8) + [0, 0, 0, 2, 0, 0, 0, 0], wanted: ["a"]) == nil)
        #expect(GitIndex.parse([], wanted: ["a"]) == nil)
    }
}
