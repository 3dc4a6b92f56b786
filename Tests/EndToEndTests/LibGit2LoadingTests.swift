import Foundation
import Testing
import ZeroGit
import ZeroTestSupport

/// zero loads libgit2 with dlopen; a library that is not the libgit2 it was
/// built against must stop it with a message, never run with other structures.
@Suite struct LibGit2LoadingTests {
    /// A shared object in the repository's private folder, compiled from `source`.
    func sharedObject(_ repo: TemporaryRepository, named name: String, _ source: String) throws -> String {
        let folder = repo.home + "/lib"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try source.write(toFile: folder + "/\(name).c", atomically: true, encoding: .utf8)
        let compiled = try repo.run(["clang", "-shared", "-fPIC", "-o", folder + "/" + name, folder + "/\(name).c"])
        try #require(compiled.status == 0, "clang: \(compiled.stderr)")
        return folder + "/" + name
    }

    /// A library whose git_libgit2_version reports 0.99.0, and nothing else.
    func olderLibGit2(_ repo: TemporaryRepository, named name: String) throws -> String {
        try sharedObject(repo, named: name, "int git_libgit2_version(int *major, int *minor, int *rev) { *major = 0; *minor = 99; *rev = 0; return 0; }\n")
    }

    @Test("zero check runs with the libgit2 it was built against", .temporaryRepository)
    func builtAgainst() throws {
        let repo = try currentRepository()
        let result = try repo.zero("check")
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("ZERO_LIBGIT2 naming a library without git_libgit2_version: refused as not libgit2", .temporaryRepository)
    func notLibGit2() throws {
        let repo = try currentRepository()
        let library = try sharedObject(repo, named: "libnothing.so", "int nothing(void) { return 0; }\n")
        let result = try repo.zero("check", environment: ["ZERO_LIBGIT2": library])
        #expect(result.status == 70)
        #expect(result.stderr.contains("zero: ZERO_LIBGIT2=\(library) is not libgit2"), "\(result.stderr)")
        #expect(result.stderr.contains("hint: point ZERO_LIBGIT2 at libgit2 \(LibGit2.builtVersion), or unset it"), "\(result.stderr)")
    }

    @Test("ZERO_LIBGIT2 naming a libgit2 of another version: refused, naming both versions", .temporaryRepository)
    func overrideOfAnotherVersion() throws {
        let repo = try currentRepository()
        let library = try olderLibGit2(repo, named: "libgit2-old.so")
        let result = try repo.zero("check", environment: ["ZERO_LIBGIT2": library])
        #expect(result.status == 70)
        #expect(
            result.stderr.contains("zero: libgit2 version mismatch: ZERO_LIBGIT2=\(library) is libgit2 0.99.0, but zero was built against libgit2 \(LibGit2.builtVersion)."),
            "\(result.stderr)")
    }

    #if os(Linux)
    @Test("another version under the built SONAME on the library path: refused, with the rebuild hint", .temporaryRepository)
    func sonameOfAnotherVersion() throws {
        let repo = try currentRepository()
        let library = try olderLibGit2(repo, named: LibGit2.libraryName)
        let folder = URL(fileURLWithPath: library).deletingLastPathComponent().path
        let searched = [folder, ProcessInfo.processInfo.environment["LD_LIBRARY_PATH"]].compactMap { $0 }.joined(separator: ":")
        let result = try repo.zero("check", environment: ["LD_LIBRARY_PATH": searched, "ZERO_LIBGIT2": ""])
        #expect(result.status == 70)
        #expect(result.stderr.contains("zero: libgit2 version mismatch: \(LibGit2.libraryName) (\(library)) is libgit2 0.99.0"), "\(result.stderr)")
        #expect(
            result.stderr.contains("hint: rebuild zero against the installed libgit2 (make release), or install libgit2 \(LibGit2.builtVersion)"),
            "\(result.stderr)")
    }
    #endif
}
