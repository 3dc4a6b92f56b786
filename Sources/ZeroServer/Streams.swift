import HTTPTypes
import Hummingbird
import ZeroCore

/// The two SSE streams: a session's, and the workspace's.
enum Streams {
    enum Signal: Sendable {
        case item(HubItem)
        case heartbeat
    }

    static func headers() -> HTTPFields {
        [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache", HTTPField.Name("X-Accel-Buffering")!: "no"]
    }

    /// `GET /cases/:id/sessions/:sid/stream`: the session as it is now
    /// (`session_snapshot`, no id), then each new line of its `## Events`,
    /// with the line's number as the id. `Last-Event-ID: n` first replays
    /// the lines after n from the file, so a client resumes without loss,
    /// even across a restart of the server.
    static func session(_ call: Call) async throws -> Response {
        let reference = try call.sessionReference()
        var resumeAfter: Int?
        if let last = call.lastEventID {
            guard let line = Int(last), line >= 0 else {
                throw ZeroError(.usage, "Last-Event-ID '\(last)' is not a line number of this session's events")
            }
            resumeAfter = line
        }
        // Subscribed before the file is read: a line written in between comes
        // from both, and the line number drops the second copy.
        let (_, stream) = call.server.hub.subscribe()
        let session = try await call.run { try $0.sessionDetail(reference).session }
        let key = SessionKey(caseID: session.caseID, number: session.number)
        let events = session.events
        var opening = ": zero session stream\nretry: 1000\n\n"
        opening += frame(id: nil, Watcher.envelope("session_snapshot", at: call.server.environment.now(), session))
        if let resumeAfter, resumeAfter < events.count {
            for index in resumeAfter..<events.count {
                opening += frame(id: String(index + 1), Watcher.lineItem(session, events[index], line: index + 1).data)
            }
        }
        return response(opening, stream, call, sent: UInt64(max(events.count, resumeAfter ?? 0))) { item in
            guard item.session == key, let line = item.line else { return nil }
            return (String(line), UInt64(line))
        }
    }

    /// `GET /events`: every workspace event, ids `<run>-<sequence>`.
    /// `Last-Event-ID` from this run replays what came after it; from
    /// another run (or too old) a `resync` event says to reload first.
    static func workspace(_ call: Call) async throws -> Response {
        let hub = call.server.hub
        let after = call.lastEventID.flatMap(hub.sequence(fromEventID:))
        let (replay, stream) = hub.subscribe(after: after)
        var opening = ": zero events\nretry: 1000\n\n"
        if let last = call.lastEventID, after == nil || replay == nil {
            struct Resync: Encodable {
                var lastEventID: String
                var reason: String
                enum CodingKeys: String, CodingKey { case lastEventID = "last_event_id", reason }
            }
            let reason = "events after \(last) are not kept by this server run; read the state again (GET /cases), then follow this stream"
            opening += frame(id: nil, Watcher.envelope("resync", at: call.server.environment.now(), Resync(lastEventID: last, reason: reason)))
        }
        var lastSent = after ?? 0
        for item in replay ?? [] {
            opening += frame(id: hub.eventID(item), item.data)
            lastSent = item.sequence
        }
        return response(opening, stream, call, sent: lastSent) { item in
            item.inWorkspace ? (hub.eventID(item), item.sequence) : nil
        }
    }

    /// The stream's answer: `opening`, then each hub item `select` gives an id
    /// and a position past `sent`, in order, with heartbeats between. A
    /// position at or before the last one sent is a copy and is dropped.
    static func response(
        _ opening: String, _ stream: AsyncStream<HubItem>, _ call: Call, sent alreadySent: UInt64,
        select: @escaping @Sendable (HubItem) -> (id: String, position: UInt64)?
    ) -> Response {
        let signals = signals(stream, heartbeat: call.server.options.heartbeatSeconds)
        let body = ResponseBody { writer in
            var sent = alreadySent
            try await writer.write(ByteBuffer(string: opening))
            for await signal in signals {
                switch signal {
                case .heartbeat:
                    try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                case .item(let item):
                    guard let (id, position) = select(item), position > sent else { continue }
                    try await writer.write(ByteBuffer(string: frame(id: id, item.data)))
                    sent = position
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers(), body: body)
    }

    /// One SSE event: `id:` when it has one, the envelope as `data:`.
    static func frame(id: String?, _ data: String) -> String {
        (id.map { "id: \($0)\n" } ?? "") + "data: " + data + "\n\n"
    }

    /// The hub's items and a heartbeat every `heartbeat` seconds, in one stream
    /// that ends when the hub's does (at shutdown).
    static func signals(_ stream: AsyncStream<HubItem>, heartbeat: Double) -> AsyncStream<Signal> {
        let (signals, continuation) = AsyncStream<Signal>.makeStream(bufferingPolicy: .unbounded)
        let forward = Task {
            for await item in stream { continuation.yield(.item(item)) }
            continuation.finish()
        }
        let beat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(heartbeat * 1000)))
                if !Task.isCancelled { continuation.yield(.heartbeat) }
            }
        }
        continuation.onTermination = { _ in
            forward.cancel()
            beat.cancel()
        }
        return signals
    }
}
