import Foundation
import Testing
import ZeroTestSupport

/// What a red team found against the record promises (DESIGN §2, §9), each
/// kept as the attack that broke it.
@Suite(.serialized) struct RecordAttackTests {
    struct Scene {
        let repo: TemporaryRepository
        let id: String
        var folder: String { repo.path("zero-memory/cases/\(id)") }

        init(_ repo: TemporaryRepository, title: String = "t") throws {
            self.repo = repo
            try repo.git("init", "-q", "-b", "main")
            try repo.zeroOK("init", "--no-hooks")
            id = try #require(field(try repo.zeroJSON("case", "new", title), "id") as? String)
        }

        func planned() throws {
            try repo.zeroOK("session", "new", id, "--type", "planning", "--start")
            try repo.zeroOK("session", "plan", id, "--hypothesis", "h", "--step", "s", "--scope", "src/**")
        }

        func intent(_ body: [UInt8]) throws -> [UInt8] {
            // A record whose checksum is right, so only its content can be wrong.
            var out = Array("zero-intent 1\n".utf8) + body
            out += Array("end \(try sha256(out))\n".utf8)
            return out
        }

        func sha256(_ bytes: [UInt8]) throws -> String {
            let path = NSTemporaryDirectory() + UUID().uuidString
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }
            return String(try repo.run(["sha256sum", path]).stdout.prefix(64))
        }
    }

    @Test("a title with a quote and ' #' reads back the same after every rewrite", .temporaryRepository)
    func quotedTitleStable() throws {
        let scene = try Scene(try currentRepository(), title: "Don't retry on 500 #123")
        let before = try scene.repo.read("zero-memory/cases/\(scene.id)/meta.yaml")
        try scene.repo.zeroOK("case", "edit", scene.id, "--tag", "a")
        try scene.repo.zeroOK("case", "edit", scene.id, "--priority", "high")
        let after = try scene.repo.read("zero-memory/cases/\(scene.id)/meta.yaml")
        let titleLine = { (text: String) in text.split(separator: "\n").first { $0.hasPrefix("title: ") } }
        #expect(titleLine(after) == titleLine(before), "\(after)")
        #expect(field(try scene.repo.zeroJSON("case", "show", scene.id), "case", "title") as? String == "Don't retry on 500 #123")
    }

    @Test("case memory and proof verify never read through a link; doctor moves the links aside", .temporaryRepository)
    func linksInsideACase() throws {
        let scene = try Scene(try currentRepository())
        let secret = scene.repo.root + "-secret.txt"
        try "outside the workspace\n".write(toFile: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: secret) }
        try FileManager.default.createSymbolicLink(atPath: scene.folder + "/code-context.md", withDestinationPath: secret)
        let memory = try scene.repo.zero("case", "memory", scene.id)
        #expect(memory.status == 65, "\(memory.stdout)\(memory.stderr)")
        #expect(!memory.stdout.contains("outside the workspace"))
        // An artifact replaced by a link to a copy of itself is not verified.
        try scene.repo.zeroOK("proof", "add", scene.id, "--type", "operator-note", "--note", "looked fine")
        let proofs = scene.folder + "/proofs"
        let artifact = try #require(try FileManager.default.contentsOfDirectory(atPath: proofs).first { !$0.hasSuffix(".md") })
        let copy = scene.repo.root + "-artifact"
        try FileManager.default.moveItem(atPath: proofs + "/" + artifact, toPath: copy)
        try FileManager.default.createSymbolicLink(atPath: proofs + "/" + artifact, withDestinationPath: copy)
        let verify = try scene.repo.zero("proof", "verify", scene.id, String(artifact.prefix(8)), "--yes")
        #expect(verify.status != 0, "\(verify.stdout)")
        #expect(verify.stderr.contains("symlink"), "\(verify.stderr)")
        let doctor = try scene.repo.zero("doctor", "--json")
        let findings = try #require(field(try JSONSerialization.jsonObject(with: Data(doctor.stdout.utf8)), "findings") as? [[String: Any]])
        #expect(findings.filter { $0["problem"] as? String == "symlink" }.count == 2, "\(findings)")
        try scene.repo.zeroOK("doctor", "--fix")
        #expect(FileManager.default.fileExists(atPath: secret) && FileManager.default.fileExists(atPath: copy), "what the links pointed at stays")
    }

    @Test("a damaged or crafted intent record is never replayed: no trap, no link over meta.yaml", .temporaryRepository)
    func craftedIntents() throws {
        let scene = try Scene(try currentRepository())
        let meta = try scene.repo.read("zero-memory/cases/\(scene.id)/meta.yaml")
        for record in [
            Array("zero-intent 1\nwrite meta.yaml 9223372036854775807 -\nx\n".utf8),
            try scene.intent(Array("link meta.yaml 001.md\n".utf8)),
            try scene.intent(Array("write ../../config.yaml 2 -\nx\n\n".utf8)),
        ] {
            try Data(record).write(to: URL(fileURLWithPath: scene.folder + "/.intent"))
            let edit = try scene.repo.zero("case", "edit", scene.id, "--tag", "after")
            #expect(edit.status == 0, "\(edit.stderr)")
            #expect(FileManager.default.fileExists(atPath: scene.folder + "/meta.yaml"))
            #expect(!FileManager.default.fileExists(atPath: scene.folder + "/.intent"), "set aside")
            try scene.repo.zeroOK("doctor")
        }
        #expect(try scene.repo.read("zero-memory/cases/\(scene.id)/meta.yaml").hasPrefix(String(meta.prefix(60))))
    }

    @Test("an interrupted change found on another branch is set aside, not written over that branch's files", .temporaryRepository)
    func intentAcrossBranches() throws {
        let scene = try Scene(try currentRepository())
        try scene.repo.zeroOK("session", "new", scene.id, "--type", "investigating", "--start")
        try scene.repo.git("add", "-A")
        try scene.repo.git("commit", "-qm", "base")
        try scene.repo.git("checkout", "-q", "-b", "other")
        try scene.repo.zeroOK("session", "progress", scene.id, "--discovery", "only on other")
        try scene.repo.git("commit", "-qam", "other")
        try scene.repo.git("checkout", "-q", "main")
        let killed = try scene.repo.run(
            [Zero.binary, "session", "progress", scene.id, "--discovery", "killed on main"],
            environment: ["ZERO_KILL_AT_STEP": "3"])
        #expect(killed.status != 0)
        #expect(FileManager.default.fileExists(atPath: scene.folder + "/.intent"))
        try scene.repo.git("checkout", "-q", "other")
        try scene.repo.zeroOK("case", "edit", scene.id, "--priority", "high")
        let session = try scene.repo.zeroJSON("session", "show", scene.id)
        #expect(field(session, "discoveries") as? [String] == ["only on other"])
    }

    @Test("a lock file that is a link or a folder is a clear error, and doctor --fix clears it", .temporaryRepository)
    func badLockFiles() throws {
        let scene = try Scene(try currentRepository())
        for make in [
            { try FileManager.default.createSymbolicLink(atPath: scene.folder + "/.lock", withDestinationPath: "x") },
            { try FileManager.default.createDirectory(atPath: scene.folder + "/.lock", withIntermediateDirectories: false) },
        ] {
            try? FileManager.default.removeItem(atPath: scene.folder + "/.lock")
            try make()
            let edit = try scene.repo.zero("case", "edit", scene.id, "--tag", "x")
            #expect(edit.status == 65, "\(edit.stderr)")
            #expect(try scene.repo.zero("doctor").status == 65)
            try scene.repo.zeroOK("doctor", "--fix")
            try scene.repo.zeroOK("case", "edit", scene.id, "--tag", "x")
        }
    }

    @Test("latest.md that is a folder is moved aside by the next session, never a half-written case", .temporaryRepository)
    func latestIsAFolder() throws {
        let scene = try Scene(try currentRepository())
        try scene.planned()
        try FileManager.default.removeItem(atPath: scene.folder + "/sessions/latest.md")
        try FileManager.default.createDirectory(atPath: scene.folder + "/sessions/latest.md", withIntermediateDirectories: false)
        try scene.repo.zeroOK("session", "approve", scene.id, "--yes")
        try scene.repo.zeroOK("session", "new", scene.id, "--type", "implementing", "--start")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: scene.folder + "/sessions/latest.md") == "002.md")
        try scene.repo.zeroOK("doctor")
    }

    @Test("doctor --fix killed while it renumbers leaves no duplicate session", .temporaryRepository)
    func doctorKilledMidRepair() throws {
        let scene = try Scene(try currentRepository())
        _ = try scene.repo.run([Zero.binary, "session", "new", scene.id, "--type", "investigating"], environment: ["ZERO_NOW": "2026-11-24T11:00:00Z"])
        let second = try scene.repo.read("zero-memory/cases/\(scene.id)/sessions/001.md")
        try second.replacing("started_at: 2026-11-24T11:00:00Z", with: "started_at: 2026-11-24T10:30:00Z")
            .write(toFile: scene.folder + "/sessions/1.md", atomically: true, encoding: .utf8)
        for step in 1...4 {
            _ = try scene.repo.run([Zero.binary, "doctor", "--fix"], environment: ["ZERO_KILL_AT_STEP": String(step)])
        }
        // Both sessions are open, which only a person can settle; nothing else is left, and nothing doubled.
        let fixed = try scene.repo.zero("doctor", "--fix", "--json")
        let left = try #require(field(try JSONSerialization.jsonObject(with: Data(fixed.stdout.utf8)), "findings") as? [[String: Any]])
        #expect(left.filter { $0["fixed"] as? Bool != true }.compactMap { $0["problem"] as? String } == ["open-sessions"], "\(left)")
        let names = try FileManager.default.contentsOfDirectory(atPath: scene.folder + "/sessions").filter { $0.hasSuffix(".md") && $0 != "latest.md" }.sorted()
        #expect(names == ["001.md", "002.md"], "\(names)")
    }

    @Test("numbers and dates a rewrite could not keep are refused", .temporaryRepository)
    func impossibleValues() throws {
        let scene = try Scene(try currentRepository())
        try scene.repo.zeroOK("session", "new", scene.id, "--type", "investigating")
        let sessions = scene.folder + "/sessions"
        let text = try String(contentsOfFile: sessions + "/001.md", encoding: .utf8)
        try FileManager.default.removeItem(atPath: sessions + "/001.md")
        try text.replacing("# Session S001", with: "# Session S999999999").replacing("\nnumber: 1\n", with: "\nnumber: 999999999\n")
            .write(toFile: sessions + "/999999999.md", atomically: true, encoding: .utf8)
        let show = try scene.repo.zero("session", "new", scene.id, "--type", "investigating")
        #expect(show.status == 65, "\(show.stderr)")
        #expect(show.stderr.contains("must be from 1 to 99999"))
        try FileManager.default.removeItem(atPath: sessions + "/999999999.md")
        let meta = scene.folder + "/meta.yaml"
        let good = try String(contentsOfFile: meta, encoding: .utf8)
        let created = try #require(good.split(separator: "\n").first { $0.hasPrefix("created_at: ") })
        try good.replacing(String(created), with: "created_at: 2026-02-31T10:00:00Z").write(toFile: meta, atomically: true, encoding: .utf8)
        let edit = try scene.repo.zero("case", "edit", scene.id, "--tag", "x")
        #expect(edit.status == 65, "\(edit.stderr)")
        #expect(edit.stderr.contains("created_at"))
    }
}
