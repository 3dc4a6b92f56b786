import Foundation
import Testing
import ZeroTestSupport

/// A specification of tickets in `waves` layers of `width`, each ticket
/// depending on every ticket of the layer before, approved by the operator.
/// Returns the ticket ids by wave.
func makeSpec(_ repo: TemporaryRepository, waves: Int, width: Int, ticketDone: String = "complete") throws -> (spec: String, waves: [[String]]) {
    try repo.zeroOK("init", "--no-hooks")
    let config = try repo.read("zero-memory/config.yaml").replacingOccurrences(of: "ticket_done: resolved", with: "ticket_done: \(ticketDone)")
    try repo.write("zero-memory/config.yaml", config)
    var arguments = [
        "spec", "new", "four waves", "--description", "files delivered in layers", "--goals", "deliver in layers",
        "--requirements", "- R1: every layer writes its own files",
    ]
    for wave in 0..<waves { arguments += ["--epic", "layer \(wave)"] }
    let spec = try #require(field(try repo.zeroJSON(arguments), "id") as? String)
    // Each epic says what it is for and how to tell it is done (the planning review asks).
    for wave in 0..<waves {
        let path = "zero-memory/specs/\(spec)/epics/" + String(format: "%02d.md", wave + 1)
        let text = try repo.read(path)
            .replacingOccurrences(of: "## Objective\n", with: "## Objective\nDeliver layer \(wave).\n")
            .replacingOccurrences(of: "## Acceptance criteria\n", with: "## Acceptance criteria\n- [ ] every ticket of layer \(wave) is done\n")
        try repo.write(path, text)
    }
    var layers: [[String]] = []
    for wave in 0..<waves {
        var layer: [String] = []
        for slot in 0..<width {
            var ticket = ["case", "new", "ticket \(wave).\(slot)", "--type", "ticket", "--spec", spec, "--epic", String(wave + 1)]
            for dependency in layers.last ?? [] { ticket += ["--depends-on", dependency] }
            let id = try #require(field(try repo.zeroJSON(ticket), "id") as? String)
            let path = "zero-memory/cases/\(id)/problem-definition.md"
            let text = try repo.read(path)
                .replacingOccurrences(of: "## Description\n", with: "## Description\nPart of R1: layer \(wave), file \(slot).\n")
                .replacingOccurrences(of: "## Steps\n", with: "## Steps\n1. write it\n2. test it\n")
                .replacingOccurrences(of: "## Acceptance criteria\n", with: "## Acceptance criteria\n- [ ] src/t\(wave)-\(slot).txt exists and is committed\n")
                .replacingOccurrences(of: "## Files\n", with: "## Files\n- create src/t\(wave)-\(slot).txt\n")
            try repo.write(path, text)
            layer.append(id)
        }
        layers.append(layer)
    }
    try repo.zeroOK("spec", "approve", spec)
    return (spec, layers)
}

@Suite("tickets and waves", .serialized)
struct TicketFlowTests {
    @Test("a four-wave specification worked by two processes in parallel: each ticket once, every cascade seen", .temporaryRepository)
    func twoWorkers() throws {
        let repo = try currentRepository()
        let (spec, layers) = try makeSpec(repo, waves: 4, width: 3)
        let waves = try #require(try repo.zeroJSON("waves", "--spec", spec) as? [String: Any])
        #expect((waves["waves"] as? [Any])?.count == 4)
        #expect((waves["critical_path"] as? [String])?.count == 4)
        let ready = try repo.zeroJSON("ready") as? [String: Any]
        #expect(Set((ready?["tickets"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }) == Set(layers[0]))

        // Each worker claims, records progress and completes until the specification is delivered.
        let worker = """
            for round in $(seq 1 200); do
              out=$("\(Zero.binary)" work next --claim --json 2>/dev/null)
              id=$(printf '%s' "$out" | jq -r '.ticket.id // empty')
              if [ -z "$id" ]; then
                status=$("\(Zero.binary)" spec show \(spec) --json | jq -r .status)
                [ "$status" = ready_for_review ] && exit 0
                sleep 0.05; continue
              fi
              "\(Zero.binary)" work progress "$id" --done 1 --done 2 --tests "2 passed, 0 failed" >/dev/null || exit 11
              "\(Zero.binary)" work complete "$id" --summary "delivered $id" --validation tests=pass --json \\
                | jq -c '{ticket: .ticket.id, unlocked: [.unlocked[].id]}' || exit 12
            done
            exit 13
            """
        let results = try inParallel(repo, [worker, worker])
        for result in results { #expect(result.status == 0, "\(result.stderr)") }

        let completions = results.flatMap { $0.stdout.split(separator: "\n") }.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let completed = completions.compactMap { $0["ticket"] as? String }
        #expect(completed.count == 12, "every ticket completed once")
        #expect(Set(completed) == Set(layers.flatMap { $0 }))
        // Cascade: every ticket of waves 1–3 was unlocked by exactly one completion, the last of its wave before.
        let unlocked = completions.flatMap { $0["unlocked"] as? [String] ?? [] }
        #expect(unlocked.sorted() == layers.dropFirst().flatMap { $0 }.sorted())
        for completion in completions {
            let ticket = try #require(completion["ticket"] as? String)
            let wave = try #require(layers.firstIndex { $0.contains(ticket) })
            for id in completion["unlocked"] as? [String] ?? [] { #expect(layers[wave + 1].contains(id)) }
        }
        // Each ticket has exactly one implementing session, complete.
        for id in layers.flatMap({ $0 }) {
            let sessions = try #require(try repo.zeroJSON("session", "list", id) as? [[String: Any]])
            #expect(sessions.filter { $0["type"] as? String == "implementing" }.map { $0["state"] as? String } == ["complete"])
        }
        let view = try #require(try repo.zeroJSON("spec", "show", spec) as? [String: Any])
        #expect(view["status"] as? String == "ready_for_review")
        #expect((view["epics"] as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "completed" } == true)
        let completed_ = try #require(try repo.zeroJSON("spec", "complete", spec) as? [String: Any])
        #expect(completed_["status"] as? String == "completed")
        let recorded = try repo.read("zero-memory/specs/\(spec)/spec.md")
        #expect(recorded.contains("completed_by: ") && recorded.contains("completed_at: "), "the completion names its operator")
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "the specification, worked and completed")
        let check = try repo.zero("check", "--range", "HEAD~1..HEAD")
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test("reset of a delivered ticket takes everything downstream back", .temporaryRepository)
    func resetCascades() throws {
        let repo = try currentRepository()
        let (spec, layers) = try makeSpec(repo, waves: 3, width: 1)
        let (a, b, c) = (layers[0][0], layers[1][0], layers[2][0])
        try repo.zeroOK("work", "start", a)
        try repo.zeroOK("work", "complete", a, "--summary", "a")
        try repo.zeroOK("work", "start", b)
        try repo.zeroOK("work", "complete", b, "--summary", "b")
        try repo.zeroOK("work", "start", c)
        func status(_ id: String) throws -> String? {
            let board = try repo.zeroJSON("waves", "--spec", spec) as? [String: Any]
            let tickets = (board?["waves"] as? [[String: Any]] ?? []).flatMap { $0["tickets"] as? [[String: Any]] ?? [] }
            return tickets.first { $0["id"] as? String == id }?["status"] as? String
        }
        #expect(try status(a) == "done")
        #expect(try status(c) == "active")

        let reset = try #require(try repo.zeroJSON("work", "reset", a, "--reason", "wrong schema") as? [String: Any])
        #expect(Set((reset["reset"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }) == [a, b, c])
        #expect(try status(a) == "ready")
        #expect(try status(b) == "pending")
        #expect(try status(c) == "pending")
        let cSessions = try #require(try repo.zeroJSON("session", "list", c) as? [[String: Any]])
        #expect(cSessions.last?["state"] as? String == "abandoned")
        #expect((cSessions.last?["end_reason"] as? String)?.contains("reset with") == true)
        // The record stays replayable.
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "work and reset")
        let check = try repo.zero("check", "--range", "HEAD~1..HEAD")
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test("a dependency that closes a cycle is refused and the cycle named; a needed case is not deleted", .temporaryRepository)
    func cyclesAndDeletion() throws {
        let repo = try currentRepository()
        let (_, layers) = try makeSpec(repo, waves: 3, width: 1)
        let (a, b, c) = (layers[0][0], layers[1][0], layers[2][0])
        let before = try repo.read("zero-memory/cases/\(a)/meta.yaml")
        let cycle = try repo.zero("case", "edit", a, "--depends-on", c, "--json")
        #expect(cycle.status == 73)
        #expect(cycle.stderr.contains("\(a.prefix(8)) → \(c.prefix(8)) → \(b.prefix(8)) → \(a.prefix(8))"), "\(cycle.stderr)")
        #expect(try repo.read("zero-memory/cases/\(a)/meta.yaml") == before)

        let refused = try repo.zero("case", "delete", a, "--yes")
        #expect(refused.status == 73)
        #expect(refused.stderr.contains(String(b.prefix(8))))
        // A case never started can go with --cascade: its dependents forget it.
        let fresh = try #require(field(try repo.zeroJSON("case", "new", "spare", "--type", "ticket"), "id") as? String)
        try repo.zeroOK("case", "edit", c, "--depends-on", fresh)
        try repo.zeroOK("case", "delete", fresh, "--yes", "--cascade")
        let meta = try repo.read("zero-memory/cases/\(c)/meta.yaml")
        #expect(!meta.contains(fresh))
        #expect(meta.contains(b))
    }

    @Test("a specification approved by hand in the name of a non-operator is caught by the replay", .temporaryRepository)
    func forgedSpecApproval() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init", "--no-hooks")
        let spec = try #require(field(try repo.zeroJSON("spec", "new", "forged"), "id") as? String)
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "spec")
        let path = "zero-memory/specs/\(spec)/spec.md"
        let forged = try repo.read(path)
            .replacingOccurrences(of: "state: draft", with: "state: completed")
            .replacingOccurrences(of: "approved_by: null", with: "approved_by: Agent <agent@example.com>")
        try repo.write(path, forged)
        try repo.git("commit", "-qam", "declare it done")
        let check = try repo.zero("check", "--range", "HEAD~1..HEAD")
        #expect(check.status == 1)
        #expect(check.stderr.contains("operator-acts"), "\(check.stderr)")
    }

    @Test("signed mode: a specification's approval is signed by the operator; a completion or a plan hash written by hand is caught", .temporaryRepository)
    func signedSpecActs() throws {
        let repo = try currentRepository()
        let scene = Scene(repo)
        try scene.gated(signed: true)
        try scene.actAsOperator()
        let spec = try #require(
            field(
                try repo.zeroJSON(
                    "spec", "new", "signed", "--description", "one file", "--goals", "ship it", "--requirements", "- R1: the file exists",
                    "--epic", "all"),
                "id") as? String)
        let epic = "zero-memory/specs/\(spec)/epics/01.md"
        try repo.write(
            epic,
            try repo.read(epic).replacingOccurrences(of: "## Objective\n", with: "## Objective\nThe file.\n")
                .replacingOccurrences(of: "## Acceptance criteria\n", with: "## Acceptance criteria\n- [ ] the file is committed\n"))
        let ticket = try #require(field(try repo.zeroJSON("case", "new", "the file", "--type", "ticket", "--spec", spec, "--epic", "1"), "id") as? String)
        let problem = "zero-memory/cases/\(ticket)/problem-definition.md"
        try repo.write(
            problem,
            try repo.read(problem).replacingOccurrences(of: "## Description\n", with: "## Description\nR1 in one file.\n")
                .replacingOccurrences(of: "## Steps\n", with: "## Steps\n1. write it\n")
                .replacingOccurrences(of: "## Acceptance criteria\n", with: "## Acceptance criteria\n- [ ] src/file.txt holds one line\n")
                .replacingOccurrences(of: "## Files\n", with: "## Files\n- create src/file.txt\n"))
        try repo.zeroOK("spec", "approve", spec)
        let path = "zero-memory/specs/\(spec)/spec.md"
        #expect(try repo.read(path).contains("approval_signature: "))
        try scene.actAsAgent()
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "zero: spec approved")
        let approved = try scene.head()
        #expect(try scene.check().status == 0, "the signed approval replays clean")

        // The agent declares the specification completed in Ada's name: no signature.
        try repo.write(
            path,
            try repo.read(path).replacingOccurrences(of: "state: approved", with: "state: completed")
                .replacingOccurrences(of: "created_at:", with: "completed_by: Ada <ada@example.com>\ncompleted_at: 2026-11-24T10:00:00Z\ncreated_at:"))
        try repo.git("commit", "-qam", "done", "--no-verify")
        let completion = try scene.check()
        #expect(completion.status == 1)
        #expect(
            completion.findings.contains { ($0["message"] as? String)?.contains("the completion of specification \(spec.prefix(8)) by Ada <ada@example.com> carries no signature") == true },
            "\(completion.findings)")

        // The agent rebinds the approval to other plans: Ada's signature no longer covers it.
        try repo.git("reset", "-q", "--hard", approved)
        try scene.edit(path) { text in
            guard let range = text.range(of: "plan_sha256: ") else { return text }
            return text.replacingCharacters(in: range.upperBound..<text.index(range.upperBound, offsetBy: 4), with: "0000")
        }
        try repo.git("commit", "-qam", "rebind", "--no-verify")
        let rebound = try scene.check()
        #expect(rebound.status == 1)
        #expect(
            rebound.findings.contains { ($0["message"] as? String)?.contains("the approval of specification \(spec.prefix(8))") == true && $0["rule"] as? String == "signed-operator-acts" },
            "\(rebound.findings)")
    }

    @Test("work start refuses a pending ticket, and a ticket's commits stay inside its ## Files", .temporaryRepository)
    func lanes() throws {
        let repo = try currentRepository()
        let (_, layers) = try makeSpec(repo, waves: 2, width: 1)
        try repo.zeroOK("hooks", "install")
        let pending = try repo.zero("work", "start", layers[1][0])
        #expect(pending.status == 73)
        #expect(pending.stderr.contains("pending"))
        let context = try #require(try repo.zeroJSON("work", "start", layers[0][0]) as? [String: Any])
        #expect((context["steps"] as? [Any])?.count == 2)
        #expect((context["files"] as? [[String: Any]])?.first?["path"] as? String == "src/t0-0.txt")
        #expect(field(context, "spec", "text") as? String == "deliver in layers")
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "zero: spec approved, work started")
        try repo.write("src/other.txt", "outside the lane\n")
        try repo.git("add", "src/other.txt")
        let outside = try repo.run(["git", "commit", "-qm", "outside"])
        #expect(outside.status != 0)
        #expect(outside.stderr.contains("approved-scope"))
        try repo.git("reset", "-q")
        try repo.write("src/t0-0.txt", "inside\n")
        try repo.git("add", "src/t0-0.txt")
        let inside = try repo.run(["git", "commit", "-qm", "inside"])
        #expect(inside.status == 0, "\(inside.stderr)")

        // Widening the ticket's ## Files after the approval widens nothing: the approved plan holds the scope.
        let problem = "zero-memory/cases/\(layers[0][0])/problem-definition.md"
        try repo.write(problem, try repo.read(problem).replacingOccurrences(of: "## Files\n", with: "## Files\n- create src/other.txt\n"))
        try repo.git("add", problem)
        let widened = try repo.run(["git", "commit", "-qm", "zero: more files"])
        #expect(widened.status == 0, "memory alone may be committed: \(widened.stderr)")
        try repo.write("src/other.txt", "outside the lane\n")
        try repo.git("add", "src/other.txt")
        let still = try repo.run(["git", "commit", "-qm", "outside again"])
        #expect(still.status != 0)
        #expect(still.stderr.contains("approved-scope"), "\(still.stderr)")
        // Past the hooks, with the trailers typed by hand: the replay judges it on its scope.
        let replay = try repo.run(["git", "commit", "-q", "--no-verify", "-m", "outside again", "-m", "Zero-Case: \(layers[0][0])\nZero-Session: 2"])
        #expect(replay.status == 0)
        let check = try repo.zero("check", "--range", "HEAD~1..HEAD")
        #expect(check.status == 1, "the replay refuses it too")
        #expect(check.stderr.contains("approved-scope"), "\(check.stderr)")
    }
}
