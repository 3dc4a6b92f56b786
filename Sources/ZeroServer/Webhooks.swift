import Crypto
import Foundation
import ServiceLifecycle
import Synchronization
import ZeroCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Webhooks: registrations in `<git dir>/zero/webhooks.json` (mode 0600,
/// never in the work tree, never committed), each workspace event POSTed to
/// every registration that wants it, signed, retried with backoff, and
/// every attempt written to `<git dir>/zero/webhook-deliveries.log`.
///
/// A delivery carries the envelope as its body and the headers
/// `X-Zero-Event: <event_type>`, `X-Zero-Delivery: <event id>` and
/// `X-Zero-Signature: sha256=<hex HMAC-SHA256 of the body, keyed with the
/// secret's UTF-8 bytes>`.
final class Webhooks: Service, Sendable {
    struct Registration: Codable, Sendable, Equatable {
        var id: String
        var url: String
        var events: [String]
        var secret: String
        var createdAt: String

        enum CodingKeys: String, CodingKey { case id, url, events, secret, createdAt = "created_at" }

        func admits(_ type: String) -> Bool { events.isEmpty || events.contains(type) }
    }

    /// A registration as listed: without its secret.
    struct Listed: Encodable, Sendable {
        var id: String
        var url: String
        var events: [String]
        var createdAt: String
        var secret: String?

        enum CodingKeys: String, CodingKey { case id, url, events, createdAt = "created_at", secret }
    }

    struct Delivery: Codable, Sendable {
        var webhook: String
        var eventID: String
        var eventType: String
        var attempt: Int
        var at: String
        var status: Int?
        var outcome: String
        var error: String?

        enum CodingKeys: String, CodingKey {
            case webhook, eventID = "event_id", eventType = "event_type", attempt, at, status, outcome, error
        }
    }

    static let eventTypes: Set<String> = [
        "session_created", "session_state_changed", "session_started", "session_completed", "session_updated",
        "proof_created", "proof_updated", "case_updated", "case_state_changed", "ticket_ready",
    ]

    let folder: String
    let hub: EventHub
    let backoffMilliseconds: Int
    let attempts: Int
    private let registrations: Mutex<[Registration]>
    private let logLock = Mutex(())

    var registryPath: String { folder + "/webhooks.json" }
    var logPath: String { folder + "/webhook-deliveries.log" }

    init(folder: String, hub: EventHub, backoffMilliseconds: Int, attempts: Int) throws {
        self.folder = folder
        self.hub = hub
        self.backoffMilliseconds = backoffMilliseconds
        self.attempts = attempts
        var loaded: [Registration] = []
        switch try FileSystem.readRegularFile(folder + "/webhooks.json", limit: 1 << 20) {
        case nil: break
        case .success(let bytes):
            do {
                loaded = try JSONDecoder().decode([Registration].self, from: Data(bytes))
            } catch {
                throw ZeroError(
                    .malformed, "the webhook registrations do not read: \(error)", hint: "fix or remove the file; zero serve never rewrites it unread",
                    file: folder + "/webhooks.json")
            }
        case .failure(let problem):
            throw ZeroError(.malformed, "the webhook registrations are not a regular file (\(problem))", file: folder + "/webhooks.json")
        }
        registrations = Mutex(loaded)
    }

    // MARK: Registrations

    func list() -> [Listed] {
        registrations.withLock { $0 }.map { Listed(id: $0.id, url: $0.url, events: $0.events, createdAt: $0.createdAt) }
    }

    func register(url: String, events: [String]) throws -> Listed {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = parsed.host, !host.isEmpty
        else {
            throw ZeroError(.usage, "'\(url)' is not an http or https URL", hint: "for example http://127.0.0.1:9000/zero")
        }
        if let unknown = events.first(where: { !Self.eventTypes.contains($0) }) {
            throw ZeroError(.usage, "'\(unknown)' is not an event type", hint: "use any of: \(Self.eventTypes.sorted().joined(separator: ", "))")
        }
        let registration = Registration(
            id: String(UUID().uuidString.lowercased().prefix(8)), url: url, events: Array(Set(events)).sorted(), secret: ZeroServe.newToken(),
            createdAt: Timestamp.now().description)
        try registrations.withLock { list in
            if list.contains(where: { $0.url == url }) {
                throw ZeroError(.alreadyExists, "a webhook for \(url) is registered already", hint: "delete it first (DELETE /webhooks/<id>)")
            }
            try save(list + [registration])
            list.append(registration)
        }
        return Listed(id: registration.id, url: url, events: registration.events, createdAt: registration.createdAt, secret: registration.secret)
    }

    func remove(_ id: String) throws {
        try registrations.withLock { list in
            guard list.contains(where: { $0.id == id }) else {
                throw ZeroError(.notFound, "no webhook '\(id)'", hint: "GET /webhooks lists them")
            }
            let kept = list.filter { $0.id != id }
            try save(kept)
            list = kept
        }
    }

    private func save(_ list: [Registration]) throws {
        try FileSystem.createFolder(folder)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileSystem.writeAtomically(Array(try encoder.encode(list)), to: registryPath, mode: 0o600)
    }

    func registration(_ id: String) -> Registration? {
        registrations.withLock { list in list.first { $0.id == id } }
    }

    // MARK: Deliveries

    func deliveries(_ id: String) throws -> [Delivery] {
        guard registration(id) != nil else { throw ZeroError(.notFound, "no webhook '\(id)'", hint: "GET /webhooks lists them") }
        guard case .success(let bytes) = try FileSystem.readRegularFile(logPath, limit: 64 << 20) else { return [] }
        let decoder = JSONDecoder()
        // A line cut short by a crash is skipped, never an error.
        return bytes.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(Delivery.self, from: Data($0)) }.filter {
            $0.webhook == id
        }
    }

    private func record(_ delivery: Delivery) {
        guard var line = try? JSONEncoder().encode(delivery) else { return }
        line.append(UInt8(ascii: "\n"))
        logLock.withLock { _ in
            try? FileSystem.createFolder(folder)
            let fd = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else { return }
            _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
    }

    /// Every workspace event to every registration that wants it; one queue
    /// per registration, so its events arrive in order.
    func run() async throws {
        let (_, stream) = hub.subscribe()
        let session = URLSession(configuration: .ephemeral)
        await withDiscardingTaskGroup { group in
            var queues: [String: AsyncStream<HubItem>.Continuation] = [:]
            for await item in stream where item.inWorkspace {
                for registration in registrations.withLock({ $0 }) where registration.admits(item.eventType) {
                    if queues[registration.id] == nil {
                        let (queue, continuation) = AsyncStream<HubItem>.makeStream(bufferingPolicy: .unbounded)
                        queues[registration.id] = continuation
                        let id = registration.id
                        group.addTask { for await item in queue { await self.deliver(item, to: id, session) } }
                    }
                    queues[registration.id]?.yield(item)
                }
            }
            // Shutting down: what is still retrying stops (it is in the log as retrying).
            for continuation in queues.values { continuation.finish() }
            group.cancelAll()
        }
    }

    /// POSTs one event until it is taken (2xx), waiting twice as long after
    /// each failure, at most `attempts` times; every attempt is logged.
    func deliver(_ item: HubItem, to id: String, _ session: URLSession) async {
        let body = Data(item.data.utf8)
        let eventID = hub.eventID(item)
        var wait = backoffMilliseconds
        for attempt in 1...attempts where !Task.isCancelled {
            // Removed meanwhile: stop. Read afresh, so a new secret is used at once.
            guard let registration = registration(id), let url = URL(string: registration.url) else { return }
            var request = URLRequest(url: url, timeoutInterval: 10)
            request.httpMethod = "POST"
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue(item.eventType, forHTTPHeaderField: "X-Zero-Event")
            request.setValue(eventID, forHTTPHeaderField: "X-Zero-Delivery")
            request.setValue("sha256=" + Self.signature(body, secret: registration.secret), forHTTPHeaderField: "X-Zero-Signature")
            var status: Int?
            var failure: String?
            do {
                let (_, response) = try await session.data(for: request)
                status = (response as? HTTPURLResponse)?.statusCode
                if let status, !(200..<300).contains(status) { failure = "answered \(status)" }
            } catch {
                failure = error.localizedDescription
            }
            let delivered = failure == nil
            let last = attempt == attempts
            record(
                Delivery(
                    webhook: id, eventID: eventID, eventType: item.eventType, attempt: attempt, at: Timestamp.now().description, status: status,
                    outcome: delivered ? "delivered" : last ? "failed" : "retrying", error: failure))
            if delivered || last { return }
            try? await Task.sleep(for: .milliseconds(wait))
            wait *= 2
        }
    }

    /// The hex HMAC-SHA256 of `body` keyed with the secret.
    static func signature(_ body: Data, secret: String) -> String {
        HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))).withUnsafeBytes { Digest.hex($0) }
    }
}
