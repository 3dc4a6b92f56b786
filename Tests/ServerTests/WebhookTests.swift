import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
import Testing
import ZeroTestSupport

/// A webhook receiver on loopback: a real HTTP server that keeps what it got
/// and answers 500 to the first `failures` requests.
final class Receiver: Sendable {
    struct Delivery: Sendable {
        var event: String?
        var deliveryID: String?
        var signature: String?
        var body: Data
    }

    private let received = Mutex<[Delivery]>([])
    private let failuresLeft: Mutex<Int>
    private let port = Mutex<Int?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)

    init(failures: Int) { failuresLeft = Mutex(failures) }

    var deliveries: [Delivery] { received.withLock { $0 } }

    func start() async throws -> String {
        let router = Router()
        router.post("/hook") { [self] request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let delivery = Delivery(
                event: request.headers[HTTPField.Name("X-Zero-Event")!], deliveryID: request.headers[HTTPField.Name("X-Zero-Delivery")!],
                signature: request.headers[HTTPField.Name("X-Zero-Signature")!], body: Data(buffer: body))
            let fail = failuresLeft.withLock { left in
                defer { left -= 1 }
                return left > 0
            }
            received.withLock { $0.append(delivery) }
            return Response(status: fail ? .internalServerError : .noContent)
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in self.port.withLock { $0 = channel.localAddress?.port } })
        task.withLock { $0 = Task { try await app.run() } }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let port = port.withLock({ $0 }) { return "http://127.0.0.1:\(port)/hook" }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ServerFailure("the receiver did not start")
    }

    func stop() { task.withLock { $0?.cancel() } }
}

@Suite("webhooks", .serialized)
struct WebhookTests {
    @Test("a receiver on loopback gets signed deliveries it can verify, retried after a failure, each attempt in the log", .temporaryRepository)
    func signedDeliveries() async throws {
        let repo = try currentRepository()
        try repo.adopt()
        let receiver = Receiver(failures: 1)
        let url = try await receiver.start()
        defer { receiver.stop() }
        let server = try await LiveServer.start(repo)
        defer { Task { await server.stop() } }

        // Registering is the operator's; the secret is shown once.
        #expect(try await server.call("POST", "/webhooks", ["url": url]).status == 401)
        #expect(try await server.asOperator("POST", "/webhooks", ["url": "ftp://example.com/x"]).status == 400)
        #expect(try await server.asOperator("POST", "/webhooks", ["url": url, "events": ["no_such_event"]]).status == 400)
        let registered = try await server.asOperator("POST", "/webhooks", ["url": url])
        #expect(registered.status == 201, "\(registered.text)")
        let secret = try #require(registered["secret"] as? String)
        let hook = try #require(registered["id"] as? String)
        let listed = try await server.asOperator("GET", "/webhooks")
        #expect((listed.json as? [[String: Any]])?.first?["secret"] == nil)
        #expect(try await server.asOperator("POST", "/webhooks", ["url": url]).status == 409)

        // Kept in the git dir, readable by its owner only, never in the work tree.
        let registry = repo.path(".git/zero/webhooks.json")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: registry)[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0)
        #expect(try repo.git("status", "--porcelain").isEmpty)

        // A separate CLI process makes the events.
        let id = try #require(try repo.zeroJSON("case", "new", "hooked")["id"] as? String)
        try repo.zeroOK("session", "new", id, "--type", "planning")

        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !receiver.deliveries.contains(where: { $0.event == "session_created" }) {
            try await Task.sleep(for: .milliseconds(50))
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

        let log = try await server.asOperator("GET", "/webhooks/\(hook)/deliveries")
        let entries = try #require(log.json as? [[String: Any]])
        #expect(entries.first?["outcome"] as? String == "retrying")
        #expect(entries.first?["status"] as? Int == 500)
        #expect(entries.contains { $0["outcome"] as? String == "delivered" && $0["event_id"] as? String == first.deliveryID })

        #expect(try await server.asOperator("DELETE", "/webhooks/\(hook)").status == 200)
        #expect(try await server.asOperator("DELETE", "/webhooks/\(hook)").status == 404)
    }

    @Test("registrations behind a symlink are refused, not followed: the server does not start", .temporaryRepository)
    func symlinkedRegistry() async throws {
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
