import Foundation
import Testing
import ZeroTestSupport

/// Runs each shell script as its own process, all at the same time, and waits for all.
func inParallel(_ repo: TemporaryRepository, _ scripts: [String]) throws -> [ProcessResult] {
    let results = Results(count: scripts.count)
    DispatchQueue.concurrentPerform(iterations: scripts.count) { index in
        results.set(index, Result { try repo.run(["sh", "-c", scripts[index]]) })
    }
    return try results.values.map { try $0!.get() }
}

final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<ProcessResult, any Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<ProcessResult, any Error>) { lock.withLock { values[index] = value } }
}

/// Two processes mutating one case at the same time lose nothing.
@Suite(.serialized) struct ConcurrencyTests {
    /// `make soak` raises these to 8 processes × 100 edits.
    static var processes: Int { ProcessInfo.processInfo.environment["ZERO_SOAK_PROCESSES"].flatMap(Int.init) ?? 2 }
    static var edits: Int { ProcessInfo.processInfo.environment["ZERO_SOAK_EDITS"].flatMap(Int.init) ?? 25 }

    @Test("processes editing one case at once (2 × 25; make soak: 8 × 100): every tag lands", .temporaryRepository)
    func concurrentEdits() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init")
        let id = try #require(field(try repo.zeroJSON("case", "new", "shared"), "id") as? String)
        let prefixes = (0..<Self.processes).map { "p\($0)x" }
        let results = try inParallel(
            repo,
            prefixes.map { prefix in
                // A busy lock (exit 75) is retried, as an agent would; anything else stops the writer.
                "for i in $(seq 1 \(Self.edits)); do until \"\(Zero.binary)\" case edit \(id) --tag \(prefix)$i >/dev/null 2>/tmp/zero-edit-$$.err; do [ $? = 75 ] || { cat /tmp/zero-edit-$$.err >&2; exit 1; }; done; done"
            })
        for result in results { #expect(result.status == 0, "\(result.stderr)") }
        let tags = try #require(field(try repo.zeroJSON("case", "show", id), "case", "tags") as? [String])
        #expect(Set(tags) == Set(prefixes.flatMap { prefix in (1...Self.edits).map { "\(prefix)\($0)" } }), "\(tags.count) tags of \(Self.processes * Self.edits)")
        try repo.zeroOK("doctor")
    }

    @Test("two processes reporting progress on one session: every discovery is kept", .temporaryRepository)
    func concurrentSessionProgress() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init")
        let id = try #require(field(try repo.zeroJSON("case", "new", "shared"), "id") as? String)
        try repo.zeroOK("session", "new", id, "--type", "planning", "--start")
        let results = try inParallel(
            repo,
            ["left", "right"].map { side in
                "for i in $(seq 1 20); do \"\(Zero.binary)\" session progress \(id) --discovery \"\(side) $i\" >/dev/null || exit 1; done"
            })
        for result in results { #expect(result.status == 0, "\(result.stderr)") }
        let session = try repo.zeroJSON("session", "show", id)
        let discoveries = try #require(field(session, "discoveries") as? [String])
        #expect(Set(discoveries) == Set((1...20).map { "left \($0)" } + (1...20).map { "right \($0)" }))
        let events = try #require(field(session, "events") as? [Any])
        #expect(events.count == 2 + 40, "created, planning, then one event per report")
    }

    @Test("a process killed mid-write leaves every file parseable", .temporaryRepository)
    func killedWriters() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init")
        let id = try #require(field(try repo.zeroJSON("case", "new", "shared"), "id") as? String)
        // Start many writers and kill them at staggered moments.
        // Start writers and kill each at a staggered moment (timeout -s KILL).
        for i in 1...30 {
            _ = try repo.run(["timeout", "-s", "KILL", "0.00\(i % 9 + 1)", Zero.binary, "case", "edit", id, "--tag", "t\(i)", "--summary", "summary number \(i)"])
        }
        // Every file still reads: the case shows, and a further edit works.
        #expect(try repo.zero("case", "show", id).status == 0)
        try repo.zeroOK("case", "edit", id, "--tag", "after")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: repo.path("zero-memory/cases/\(id)")).filter { $0.contains(".tmp-") }
        // Interrupted temporary files may remain, but git ignores them.
        if !leftovers.isEmpty {
            try repo.git("add", "-A")
            #expect(!(try repo.git("diff", "--cached", "--name-only")).contains(".tmp-"))
        }
    }
}
