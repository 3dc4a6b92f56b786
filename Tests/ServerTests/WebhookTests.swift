import Crypto
import Foundation
import Testing
import ZeroTestSupport

/// A webhook receiver on loopback: a real HTTP server (Python's http.server,
/// in a process of its own) that prints each request it gets as a JSON line
/// and answers 500 to the first `failures` of them.
final class Receiver: @unchecked Sendable {
    struct Delivery: Sendable {
        var event: String?
        var deliveryID: String?
        var signature: String?
        var body: Data
    }

    static let script = """
        import base64, json, sys
        from http.server import BaseHTTPRequestHandler, HTTPServer
        failures = int(sys.argv[1])
        class Hook(BaseHTTPRequestHandler):
            def do_POST(self):
                global failures
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                print(json.dumps({"event": self.headers.get("X-Zero-Event"), "delivery": self.headers.get("X-Zero-Delivery"),
                                  "signature": self.headers.get("X-Zero-Signature"), "body": base64.b64encode(body).decode()}), flush=True)
                self.send_response(500 if failures > 0 else 204)
                failures -= 1
                self.end_headers()
            def log_message(self, *args):
                pass
        server = HTTPServer(("127.0.0.1", 0), Hook)
        print("port", server.server_address[1], flush=True)
        server.serve_forever()
        """

    let process = Process()
    let lines = Lines()
    let failures: Int

    init(failures: Int) { self.failures = failures }

    var deliveries: [Delivery] {
        lines.all.compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return Delivery(
                event: object["event"] as? String, deliveryID: object["delivery"] as? String, signature: object["signature"] as? String,
                body: Data(base64Encoded: object["body"] as? String ?? "") ?? Data())
        }
    }

    func start() throws -> String {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, String(failures)]
        let out = Pipe()
        process.standardOutput = out
        // Never this test process's stderr: a receiver left behind would hold the runner's pipe open.
        process.standardError = FileHandle.nullDevice
        let sink = lines
        out.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { sink.feed(data) }
        }
        try process.run()
        let port = try lines.wait(for: "port ", seconds: 10).dropFirst(5)
        return "http://127.0.0.1:\(port)/hook"
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

@Suite("webhooks", .serialized)
struct WebhookTests {
    @Test("a receiver on loopback gets signed deliveries it can verify, retried after a failure, each attempt in the log", .temporaryRepository)
    func signedDeliveries() throws {
        let repo = try currentRepository()
        try repo.adopt()
        let receiver = Receiver(failures: 1)
        let url = try receiver.start()
        defer { receiver.stop() }
        let server = try LiveServer.start(repo)
        defer { server.stop() }

        // Registering is the operator's; the secret is shown once.
        #expect(try server.call("POST", "/webhooks", ["url": url]).status == 401)
        #expect(try server.asOperator("POST", "/webhooks", ["url": "ftp://example.com/x"]).status == 400)
        #expect(try server.asOperator("POST", "/webhooks", ["url": url, "events": ["no_such_event"]]).status == 400)
        let registered = try server.asOperator("POST", "/webhooks", ["url": url])
        #expect(registered.status == 201, "\(registered.text)")
        let secret = try #require(registered["secret"] as? String)
        let hook = try #require(registered["id"] as? String)
        let listed = try server.asOperator("GET", "/webhooks")
        #expect((listed.json as? [[String: Any]])?.first?["secret"] == nil)
        #expect(try server.asOperator("POST", "/webhooks", ["url": url]).status == 409)

        // Kept in the git dir, readable by its owner only, never in the work tree.
        let registry = repo.path(".git/zero/webhooks.json")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: registry)[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0)
        #expect(try repo.git("status", "--porcelain").isEmpty)

        // A separate CLI process makes the events.
        let id = try #require(try repo.zeroJSON("case", "new", "hooked")["id"] as? String)
        try repo.zeroOK("session", "new", id, "--type", "planning")

        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !Set(["session_created", "case_state_changed"]).isSubset(of: Set(receiver.deliveries.compactMap(\.event))) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let deliveries = receiver.deliveries
        #expect(deliveries.contains { $0.event == "session_created" })
        #expect(deliveries.contains { $0.event == "case_state_changed" })
        for delivery in deliveries {
            let expected = HMAC<SHA256>.authenticationCode(for: delivery.body, using: SymmetricKey(data: Data(secret.utf8)))
            let hex = expected.map { String(format: "%02x", $0) }.joined()
            #expect(delivery.signature == "sha256=" + hex, "a delivery's signature does not verify")
            let envelope = try #require(try JSONSerialization.jsonObject(with: delivery.body) as? [String: Any])
            #expect(envelope["event_type"] as? String == delivery.event)
            #expect(envelope["timestamp"] is String)
            #expect(envelope["payload"] is [String: Any])
        }
        // The first attempt failed (500) and was retried: the same event twice, then delivered.
        let first = try #require(deliveries.first)
        #expect(deliveries.filter { $0.deliveryID == first.deliveryID }.count == 2)
        // A tampered body does not verify.
        var tampered = first.body
        tampered.append(contentsOf: Array(" ".utf8))
        let forged = HMAC<SHA256>.authenticationCode(for: tampered, using: SymmetricKey(data: Data(secret.utf8)))
        #expect(first.signature != "sha256=" + forged.map { String(format: "%02x", $0) }.joined())

        let log = try server.asOperator("GET", "/webhooks/\(hook)/deliveries")
        let entries = try #require(log.json as? [[String: Any]])
        #expect(entries.first?["outcome"] as? String == "retrying")
        #expect(entries.first?["status"] as? Int == 500)
        #expect(entries.contains { $0["outcome"] as? String == "delivered" && $0["event_id"] as? String == first.deliveryID })

        #expect(try server.asOperator("DELETE", "/webhooks/\(hook)").status == 200)
        #expect(try server.asOperator("DELETE", "/webhooks/\(hook)").status == 404)
    }

    @Test("registrations behind a symlink are refused, not followed: the server does not start", .temporaryRepository)
    func symlinkedRegistry() throws {
        let repo = try currentRepository()
        try repo.adopt()
        try FileManager.default.createDirectory(atPath: repo.path(".git/zero"), withIntermediateDirectories: true)
        try repo.write("outside.json", "[]")
        try FileManager.default.createSymbolicLink(atPath: repo.path(".git/zero/webhooks.json"), withDestinationPath: repo.path("outside.json"))
        let result = try repo.run([Built.zero, "serve", "--port", "0"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("webhooks.json"))
        #expect(!result.stdout.contains("operator token"))
    }
}
