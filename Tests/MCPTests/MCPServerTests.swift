import Foundation
import MCP
import Testing
import ZeroCore
import ZeroTestSupport

@testable import ZeroMCP

/// Ada, the operator `zero init` records; she approves the specification.
let ada = Identity(Actor(name: "Ada", email: "ada@example.com"))
/// The agent the MCP server acts for: not an operator.
let agent = Identity(Actor(name: "Agent", email: "agent@example.com"))

/// A workspace with a specification of two tickets approved by Ada: `first`
/// is ready, `second` waits for it. A ticket is done when its work session
/// completes (`gates.ticket_done: complete`).
struct Board {
    let repository: TemporaryRepository
    let spec: String
    let first: String
    let second: String

    static func make() throws -> Board {
        let repository = try currentRepository()
        let environment = Environment(identity: { _ in ada })
        _ = try Workspace.initialise(from: repository.root, environment: environment)
        let config = try repository.read("zero-memory/config.yaml")
            .replacingOccurrences(of: "ticket_done: resolved", with: "ticket_done: complete")
            .replacingOccurrences(of: "require_planning_review: true", with: "require_planning_review: false")
        try repository.write("zero-memory/config.yaml", config)
        let workspace = Workspace(root: repository.root, environment: environment)
        var newSpec = NewSpec(title: "invoices")
        newSpec.goals = "one invoice path"
        newSpec.epics = ["model"]
        let spec = try workspace.createSpec(newSpec).id
        var ids: [String] = []
        for name in ["invoice", "tax"] {
            var ticket = NewCase(title: "\(name) model")
            ticket.type = .ticket
            ticket.spec = spec
            ticket.epic = 1
            ticket.dependsOn = ids
            let id = try workspace.createCase(ticket).id
            let path = "zero-memory/cases/\(id)/problem-definition.md"
            let text = try repository.read(path)
                .replacingOccurrences(of: "## Description\n", with: "## Description\nThe \(name) type.\n")
                .replacingOccurrences(of: "## Steps\n", with: "## Steps\n1. write src/\(name).txt\n2. test it\n")
                .replacingOccurrences(of: "## Acceptance criteria\n", with: "## Acceptance criteria\n- [ ] src/\(name).txt exists\n")
                .replacingOccurrences(of: "## Files\n", with: "## Files\n- create src/\(name).txt\n")
            try repository.write(path, text)
            ids.append(id)
        }
        _ = try workspace.approveSpec(spec)
        return Board(repository: repository, spec: spec, first: ids[0], second: ids[1])
    }

    /// The workspace as the operator sees it, to check what the tools did.
    var workspace: Workspace { Workspace(root: repository.root, environment: Environment(identity: { _ in ada })) }
}

/// `json["a"]["b"]` for JSONSerialization output.
func field(_ json: Any?, _ path: String...) -> Any? {
    var current = json
    for key in path { current = (current as? [String: Any])?[key] }
    return current
}

/// The SDK's own client, connected in-process to Zero's server (the SDK's
/// in-memory transport), acting for the agent in the board's repository.
struct Connection {
    let client: Client
    let server: Server

    /// Runs `body` with a connection, closed afterwards whatever happens.
    static func with(in folder: String, _ body: (Connection) async throws -> Void) async throws {
        let connection = try await open(in: folder)
        do {
            try await body(connection)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }

    static func open(in folder: String) async throws -> Connection {
        let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
        let server = await ZeroMCPServer.make(environment: Environment(identity: { _ in agent }, currentFolder: folder))
        try await server.start(transport: serverTransport)
        let client = Client(name: "zero-tests", version: "1.0.0")
        try await client.connect(transport: clientTransport)
        return Connection(client: client, server: server)
    }

    func close() async {
        await client.disconnect()
        await server.stop()
    }

    /// A tool's text and whether it is an error.
    func call(_ name: String, _ arguments: [String: Value] = [:]) async throws -> (text: String, isError: Bool) {
        let (content, isError) = try await client.callTool(name: name, arguments: arguments)
        let text = content.compactMap { item -> String? in
            guard case .text(let text, _, _) = item else { return nil }
            return text
        }.joined(separator: "\n")
        return (text, isError ?? false)
    }

    /// A tool's JSON result; the call must succeed.
    func json(_ name: String, _ arguments: [String: Value] = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let (text, isError) = try await call(name, arguments)
        #expect(!isError, "\(name) failed: \(text)", sourceLocation: sourceLocation)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], sourceLocation: sourceLocation)
    }

    /// A tool's error text; the call must fail.
    func refusal(_ name: String, _ arguments: [String: Value] = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let (text, isError) = try await call(name, arguments)
        #expect(isError, "\(name) should have failed: \(text)", sourceLocation: sourceLocation)
        return text
    }
}

@Suite("the MCP server, driven by the SDK's client")
struct MCPServerTests {
    @Test("tools/list: the eleven tools of DESIGN §6.3 in under 12 000 characters, none offering an operator's act", .temporaryRepository)
    func toolList() async throws {
        let board = try Board.make()
        try await Connection.with(in: board.repository.root) { connection in
            let (tools, _) = try await connection.client.listTools()
            #expect(
                Set(tools.map(\.name)) == [
                    "start_work_session", "action_work_session", "complete_work_session", "get_next_actionable_tickets", "get_blocked_tickets",
                    "create_case", "create_session", "submit_plan", "attach_proof", "get", "list",
                ])
            let serialized = String(decoding: try JSONEncoder().encode(ListTools.Result(tools: tools)), as: UTF8.self)
            #expect(serialized.count < 12_000, "tools/list is \(serialized.count) characters (about \(serialized.count / 4) tokens)")
            // "acceptance criteria" is a ticket's checklist, not the operator's diff review, and
            // "verifying" a session type an agent may open, not the operator's verification of proof.
            let offers = /(?i)\b(approv\w*|verif(?!ying\b)\w*|resolv\w*|accept(?!ance)\w*)\b/
            for tool in tools {
                #expect(tool.name.firstMatch(of: offers) == nil, "\(tool.name)")
                let text = String(decoding: try JSONEncoder().encode(tool), as: UTF8.self)
                #expect(text.firstMatch(of: offers) == nil, "\(tool.name) offers \(text.firstMatch(of: offers).map { String($0.output.0) } ?? "")")
                #expect(tool.inputSchema.objectValue?["type"] == "object")
            }
        }
    }

    @Test("start → progress → complete on a ticket: it is done, and the ticket waiting for it is ready", .temporaryRepository)
    func ticketFlow() async throws {
        let board = try Board.make()
        try await Connection.with(in: board.repository.root) { connection in

            let ready = try await connection.json("get_next_actionable_tickets")
            #expect((ready["tickets"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [board.first])

            let started = try await connection.json("start_work_session", ["ticket": .string(String(board.first.prefix(8)))])
            #expect((started["ticket"] as? [String: Any])?["status"] as? String == "active")
            #expect((started["session"] as? [String: Any])?["state"] as? String == "executing")
            #expect((started["steps"] as? [[String: Any]])?.count == 2)
            #expect((started["files"] as? [[String: Any]])?.first?["path"] as? String == "src/invoice.txt")

            try board.repository.write("src/invoice.txt", "an invoice\n")
            let progress = try await connection.json(
                "action_work_session",
                [
                    "ticket": .string(board.first), "action": "progress", "done": [1], "files": ["created:src/invoice.txt"],
                    "criteria": ["1=pass:the file is there"], "tests": "1 passed, 0 failed",
                ])
            let steps = try #require(progress["steps"] as? [[String: Any]])
            #expect(steps.map { $0["done"] as? Bool } == [true, false])
            #expect(progress["files"] as? [String] == ["created src/invoice.txt"])

            let completed = try await connection.json(
                "complete_work_session", ["ticket": .string(board.first), "summary": "invoice model", "validation": "tests=pass"])
            #expect((completed["ticket"] as? [String: Any])?["status"] as? String == "done")
            #expect((completed["session"] as? [String: Any])?["state"] as? String == "complete")
            #expect((completed["unlocked"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [board.second])

            // As the operator's CLI reads the files afterwards.
            let workspace = board.workspace
            #expect(try workspace.ticketListing(fresh: true).ready().tickets.map(\.id) == [board.second])
            let detail = try workspace.caseDetail(board.first)
            #expect(detail.meta.summary == "invoice model")
            #expect(detail.sessions.last?.state == .complete)
            #expect(detail.sessions.last?.steps.map(\.done) == [true, false])
            // The tool's result is the JSON `zero case show --json` prints.
            let shown = try await connection.call("get", ["case": .string(board.first)])
            #expect(shown.text == (try ViewJSON.encode(detail)))
            let next = try await connection.json("get_next_actionable_tickets")
            #expect((next["tickets"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [board.second])
        }
    }

    @Test("a refused call is an error carrying the CLI's message, hint and code, and changes nothing", .temporaryRepository)
    func refusedWithHint() async throws {
        let board = try Board.make()
        try await Connection.with(in: board.repository.root) { connection in
            let before = try board.repository.snapshot()

            let pending = try await connection.refusal("start_work_session", ["ticket": .string(board.second)])
            #expect(pending.contains("zero: ticket \(board.second.prefix(8)) is pending: waiting for \(board.first.prefix(8))"))
            #expect(pending.contains("\nhint: 'zero ready' lists the tickets that can start"))
            #expect(pending.hasSuffix("code: illegal_transition"))

            let blocked = try await connection.json("get_blocked_tickets")
            let reason = (blocked["tickets"] as? [[String: Any]])?.first?["reason"] as? [String: Any]
            #expect(reason?["waiting_for"] as? [String] == [board.first])

            let noSession = try await connection.refusal("action_work_session", ["ticket": .string(board.first), "action": "pause"])
            #expect(noSession.contains("hint: "))
            #expect(try board.repository.snapshot() == before)
        }
    }

    @Test("bad arguments are refused by name before anything is read or written", .temporaryRepository)
    func badArguments() async throws {
        let board = try Board.make()
        try await Connection.with(in: board.repository.root) { connection in
            let before = try board.repository.snapshot()
            let ticket = Value.string(board.first)

            let cases: [(String, [String: Value], String)] = [
                ("action_work_session", ["ticket": ticket], "action_work_session needs 'action'"),
                ("action_work_session", ["ticket": ticket, "action": "progress", "done": "1"], "'done' must be an array of integers"),
                ("action_work_session", ["ticket": ticket, "action": "progress", "done": [1.5]], "'done' must be an array of integers"),
                ("action_work_session", ["ticket": ticket, "action": "finish"], "'action' must be one of progress, pause, resume, block, unblock"),
                ("action_work_session", ["ticket": ticket, "action": "pause", "note": "x"], "note does not apply to action pause"),
                ("action_work_session", ["ticket": ticket, "action": "block"], "action block needs a reason"),
                ("start_work_session", ["ticket": 42], "'ticket' must be a string"),
                ("start_work_session", ["tciket": ticket], "start_work_session has no argument 'tciket'"),
                ("complete_work_session", ["ticket": ticket], "complete_work_session needs 'summary'"),
                ("complete_work_session", ["ticket": ticket, "summary": "s", "validation": "tests"], "'tests' is not name=result"),
                ("create_case", ["title": "t", "type": "epic-fail"], "'type' must be one of bug, feature"),
                ("get", [:], "get needs one of case, session, spec"),
                ("get", ["case": ticket, "spec": ticket], "get takes only one of case, session, spec, not case and spec"),
                ("list", ["what": "sessions"], "listing sessions needs 'case'"),
                ("attach_proof", ["case": ticket, "note": "n"], "a file or a note needs a type"),
                ("get_next_actionable_tickets", ["limit": 0], "limit must be at least 1"),
            ]
            for (tool, arguments, message) in cases {
                let text = try await connection.refusal(tool, arguments)
                #expect(text.contains(message), "\(tool) \(arguments): \(text)")
                #expect(text.hasSuffix("code: usage"), "\(tool) \(arguments): \(text)")
            }
            await #expect(throws: MCPError.self) { _ = try await connection.client.callTool(name: "approve_plan", arguments: [:]) }
            #expect(try board.repository.snapshot() == before)
        }
    }

    @Test("an id or path that tries to leave zero-memory/ (or the repository) is refused", .temporaryRepository)
    func escapes() async throws {
        let board = try Board.make()
        try await Connection.with(in: board.repository.root) { connection in
            try board.repository.write("../outside.txt", "not the repository's\n")
            let before = try board.repository.snapshot()

            let attempts: [(String, [String: Value], String)] = [
                ("get", ["case": "../../etc"], "is not a valid case id"),
                ("get", ["session": "../../etc/1"], "is not a session"),
                ("get", ["session": "..%2f/1"], "is not a valid case id"),
                ("get", ["spec": "../specs"], "is not a valid case id"),
                ("start_work_session", ["ticket": "../../etc/passwd"], "is not a valid case id"),
                ("create_session", ["case": "..", "type": "planning"], "is not a valid case id"),
                ("submit_plan", ["session": "/etc/1", "steps": ["x"]], "is not a session"),
                ("list", ["what": "proofs", "case": "../../.."], "is not a valid case id"),
                ("create_case", ["title": "t", "depends_on": ["../../etc"]], "is not a valid case id"),
                ("attach_proof", ["case": .string(board.first), "type": "log", "file": "../outside.txt"], "is outside the repository"),
                ("attach_proof", ["case": .string(board.first), "type": "log", "file": "/etc/passwd"], "is outside the repository"),
                ("attach_proof", ["case": .string(board.first), "type": "log", "file": ".git/config"], "is outside the repository"),
            ]
            for (tool, arguments, message) in attempts {
                let text = try await connection.refusal(tool, arguments)
                #expect(text.contains(message), "\(tool) \(arguments): \(text)")
            }
            #expect(try board.repository.snapshot() == before)
            // A file in the repository is fine.
            let proof = try await connection.json("attach_proof", ["case": .string(board.first), "type": "log", "file": "README.md"])
            #expect(proof["artifact"] as? String != nil)
        }
    }

    @Test("a case planned through MCP waits for an operator: no tool moves it past plan_ready", .temporaryRepository)
    func planWaitsForOperator() async throws {
        let board = try Board.make()
        try await Connection.with(in: board.repository.root) { connection in
            let created = try await connection.json(
                "create_case", ["title": "login times out", "observed": "504 after 30s", "expected": "under 2s", "tags": ["auth"]])
            let id = try #require(created["id"] as? String)
            #expect(created["state"] as? String == "OPEN")
            let session = try await connection.json("create_session", ["case": .string(id), "type": "planning"])
            #expect(session["state"] as? String == "created")
            let plan = try await connection.json(
                "submit_plan", ["session": .string(id + "/1"), "hypothesis": "expiry uses <", "steps": ["patch", "test"], "scope": ["src/**"]])
            #expect(plan["state"] as? String == "plan_ready")
            let implementing = try await connection.refusal("create_session", ["case": .string(id), "type": "implementing"])
            #expect(implementing.contains("hint: "))
            let proof = try await connection.json("attach_proof", ["case": .string(id), "command": ["sh", "-c", "echo '2 passed, 0 failed'"]])
            #expect(proof["exit_code"] as? Int == 0)
            #expect(proof["summary"] as? String == "2 passed, 0 failed")
            #expect(proof["verified"] as? Bool == false)
            let listed = try await connection.call("list", ["what": "cases", "tag": "auth"])
            let cases = try #require(try JSONSerialization.jsonObject(with: Data(listed.text.utf8)) as? [[String: Any]])
            #expect(cases.map { $0["state"] as? String } == ["INVESTIGATING"])
            let proofs = try await connection.call("list", ["what": "proofs", "case": .string(String(id.prefix(6)))])
            #expect((try JSONSerialization.jsonObject(with: Data(proofs.text.utf8)) as? [Any])?.count == 1)
        }
    }

    @Test("pause, resume, block and unblock act on the ticket's session and case, as the CLI's work verbs do", .temporaryRepository)
    func otherActions() async throws {
        let board = try Board.make()
        try await Connection.with(in: board.repository.root) { connection in
            let ticket = Value.string(String(board.first.prefix(6)))
            _ = try await connection.json("start_work_session", [:])
            let paused = try await connection.json("action_work_session", ["ticket": ticket, "action": "pause"])
            #expect(paused["paused"] as? Bool == true)
            let resumed = try await connection.json("action_work_session", ["ticket": ticket, "action": "resume"])
            #expect(resumed["paused"] as? Bool == false)
            #expect(resumed["state"] as? String == "executing")
            let blocked = try await connection.json("action_work_session", ["ticket": ticket, "action": "block", "reason": "needs the tax table"])
            #expect(blocked["state"] as? String == "BLOCKED")
            #expect(blocked["blocked_reason"] as? String == "needs the tax table")
            let pending = try await connection.json("get_blocked_tickets")
            let items = try #require(pending["tickets"] as? [[String: Any]])
            #expect(Set(items.compactMap { field($0, "ticket", "id") as? String }) == [board.first, board.second])
            let first = items.first { field($0, "ticket", "id") as? String == board.first }
            #expect(field(first, "reason", "blocked_reason") as? String == "needs the tax table")
            let unblocked = try await connection.json("action_work_session", ["ticket": ticket, "action": "unblock"])
            #expect(unblocked["state"] as? String == "IMPLEMENTING")
            let sessions = try await connection.call("list", ["what": "sessions", "case": ticket])
            let states = (try JSONSerialization.jsonObject(with: Data(sessions.text.utf8)) as? [[String: Any]])?.map { $0["state"] as? String }
            #expect(states == ["complete", "executing"])
            let spec = try await connection.json("get", ["spec": .string(board.spec)])
            #expect(spec["status"] as? String == "in_progress")
            #expect((spec["tickets"] as? [Any])?.count == 2)
            let session = try await connection.json("get", ["session": .string(board.first + "/2")])
            #expect(session["type"] as? String == "implementing")
        }
    }
}
