import Foundation
import Testing
import ZeroTestSupport

/// The README's walkthrough, run as written: every line in one shell, in a
/// fresh repository with the real hooks and the built binary first on PATH.
/// A line whose comment says "refused" must fail; every other line must
/// succeed; a comment "→ STATE" (case) or "→ state" (session) is checked
/// against what zero then reports. The README cannot drift from the binary.
@Suite struct ReadmeTests {
    struct Line {
        var number: Int
        var command: String
        var comment: String
    }

    static func readme() throws -> String {
        // Tests/EndToEndTests/ReadmeTests.swift → the package's top folder.
        let top = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: top.appendingPathComponent("README.md"), encoding: .utf8)
    }

    /// The first ```sh block after the walkthrough's heading, continuation lines joined.
    static func walkthrough(_ readme: String) throws -> [Line] {
        let lines = readme.components(separatedBy: "\n")
        let heading = try #require(lines.firstIndex(of: "## The operator's walkthrough"), "the README has no walkthrough heading")
        let start = try #require(lines[heading...].firstIndex(of: "```sh"), "the walkthrough has no sh block")
        let end = try #require(lines[(start + 1)...].firstIndex(of: "```"))
        var result: [Line] = []
        var pending: (number: Int, text: String)?
        for index in (start + 1)..<end {
            var text = lines[index]
            if let open = pending {
                text = open.text + " " + text.trimmingCharacters(in: .whitespaces)
            }
            if text.hasSuffix("\\") {
                pending = (pending?.number ?? index + 1, String(text.dropLast()).trimmingCharacters(in: .whitespaces))
                continue
            }
            let number = pending?.number ?? index + 1
            pending = nil
            // A comment starts after two or more spaces: "command   # what it does".
            var command = text, comment = ""
            if let match = text.range(of: #"\s{2,}# "#, options: .regularExpression) {
                command = String(text[..<match.lowerBound])
                comment = String(text[match.upperBound...])
            }
            if !command.trimmingCharacters(in: .whitespaces).isEmpty {
                result.append(Line(number: number, command: command, comment: comment))
            }
        }
        return result
    }

    /// A bash script that runs each line and stops at the first one whose outcome differs from its comment.
    static func script(_ lines: [Line]) -> String {
        var script = """
            set -u -o pipefail
            fail() { echo "README.md:$1: $2" >&2; exit 1; }
            state() { zero case show "$C" --json | jq -r .case.state; }
            session_state() { zero session show "$C" --json | jq -r .state; }

            """
        for line in lines {
            if line.comment.hasPrefix("refused") {
                script += "if \(line.command) 2>/tmp/zero-readme-$$; then fail \(line.number) 'succeeded, but the README says it is refused'; fi\n"
                script += "grep -q refused /tmp/zero-readme-$$ || fail \(line.number) 'failed without saying it was refused'\n"
            } else {
                script += "\(line.command) || fail \(line.number) \"exit $?\"\n"
            }
            // "→ IMPLEMENTING": the case's state; "→ plan_ready": the open session's.
            if let arrow = line.comment.range(of: "→ ") {
                let word = line.comment[arrow.upperBound...].prefix { $0.isLetter || $0 == "_" }
                if !word.isEmpty, word == word.uppercased() {
                    script += "[ \"$(state)\" = \(word) ] || fail \(line.number) \"the case is $(state), not \(word)\"\n"
                } else if !word.isEmpty {
                    script += "[ \"$(session_state)\" = \(word) ] || fail \(line.number) \"the session is $(session_state), not \(word)\"\n"
                }
            }
        }
        return script + "rm -f /tmp/zero-readme-$$\necho README-WALKTHROUGH-DONE\n"
    }

    @Test("the walkthrough is a list of commands with the outcomes the test checks")
    func walkthroughParses() throws {
        let lines = try Self.walkthrough(try Self.readme())
        #expect(lines.count >= 15)
        #expect(lines.contains { $0.comment.hasPrefix("refused") }, "the walkthrough shows a refused commit")
        #expect(lines.contains { $0.comment.contains("→ IMPLEMENTING") })
        // A joined continuation keeps every option of the command.
        let plan = try #require(lines.first { $0.command.hasPrefix("zero session plan") })
        #expect(plan.command.contains("--scope 'auth/**'"))
    }

    @Test("the README's walkthrough runs as written, with the real hooks", .temporaryRepository)
    func walkthroughRuns() throws {
        let repo = try currentRepository()
        let script = Self.script(try Self.walkthrough(try Self.readme()))
        let binaryFolder = URL(fileURLWithPath: Zero.binary).deletingLastPathComponent().path
        let path = binaryFolder + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try repo.run(["bash", "-c", script], environment: ["PATH": path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("README-WALKTHROUGH-DONE"))
        // What the walkthrough promises, as the files show it.
        let log = try repo.git("log", "--format=%s%n%b", "-n", "3")
        #expect(log.contains("Zero-Case:"), "the fix commit carries the trailers")
        #expect(result.stdout.contains("all gates pass"))
    }
}
