import Foundation
import Testing
import ZeroTestSupport

/// The seed's flow over HTTP, against the real `zero serve` on a loopback port.
@Suite("zero serve", .serialized)
struct ServerFlowTests {
    @Test(
        "create a case and a session, stream it until plan_ready, approve, commit, attach and verify proof, resolve: all over HTTP",
        .temporaryRepository)
    func seedFlow() throws {
        let repo = try currentRepository()
        try repo.adopt()
        let adopted = try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try LiveServer.start(repo)
        defer { server.stop() }

        let created = try server.call("POST", "/cases", ["title": "auth timeout on /api/login", "type": "bug"])
        #expect(created.status == 201)
        let id = try #require(created["id"] as? String)
        #expect(created["state"] as? String == "OPEN")

        let session = try server.call("POST", "/api/cases/\(id.prefix(8))/sessions", ["type": "planning"])
        #expect(session.status == 201)
        #expect(session["number"] as? Int == 1)
        #expect(try repo.zeroJSON("case", "show", id)["case"].flatMap { ($0 as? [String: Any])?["state"] as? String } == "INVESTIGATING")

        // The stream: the session as it is now, then its events as they happen.
        let stream = EventStream(server.base + "/cases/\(id)/sessions/1/stream")
        defer { stream.close() }
        let opening = try stream.wait("the snapshot") { !$0.isEmpty }
        #expect(opening[0].type == "session_snapshot")
        #expect(opening[0].id == nil)
        #expect(opening[0].payload?["state"] as? String == "created")

        let plan = try server.call(
            "PUT", "/cases/\(id)/sessions/1/plan",
            ["hypothesis": "JWT expiry uses < not <=", "steps": ["Patch src/app.txt", "Run the tests"], "scope": ["src/**"]])
        #expect(plan.status == 200)
        let ready = try stream.wait("plan_ready") { $0.contains { $0.payload?["kind"] as? String == "plan_ready" } }
        let readyEvent = try #require(ready.first { $0.payload?["kind"] as? String == "plan_ready" })
        #expect(readyEvent.type == "session_state_changed")
        #expect(readyEvent.id == "3")

        // Approving is the operator's: refused without the operator token, whatever else is sent.
        let unapproved = try server.call("POST", "/cases/\(id)/sessions/1/approve")
        #expect(unapproved.status == 401)
        #expect(unapproved.errorCode == "unauthorized")
        let forged = try server.call("POST", "/cases/\(id)/sessions/1/approve", token: "0123456789abcdef0123456789abcdef")
        #expect(forged.status == 401)
        let approved = try server.asOperator("POST", "/cases/\(id)/sessions/1/approve", ["plan_hash": plan["plan_hash"] as? String ?? ""])
        #expect(approved.status == 200, "\(approved.text)")
        #expect((approved["approved_by"] as? String)?.contains("ada@example.com") == true)
        try stream.wait("approved") { $0.contains { $0.payload?["kind"] as? String == "approved" } }

        let implementing = try server.call("POST", "/cases/\(id)/sessions", ["type": "implementing", "start": true])
        #expect(implementing.status == 201, "\(implementing.text)")
        #expect(implementing["state"] as? String == "executing")

        // A real commit through the installed hooks: refused until the approval
        // is committed, then allowed, in scope, trailers added.
        try repo.write("src/app.txt", "fixed\n")
        #expect(try repo.run(["git", "commit", "-qam", "too early"]).status != 0)
        try repo.git("add", "zero-memory")
        try repo.git("commit", "-qm", "zero: plan approved, session 2 started")
        try repo.git("commit", "-qam", "fix expiry check")
        #expect(try repo.git("log", "-1", "--format=%B").contains("Zero-Case: \(id)"))

        let proof = try server.call("POST", "/cases/\(id)/proof", ["type": "test-log", "text": "cargo test auth: 47 passed, 0 failed\n"])
        #expect(proof.status == 201, "\(proof.text)")
        let proofID = try #require(proof["id"] as? String)

        let complete = try server.call("POST", "/cases/\(id)/sessions/2/complete", ["output": "Patched src/app.txt"])
        #expect(complete.status == 200, "\(complete.text)")
        #expect(complete["state"] as? String == "complete")
        #expect((complete["diff"] as? [String: Any])?["files"] as? Int == 1)

        #expect(try server.call("POST", "/cases/\(id)/sessions/2/accept").status == 401)
        let accepted = try server.asOperator("POST", "/cases/\(id)/sessions/2/accept")
        #expect(accepted.status == 200, "\(accepted.text)")
        #expect(accepted["state"] as? String == "VERIFYING")

        #expect(try server.call("PUT", "/cases/\(id)/proof/\(proofID.prefix(8))/verify").status == 401)
        let verified = try server.asOperator("PUT", "/cases/\(id)/proof/\(proofID.prefix(8))/verify")
        #expect(verified.status == 200, "\(verified.text)")
        #expect(verified["verified"] as? Bool == true)

        // Resolving as an agent: the token is missing, so the core refuses (403), not the route.
        let asAgent = try server.call("PUT", "/cases/\(id)/state", ["state": "RESOLVED", "outcome": "ConfirmedCodeBug"])
        #expect(asAgent.status == 403)
        #expect(asAgent.errorCode == "not_operator")
        let resolved = try server.asOperator(
            "PUT", "/cases/\(id)/state", ["state": "RESOLVED", "outcome": "ConfirmedCodeBug", "root_cause": "off by one", "fix": "<= at expiry"])
        #expect(resolved.status == 200, "\(resolved.text)")
        #expect(resolved["state"] as? String == "RESOLVED")

        // What the server wrote is what the replay accepts: the same rules, one place.
        try repo.git("add", "zero-memory")
        try repo.git("commit", "-qm", "zero: case resolved")
        let check = try repo.run([Built.zero, "check", "--range", "\(adopted)..HEAD"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test("an illegal state change answers 422 and changes nothing; bad requests answer 400 or 404 with the error envelope", .temporaryRepository)
    func refusals() throws {
        let repo = try currentRepository()
        try repo.adopt()
        let server = try LiveServer.start(repo)
        defer { server.stop() }
        let id = try #require(try server.call("POST", "/cases", ["title": "a case"])["id"] as? String)
        let before = try repo.snapshot()

        let illegal = try server.call("PUT", "/cases/\(id)/state", ["state": "VERIFYING"])
        #expect(illegal.status == 422)
        #expect(illegal.errorCode == "illegal_transition")
        #expect((illegal["error", "message"] as? String)?.contains("OPEN") == true)
        #expect(illegal.headers["content-type"]?.hasPrefix("application/json") == true)

        let unknownKey = try server.call("POST", "/cases", ["title": "x", "tittle": "typo"])
        #expect(unknownKey.status == 400)
        #expect((unknownKey["error", "message"] as? String)?.contains("tittle") == true)
        #expect(try server.call("POST", "/cases", raw: "{not json").status == 400)
        #expect(try server.call("POST", "/cases", ["title": 7]).status == 400)
        #expect(try server.call("POST", "/cases", ["title": "x", "type": "nonsense"]).status == 400)
        #expect(try server.call("POST", "/cases/\(id)/sessions", ["type": "implementing"]).status == 422)
        #expect(try server.call("GET", "/cases/..%2F..%2Fetc").status == 400)
        #expect(try server.call("GET", "/cases/ffffffff").status == 404)
        #expect(try server.call("GET", "/cases/\(id)/sessions/0").status == 400)
        #expect(try server.call("GET", "/cases/\(id)/sessions/9").status == 404)
        let nowhere = try server.call("GET", "/nowhere")
        #expect(nowhere.status == 404)
        #expect(nowhere.errorCode == "not_found")
        #expect(try repo.snapshot() == before)

        // Both prefixes, and the document that lists them.
        #expect(try server.call("GET", "/api/cases/\(id)").status == 200)
        let document = try server.call("GET", "/openapi.yaml")
        #expect(document.status == 200)
        #expect(document.text.hasPrefix("openapi: 3.1"))
    }

    @Test("beyond loopback: refused without a token; with one, every request needs it, and it is not the operator's", .temporaryRepository)
    func tokens() throws {
        let repo = try currentRepository()
        try repo.adopt()
        let refused = try repo.run([Built.zero, "serve", "--host", "0.0.0.0", "--port", "0"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("without --token"))
        let short = try repo.run([Built.zero, "serve", "--host", "0.0.0.0", "--port", "0", "--token", "short"])
        #expect(short.status == 64)

        let token = "agent-token-0123456789abcdef"
        let server = try LiveServer.start(repo, arguments: ["--host", "0.0.0.0", "--token", token])
        defer { server.stop() }
        #expect(try server.call("GET", "/cases").status == 401)
        #expect(try server.call("GET", "/cases", token: "wrong-token-0123456789abcdef").status == 401)
        #expect(try server.call("GET", "/cases", token: token).status == 200)
        #expect(try server.call("GET", "/webhooks", token: token).status == 401)
        #expect(try server.call("GET", "/webhooks", token: server.operatorToken).status == 200)
        // The operator token never reaches the files an agent reads.
        let memory = try repo.snapshot().values.map { String(decoding: $0, as: UTF8.self) }
        #expect(!memory.contains { $0.contains(server.operatorToken) })
    }

    @Test("a web page cannot drive the agent's API: cross-origin requests and foreign Host names are refused", .temporaryRepository)
    func browsers() throws {
        let repo = try currentRepository()
        try repo.adopt()
        let server = try LiveServer.start(repo)
        defer { server.stop() }
        let before = try repo.snapshot()
        // A page on another site POSTs to loopback (a "simple" request: no preflight).
        let crossOrigin = try server.call("POST", "/cases", ["title": "from a web page"], headers: ["Origin": "http://evil.example"])
        #expect(crossOrigin.status == 403)
        #expect(crossOrigin.errorCode == "forbidden")
        let formPost = try server.call("POST", "/cases", raw: "title=x", headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(formPost.status == 415)
        // DNS rebinding: evil.example resolved to 127.0.0.1, so the Host header names it.
        let rebound = try server.call("GET", "/cases", headers: ["Host": "evil.example:\(server.port)"])
        #expect(rebound.status == 403)
        #expect(try repo.snapshot() == before)
        // The server's own origin and plain clients (no Origin) are fine.
        let sameOrigin = try server.call("GET", "/cases", headers: ["Origin": server.base])
        #expect(sameOrigin.status == 200)
    }

    @Test("in signed mode the operator token's approval is signed with the key of the operator who started the server", .temporaryRepository)
    func signedApproval() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init")
        let key = repo.home + "/ada-key"
        #expect(try repo.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ada", "-f", key]).status == 0)
        let publicKey = try String(contentsOfFile: key + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try repo.write("zero-memory/allowed_signers", "ada@example.com \(publicKey)\n")
        let config = try repo.read("zero-memory/config.yaml")
        try repo.write("zero-memory/config.yaml", config.replacingOccurrences(of: "require_signed_approvals: false", with: "require_signed_approvals: true"))
        try repo.git("config", "user.signingkey", key)
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "adopt zero, signed mode")
        let adopted = try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)

        let server = try LiveServer.start(repo)
        defer { server.stop() }
        let id = try #require(try server.call("POST", "/cases", ["title": "signed"])["id"] as? String)
        #expect(try server.call("POST", "/cases/\(id)/sessions", ["type": "planning"]).status == 201)
        #expect(try server.call("PUT", "/cases/\(id)/sessions/1/plan", ["hypothesis": "h", "steps": ["one"], "scope": ["src/**"]]).status == 200)
        let approved = try server.asOperator("POST", "/cases/\(id)/sessions/1/approve")
        #expect(approved.status == 200, "\(approved.text)")
        #expect(approved["approval_signed"] as? Bool == true)
        try repo.git("add", "zero-memory")
        try repo.git("commit", "-qm", "zero: plan approved over HTTP")
        let check = try repo.run([Built.zero, "check", "--range", "\(adopted)..HEAD"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test("SIGTERM stops the server gracefully with streams open", .temporaryRepository)
    func gracefulShutdown() throws {
        let repo = try currentRepository()
        try repo.adopt()
        let server = try LiveServer.start(repo)
        let streams = (0..<3).map { _ in EventStream(server.base + "/events") }
        defer { for stream in streams { stream.close() } }
        for stream in streams { try stream.wait(seconds: 10, "a heartbeat") { _ in stream.heartbeats > 0 } }
        let started = Date()
        let status = server.stop(seconds: 10)
        #expect(status == 0, "zero serve did not stop cleanly: \(server.stderr.all)")
        #expect(Date().timeIntervalSince(started) < 5)
        for stream in streams { try stream.wait(seconds: 5, "its end") { _ in stream.ended } }
        #expect(server.stdout.all.contains("zero serve: stopped"))
    }
}
