import Foundation
import Synchronization
import Testing
import ZeroTestSupport

/// SSE from the files: what other processes write is seen, resumes lose
/// nothing and repeat nothing, and many clients each get everything.
@Suite("event streams", .serialized)
struct StreamTests {
    /// A case with an executing implementing session (number 2), made with the CLI.
    func executingCase(_ repo: TemporaryRepository) throws -> String {
        try repo.adopt()
        let id = try #require(try repo.zeroJSON("case", "new", "stream me")["id"] as? String)
        try repo.zeroOK("session", "new", id, "--type", "planning")
        try repo.zeroOK("session", "plan", id, "--hypothesis", "h", "--step", "one", "--step", "two", "--scope", "src/**")
        try repo.zeroOK("session", "approve", id, "--yes")
        try repo.zeroOK("session", "new", id, "--type", "implementing", "--start")
        return id
    }

    @Test("a stream sees events made by a separate CLI process, and Last-Event-ID resumes with nothing lost or repeated", .temporaryRepository)
    func otherProcesses() throws {
        let repo = try currentRepository()
        let id = try executingCase(repo)
        let server = try LiveServer.start(repo)
        defer { server.stop() }

        let session = EventStream(server.base + "/cases/\(id)/sessions/2/stream")
        let workspace = EventStream(server.base + "/events")
        try session.wait("the snapshot") { !$0.isEmpty }
        try workspace.wait(seconds: 10, "a heartbeat") { _ in workspace.heartbeats > 0 }

        try repo.zeroOK("session", "progress", id, "--done", "1", "--note", "first step")
        let progress = try session.wait("the CLI's progress") { $0.contains { $0.payload?["kind"] as? String == "progress" } }
        let line = try #require(progress.last)
        #expect(line.type == "session_updated")
        #expect((line.payload?["detail"] as? String)?.contains("first step") == true)
        let seen = try workspace.wait("the same progress") { $0.contains { $0.payload?["kind"] as? String == "progress" } }
        #expect(seen.filter { $0.payload?["kind"] as? String == "progress" }.count == 1)
        let lastID = try #require(line.id)
        session.close()

        // While nobody listens: two more lines from the CLI.
        try repo.zeroOK("session", "progress", id, "--done", "2", "--note", "second step")
        try repo.zeroOK("session", "progress", id, "--discovery", "the clock skews")
        let resumed = EventStream(server.base + "/cases/\(id)/sessions/2/stream", lastEventID: lastID)
        defer { resumed.close() }
        let replay = try resumed.wait("the two missed lines") { $0.filter { $0.id != nil }.count >= 2 }
        Thread.sleep(forTimeInterval: 0.3)
        let lines = resumed.events.filter { $0.id != nil }
        #expect(lines.map(\.id) == [String(Int(lastID)! + 1), String(Int(lastID)! + 2)], "\(replay.map(\.data))")
        #expect((lines.first?.payload?["detail"] as? String)?.contains("second step") == true)

        // The workspace stream resumes from its own ids, within this run of the server.
        let workspaceLast = try #require(workspace.events.last?.id)
        workspace.close()
        try repo.zeroOK("session", "output", id, "all done")
        Thread.sleep(forTimeInterval: 0.5)
        let again = EventStream(server.base + "/events", lastEventID: workspaceLast)
        defer { again.close() }
        let after = try again.wait("the output line") { $0.contains { $0.payload?["kind"] as? String == "output" } }
        #expect(!after.contains { $0.type == "resync" })
        let sequence = after.compactMap { $0.id?.split(separator: "-").last.flatMap { Int($0) } }
        #expect(sequence == sequence.sorted() && Set(sequence).count == sequence.count)
        #expect(sequence.first == Int(workspaceLast.split(separator: "-").last!)! + 1)

        // An id from another run cannot be replayed: the stream says so first.
        let stale = EventStream(server.base + "/events", lastEventID: "deadbeef-12")
        defer { stale.close() }
        let told = try stale.wait("resync") { !$0.isEmpty }
        #expect(told.first?.type == "resync")
    }

    @Test("a ticket that becomes ready is announced once, as ticket_ready, whoever made the change", .temporaryRepository)
    func ticketReady() throws {
        let repo = try currentRepository()
        try repo.adopt()
        let first = try #require(try repo.zeroJSON("case", "new", "ticket a", "--type", "ticket")["id"] as? String)
        let second = try #require(try repo.zeroJSON("case", "new", "ticket b", "--type", "ticket", "--depends-on", first)["id"] as? String)
        let server = try LiveServer.start(repo)
        defer { server.stop() }
        let events = EventStream(server.base + "/events")
        defer { events.close() }
        try events.wait(seconds: 10, "a heartbeat") { _ in events.heartbeats > 0 }
        // The CLI drops the dependency: the second ticket waits for nothing now.
        try repo.zeroOK("case", "edit", second, "--no-depends-on", first)
        let seen = try events.wait("ticket_ready") { $0.contains { $0.type == "ticket_ready" } }
        let ready = seen.filter { $0.type == "ticket_ready" }
        #expect(ready.count == 1)
        #expect((ready.first?.payload?["ticket"] as? [String: Any])?["id"] as? String == second)
        // Edited again without a change in readiness: no second announcement.
        try repo.zeroOK("case", "edit", second, "--tag", "later")
        try events.wait("the tag") { $0.contains { (($0.payload?["case"] as? [String: Any])?["tags"] as? [String]) == ["later"] } }
        #expect(events.events.filter { $0.type == "ticket_ready" }.count == 1)
    }

    @Test("a session stream resumes across a restart of the server: its ids are the lines of the file", .temporaryRepository)
    func resumeAcrossRestart() throws {
        let repo = try currentRepository()
        let id = try executingCase(repo)
        let first = try LiveServer.start(repo)
        let stream = EventStream(first.base + "/cases/\(id)/sessions/2/stream")
        try repo.zeroOK("session", "progress", id, "--note", "before the restart")
        let before = try stream.wait("the note") { $0.contains { ($0.payload?["detail"] as? String)?.contains("before") == true } }
        let lastID = try #require(before.last?.id)
        stream.close()
        #expect(first.stop() == 0)

        try repo.zeroOK("session", "progress", id, "--note", "while it was down")
        let second = try LiveServer.start(repo)
        defer { second.stop() }
        let resumed = EventStream(second.base + "/cases/\(id)/sessions/2/stream", lastEventID: lastID)
        defer { resumed.close() }
        let events = try resumed.wait("the missed note") { $0.contains { ($0.payload?["detail"] as? String)?.contains("down") == true } }
        #expect(events.filter { $0.id != nil }.count == 1)
    }

    @Test("50 clients each receive every event of a 1 000-event burst, none lost, none repeated", .temporaryRepository)
    func burst() throws {
        let repo = try currentRepository()
        let id = try executingCase(repo)
        let server = try LiveServer.start(repo)
        defer { server.stop() }
        let clients = (0..<50).map { _ in EventStream(server.base + "/events") }
        defer { for client in clients { client.close() } }
        for client in clients { try client.wait(seconds: 10, "a heartbeat") { _ in client.heartbeats > 0 } }

        // 1 000 events as fast as the API writes them: 8 writers at once, 125 progress notes each.
        let count = 1_000, writers = 8
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            for index in 0..<(count / writers) {
                do {
                    let answer = try server.call("POST", "/cases/\(id)/sessions/2/progress", ["note": "burst \(writer)-\(index)"])
                    if answer.status != 200 { failures.withLock { $0.append("progress answered \(answer.status): \(answer.text)") } }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0.prefix(3) })")
        let expected = Set((0..<writers).flatMap { writer in (0..<(count / writers)).map { "burst \(writer)-\($0)" } })
        for (index, client) in clients.enumerated() {
            let events = try client.wait(seconds: 60, "all \(count) notes (client \(index))") { events in
                events.filter { $0.payload?["kind"] as? String == "progress" }.count >= count
            }
            let notes = events.compactMap { $0.payload?["detail"] as? String }.filter { $0.hasPrefix("burst") }
            #expect(notes.count == count, "client \(index) got \(notes.count)")
            #expect(Set(notes) == expected, "client \(index) lost or repeated some")
            let ids = events.compactMap(\.id)
            #expect(Set(ids).count == ids.count)
        }
        // The file has every one of them too: the lock lost no update.
        let session = try repo.read("zero-memory/cases/\(id)/sessions/002.md")
        #expect(session.components(separatedBy: " progress burst ").count - 1 == count)
    }
}
