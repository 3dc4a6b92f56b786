import Foundation
import Testing
import ZeroTestSupport

/// The ticket index in the git dir answers `zero ready`, `blocked` and `waves`
/// only while it matches the files: every way the files change is tried, and
/// each answer is compared with one read from the files (`--fresh`).
@Suite("the ticket index", .serialized)
struct TicketIndexTests {
    /// The ids `zero ready` lists, in its order.
    func ready(_ repo: TemporaryRepository, fresh: Bool = false) throws -> [String] {
        let view = try repo.zeroJSON(fresh ? ["ready", "--fresh"] : ["ready"]) as? [String: Any]
        return (view?["tickets"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    /// Each read command answers from the index as it would from the files.
    func expectIndexTrue(_ repo: TemporaryRepository, _ when: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for command in ["ready", "blocked", "waves"] {
            let indexed = try repo.zero(command, "--json")
            let fresh = try repo.zero(command, "--json", "--fresh")
            #expect(indexed.status == fresh.status, "\(when): \(command)", sourceLocation: sourceLocation)
            #expect(indexed.stdout == fresh.stdout, "\(when): \(command) answered from a stale index", sourceLocation: sourceLocation)
        }
    }

    @Test("zero, git, config and folder changes all reach the answer", .temporaryRepository)
    func followsChanges() throws {
        let repo = try currentRepository()
        let (_, layers) = try makeSpec(repo, waves: 3, width: 2)
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "spec")
        #expect(Set(try ready(repo)) == Set(layers[0]))
        #expect(FileManager.default.fileExists(atPath: repo.path(".git/zero/tickets")), "the first answer is kept in the git dir")
        // Cached answers are the same as read from the files.
        #expect(Set(try ready(repo)) == Set(layers[0]))
        try expectIndexTrue(repo, "unchanged")

        // A change zero makes.
        try repo.zeroOK("case", "block", layers[0][0], "--reason", "waiting for a key")
        #expect(try ready(repo) == [layers[0][1]])
        try expectIndexTrue(repo, "after case block")

        // Changes git makes: commit, then check the older files out.
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "block")
        try repo.git("checkout", "-q", "HEAD~1", "--", "zero-memory")
        #expect(Set(try ready(repo)) == Set(layers[0]), "the checkout brought the unblocked ticket back")
        try expectIndexTrue(repo, "after git checkout of older files")
        try repo.git("checkout", "-q", "HEAD", "--", "zero-memory")
        #expect(try ready(repo) == [layers[0][1]])
        try repo.git("reset", "-q", "--hard", "HEAD~1")
        #expect(Set(try ready(repo)) == Set(layers[0]), "git reset --hard")

        // A hand edit, seen once staged (and at once with --fresh); doctor names the stale index.
        let meta = "zero-memory/cases/\(layers[0][1])/meta.yaml"
        try repo.write(meta, try repo.read(meta).replacingOccurrences(of: "priority: medium", with: "priority: high"))
        let run = try repo.zero("doctor", "--json")
        #expect(run.status == 65, "a finding to repair")
        let doctor = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let stale = (doctor?["findings"] as? [[String: Any]] ?? []).filter { $0["problem"] as? String == "stale-index" }
        #expect(stale.count == 1, "\(doctor ?? [:])")
        #expect(try ready(repo, fresh: true) == [layers[0][1], layers[0][0]], "high priority first")
        try repo.git("add", meta)
        #expect(try ready(repo) == [layers[0][1], layers[0][0]])
        try expectIndexTrue(repo, "after a hand edit, staged")
        let clean = try repo.zeroJSON("doctor") as? [String: Any]
        #expect((clean?["findings"] as? [[String: Any]] ?? []).allSatisfy { $0["problem"] as? String != "stale-index" })

        // config.yaml: with ticket_done resolved, a completed ticket is not done.
        try repo.zeroOK("work", "start", layers[0][0])
        try repo.zeroOK("work", "complete", layers[0][0], "--summary", "done")
        try repo.zeroOK("work", "start", layers[0][1])
        try repo.zeroOK("work", "complete", layers[0][1], "--summary", "done")
        #expect(Set(try ready(repo)) == Set(layers[1]))
        let config = try repo.read("zero-memory/config.yaml")
        try repo.write("zero-memory/config.yaml", config.replacingOccurrences(of: "ticket_done: complete", with: "ticket_done: resolved"))
        #expect(try ready(repo).isEmpty, "the wave-0 tickets await the operator")
        try expectIndexTrue(repo, "after editing config.yaml")
        try repo.write("zero-memory/config.yaml", config)

        // A case folder removed by hand: its dependents wait for a missing case.
        _ = try repo.run(["rm", "-rf", repo.path("zero-memory/cases/\(layers[0][0])")])
        #expect(try ready(repo).isEmpty)
        try expectIndexTrue(repo, "after removing a case folder by hand")

        // An index that is not one (damaged, another version) is rebuilt.
        for junk in ["", "zero-tickets 1\n", "zero-tickets 1\nkey\tx\n\u{1}\n", String(repeating: "\t", count: 40) + "\n"] {
            try junk.write(toFile: repo.path(".git/zero/tickets"), atomically: true, encoding: .utf8)
            try expectIndexTrue(repo, "after damaging the index with \(junk.debugDescription)")
        }
    }

    @Test("the cycle check reads the index, but the files decide: a cycle is refused, an edge the files no longer hold is not", .temporaryRepository)
    func cycleCheck() throws {
        let repo = try currentRepository()
        let (_, layers) = try makeSpec(repo, waves: 3, width: 1)
        let (a, b, c) = (layers[0][0], layers[1][0], layers[2][0])
        #expect(try ready(repo) == [a], "the index is built")
        let refused = try repo.zero("case", "edit", a, "--depends-on", c)
        #expect(refused.status == 73)
        #expect(refused.stderr.contains("\(a.prefix(8)) → \(c.prefix(8)) → \(b.prefix(8)) → \(a.prefix(8))"), "\(refused.stderr)")
        // c no longer waits for b in its file (edited by hand, not staged): the index still says so, the files win.
        let meta = "zero-memory/cases/\(c)/meta.yaml"
        try repo.write(meta, try repo.read(meta).replacingOccurrences(of: "depends_on: [\(b)]", with: "depends_on: []"))
        let allowed = try repo.zero("case", "edit", a, "--depends-on", c)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(try repo.read("zero-memory/cases/\(a)/meta.yaml").contains("depends_on: [\(c)]"))
        try expectIndexTrue(repo, "after the edit")
    }

    @Test("a command killed at any step never leaves an index that lies", .temporaryRepository)
    func killedWriters() throws {
        let repo = try currentRepository()
        let (_, layers) = try makeSpec(repo, waves: 2, width: 2)
        let ticket = layers[0][0]
        #expect(Set(try ready(repo)) == Set(layers[0]))
        var killed = 0
        func status() throws -> String? {
            let view = try repo.zeroJSON("waves", "--fresh") as? [String: Any]
            let tickets = (view?["waves"] as? [[String: Any]] ?? []).flatMap { $0["tickets"] as? [[String: Any]] ?? [] }
            return tickets.first { $0["id"] as? String == ticket }?["status"] as? String
        }
        for step in 1...16 {
            // Start when needed, then kill the completion at its n-th file-system step.
            if try status() == "ready" { try repo.zeroOK("work", "start", ticket) }
            let run = try repo.run([Zero.binary, "work", "complete", ticket, "--summary", "s\(step)"], environment: ["ZERO_KILL_AT_STEP": String(step)])
            if run.status != 0 { killed += 1 }
            try expectIndexTrue(repo, "complete killed at step \(step) (exit \(run.status))")
            _ = try repo.zero("doctor", "--fix")
            try expectIndexTrue(repo, "complete killed at step \(step), then doctor --fix")
            if try status() == "done" { try repo.zeroOK("work", "reset", ticket, "--reason", "again") }
        }
        #expect(killed >= 4, "the kill points were reached")
    }

    @Test("parallel writers and readers: the index answers as the files do afterwards", .temporaryRepository)
    func parallel() throws {
        let repo = try currentRepository()
        let (_, layers) = try makeSpec(repo, waves: 3, width: 3)
        let reader = "for i in $(seq 1 30); do \"\(Zero.binary)\" ready --json >/dev/null || exit 3; done"
        let writer = { (ids: [String]) in
            ids.map { "\"\(Zero.binary)\" work start \($0) >/dev/null && \"\(Zero.binary)\" work complete \($0) --summary x >/dev/null || exit 4" }
                .joined(separator: "\n")
        }
        let results = try inParallel(repo, [reader, writer([layers[0][0], layers[0][1]]), reader, writer([layers[0][2]])])
        for result in results { #expect(result.status == 0, "\(result.stderr)") }
        #expect(Set(try ready(repo)) == Set(layers[1]))
        try expectIndexTrue(repo, "after the parallel run")
    }
}
