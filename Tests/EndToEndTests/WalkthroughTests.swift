import Foundation
import Testing
import ZeroTestSupport

/// The built binary through the operator walkthrough of DESIGN §6.1, in a
/// real git repository, asserting exit codes, stderr and files.
@Suite(.serialized) struct WalkthroughTests {
    @Test("the whole lifecycle, as an operator and an agent type it", .temporaryRepository)
    func walkthrough() throws {
        let repo = try currentRepository()
        let initialised = try repo.zeroOK("init")
        #expect(initialised.stdout.contains("created zero-memory/config.yaml"))
        #expect(try repo.read("zero-memory/config.yaml").contains("operators: [ada@example.com]"))
        for name in ["architecture", "decisions", "risks", "system-map"] {
            #expect(FileManager.default.fileExists(atPath: repo.path("zero-memory/global/\(name).md")))
        }

        let created = try repo.zeroJSON("case", "new", "auth timeout on /api/login", "--type", "bug", "--tag", "auth")
        let id = try #require(field(created, "id") as? String)
        let short = String(id.prefix(4))
        #expect(field(created, "state") as? String == "OPEN")

        try repo.actAs(name: "Agent", email: "agent@example.com")
        let planning = try repo.zeroJSON("session", "new", short, "--type", "planning")
        #expect(field(planning, "number") as? Int == 1)
        let planned = try repo.zeroJSON(
            "session", "plan", short, "--hypothesis", "JWT expiry uses < not <=",
            "--step", "Patch src/app.txt", "--step", "Run the tests", "--scope", "src/**")
        #expect(field(planned, "state") as? String == "plan_ready")

        // The agent cannot approve: exit 1, one line saying why, one hint.
        let refused = try repo.zero("session", "approve", short)
        #expect(refused.status == 1)
        let lines = refused.stderr.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first == "zero: only an operator may approve a plan; agent@example.com is not in operators")
        #expect(lines.last?.hasPrefix("hint: ") == true)

        try repo.actAs(name: "Ada", email: "ada@example.com")
        let approved = try repo.zeroJSON("session", "approve", short)
        #expect(field(approved, "state") as? String == "complete")
        let hash = try #require(field(approved, "plan_sha256") as? String)
        #expect(field(try repo.zeroJSON("case", "show", short), "case", "state") as? String == "IMPLEMENTING")

        try repo.actAs(name: "Agent", email: "agent@example.com")
        let implementing = try repo.zeroJSON("session", "new", short, "--type", "implementing", "--start")
        #expect(field(implementing, "state") as? String == "executing")
        #expect(field(implementing, "plan_sha256") as? String == hash)
        #expect(try repo.read(".git/zero/active-session") == "\(id)/2\n")

        try repo.write("src/app.txt", "two\n")
        try repo.git("commit", "-qam", "fix expiry check")

        // A failing test run is recorded too; zero exits with the command's code.
        let failing = try repo.zero("proof", "run", short, "--", "sh", "-c", "echo '1 passed, 1 failed'; exit 3")
        #expect(failing.status == 3)
        #expect(failing.stderr.contains("1 passed, 1 failed"), "the command's output is echoed")
        let passing = try repo.zero("proof", "run", short, "--json", "--", "sh", "-c", "echo 'test result: ok. 47 passed; 0 failed'")
        #expect(passing.status == 0)
        let proof = try JSONSerialization.jsonObject(with: Data(passing.stdout.utf8))
        #expect(field(proof, "summary") as? String == "47 passed, 0 failed")
        #expect(field(proof, "exit_code") as? Int == 0)
        #expect(field(proof, "dirty") as? Bool == false)
        let head = try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(field(proof, "head") as? String == head)
        let proofID = try #require(field(proof, "short_id") as? String)

        let completed = try repo.zeroJSON("session", "complete", short, "--output", "Patched src/app.txt")
        #expect(field(completed, "state") as? String == "complete")
        #expect(field(completed, "tests", "passed") as? Int == 47)
        #expect(!FileManager.default.fileExists(atPath: repo.path(".git/zero/active-session")))

        try repo.actAs(name: "Ada", email: "ada@example.com")
        try repo.zeroOK("session", "accept", short)
        // Resolving before verification is refused by the gate.
        let early = try repo.zero("case", "resolve", short, "--outcome", "ConfirmedCodeBug")
        #expect(early.status == 1)
        #expect(early.stderr.contains("no verified, passing proof"))
        try repo.zeroOK("proof", "verify", short, String(proofID.prefix(4)))
        let resolved = try repo.zeroJSON("case", "resolve", short, "--outcome", "ConfirmedCodeBug", "--root-cause", "off by one", "--fix", "use <=")
        #expect(field(resolved, "state") as? String == "RESOLVED")

        let classification = try repo.read("zero-memory/cases/\(id)/final-classification.md")
        #expect(classification.contains("outcome: ConfirmedCodeBug"))
        #expect(classification.contains("- proofs/\(proofID).md (47 passed, 0 failed)"))
        let status = try repo.zeroJSON("status")
        #expect(field(status, "counts", "RESOLVED") as? Int == 1)

        // Everything zero wrote can be committed, and nothing it leaves behind is untracked noise.
        try repo.git("add", "-A")
        let staged = try repo.git("diff", "--cached", "--name-only")
        #expect(!staged.contains(".lock"))
        #expect(!staged.contains(".tmp-"))
        #expect(staged.contains("sessions/latest.md"))
    }

    @Test("every read command prints valid JSON with --json", .temporaryRepository)
    func jsonEverywhere() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init")
        let id = try #require(field(try repo.zeroJSON("case", "new", "t"), "id") as? String)
        try repo.zeroOK("session", "new", id, "--type", "planning")
        try repo.zeroOK("proof", "add", id, "--type", "operator-note", "--note", "seen on staging")
        for command in [
            ["case", "list"], ["case", "show", id], ["case", "log", id], ["case", "memory", id],
            ["session", "show", id], ["session", "list", id], ["proof", "list", id], ["status"], ["usage"],
        ] {
            let result = try repo.run([Zero.binary] + command + ["--json"])
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil, "\(command) printed: \(result.stdout)")
        }
    }

    @Test("exit codes and error lines of DESIGN §6.1", .temporaryRepository)
    func exitCodes() throws {
        let repo = try currentRepository()
        // Outside a workspace: not found, with the fix.
        let none = try repo.zero("case", "list")
        #expect(none.status == 66)
        #expect(none.stderr.contains("hint: run 'zero init'"))
        try repo.zeroOK("init")
        let id = try #require(field(try repo.zeroJSON("case", "new", "t"), "id") as? String)

        #expect(try repo.zero("case", "show", "ffff1234").status == 66)
        #expect(try repo.zero("case", "show", "../../etc").status == 64)
        #expect(try repo.zero("case", "new", "t", "--type", "nonsense").status == 64)
        #expect(try repo.zero("case", "state", id, "RESOLVED").status == 73, "OPEN → RESOLVED is not in the table")
        #expect(try repo.zero("case", "state", id, "VERIFYING").status == 73)
        try repo.zeroOK("session", "new", id, "--type", "planning")
        #expect(try repo.zero("session", "new", id, "--type", "planning").status == 73)

        let meta = "zero-memory/cases/\(id)/meta.yaml"
        try repo.write(meta, try repo.read(meta).replacing("priority: medium", with: "priority: [high"))
        let before = try repo.snapshot()
        let broken = try repo.zero("case", "edit", id, "--priority", "low")
        #expect(broken.status == 65)
        let line = try repo.read(meta).split(separator: "\n").firstIndex { $0.hasPrefix("priority:") }! + 1
        #expect(broken.stderr.hasPrefix("zero: "))
        #expect(broken.stderr.contains("(\(meta):\(line))") || broken.stderr.contains("(\(meta):\(line + 1))"), "\(broken.stderr)")
        #expect(try repo.snapshot() == before)
    }

    @Test("a lock held by another process: exit 75 after the timeout", .temporaryRepository)
    func lockBusy() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init")
        let id = try #require(field(try repo.zeroJSON("case", "new", "t"), "id") as? String)
        // flock(1) holds the case's lock while zero tries to change the case.
        let lock = repo.path("zero-memory/cases/\(id)/.lock")
        let held = try repo.run(["flock", lock, Zero.binary, "case", "edit", id, "--tag", "x"], environment: ["ZERO_LOCK_TIMEOUT_MS": "100"])
        #expect(held.status == 75)
        #expect(held.stderr.contains("locked by another zero process"))
        #expect(try repo.zero("case", "edit", id, "--tag", "y").status == 0)
    }

    @Test("init twice keeps every file; init outside git explains", .temporaryRepository)
    func initTwice() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init")
        try repo.write("zero-memory/global/risks.md", "# my risks\n")
        let again = try repo.zeroOK("init")
        #expect(again.stdout.contains("already exists"))
        #expect(try repo.read("zero-memory/global/risks.md") == "# my risks\n")
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("zero-no-git-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let result = try repo.zero("init", in: outside)
        #expect(result.status == 64)
        #expect(result.stderr.contains("git init"))
    }

    @Test("every command's help has examples", .temporaryRepository)
    func helpHasExamples() throws {
        let repo = try currentRepository()
        let groups: [String: [String]] = [
            "case": ["new", "list", "show", "edit", "state", "block", "unblock", "ask", "answer", "resolve", "reopen", "watch", "wont-fix", "non-issue", "compress", "delete", "log", "memory"],
            "session": ["new", "plan", "approve", "reject", "start", "progress", "output", "complete", "fail", "abandon", "accept", "pause", "resume", "show", "list"],
            "proof": ["run", "add", "verify", "list"],
        ]
        for command in [["init"], ["status"], ["usage"]] + groups.flatMap({ group in group.value.map { [group.key, $0] } }) {
            let result = try repo.run([Zero.binary, "help"] + command)
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("Example"), "zero help \(command.joined(separator: " ")) has no example")
        }
        #expect(try repo.zero("--version").stdout == "0.1.0\n")
    }

    @Test("zero works from a subfolder and from a linked worktree; the active session is per worktree", .temporaryRepository)
    func worktrees() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init")
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "adopt zero")
        let id = try #require(field(try repo.zeroJSON("case", "new", "t"), "id") as? String)
        #expect(try repo.zero("case", "show", id, in: repo.path("src")).status == 0)
        try repo.zeroOK("session", "new", id, "--type", "planning")
        try repo.zeroOK("session", "plan", id, "--step", "s", "--scope", "**")
        try repo.zeroOK("session", "approve", id)
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "plan approved")

        let other = repo.root + "-wt"
        try repo.git("worktree", "add", "-q", other, "-b", "agent-2")
        defer { try? FileManager.default.removeItem(atPath: other) }
        let started = try repo.zero("session", "new", String(id.prefix(6)), "--type", "implementing", "--start", in: other)
        #expect(started.status == 0, "\(started.stderr)")
        let gitDir = repo.path(".git/worktrees/" + URL(fileURLWithPath: other).lastPathComponent)
        #expect(FileManager.default.fileExists(atPath: gitDir + "/zero/active-session"))
        #expect(!FileManager.default.fileExists(atPath: repo.path(".git/zero/active-session")))
        let status = try JSONSerialization.jsonObject(with: Data(try repo.zero("status", "--json", in: other).stdout.utf8))
        #expect(field(status, "active", "case_id") as? String == id)
        let mainStatus = try repo.zeroJSON("status")
        #expect(field(mainStatus, "active") == nil || field(mainStatus, "active") is NSNull)
    }
}
