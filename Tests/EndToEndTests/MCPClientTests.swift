import Foundation
import Testing
import ZeroTestSupport

/// `zero mcp` driven from outside: the MCP Python SDK (PyPI's `mcp`, installed
/// by `scripts/install-deps.sh --test` into .build/tools/venv) starts the built
/// binary over stdio and works a ticket through start → progress → complete.
@Suite struct MCPClientTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Support/mcp_client.py").path

    /// The venv's python with the `mcp` package; a missing one fails the test (never a silent skip).
    static func python() throws -> String {
        let python = packageRoot + "/.build/tools/venv/bin/python"
        try #require(
            FileManager.default.isExecutableFile(atPath: python),
            "no \(python): run 'scripts/install-deps.sh --test' (make test does) to install the MCP Python SDK")
        let probe = try ProcessResult.run([python, "-c", "import mcp"], in: "/", environment: [:])
        try #require(probe.status == 0, "the venv has no 'mcp' package: run 'scripts/install-deps.sh --test'; \(probe.stderr)")
        return python
    }

    /// Runs mcp_client.py in `mode` in the repository; its lines by step.
    static func client(_ mode: String, _ arguments: [String], in repo: TemporaryRepository) throws -> (steps: [String: [String: Any]], output: String) {
        let python = try python()
        let companion = URL(fileURLWithPath: Zero.binary).deletingLastPathComponent().appendingPathComponent("zero-mcp").path
        try #require(FileManager.default.isExecutableFile(atPath: companion), "no \(companion): build it with 'swift build --build-tests'")
        let run = try repo.run([python, script, mode, Zero.binary] + arguments)
        #expect(run.status == 0, "mcp_client.py \(mode) exited \(run.status): \(run.stderr)")
        var steps: [String: [String: Any]] = [:]
        for line in run.stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            steps[object["step"] as? String ?? ""] = object
        }
        return (steps, run.stdout + run.stderr)
    }

    @Test("the MCP Python SDK runs start → progress → complete on a ticket through the built zero mcp", .temporaryRepository)
    func pythonClient() throws {
        let repo = try currentRepository()
        let (_, layers) = try makeSpec(repo, waves: 2, width: 1)
        let (ticket, waiting) = (layers[0][0], layers[1][0])
        let (steps, output) = try Self.client("flow", [ticket, waiting], in: repo)
        /// A step's result as JSON; it must not be an error.
        func result(_ step: String) throws -> [String: Any] {
            let object = try #require(steps[step], "no \(step) in \(output)")
            #expect(object["is_error"] as? Bool == false, "\(step): \(object["text"] ?? "")")
            let text = try #require(object["text"] as? String)
            return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(step): \(text)")
        }
        func ids(_ tickets: Any?) -> [String] { (tickets as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? [] }

        #expect(steps["initialize"]?["server"] as? String == "zero")
        #expect((steps["tools"]?["names"] as? [String])?.count == 11)
        #expect((steps["tools"]?["characters"] as? Int ?? .max) < 12_000)
        #expect(ids(try result("ready")["tickets"]) == [ticket])

        // Refusals carry the CLI's hint, for the agent to act on.
        let refused = try #require(steps["refused"]?["text"] as? String)
        #expect(steps["refused"]?["is_error"] as? Bool == true)
        #expect(refused.contains("ticket \(waiting.prefix(8)) is pending: waiting for \(ticket.prefix(8))"), "\(refused)")
        #expect(refused.contains("hint: 'zero ready' lists the tickets that can start"), "\(refused)")
        #expect(refused.hasSuffix("code: illegal_transition"), "\(refused)")
        let bad = try #require(steps["bad"]?["text"] as? String)
        #expect(steps["bad"]?["is_error"] as? Bool == true)
        #expect(bad.contains("'done' must be an array of integers"), "\(bad)")

        let started = try result("start")
        #expect(field(started, "session", "state") as? String == "executing")
        #expect(field(started, "ticket", "id") as? String == ticket)
        let progress = try result("progress")
        #expect((progress["steps"] as? [[String: Any]])?.map { $0["done"] as? Bool } == [true, true])
        #expect(progress["files"] as? [String] == ["created src/t0-0.txt"])
        let completed = try result("complete")
        #expect(field(completed, "ticket", "status") as? String == "done")
        #expect(field(completed, "session", "state") as? String == "complete")
        #expect(ids(completed["unlocked"]) == [waiting])

        // What the operator's CLI shows afterwards, and the same JSON through MCP.
        #expect(ids(field(try repo.zeroJSON("ready"), "tickets")) == [waiting])
        let shown = try repo.zeroOK("case", "show", ticket, "--json").stdout
        #expect(steps["case"]?["text"] as? String == shown.trimmingCharacters(in: .newlines))
        let sessions = try #require(field(try repo.zeroJSON("case", "show", ticket), "sessions") as? [[String: Any]])
        #expect(sessions.last?["state"] as? String == "complete")
        #expect(field(try repo.zeroJSON("case", "show", ticket), "case", "summary") as? String == "layer 0 written")
    }

    @Test("calls that take long (a proof's command) do not hold up the others", .temporaryRepository)
    func concurrentCalls() throws {
        let repo = try currentRepository()
        let (_, layers) = try makeSpec(repo, waves: 2, width: 1)
        // Two commands that run for seconds: as many as the server's cooperative threads on a 2-core machine.
        let (steps, output) = try Self.client("concurrent", [layers[0][0], layers[1][0]], in: repo)
        #expect(steps["while running"]?["is_error"] as? Bool == false, "\(output)")
        #expect(steps["timing"]?["finished"] as? [Int] == [], "answered only after a proof's command ended: \(output)")
        for step in ["proof 1", "proof 2"] {
            let text = try #require(steps[step]?["text"] as? String, "\(output)")
            #expect(steps[step]?["is_error"] as? Bool == false, "\(text)")
            #expect(text.contains("\"exit_code\" : 0"), "\(text)")
        }
    }

    @Test("zero mcp without its companion says how to build it")
    func missingCompanion() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zero-alone-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let alone = folder.appendingPathComponent("zero").path
        try FileManager.default.copyItem(atPath: Zero.binary, toPath: alone)
        let result = try ProcessResult.run([alone, "mcp"], in: folder.path, environment: [:])
        #expect(result.status == 70)
        #expect(result.stderr.contains("zero-mcp is not installed next to zero"), "\(result.stderr)")
        #expect(result.stderr.contains("hint: build it with 'swift build --product zero-mcp'"), "\(result.stderr)")
    }
}
