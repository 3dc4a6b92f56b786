import Foundation
import Testing
import ZeroTestSupport

/// Holes users hit honestly, closed at the command line, and how `zero check`
/// and pre-push say what they judged.
@Suite struct PolicyTests {
    @Test("a failing proof is verified only knowingly, with a recorded reason", .temporaryRepository)
    func failingProof() throws {
        let repo = try currentRepository()
        let scene = Scene(repo)
        try scene.verifying()
        try scene.actAsOperator()
        let passing = try #require(try scene.proofs().first)
        _ = try scene.zeroResult("proof", "run", scene.id, "--", "sh", "-c", "echo '2 passed, 1 failed'; exit 101")
        let failing = try #require(try scene.proofs().first { try scene.read($0.md).contains("exit_code: 101") })
        let failingID = String(failing.md.split(separator: "/").last!.prefix(8))
        let before = try repo.snapshot()
        let refused = try repo.zero("proof", "verify", scene.id, failingID)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("exited 101"))
        #expect(refused.stderr.contains("--accept-failing --reason"))
        #expect(try repo.snapshot() == before)
        #expect(try repo.zero("proof", "verify", scene.id, failingID, "--accept-failing").status == 64)
        // Resolving with no verified passing proof is refused.
        #expect(try repo.zero("case", "resolve", scene.id, "--outcome", "ConfirmedCodeBug").stderr.contains("no verified, passing proof"))
        try scene.zero("proof", "verify", scene.id, failingID, "--accept-failing", "--reason", "flaky network test, tracked in 4410")
        #expect(try scene.read(failing.md).contains("accepted_failing: flaky network test, tracked in 4410"))
        try scene.zero("case", "resolve", scene.id, "--outcome", "ConfirmedCodeBug")
        try scene.commitAll("zero: resolved")
        #expect(try scene.check().status == 0)
        _ = passing
    }

    @Test("with enforce_scope a plan needs a scope; '**' says anywhere; investigations need none", .temporaryRepository)
    func scopeRequired() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init")
        let id = try #require(field(try repo.zeroJSON("case", "new", "t"), "id") as? String)
        try repo.zeroOK("session", "new", id, "--type", "planning")
        let before = try repo.snapshot()
        let refused = try repo.zero("session", "plan", id, "--step", "change things")
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("--scope '**'"))
        #expect(try repo.snapshot() == before)
        try repo.zeroOK("session", "plan", id, "--step", "change things", "--scope", "**")
        try repo.zeroOK("session", "abandon", id, "--reason", "replan")
        try repo.zeroOK("session", "new", id, "--type", "investigating")
        try repo.zeroOK("session", "plan", id, "--step", "read the logs")
    }

    @Test("approve shows what it approves, and on a terminal asks first", .temporaryRepository)
    func approveShowsAndAsks() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init")
        let id = try #require(field(try repo.zeroJSON("case", "new", "t"), "id") as? String)
        try repo.zeroOK("session", "new", id, "--type", "planning")
        try repo.zeroOK("session", "plan", id, "--hypothesis", "expiry uses <", "--step", "patch auth/jwt.rs", "--scope", "auth/**")
        let hash = try #require(field(try repo.zeroJSON("session", "show", "\(id)/1"), "plan_hash") as? String)
        // On a terminal (script(1) gives it one), "n" approves nothing.
        let before = try repo.snapshot()
        let declined = try repo.run(["script", "-qec", "\(Zero.binary) session approve \(id)", "/dev/null"], stdin: "n\n")
        #expect(declined.status == 1)
        #expect(declined.stdout.contains("approve this plan? [y/N]"))
        #expect(declined.stdout.contains("expiry uses <") && declined.stdout.contains("patch auth/jwt.rs") && declined.stdout.contains("auth/**"))
        #expect(declined.stdout.contains(String(hash.prefix(12))))
        #expect(try repo.snapshot() == before)
        let accepted = try repo.run(["script", "-qec", "\(Zero.binary) session approve \(id)", "/dev/null"], stdin: "y\n")
        #expect(accepted.status == 0, "\(accepted.stdout)")
        #expect(field(try repo.zeroJSON("session", "show", "\(id)/1"), "plan_sha256") as? String == hash)
    }

    @Test("a case with an ended session or a proof is never deleted, even by an operator", .temporaryRepository)
    func deleteKeepsRecords() throws {
        let repo = try currentRepository()
        let scene = Scene(repo)
        try scene.completed()
        try scene.actAsOperator()
        let before = try repo.snapshot()
        let refused = try repo.zero("case", "delete", scene.id, "--yes")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("ended session") && refused.stderr.contains("proof"))
        #expect(refused.stderr.contains("wont-fix"))
        #expect(try repo.snapshot() == before)
    }

    @Test("zero check says when a range is reversed or empty, and judges history without a config on disk", .temporaryRepository)
    func checkRanges() throws {
        let repo = try currentRepository()
        let scene = Scene(repo)
        try scene.gated()
        try scene.write("src/app.txt", "fixed\n")
        try scene.commit("-am", "fix")
        let reversed = try repo.zero("check", "--range", "HEAD..\(scene.base)")
        #expect(reversed.status == 64)
        #expect(reversed.stderr.contains("reversed"))
        #expect(reversed.stderr.contains("\(scene.base)..HEAD"))
        let empty = try repo.zero("check", "--range", "HEAD..HEAD")
        #expect(empty.status == 0)
        #expect(empty.stdout.contains("nothing to check"))
        let clean = try repo.zero("check", "--range", "\(scene.base)..HEAD")
        #expect(clean.stdout.contains("all gates pass (1 commit; rules from \(scene.base.prefix(12)))"))
        // The config removed (hooks skipped): check still runs, from a subfolder, and reports it.
        try scene.git("rm", "-q", "zero-memory/config.yaml")
        try scene.commit("--no-verify", "-m", "no more gates")
        let removed = try repo.zero("check", "--range", "\(scene.base)..HEAD", in: repo.path("src"))
        #expect(removed.status == 1)
        #expect(removed.stderr.contains("zero-stays-adopted"))
    }

    @Test("pre-push names its trust root, checks a first push from adoption, and refuses to guess a default branch", .temporaryRepository)
    func prePushTrustRoot() throws {
        let repo = try currentRepository()
        let scene = Scene(repo)
        try scene.gated()
        try scene.addRemote(pushMain: false)
        let first = try repo.run(["git", "push", "origin", "main"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("origin has nothing yet"))
        try repo.git("fetch", "-q", "origin")
        try repo.git("checkout", "-q", "-b", "topic")
        try scene.write("src/app.txt", "topic\n")
        try scene.commit("-am", "topic work")
        // Remote branches exist, but which is the default is unknown: no guessing.
        let unknown = try repo.run(["git", "push", "origin", "topic"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("git remote set-head origin --auto"))
        try repo.git("remote", "set-head", "origin", "main")
        let known = try repo.run(["git", "push", "origin", "topic"])
        #expect(known.status == 0, "\(known.stderr)")
        #expect(known.stderr.contains("refs/heads/topic is new on origin; checking it against origin's default branch"))
        try scene.write("src/app.txt", "more\n")
        try scene.commit("-am", "more topic work")
        let update = try repo.run(["git", "push", "origin", "topic"])
        #expect(update.status == 0, "\(update.stderr)")
        #expect(update.stderr.contains("checking refs/heads/topic against origin refs/heads/topic"))
    }

    @Test("what an agent wrote cannot move the operator's cursor: control characters are shown, not obeyed", .temporaryRepository)
    func approveShowsEscapes() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init")
        let id = try #require(field(try repo.zeroJSON("case", "new", "t"), "id") as? String)
        try repo.zeroOK("session", "new", id, "--type", "planning")
        try repo.zeroOK("session", "plan", id, "--step", "patch src/app.txt", "--scope", "src/**")
        let path = try #require(try FileManager.default.contentsOfDirectory(atPath: repo.path("zero-memory/cases/\(id)/sessions")).first { $0 == "001.md" })
        let file = "zero-memory/cases/\(id)/sessions/\(path)"
        try repo.write(file, try repo.read(file).replacingOccurrences(of: "## Scope\n- src/**", with: "## Scope\n- ci/**\n- \u{1b}[1A\u{1b}[2K\n- src/**"))
        let shown = try repo.run(["script", "-qec", "\(Zero.binary) session approve \(id)", "/dev/null"], stdin: "n\n")
        #expect(shown.stdout.contains("- ci/**"))
        #expect(shown.stdout.contains("\\e[1A\\e[2K"), "\(shown.stdout)")
        #expect(!shown.stdout.contains("\u{1b}[1A"))
    }

    @Test("annotated tags name their commits, for zero check and for a pushed tag", .temporaryRepository)
    func annotatedTags() throws {
        let repo = try currentRepository()
        let scene = Scene(repo)
        try scene.gated()
        try repo.git("tag", "-a", "v1", "-m", "first")
        try scene.write("src/app.txt", "fixed\n")
        try scene.commit("-am", "fix")
        let check = try repo.zero("check", "--range", "v1..HEAD")
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("all gates pass (1 commit"))
        try scene.addRemote()
        let pushed = try repo.run(["git", "push", "origin", "v1"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
    }

    @Test("a force push is judged against the tip it replaces, not the merge base", .temporaryRepository)
    func forcePush() throws {
        let repo = try currentRepository()
        let scene = Scene(repo)
        try scene.resolved()
        try scene.addRemote(setHead: false)
        // Rewind to before the session ended and add code under it, then force the push.
        try repo.git("reset", "-q", "--hard", try scene.sessionStartCommit())
        try scene.activate(2)
        try scene.write("src/app.txt", "late\n")
        try scene.commit("-am", "late")
        let forced = try repo.run(["git", "push", "-f", "origin", "main"])
        #expect(forced.status != 0)
        #expect(forced.stderr.contains("had already ended at the trust root"), "\(forced.stderr)")
    }
}
