import Foundation
import ServiceLifecycle
import Synchronization
import ZeroCore

/// One event as the API sends it (SSE `data:` and webhook bodies):
/// `{"event_type", "payload", "timestamp"}`.
struct HubItem: Sendable {
    /// Position in the workspace stream (`/events`); 0 for items only a session stream carries.
    var sequence: UInt64 = 0
    var eventType: String
    /// The envelope, as JSON.
    var data: String
    /// The session whose `## Events` line this is, and the line's number (1-based).
    var session: SessionKey?
    var line: Int?
    /// Whether `/events` and webhooks carry it (a session's proof and case
    /// lines are carried once, from the proof and meta files instead).
    var inWorkspace: Bool
}

struct SessionKey: Hashable, Sendable {
    var caseID: String
    var number: Int
}

/// Fans out what the watcher sees to every open stream and to webhooks, and
/// keeps the last events of the workspace stream for `Last-Event-ID`.
final class EventHub: Service, Sendable {
    /// Names this server run in event ids: `<epoch>-<sequence>`.
    let epoch: String
    static let kept = 10_000

    private struct State {
        var recent: [HubItem] = []
        var nextSequence: UInt64 = 1
        var subscribers: [UInt64: AsyncStream<HubItem>.Continuation] = [:]
        var nextSubscriber: UInt64 = 1
        var closed = false
    }

    private let state = Mutex(State())
    private let watcher: Watcher

    init(root: String, environment: ZeroCore.Environment, progress: @escaping @Sendable (String) -> Void) throws {
        epoch = String(UUID().uuidString.lowercased().prefix(8))
        watcher = Watcher(root: root, environment: environment)
        try watcher.baseline(progress: progress)
    }

    /// A stream of every item from now on, and (for `after` in this run and
    /// still kept) the workspace items after that sequence number; nil when
    /// they cannot be replayed. Taken under one lock: nothing falls between.
    func subscribe(after sequence: UInt64? = nil) -> (replay: [HubItem]?, stream: AsyncStream<HubItem>) {
        let (stream, continuation) = AsyncStream<HubItem>.makeStream(bufferingPolicy: .unbounded)
        let (replay, id): ([HubItem]?, UInt64?) = state.withLock { state in
            if state.closed { return (nil, nil) }
            let id = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[id] = continuation
            guard let sequence else { return ([], id) }
            let oldest = state.recent.first?.sequence ?? state.nextSequence
            guard sequence + 1 >= oldest, sequence < state.nextSequence else { return (nil, id) }
            return (state.recent.filter { $0.sequence > sequence }, id)
        }
        guard let id else {
            continuation.finish()
            return (nil, stream)
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return (replay, stream)
    }

    /// Gives workspace items their sequence numbers and hands every item to every subscriber.
    func publish(_ items: [HubItem]) {
        guard !items.isEmpty else { return }
        state.withLock { state in
            for var item in items {
                if item.inWorkspace {
                    item.sequence = state.nextSequence
                    state.nextSequence += 1
                    state.recent.append(item)
                }
                for continuation in state.subscribers.values { continuation.yield(item) }
            }
            if state.recent.count > Self.kept + Self.kept / 4 { state.recent.removeFirst(state.recent.count - Self.kept) }
        }
    }

    /// `<epoch>-<sequence>` → the sequence, when the id is from this run.
    func sequence(fromEventID id: String) -> UInt64? {
        let parts = id.split(separator: "-")
        guard parts.count == 2, parts[0] == epoch else { return nil }
        return UInt64(parts[1])
    }

    func eventID(_ item: HubItem) -> String { "\(epoch)-\(item.sequence)" }

    /// Watches the files until the service group shuts down, then ends every stream.
    func run() async throws {
        let thread = Thread { [watcher] in watcher.watch(self) }
        thread.name = "zero-serve watcher"
        thread.start()
        try? await gracefulShutdown()
        watcher.stop()
        let subscribers = state.withLock { state in
            state.closed = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for continuation in subscribers { continuation.finish() }
    }
}

/// Sees every change to `zero-memory/cases/` (inotify on Linux, a poll
/// elsewhere or when inotify is out of watches), made by any process, and
/// turns it into events by comparing each changed case with what it was.
/// Used on its own thread only, after `baseline`.
final class Watcher: @unchecked Sendable {
    struct CaseSnapshot {
        var meta: CaseMeta
        var sessionEvents: [Int: Int]
        var proofsVerified: [String: Bool]
    }

    let root: String
    let environment: ZeroCore.Environment
    private var cases: [String: CaseSnapshot] = [:]
    private var ready: Set<String> = []
    private var hasTickets = false
    private let stopped = Atomic<Bool>(false)
    private var watches: [Int32: Target] = [:]
    /// The targets of `watches`, looked up once per case on every rescan (a scan of the values would be quadratic at start).
    private var watched: Set<Target> = []
    private var descriptor: Int32 = -1
    private var polling = false

    enum Target: Hashable {
        case memory, cases, caseFolder(String), sessions(String), proofs(String)
    }

    init(root: String, environment: ZeroCore.Environment) {
        self.root = root
        self.environment = environment
    }

    private func workspace() -> Workspace { Workspace(root: root, environment: environment) }
    private var memory: String { root + "/" + Workspace.folderName }
    private var casesFolder: String { memory + "/cases" }

    func stop() { stopped.store(true, ordering: .relaxed) }

    /// Reads every case once (watches first, so no change falls between).
    func baseline(progress: (String) -> Void) throws {
        startWatching()
        let workspace = workspace()
        let ids = try workspace.caseIDs()
        if ids.count >= 2_000 { progress("zero serve: reading \(ids.count) cases to watch them") }
        for id in ids {
            watchCase(id)
            _ = rescan(id, workspace, announce: false)
        }
        ready = readyTickets(workspace) ?? []
    }

    // MARK: The loop

    func watch(_ hub: EventHub) {
        while !stopped.load(ordering: .relaxed) {
            var dirty = Set<String>()
            var everything = false
            if polling {
                Thread.sleep(forTimeInterval: 1)
                everything = true
            } else {
                guard waitForEvents(&dirty, &everything, timeoutMilliseconds: 250) else { continue }
                // Let a burst settle (a command writes several files), at most 50 ms.
                var rounds = 0
                while rounds < 10, waitForEvents(&dirty, &everything, timeoutMilliseconds: 5) { rounds += 1 }
            }
            let workspace = workspace()
            if everything {
                dirty = Set((try? workspace.caseIDs()) ?? []).union(cases.keys)
            }
            var items: [HubItem] = []
            var ticketsMayMove = false
            for id in dirty.sorted() {
                let (found, moved) = rescan(id, workspace, announce: true)
                items += found
                ticketsMayMove = ticketsMayMove || moved
            }
            if ticketsMayMove, hasTickets, let now = readyTickets(workspace) {
                items += ticketItems(now.subtracting(ready), workspace)
                ready = now
            }
            hub.publish(items)
        }
        if descriptor >= 0 { close(descriptor) }
    }

    /// Compares case `id` with its snapshot: the events it has made since.
    /// The second value says whether ticket readiness may have changed.
    func rescan(_ id: String, _ workspace: Workspace, announce: Bool) -> ([HubItem], Bool) {
        let old = cases[id]
        guard FileSystem.kind(workspace.caseFolder(id)) == .folder else {
            guard let old else { return ([], false) }
            cases[id] = nil
            let item = Self.item(
                "case_updated", at: workspace.environment.now(), CaseChangePayload(caseID: id, change: "deleted", from: nil, case: old.meta))
            return ([item], old.meta.spec != nil || !old.meta.dependsOn.isEmpty)
        }
        watchCase(id)
        // A file that does not read (a hand edit half done, a conflict) is
        // looked at again on its next change; until then the old snapshot stands.
        guard let meta = try? workspace.loadMeta(id) else { return ([], false) }
        var snapshot = CaseSnapshot(meta: meta, sessionEvents: old?.sessionEvents ?? [:], proofsVerified: old?.proofsVerified ?? [:])
        var items: [HubItem] = []
        if let sessions = try? workspace.loadSessions(id) {
            for session in sessions {
                let seen = old?.sessionEvents[session.number] ?? 0
                let events = session.events
                if announce, events.count > seen {
                    for index in seen..<events.count { items.append(Self.lineItem(session, events[index], line: index + 1)) }
                }
                snapshot.sessionEvents[session.number] = events.count
            }
        }
        if let proofs = try? workspace.loadProofs(id) {
            for proof in proofs {
                let before = old?.proofsVerified[proof.id]
                if announce, before == nil {
                    items.append(Self.item("proof_created", at: proof.createdAt, ProofPayload(caseID: id, proof: proof)))
                } else if announce, before == false, proof.verified {
                    items.append(Self.item("proof_updated", at: proof.verifiedAt ?? workspace.environment.now(), ProofPayload(caseID: id, proof: proof)))
                }
                snapshot.proofsVerified[proof.id] = proof.verified
            }
        }
        if announce {
            let now = workspace.environment.now()
            if let old {
                if old.meta.state != meta.state {
                    items.append(
                        Self.item("case_state_changed", at: now, CaseChangePayload(caseID: id, change: "state", from: old.meta.state.rawValue, case: meta)))
                } else if old.meta != meta {
                    items.append(Self.item("case_updated", at: now, CaseChangePayload(caseID: id, change: "updated", from: nil, case: meta)))
                }
            } else {
                items.append(Self.item("case_updated", at: now, CaseChangePayload(caseID: id, change: "created", from: nil, case: meta)))
            }
        }
        cases[id] = snapshot
        if meta.spec != nil || !meta.dependsOn.isEmpty { hasTickets = true }
        return (items, old?.meta.state != meta.state || old?.meta.dependsOn != meta.dependsOn || old?.meta.blockedReason != meta.blockedReason)
    }

    private func readyTickets(_ workspace: Workspace) -> Set<String>? {
        guard hasTickets else { return [] }
        guard let listing = try? workspace.ticketListing(statuses: [.ready]) else { return nil }
        return Set(listing.ready().tickets.map(\.id))
    }

    private func ticketItems(_ ids: Set<String>, _ workspace: Workspace) -> [HubItem] {
        guard !ids.isEmpty, let listing = try? workspace.ticketListing(statuses: [.ready]) else { return [] }
        let now = workspace.environment.now()
        return listing.ready().tickets.filter { ids.contains($0.id) }.map { Self.item("ticket_ready", at: now, TicketPayload(ticket: $0)) }
    }

    // MARK: Events

    /// What `/events` and webhooks call each `## Events` line; lines about
    /// proofs and the case itself come from those files instead.
    static func eventType(ofLine kind: String) -> (type: String, inWorkspace: Bool) {
        switch kind {
        case "session_created": ("session_created", true)
        case "executing": ("session_started", true)
        case "session_completed": ("session_completed", true)
        case "progress", "output": ("session_updated", true)
        case "proof_created", "proof_updated": (kind, false)
        case "case_blocked", "case_unblocked", "question", "answered": ("case_updated", false)
        default: ("session_state_changed", true)
        }
    }

    static func lineItem(_ session: Session, _ event: SessionEvent, line: Int) -> HubItem {
        let (type, inWorkspace) = eventType(ofLine: event.kind)
        let payload = LinePayload(
            caseID: session.caseID, session: session.number, sessionID: "\(session.caseID)/\(session.number)", line: line, kind: event.kind,
            detail: event.detail, at: event.at, sessionState: session.state.rawValue, sessionType: session.type.rawValue)
        var item = Self.item(type, at: event.at, payload)
        item.session = SessionKey(caseID: session.caseID, number: session.number)
        item.line = line
        item.inWorkspace = inWorkspace
        return item
    }

    static func item<P: Encodable>(_ type: String, at time: Timestamp, _ payload: P) -> HubItem {
        HubItem(eventType: type, data: envelope(type, at: time, payload), inWorkspace: true)
    }

    static func envelope<P: Encodable>(_ type: String, at time: Timestamp, _ payload: P) -> String {
        let data = (try? ViewJSON.data(Envelope(eventType: type, timestamp: time, payload: payload), indented: false)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: inotify

    /// Folders watched: zero-memory/, cases/, and each case with its sessions/ and proofs/.
    private func startWatching() {
        #if os(Linux)
        descriptor = inotify_init1(Int32(IN_CLOEXEC) | Int32(IN_NONBLOCK))
        if descriptor < 0 {
            polling = true
            return
        }
        add(memory, .memory)
        add(casesFolder, .cases)
        #else
        polling = true
        #endif
    }

    private func watchCase(_ id: String) {
        guard !polling else { return }
        let folder = casesFolder + "/" + id
        if !watched.contains(.caseFolder(id)) { add(folder, .caseFolder(id)) }
        if !watched.contains(.sessions(id)), FileSystem.kind(folder + "/sessions") == .folder { add(folder + "/sessions", .sessions(id)) }
        if !watched.contains(.proofs(id)), FileSystem.kind(folder + "/proofs") == .folder { add(folder + "/proofs", .proofs(id)) }
    }

    private func add(_ path: String, _ target: Target) {
        #if os(Linux)
        // Creations, renames in and out, finished writes, deletions; never through a link.
        let mask: UInt32 = 0x100 | 0x80 | 0x40 | 0x8 | 0x200 | 0x400 | 0x0100_0000 | 0x0200_0000
        let wd = inotify_add_watch(descriptor, path, mask)
        if wd >= 0 {
            watches[wd] = target
            watched.insert(target)
        } else if errno == ENOSPC || errno == ENOMEM {
            // Out of watches: fall back to reading every case each second.
            polling = true
        }
        #endif
    }

    /// Waits up to `timeoutMilliseconds` for inotify events and notes the
    /// cases they touch; false when none came.
    private func waitForEvents(_ dirty: inout Set<String>, _ everything: inout Bool, timeoutMilliseconds: Int32) -> Bool {
        #if os(Linux)
        var pending = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&pending, 1, timeoutMilliseconds) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var any = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            any = true
            var offset = 0
            while offset + 16 <= count {
                let wd = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Int32.self) }
                let mask = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self) }
                let length = Int(buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self) })
                let nameBytes = buffer[(offset + 16)..<min(count, offset + 16 + length)].prefix { $0 != 0 }
                let name = String(decoding: nameBytes, as: UTF8.self)
                offset += 16 + length
                if mask & 0x4000 != 0 { // the queue overflowed: look at everything
                    everything = true
                    continue
                }
                if mask & 0x8000 != 0 { // the watch is gone (its folder was removed)
                    if let gone = watches.removeValue(forKey: wd) { watched.remove(gone) }
                    continue
                }
                guard let target = watches[wd], !FileSystem.isTemporaryName(name) else { continue }
                switch target {
                case .memory:
                    if name == "cases", !watched.contains(.cases) { add(casesFolder, .cases) }
                    if name == "cases" || name == "config.yaml" { everything = true }
                case .cases:
                    if CaseID.isValid(name) { dirty.insert(name) }
                case .caseFolder(let id), .sessions(let id), .proofs(let id):
                    dirty.insert(id)
                }
            }
        }
        return any
        #else
        return false
        #endif
    }
}

struct LinePayload: Encodable {
    var caseID: String
    var session: Int
    var sessionID: String
    var line: Int
    var kind: String
    var detail: String
    var at: Timestamp
    var sessionState: String
    var sessionType: String

    enum CodingKeys: String, CodingKey {
        case caseID = "case_id", session, sessionID = "session_id", line, kind, detail, at
        case sessionState = "session_state", sessionType = "session_type"
    }
}

struct CaseChangePayload: Encodable {
    var caseID: String
    var change: String
    var from: String?
    var `case`: CaseMeta

    enum CodingKeys: String, CodingKey { case caseID = "case_id", change, from, `case` }
}

struct ProofPayload: Encodable {
    var caseID: String
    var proof: Proof

    enum CodingKeys: String, CodingKey { case caseID = "case_id", proof }
}

struct TicketPayload: Encodable {
    var ticket: TicketSummary
}

/// `{"event_type", "timestamp", "payload"}`.
struct Envelope<Payload: Encodable>: Encodable {
    var eventType: String
    var timestamp: Timestamp
    var payload: Payload

    enum CodingKeys: String, CodingKey { case eventType = "event_type", timestamp, payload }
}
