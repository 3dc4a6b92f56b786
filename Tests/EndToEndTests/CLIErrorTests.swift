import Foundation
import Testing
import ZeroTestSupport

/// How the command line meets a mistake: the same error in words on stderr
/// and, with --json, as one object on stdout; the exit code of the README's
/// table; the nearest command suggested; a markdown plan read or refused by line.
@Suite struct CLIErrorTests {
    /// stdout parsed as `{"error": {...}}`, requiring all five keys (absent ones null).
    func jsonError(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let error = try #require(object?["error"] as? [String: Any], "stdout: \(result.stdout)", sourceLocation: sourceLocation)
        #expect(Set(error.keys) == ["code", "message", "hint", "file", "line"], sourceLocation: sourceLocation)
        return error
    }

    @Test("with --json a failure is an error object on stdout, and the exit code stays", .temporaryRepository)
    func jsonErrors() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init", "--no-hooks")
        let missing = try repo.zero("case", "show", "ffff1234", "--json")
        #expect(missing.status == 66)
        let error = try jsonError(missing)
        #expect(error["code"] as? String == "not_found")
        #expect((error["message"] as? String)?.contains("ffff1234") == true)
        #expect(error["file"] is NSNull && error["line"] is NSNull)
        #expect(missing.stderr.contains("zero: no case matches"), "people still read stderr")

        // A malformed file: its path and line.
        let id = try #require(field(try repo.zeroJSON("case", "new", "t"), "id") as? String)
        try repo.write("zero-memory/cases/\(id)/meta.yaml", try repo.read("zero-memory/cases/\(id)/meta.yaml") + "title: twice\n")
        let malformed = try repo.zero("case", "show", id, "--json")
        #expect(malformed.status == 65)
        let bad = try jsonError(malformed)
        #expect(bad["code"] as? String == "malformed")
        #expect(bad["file"] as? String == "zero-memory/cases/\(id)/meta.yaml")
        #expect(bad["line"] is Int)
    }

    @Test("typed refusals: a wrong state is 73 everywhere, a non-operator 1, each with its code", .temporaryRepository)
    func typedRefusals() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init", "--no-hooks")
        let id = try #require(field(try repo.zeroJSON("case", "new", "t"), "id") as? String)
        let wrongState = try repo.zero("case", "resolve", id, "--outcome", "ConfirmedCodeBug", "--json")
        #expect(wrongState.status == 73)
        #expect(try jsonError(wrongState)["code"] as? String == "illegal_transition")
        let accept = try repo.zero("session", "accept", id, "--json")
        #expect(accept.status == 73, "the same kind of refusal gives the same exit code in every command")
        try repo.actAs(name: "Agent", email: "agent@example.com")
        let notOperator = try repo.zero("case", "wont-fix", id, "--reason", "no", "--json")
        #expect(notOperator.status == 1)
        #expect(try jsonError(notOperator)["code"] as? String == "not_operator")
    }

    @Test("an unknown command or help topic suggests the nearest; an unknown option too", .temporaryRepository)
    func suggestions() throws {
        let repo = try currentRepository()
        let typo = try repo.zero("sesion", "list")
        #expect(typo.status == 64)
        #expect(typo.stderr.contains("did you mean 'zero session'?"))
        let nested = try repo.zero("session", "nwe", "abcd")
        #expect(nested.status == 64)
        #expect(nested.stderr.contains("did you mean 'zero session new'?"))
        let help = try repo.zero("help", "sesion")
        #expect(help.status == 64, "help for an unknown topic is an error, not the main help")
        #expect(!help.stdout.contains("OVERVIEW"))
        let option = try repo.zero("case", "list", "--jsn")
        #expect(option.status == 64)
        #expect(option.stderr.contains("'--json'"))
        let usage = try repo.zero("sesion", "--json")
        #expect(try jsonError(usage)["code"] as? String == "usage")
        #expect(try repo.zero("help", "session").status == 0)
    }

    @Test("--plan-file reads ## Hypothesis, ## Plan and ## Scope, and refuses a line it cannot place", .temporaryRepository)
    func planFile() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init", "--no-hooks")
        let id = try #require(field(try repo.zeroJSON("case", "new", "t"), "id") as? String)
        try repo.zeroOK("session", "new", id, "--type", "planning")
        try repo.write(
            "plan.md",
            """
            # Fix the expiry check

            ## Hypothesis
            JWT expiry uses < instead of <=.

            ## Plan
            1. Patch src/app.txt
               at line 1
            2) Run the tests
            - [ ] Tell the team

            ## Scope
            - `src/**`

            """)
        let planned = try repo.zeroJSON("session", "plan", id, "--plan-file", "plan.md")
        #expect(field(planned, "state") as? String == "plan_ready")
        let session = try repo.read("zero-memory/cases/\(id)/sessions/001.md")
        #expect(session.contains("## Plan\n- Patch src/app.txt at line 1\n- Run the tests\n- Tell the team\n"))
        #expect(session.contains("## Scope\n- src/**\n"))
        #expect(session.contains("JWT expiry uses < instead of <=."))
        #expect(!session.contains("```"), "nothing is wrapped into a code block")

        let before = try repo.snapshot()
        for (text, line, words) in [
            ("## Plan\n1. one\nsome prose\n", 3, "is not a step"),
            ("intro\n## Plan\n1. one\n", 1, "outside any section"),
            ("## Plan\n1. one\n## Risks\n- x\n", 3, "is not a section"),
            ("## Plan\n1. one\n```\ncode\n```\n", 3, "code block"),
            ("## Plan\n1. one\n## Plan\n2. two\n", 3, "given twice"),
        ] {
            try repo.write("bad.md", text)
            let refused = try repo.zero("session", "plan", id, "--plan-file", "bad.md", "--json")
            #expect(refused.status == 64, "\(text)")
            let error = try jsonError(refused)
            #expect(error["line"] as? Int == line, "\(text)")
            #expect(error["file"] as? String == "bad.md")
            #expect((error["message"] as? String)?.contains(words) == true, "\(error)")
        }
        let both = try repo.zero("session", "plan", id, "--plan-file", "plan.md", "--step", "x")
        #expect(both.status == 64)
        #expect(both.stderr.contains("Usage:"), "a flag combination is a usage error with the usage")
        #expect(try repo.snapshot() == before, "a refused plan changes nothing")
    }
}
