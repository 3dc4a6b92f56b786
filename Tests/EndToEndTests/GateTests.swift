import Foundation
import Testing
import ZeroTestSupport

/// A repository that adopted Zero, with a case whose implementing session is
/// approved, started here and committed (`Scene.gated`): code in src/** may be committed.
struct Gated {
    let repo: TemporaryRepository
    let id: String
    var short: String { String(id.prefix(8)) }

    static func make(_ repo: TemporaryRepository) throws -> Gated {
        let scene = Scene(repo)
        try scene.gated()
        return Gated(repo: repo, id: scene.id)
    }

    /// `git commit` through the hooks; returns the result instead of throwing.
    @discardableResult
    func commit(_ arguments: String...) throws -> ProcessResult {
        try repo.run(["git", "commit", "-q"] + arguments)
    }

    func head() throws -> String { try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines) }
    func message() throws -> String { try repo.git("log", "-1", "--format=%B") }
}

@Suite(.serialized) struct GateTests {
    @Test("code is refused before approval and accepted after; trailers are added", .temporaryRepository)
    func approvalGate() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init")
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "adopt zero")
        let id = try #require(field(try repo.zeroJSON("case", "new", "t"), "id") as? String)
        try repo.zeroOK("session", "new", id, "--type", "planning")
        try repo.zeroOK("session", "plan", id, "--step", "change src/app.txt", "--scope", "src/**")
        try repo.write("src/app.txt", "two\n")

        let before = try repo.run(["git", "commit", "-qam", "wip"])
        #expect(before.status != 0)
        #expect(before.stderr.contains("approved-plan-before-code: src/app.txt"))
        #expect(before.stderr.contains("fix: "))
        #expect(try repo.git("log", "--format=%s").split(separator: "\n").first == "adopt zero")

        try repo.zeroOK("session", "approve", id)
        try repo.zeroOK("session", "new", id, "--type", "implementing", "--start")
        // Approved here but not committed: replay would fail, so the hook refuses and says what to run.
        let uncommitted = try repo.run(["git", "commit", "-qam", "fix"])
        #expect(uncommitted.status != 0)
        #expect(uncommitted.stderr.contains("git add zero-memory && git commit"))

        try repo.git("add", "zero-memory")
        try repo.git("commit", "-qm", "zero: start session")
        let accepted = try repo.run(["git", "commit", "-qam", "fix the app"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        let message = try repo.git("log", "-1", "--format=%B")
        #expect(message.contains("Zero-Case: \(id)"))
        #expect(message.contains("Zero-Session: 2"))
        // The whole history replays clean.
        #expect(try repo.zero("check", "--range", "HEAD~3..HEAD").status == 0)
    }

    @Test("commit-msg keeps other trailers and never adds ours twice", .temporaryRepository)
    func trailers() throws {
        let gated = try Gated.make(try currentRepository())
        try gated.repo.write("src/app.txt", "two\n")
        let result = try gated.commit("-am", "fix\n\nSigned-off-by: Ada <ada@example.com>\nZero-Session: 2\nZero-Case: \(gated.id)")
        #expect(result.status == 0, "\(result.stderr)")
        let message = try gated.message()
        #expect(message.components(separatedBy: "Zero-Case:").count == 2)
        #expect(message.components(separatedBy: "Zero-Session:").count == 2)
        #expect(message.contains("Signed-off-by: Ada <ada@example.com>"))
        // Amending runs the hook again: still one of each.
        try gated.repo.write("src/app.txt", "three\n")
        #expect(try gated.commit("-a", "--amend", "--no-edit").status == 0)
        #expect(try gated.message().components(separatedBy: "Zero-Case:").count == 2)
    }

    @Test("editing the plan after approval voids it for code commits", .temporaryRepository)
    func planEdited() throws {
        let gated = try Gated.make(try currentRepository())
        try gated.repo.zeroOK("session", "plan", gated.id, "--step", "change everything")
        try gated.repo.write("src/app.txt", "two\n")
        let result = try gated.commit("-am", "sneaky")
        #expect(result.status != 0)
        #expect(result.stderr.contains("plan_ready"), "\(result.stderr)")
        #expect(result.stderr.contains("zero session approve"))
    }

    @Test("code outside the approved scope is refused, file by file", .temporaryRepository)
    func scope() throws {
        let gated = try Gated.make(try currentRepository())
        try gated.repo.write("src/app.txt", "in scope\n")
        try gated.repo.write("lib/other.txt", "outside\n")
        try gated.repo.git("add", "-A")
        let result = try gated.commit("-m", "both")
        #expect(result.status != 0)
        #expect(result.stderr.contains("approved-scope: lib/other.txt"))
        #expect(!result.stderr.contains("approved-scope: src/app.txt"))
        // Exempt paths (docs/**, *.md) need no session at all.
        try gated.repo.git("reset", "-q", "lib/other.txt")
        try gated.repo.write("docs/guide.md", "notes\n")
        try gated.repo.git("add", "docs/guide.md")
        #expect(try gated.commit("-m", "in scope and docs").status == 0)
    }

    @Test("rewriting an ended session is refused", .temporaryRepository)
    func endedSession() throws {
        let gated = try Gated.make(try currentRepository())
        try gated.repo.zeroOK("session", "complete", gated.id, "--output", "done")
        try gated.repo.git("add", "zero-memory")
        try gated.repo.git("commit", "-qm", "zero: complete")
        let path = "zero-memory/cases/\(gated.id)/sessions/002.md"
        try gated.repo.write(path, try gated.repo.read(path).replacing("done", with: "done better"))
        let result = try gated.commit("-am", "tidy the record")
        #expect(result.status != 0)
        #expect(result.stderr.contains("ended-sessions-append-only: \(path)"))
    }

    @Test("violations made with --no-verify are each reported by zero check --range and by pre-push", .temporaryRepository)
    func replay() throws {
        let repo = try currentRepository()
        let gated = try Gated.make(repo)
        let base = try gated.head()
        // 1. Code without trailers (hooks skipped).
        try repo.write("src/app.txt", "no trailers\n")
        #expect(try gated.commit("-am", "no trailers", "--no-verify").status == 0)
        let noTrailers = try gated.head()
        // 2. Code outside the scope, with trailers written by hand.
        try repo.write("lib/outside.txt", "x\n")
        try repo.git("add", "lib/outside.txt")
        #expect(try gated.commit("--no-verify", "-m", "outside\n\nZero-Case: \(gated.id)\nZero-Session: 2").status == 0)
        let outside = try gated.head()
        // 3. A proof rewritten beyond verification.
        try repo.zeroOK("proof", "add", gated.id, "--type", "operator-note", "--note", "looked fine")
        try repo.git("add", "zero-memory")
        #expect(try gated.commit("-m", "zero: proof").status == 0)
        let proofFile = try #require(try FileManager.default.contentsOfDirectory(atPath: repo.path("zero-memory/cases/\(gated.id)/proofs")).first { $0.hasSuffix(".md") })
        let proofPath = "zero-memory/cases/\(gated.id)/proofs/\(proofFile)"
        try repo.write(proofPath, try repo.read(proofPath).replacing("operator-note", with: "test-log"))
        #expect(try gated.commit("-am", "retype proof", "--no-verify").status == 0)
        let rewritten = try gated.head()
        // 4. An ended session rewritten.
        try repo.zeroOK("session", "complete", gated.id, "--output", "done")
        try repo.git("add", "zero-memory")
        #expect(try gated.commit("-m", "zero: complete").status == 0)
        let sessionPath = "zero-memory/cases/\(gated.id)/sessions/002.md"
        try repo.write(sessionPath, try repo.read(sessionPath).replacing("done", with: "did more"))
        #expect(try gated.commit("-am", "edit ended session", "--no-verify").status == 0)
        let ended = try gated.head()

        let check = try repo.zero("check", "--range", "\(base)..HEAD", "--json")
        #expect(check.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8))
        let findings = try #require(field(json, "findings") as? [[String: Any]])
        func found(_ rule: String, _ commit: String) -> Bool {
            findings.contains { $0["rule"] as? String == rule && $0["commit"] as? String == commit }
        }
        #expect(found("commits-link-sessions", noTrailers))
        #expect(found("approved-scope", outside))
        #expect(found("proofs-only-gain-verification", rewritten))
        #expect(found("ended-sessions-append-only", ended))
        #expect(findings.count == 4, "\(findings)")

        // pre-push replays the same rules and refuses the push.
        let remote = repo.root + "-remote.git"
        try repo.git("init", "-q", "--bare", remote)
        defer { try? FileManager.default.removeItem(atPath: remote) }
        try repo.git("remote", "add", "origin", remote)
        let push = try repo.run(["git", "push", "-q", "origin", "main"])
        #expect(push.status != 0)
        #expect(push.stderr.contains("push refused"))
        #expect(push.stderr.contains("commits-link-sessions"))
        #expect(push.stderr.contains("ended-sessions-append-only"))
        // The report for the pull request lists the case and the findings.
        let report = try repo.zero("pr", "report", "\(base)..HEAD")
        #expect(report.stdout.contains("❌ **4 findings**"))
        #expect(report.stdout.contains("`\(gated.short)` | fix the app"))
    }

    @Test("a clean branch pushes; zero check --staged agrees with the hook", .temporaryRepository)
    func cleanPush() throws {
        let repo = try currentRepository()
        let gated = try Gated.make(repo)
        try repo.write("src/app.txt", "good\n")
        #expect(try gated.commit("-am", "good change").status == 0)
        let remote = repo.root + "-remote.git"
        try repo.git("init", "-q", "--bare", remote)
        defer { try? FileManager.default.removeItem(atPath: remote) }
        try repo.git("remote", "add", "origin", remote)
        let push = try repo.run(["git", "push", "-q", "origin", "main"])
        #expect(push.status == 0, "\(push.stderr)")
        try repo.write("lib/x.txt", "x\n")
        try repo.git("add", "lib/x.txt")
        let staged = try repo.zero("check", "--staged")
        #expect(staged.status == 1)
        #expect(staged.stderr.contains("approved-scope: lib/x.txt"))
    }

    @Test("git commit <paths> and commit -a see the index git will commit", .temporaryRepository)
    func commitPathsAndAll() throws {
        let repo = try currentRepository()
        let gated = try Gated.make(repo)
        // Staged out of scope, but `commit src/app.txt` commits only that path: allowed.
        try repo.write("lib/outside.txt", "x\n")
        try repo.git("add", "lib/outside.txt")
        try repo.write("src/app.txt", "only this\n")
        let paths = try gated.commit("-m", "only app", "src/app.txt")
        #expect(paths.status == 0, "\(paths.stderr)")
        #expect(try repo.git("show", "--name-only", "--format=", "HEAD").contains("src/app.txt"))
        // `commit -a` with the outside file still staged: refused.
        try repo.write("src/app.txt", "again\n")
        let all = try gated.commit("-am", "everything")
        #expect(all.status != 0)
        #expect(all.stderr.contains("approved-scope: lib/outside.txt"))
        // And `commit <path>` of the outside file alone: refused.
        let outside = try gated.commit("-m", "outside only", "lib/outside.txt")
        #expect(outside.status != 0)
    }

    @Test("a linked worktree has its own active session; commits there are gated by it", .temporaryRepository)
    func linkedWorktree() throws {
        let repo = try currentRepository()
        let gated = try Gated.make(repo)
        let other = repo.root + "-wt"
        try repo.git("worktree", "add", "-q", other, "-b", "second")
        defer { try? FileManager.default.removeItem(atPath: other) }
        // No session is active in the new worktree: code is refused there.
        try "x\n".write(toFile: other + "/src/app.txt", atomically: true, encoding: .utf8)
        let refused = try repo.run(["git", "commit", "-qam", "from worktree"], in: other)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("there is none"))
        // The main worktree, where the session is active, commits fine.
        try repo.write("src/app.txt", "main\n")
        #expect(try gated.commit("-am", "from main").status == 0)
        // Starting the executing session in the worktree makes it active there too.
        let started = try repo.zero("session", "start", gated.id, in: other)
        #expect(started.status == 0, "\(started.stderr)")
        #expect(FileManager.default.fileExists(atPath: repo.path(".git/worktrees/\(URL(fileURLWithPath: other).lastPathComponent)/zero/active-session")))
        let accepted = try repo.run(["git", "commit", "-qam", "from worktree"], in: other)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(try repo.git("log", "-1", "--format=%B", "second").contains("Zero-Session: 2"))
    }

    @Test("a user's own hook is kept, runs first, and can stop the commit", .temporaryRepository)
    func chainedHook() throws {
        let repo = try currentRepository()
        let hook = repo.path(".git/hooks/pre-commit")
        try "#!/bin/sh\necho user-hook-ran >> \"$(git rev-parse --git-dir)/user-hook.log\"\n[ ! -f block ] || { echo blocked by user hook >&2; exit 1; }\n"
            .write(toFile: hook, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
        let gated = try Gated.make(repo)
        #expect(FileManager.default.fileExists(atPath: hook + ".chained"))
        let status = try repo.zero("hooks", "status", "--json")
        #expect(status.stdout.contains("\"chained\" : true"))
        try repo.write("src/app.txt", "two\n")
        #expect(try gated.commit("-am", "with user hook").status == 0)
        #expect(try repo.read(".git/user-hook.log").contains("user-hook-ran"))
        try repo.write("block", "")
        try repo.write("src/app.txt", "three\n")
        let blocked = try gated.commit("-am", "blocked")
        #expect(blocked.status != 0)
        #expect(blocked.stderr.contains("blocked by user hook"))
        // Installing again changes nothing; uninstalling puts the user's hook back.
        #expect(try repo.zero("hooks", "install").stdout.contains("up-to-date"))
        try repo.zeroOK("hooks", "uninstall")
        #expect(try String(contentsOfFile: hook, encoding: .utf8).contains("user-hook-ran"))
        #expect(!FileManager.default.fileExists(atPath: hook + ".chained"))
    }

    @Test("under husky, zero prints the lines to add and writes nothing", .temporaryRepository)
    func otherManager() throws {
        let repo = try currentRepository()
        try repo.git("config", "core.hooksPath", ".husky/_")
        let result = try repo.zeroOK("init")
        #expect(result.stdout.contains("managed by husky"))
        #expect(result.stdout.contains("zero hook pre-commit"))
        #expect(!FileManager.default.fileExists(atPath: repo.path(".husky/_/pre-commit")))
        #expect(!FileManager.default.fileExists(atPath: repo.path(".git/hooks/pre-commit")))
    }

    @Test("a relative core.hooksPath is honoured", .temporaryRepository)
    func customHooksPath() throws {
        let repo = try currentRepository()
        try repo.git("config", "core.hooksPath", "tools/hooks")
        try repo.zeroOK("init")
        #expect(FileManager.default.fileExists(atPath: repo.path("tools/hooks/pre-commit")))
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "adopt")
        try repo.write("src/app.txt", "x\n")
        #expect(try repo.run(["git", "commit", "-qam", "no session"]).status != 0)
    }

    @Test("ZERO_HOOKS=0 skips the gate with a warning", .temporaryRepository)
    func skipHooks() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init")
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "adopt")
        try repo.write("src/app.txt", "x\n")
        let skipped = try repo.run(["git", "commit", "-qam", "emergency"], environment: ["ZERO_HOOKS": "0"])
        #expect(skipped.status == 0)
        #expect(skipped.stderr.contains("ZERO_HOOKS=0, skipping the pre-commit gate"))
        #expect(try repo.zero("check", "--range", "HEAD~1..HEAD").status == 1)
    }

    @Test("completing a session writes the diff stat of its linked commits", .temporaryRepository)
    func linking() throws {
        let repo = try currentRepository()
        let gated = try Gated.make(repo)
        try repo.write("src/app.txt", "one\ntwo\nthree\n") // was "one\n": +2
        #expect(try gated.commit("-am", "first").status == 0)
        try repo.write("src/more.txt", "a\nb\n") // new: +2
        try repo.git("add", "src/more.txt")
        #expect(try gated.commit("-m", "second").status == 0)
        let completed = try repo.zeroJSON("session", "complete", gated.id, "--output", "done")
        #expect(field(completed, "diff", "files") as? Int == 2)
        #expect(field(completed, "diff", "additions") as? Int == 4)
        #expect(field(completed, "diff", "deletions") as? Int == 0)
        let diff = try repo.zeroJSON("session", "diff", "\(gated.id)/2")
        #expect((field(diff, "commits") as? [Any])?.count == 2)
        let log = try repo.zero("case", "log", gated.id).stdout
        #expect(log.contains("commit") && log.contains("second"))
    }

    @Test("signed mode: an operator act without a signing key is refused and writes nothing; with the key it is signed and replays clean", .temporaryRepository)
    func signedActs() throws {
        let repo = try currentRepository()
        let scene = Scene(repo)
        try scene.gated(signed: true)
        try scene.zero("session", "complete", scene.id, "--output", "done")
        try scene.commitAll("zero: complete")
        try scene.actAsOperator()
        try repo.git("config", "--unset", "user.signingkey")
        let before = try repo.snapshot()
        let refused = try repo.zero("session", "accept", scene.id)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("no signing key"))
        #expect(refused.stderr.contains("user.signingkey"))
        #expect(try repo.snapshot() == before)
        try scene.actAsOperator()
        try scene.zero("session", "accept", scene.id)
        try scene.commitAll("zero: accepted")
        let meta = try scene.read(scene.metaPath)
        #expect(meta.contains("diff_review: {session: 2, by: Ada <ada@example.com>"))
        #expect(meta.contains("signature: "))
        #expect(try scene.check().status == 0)
        // The same review with one character of its signature changed is caught.
        try scene.edit(scene.metaPath) { text in
            guard let range = text.range(of: "signature: ") else { return text }
            let at = range.upperBound
            let flipped: Character = text[at] == "A" ? "B" : "A"
            return text.replacingCharacters(in: at...at, with: String(flipped))
        }
        try scene.commitAll("tamper", "--no-verify")
        let check = try scene.check()
        #expect(check.status == 1)
        #expect(check.findings.contains { $0["rule"] as? String == "signed-operator-acts" })
    }
}
