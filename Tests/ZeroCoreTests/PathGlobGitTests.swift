import Foundation
import Testing
import ZeroTestSupport

@testable import ZeroCore

/// `PathGlob` is hand-written, so it is held to git's own matcher: every
/// pattern, over one tree of awkward paths, must select exactly the files
/// `git ls-files -- ':(glob)<pattern>'` selects. A pattern without a slash
/// means any depth (as in .gitignore), which in pathspec terms is `**/<pattern>`;
/// a trailing slash means everything below.
@Suite struct PathGlobGitTests {
    static let paths = [
        "README.md", "notes.md.sh", "doc", "docs/guide.md", "docs/a/b.txt", "docs/a/deep/c.md",
        "src/app.txt", "src/auth/jwt.rs", "src/auth/deep/x.rs", "src/test_top.py", "src/a/b/test_x.py",
        "auth/jwt.rs", "auth/key.rs", "auth/0.rs", "a.b/c.txt", ".github/workflows/zero.yml", "src/.hidden",
        "lib/x.c", "lib/sub/y.c", "library/z.c", "x/docs/guide.md", "src/auth.rs", "srcs/a.txt",
    ]

    static let patterns = [
        "docs/**", "src/**", "src/*", "*.md", "**", "src/**/test_*.py", "lib/", "auth/[a-c]*.rs", "auth/[!a-j]*.rs",
        "auth/?ey.rs", "**/jwt.rs", "src/**/*.rs", "docs/*/*.md", "*", "src/auth/**", ".github/**", "*.rs", "src/.*",
        "lib/**/*.c", "a.b/*", "src/auth*", "docs/**/*.md", "**/docs/**", "src/a/**/test_x.py", "auth/[0-9].rs",
    ]

    /// The pattern as a pathspec with git's glob magic.
    static func pathspec(_ pattern: String) -> String {
        var text = pattern
        if text.hasSuffix("/") { text += "**" }
        if !text.contains("/") { text = "**/" + text }
        return ":(glob)" + text
    }

    @Test("every pattern selects what git's pathspec glob selects", .temporaryRepository)
    func sameAsGit() throws {
        let repo = try TemporaryRepository(initialCommit: false)
        for path in Self.paths { try repo.write(path, "x\n") }
        try repo.git("add", "-A")
        var disagreements: [String] = []
        for pattern in Self.patterns {
            let listed = try repo.git("ls-files", "--", Self.pathspec(pattern))
            let git = Set(listed.split(separator: "\n").map(String.init))
            let ours = Set(Self.paths.filter { PathGlob(pattern).matches($0) })
            if git != ours {
                disagreements.append("\(pattern): git \(git.subtracting(ours).sorted()) only, zero \(ours.subtracting(git).sorted()) only")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
    }
}
