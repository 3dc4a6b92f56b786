import Foundation
import Testing
import ZeroCLI
import ZeroCore
import ZeroTestSupport

/// Commands run inside the test process: the real argument parser, the real
/// commands and ZeroCore over a real git repository, with the identity, the
/// variables and the folder given, and stdout and stderr captured.
struct CommandRunner {
    let repository: TemporaryRepository
    var identity = Identity(Actor(name: "Ada", email: "ada@example.com"))

    @discardableResult
    func run(_ arguments: String..., stdin: String = "") -> (status: Int32, stdout: String, stderr: String) {
        let identity = self.identity
        let environment = Environment(
            identity: { _ in identity }, variables: ["HOME": repository.home, "NO_COLOR": "1"],
            currentFolder: repository.root)
        return ZeroMain.execute(arguments, environment: environment, stdin: Array(stdin.utf8))
    }

    /// Runs a command that must succeed with `--json` and decodes what it printed.
    func json(_ arguments: String...) throws -> Any {
        let result = ZeroMain.execute(
            arguments + ["--json"],
            environment: Environment(
                identity: { [identity] _ in identity }, variables: ["HOME": repository.home], currentFolder: repository.root))
        #expect(result.status == 0, "zero \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: [.fragmentsAllowed])
    }

    static func initialised() throws -> CommandRunner {
        let runner = CommandRunner(repository: try currentRepository())
        let result = runner.run("init", "--no-hooks")
        #expect(result.status == 0, "\(result.stderr)")
        return runner
    }
}

let agentIdentity = Identity(Actor(name: "Agent", email: "agent@example.com"))

@Suite("commands in-process", .serialized)
struct CommandTests {
    @Test("init --json keeps every key, null where nothing applies", .temporaryRepository)
    func initJSON() throws {
        let runner = CommandRunner(repository: try currentRepository())
        let view = try #require(try runner.json("init", "--no-hooks") as? [String: Any])
        #expect(Set(view.keys) == ["root", "created", "kept", "operator", "already_initialised", "hooks"])
        #expect(view["hooks"] is NSNull)
        #expect(view["operator"] as? String == "ada@example.com")
        let again = try #require(try runner.json("init", "--no-hooks") as? [String: Any])
        #expect(again["already_initialised"] as? Bool == true)
    }

    @Test("a case made, shown as text and as the JSON the server will serve", .temporaryRepository)
    func caseShow() throws {
        let runner = try CommandRunner.initialised()
        let created = try #require(try runner.json("case", "new", "login times out", "--observed", "504 after 30s") as? [String: Any])
        let id = try #require(created["id"] as? String)
        #expect(created["state"] as? String == "OPEN")
        #expect(created.keys.contains("blocked_reason") && created["blocked_reason"] is NSNull)

        let text = runner.run("case", "show", String(id.prefix(8)))
        #expect(text.status == 0)
        #expect(text.stdout.contains("login times out"))
        #expect(text.stdout.contains("504 after 30s"))
        #expect(text.stdout.contains("no sessions yet"))

        let shown = try #require(try runner.json("case", "show", id) as? [String: Any])
        #expect(Set(shown.keys) == ["case", "problem_definition", "sessions", "proofs"])
        #expect((shown["problem_definition"] as? String)?.contains("504 after 30s") == true)
    }

    @Test("a wrong state is exit 73 everywhere, with the error object on stdout under --json", .temporaryRepository)
    func wrongState() throws {
        let runner = try CommandRunner.initialised()
        let id = try #require((try runner.json("case", "new", "a bug") as? [String: Any])?["id"] as? String)
        let resolve = runner.run("case", "resolve", id, "--outcome", "ConfirmedCodeBug", "--json")
        #expect(resolve.status == 73)
        let error = try #require((try JSONSerialization.jsonObject(with: Data(resolve.stdout.utf8)) as? [String: Any])?["error"] as? [String: Any])
        #expect(error["code"] as? String == "illegal_transition")
        #expect(Set(error.keys) == ["code", "message", "hint", "file", "line"])
        let accept = runner.run("session", "accept", id)
        #expect(accept.status == 73 || accept.status == 66, "\(accept.stderr)")
        #expect(accept.stderr.hasPrefix("zero: "))
    }

    @Test("the identity comes from the invocation: an agent cannot approve, the operator can", .temporaryRepository)
    func identityInjected() throws {
        var runner = try CommandRunner.initialised()
        let id = try #require((try runner.json("case", "new", "a bug") as? [String: Any])?["id"] as? String)
        #expect(runner.run("session", "new", id, "--type", "planning").status == 0)
        let plan = "## Hypothesis\nthe timeout is too short\n\n## Plan\n1. raise it\n2. run the tests\n\n## Scope\nsrc/**\n"
        let planned = runner.run("session", "plan", id, "--plan-file", "-", stdin: plan)
        #expect(planned.status == 0, "\(planned.stderr)")
        #expect(planned.stdout.contains("awaits an operator"))

        runner.identity = agentIdentity
        let refused = runner.run("session", "approve", id, "--yes", "--json")
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("\"not_operator\""))

        runner.identity = Identity(Actor(name: "Ada", email: "ada@example.com"))
        let approved = runner.run("session", "approve", id, "--yes")
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(approved.stdout.contains("approved (plan"))
        let session = try #require(try runner.json("session", "show", "\(id)/1") as? [String: Any])
        #expect((session["approved_by"] as? String)?.contains("ada@example.com") == true)
        #expect(session["state"] as? String == "complete")
    }

    @Test("a plan file line that fits no section is refused (64) with its line, and nothing is written", .temporaryRepository)
    func planFileRefused() throws {
        let runner = try CommandRunner.initialised()
        let id = try #require((try runner.json("case", "new", "a bug") as? [String: Any])?["id"] as? String)
        #expect(runner.run("session", "new", id, "--type", "planning").status == 0)
        let before = try #require(try runner.json("session", "show", id) as? [String: Any])
        let result = runner.run("session", "plan", id, "--plan-file", "-", stdin: "stray words first\n## Plan\n1. step\n")
        #expect(result.status == 64)
        #expect(result.stderr.contains("<stdin>:1"))
        let after = try #require(try runner.json("session", "show", id) as? [String: Any])
        #expect(after["plan"] as? String == before["plan"] as? String)
        #expect(after["state"] as? String == "created")
    }

    @Test("flag combinations are usage errors (64) with the usage printed", .temporaryRepository)
    func usageErrors() throws {
        let runner = try CommandRunner.initialised()
        let both = runner.run("check", "--staged", "--since-adoption")
        #expect(both.status == 64)
        #expect(both.stderr.contains("give one of --staged, --range and --since-adoption"))
        #expect(both.stderr.contains("Usage:"))
        let neither = runner.run("session", "output", "abcd")
        #expect(neither.status == 64)
        #expect(neither.stderr.contains("not both or neither"))
    }

    @Test("a mistyped command gets the nearest one; help for an unknown one is an error", .temporaryRepository)
    func suggestions() throws {
        let runner = try CommandRunner.initialised()
        let typo = runner.run("sesion", "list")
        #expect(typo.status == 64)
        #expect(typo.stderr.contains("did you mean 'zero session'"))
        let help = runner.run("help", "frobnicate")
        #expect(help.status == 64)
        #expect(help.stdout.isEmpty)
    }

    @Test("doctor --json keeps null keys for a finding with no line and no fix", .temporaryRepository)
    func doctorNulls() throws {
        let runner = try CommandRunner.initialised()
        let id = try #require((try runner.json("case", "new", "a bug") as? [String: Any])?["id"] as? String)
        // A hand-made file that is not a memory file: a finding only a person can settle.
        try runner.repository.write("zero-memory/cases/\(id)/notes.bin", "x")
        let result = runner.run("doctor", "--json")
        #expect(result.status == 65 || result.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        for finding in report["findings"] as? [[String: Any]] ?? [] {
            #expect(Set(finding.keys).isSuperset(of: ["problem", "file", "line", "message", "fix", "fixed"]))
        }
    }

    @Test("status and check --staged answer in JSON with stable keys", .temporaryRepository)
    func statusAndCheck() throws {
        let runner = try CommandRunner.initialised()
        let status = try #require(try runner.json("status") as? [String: Any])
        #expect(status.keys.contains("awaiting_operator"))
        #expect(status["active"] is NSNull)
        let check = try #require(try runner.json("check", "--staged") as? [String: Any])
        #expect(check["range"] as? String == "staged")
        #expect((check["findings"] as? [Any])?.isEmpty == true)
        let text = runner.run("check", "--staged")
        #expect(text.stdout == "zero check: staged changes: all gates pass\n")
    }
}
