import Foundation
import Testing
import ZeroCore
import ZeroTestSupport

/// What honest teams do with git must keep passing the replay: merges,
/// rebases, cherry-picks, conflict resolutions, and the signed path.
@Suite struct HonestFlowTests {
    func expectClean(_ scene: Scene, _ range: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let check = try scene.check(range)
        #expect(check.status == 0, "\(range): \(check.findings) \(check.stderr)", sourceLocation: sourceLocation)
    }

    @Test("an approved side branch merged with --no-ff", .temporaryRepository)
    func mergeNoFastForward() throws {
        let scene = Scene(try currentRepository())
        try scene.gated()
        try scene.git("checkout", "-q", "-b", "feature")
        try scene.write("src/app.txt", "feature\n")
        try scene.commit("-am", "feature work")
        try scene.write("src/more.txt", "more\n")
        try scene.commitAll("more feature work")
        try scene.git("checkout", "-q", "main")
        try scene.write("docs/notes.md", "meanwhile\n")
        try scene.commitAll("docs meanwhile")
        try scene.git("merge", "-q", "--no-ff", "--no-edit", "feature")
        try expectClean(scene, "\(scene.base)..HEAD")
        #expect(try scene.git("log", "-1", "--format=%P").split(separator: " ").count == 2)
    }

    @Test("approved commits rebased onto a newer main", .temporaryRepository)
    func rebase() throws {
        let scene = Scene(try currentRepository())
        try scene.gated()
        try scene.git("checkout", "-q", "-b", "feature")
        try scene.write("src/app.txt", "feature\n")
        try scene.commit("-am", "feature work")
        try scene.git("checkout", "-q", "main")
        try scene.write("docs/notes.md", "meanwhile\n")
        try scene.commitAll("docs meanwhile")
        try scene.git("checkout", "-q", "feature")
        try scene.git("rebase", "-q", "main")
        try expectClean(scene, "\(scene.base)..feature")
        #expect(try scene.git("log", "-1", "--format=%B").contains("Zero-Case: \(scene.id)"))
    }

    @Test("a case cherry-picked with its session onto another branch", .temporaryRepository)
    func cherryPick() throws {
        let scene = Scene(try currentRepository())
        try scene.gated()
        let adoption = try scene.git("rev-parse", "HEAD~1").trimmingCharacters(in: .whitespacesAndNewlines)
        let session = try scene.head()
        try scene.write("src/app.txt", "fixed\n")
        try scene.commit("-am", "fix")
        let fix = try scene.head()
        try scene.git("checkout", "-q", "-b", "release", adoption)
        try scene.git("cherry-pick", session, fix)
        try expectClean(scene, "\(adoption)..release")
    }

    @Test("a conflict resolved under the approved session", .temporaryRepository)
    func conflictResolution() throws {
        let scene = Scene(try currentRepository())
        try scene.gated()
        try scene.git("checkout", "-q", "-b", "feature")
        try scene.write("src/app.txt", "feature\n")
        try scene.commit("-am", "feature")
        try scene.git("checkout", "-q", "main")
        try scene.write("src/app.txt", "main\n")
        try scene.commit("-am", "main")
        #expect(try scene.repo.run(["git", "merge", "-q", "feature"]).status != 0)
        try scene.write("src/app.txt", "both\n")
        try scene.git("add", "src/app.txt")
        try scene.commit("--no-edit")
        try expectClean(scene, "\(scene.base)..HEAD")
        #expect(try scene.git("log", "-1", "--format=%B").contains("Zero-Session: 2"))
    }

    @Test("the whole lifecycle from adoption, then a won't-fix and a deletion by the operator", .temporaryRepository)
    func lifecycle() throws {
        let scene = Scene(try currentRepository())
        try scene.resolved()
        let adoption = try scene.git("rev-list", "--reverse", "HEAD").split(separator: "\n")[1]
        try expectClean(scene, "\(adoption)..HEAD")
        // An operator closes another case as won't fix and deletes a fresh one.
        try scene.actAsOperator()
        let other = try #require(field(try JSONSerialization.jsonObject(with: Data(try scene.zero("case", "new", "not worth it", "--json").utf8)), "id") as? String)
        try scene.zero("case", "wont-fix", other, "--reason", "superseded")
        let fresh = try #require(field(try JSONSerialization.jsonObject(with: Data(try scene.zero("case", "new", "typo", "--json").utf8)), "id") as? String)
        try scene.commitAll("zero: triage")
        try scene.zero("case", "delete", fresh, "--yes")
        try scene.commitAll("zero: drop a duplicate")
        try expectClean(scene, "\(scene.base)..HEAD")
    }

    @Test("signed mode with the operator's key in ssh-agent: every act signed, the replay clean", .temporaryRepository)
    func signedWithAgent() throws {
        let scene = Scene(try currentRepository())
        let socket = scene.repo.home + "/agent.sock"
        // The agent daemon keeps every descriptor it inherits, and a pipe it holds open
        // would block whoever reads it: start it from Python, which closes the rest.
        let output = scene.repo.home + "/agent.env"
        let started = try scene.repo.run([
            "python3", "-c",
            """
            import subprocess, sys
            subprocess.run(["ssh-agent", "-s", "-a", sys.argv[1]], stdout=open(sys.argv[2], "w"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, check=True)
            """, socket, output,
        ])
        try #require(started.status == 0, "\(started.stderr)")
        let pid = try String(contentsOfFile: output, encoding: .utf8).split(separator: ";").first { $0.contains("SSH_AGENT_PID=") }?
            .split(separator: "=").last.map(String.init)
        defer { if let pid { _ = try? scene.repo.run(["kill", pid]) } }
        scene.extraEnvironment = ["SSH_AUTH_SOCK": socket]
        try scene.gated(signed: true, viaAgent: true)
        let key = try #require(scene.operatorKey)
        #expect(key.hasSuffix(".pub"), "the signing key is the public half; the private one lives only in the agent")
        try scene.write("src/app.txt", "fixed\n")
        try scene.commit("-am", "fix")
        _ = try scene.zero("proof", "run", scene.id, "--", "sh", "-c", "echo '3 passed, 0 failed'")
        try scene.zero("session", "complete", scene.id, "--output", "fixed")
        try scene.actAsOperator()
        try scene.zero("session", "accept", scene.id)
        let proof = try #require(try scene.proofs().first)
        try scene.zero("proof", "verify", scene.id, String(proof.md.split(separator: "/").last!.prefix(8)))
        try scene.zero("case", "resolve", scene.id, "--outcome", "ConfirmedCodeBug", "--root-cause", "r", "--fix", "f")
        try scene.commitAll("zero: resolved")
        for (path, key) in [
            (scene.sessionPath(1), "approval_signature: "), (scene.metaPath, "signature: "), (proof.md, "verified_signature: "),
            (scene.caseFolder + "/final-classification.md", "signature: "),
        ] {
            #expect(try scene.read(path).contains(key), "\(path) carries no \(key)")
        }
        let adoption = try scene.git("rev-list", "--reverse", "HEAD").split(separator: "\n")[1]
        try expectClean(scene, "\(adoption)..HEAD")
    }
}
