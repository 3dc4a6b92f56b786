import Foundation
import Testing

@testable import ZeroCore

/// Every file kind Zero writes, rendered from fixed values and compared byte
/// for byte with the committed file in Golden/. Set ZERO_UPDATE_GOLDEN=1 to
/// rewrite them after an intended format change (and review the diff).
@Suite struct GoldenFileTests {
    static let caseID = "31255233-0c7f-4164-8feb-0dc1b8af28ef"
    static let t0 = Timestamp("2026-04-21T09:00:00Z")!
    static let t1 = Timestamp("2026-04-21T14:22:00Z")!
    static let t2 = Timestamp("2026-04-21T14:25:00Z")!
    static let t3 = Timestamp("2026-04-21T14:38:00Z")!

    static var meta: CaseMeta {
        var meta = CaseMeta(id: caseID, title: "auth timeout on /api/login", type: .bug, state: .implementing, createdAt: t0)
        meta.summary = "JWT expiry check uses < instead of <="
        meta.tags = ["bug", "auth"]
        meta.priority = .high
        meta.approvedPlan = PlanApproval(session: 1, sha256: PlanHash.compute(plan: plan, scope: "- auth/**"), by: "Ada <ada@example.com>", at: t2)
        meta.sessionCount = 2
        meta.updatedAt = t3
        return meta
    }

    static let plan = "- Patch `auth/jwt.rs:142`: change `<` to `<=`\n- Run `cargo test auth`"

    static var session: Session {
        var session = Session(caseID: caseID, caseTitle: "auth timeout on /api/login", type: .implementing, number: 2, startedAt: t1)
        session.state = .complete
        session.completedAt = t3
        session.hypothesis = "JWT expiry check uses `<` instead of `<=`."
        session.plan = plan
        session.scope = "- auth/**"
        session.planSHA256 = session.computedPlanHash
        session.approvedBy = "Ada <ada@example.com>"
        session.approvedAt = t2
        session.baseCommit = "4a1f0c2d9e8b7a6f5e4d3c2b1a09f8e7d6c5b4a3"
        session.diff = DiffStat(files: 1, additions: 3, deletions: 1)
        session.tests = TestCounts(run: 47, passed: 47, failed: 0)
        session.proofAttached = true
        session.setSteps([(true, "Patch auth/jwt.rs"), (true, "Run cargo test auth")])
        session.appendItem("Files", "modified auth/jwt.rs")
        session.setSection("Execution output", "Patched jwt.rs:142. cargo test auth: 47/47 passed (2.3s)")
        session.appendItem("Proof candidates", "proofs/7c1e2a90.md (test-log, 47 passed, 0 failed)")
        session.record(SessionEvent(at: t1, kind: "session_created", detail: "implementing"))
        session.record(SessionEvent(at: t2, kind: "approved", detail: "by Ada <ada@example.com> plan 9f2c"))
        session.record(SessionEvent(at: t3, kind: "session_completed"))
        session.applySeal()
        return session
    }

    static var proof: Proof {
        var proof = Proof(id: "7c1e2a90-5d1b-4d0e-9a53-0f3c2b1d9e77", caseID: caseID, session: 2, type: .testLog, createdAt: Timestamp("2026-04-21T14:37:00Z")!)
        proof.command = "cargo test auth"
        proof.exitCode = 0
        proof.durationMs = 2300
        proof.head = "8d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e"
        proof.dirty = false
        proof.artifact = "7c1e2a90.log"
        proof.artifactSHA256 = Digest.sha256("test result: ok. 47 passed; 0 failed\n")
        proof.summary = "47 passed, 0 failed"
        proof.verified = true
        proof.verifiedBy = "Ada <ada@example.com>"
        proof.verifiedAt = Timestamp("2026-04-21T14:40:00Z")!
        proof.excerpt = MemoryDocument.fenced("test result: ok. 47 passed; 0 failed")
        return proof
    }

    static var classification: FinalClassification {
        var classification = FinalClassification(outcome: .confirmedCodeBug, resolvedAt: Timestamp("2026-04-23T14:32:00Z")!, resolvedBy: "Ada <ada@example.com>")
        classification.rootCause = "The expiry check compared with `<`, so a token expiring this second was still accepted."
        classification.fix = "Compare with `<=` in auth/jwt.rs:142."
        classification.proofs = ["proofs/7c1e2a90.md (47 passed, 0 failed)"]
        return classification
    }

    static var problem: MemoryDocument {
        Workspace.problemDefinition(
            title: "auth timeout on /api/login", type: .bug,
            given: [
                ("Observed", "Refresh storm during peak load. /api/login returns 504 after 30s."),
                ("Expected", "Login completes in under 2s."),
                ("Repro", "Hit /api/login concurrently from 200 clients."),
            ])
    }

    static var ticket: MemoryDocument {
        Workspace.problemDefinition(title: "JWT service", type: .ticket, given: [("Description", "Sign tokens with RS256.")])
    }

    static var config: String {
        Templates.text("config.yaml")!.replacing("{{operator}}", with: "ada@example.com")
            .replacing("{{workspace_id}}", with: "9b2f4c1e-7d3a-4e8b-a1c6-5f0e2d9b8a74")
    }

    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path

    func check(_ name: String, _ rendered: String) throws {
        let path = Self.goldenFolder + "/" + name
        if ProcessInfo.processInfo.environment["ZERO_UPDATE_GOLDEN"] == "1" {
            try rendered.write(toFile: path, atomically: true, encoding: .utf8)
        }
        // Write into a temp folder as zero would, then compare the bytes.
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        try FileSystem.writeAtomically(rendered, to: temporary + "/" + name)
        let written = try #require(FileManager.default.contents(atPath: temporary + "/" + name))
        let golden = try #require(FileManager.default.contents(atPath: path), "missing golden file \(name); run with ZERO_UPDATE_GOLDEN=1")
        #expect(written == golden, "\(name) differs from Golden/\(name)")
    }

    @Test func metaYAML() throws {
        try check("meta.yaml", Self.meta.render())
        let golden = try String(contentsOfFile: Self.goldenFolder + "/meta.yaml", encoding: .utf8)
        #expect(try CaseMeta.parse(golden, file: "meta.yaml") == Self.meta)
    }

    @Test func sessionFile() throws {
        try check("002.md", Self.session.render())
        let golden = try String(contentsOfFile: Self.goldenFolder + "/002.md", encoding: .utf8)
        let parsed = try Session.parse(golden, file: "002.md")
        #expect(parsed == Self.session)
        #expect(Session.sealProblem(golden, session: parsed) == nil)
    }

    @Test func proofFile() throws {
        try check("7c1e2a90.md", Self.proof.render())
        let golden = try String(contentsOfFile: Self.goldenFolder + "/7c1e2a90.md", encoding: .utf8)
        #expect(try Proof.parse(golden, file: "p.md") == Self.proof)
    }

    @Test func finalClassification() throws {
        try check("final-classification.md", Self.classification.render())
        let golden = try String(contentsOfFile: Self.goldenFolder + "/final-classification.md", encoding: .utf8)
        #expect(try FinalClassification.parse(golden, file: "f.md") == Self.classification)
    }

    @Test func problemDefinitions() throws {
        try check("problem-definition.md", Self.problem.render())
        try check("ticket-problem-definition.md", Self.ticket.render())
        let golden = try String(contentsOfFile: Self.goldenFolder + "/problem-definition.md", encoding: .utf8)
        #expect(try MemoryDocument.parse(golden, file: "p.md", expectsTitle: true).render() == golden)
    }

    @Test func configYAML() throws {
        try check("config.yaml", Self.config)
        let config = try WorkspaceConfig.parse(Self.config, file: "config.yaml")
        #expect(config.operators == ["ada@example.com"])
        #expect(config.exemptPaths == ["docs/**", "*.md"])
        #expect(config.diffReview == .operator)
        #expect(config.monthlySessionLimit == 0)
    }

    @Test("the embedded templates are exactly templates/ (run 'make templates' after editing)")
    func templatesMatchFolder() throws {
        let top = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let folder = top + "/templates"
        for template in Templates.files {
            // Hook shims come from hooks/, everything else from templates/.
            let path = template.path.hasPrefix("hooks/") ? top + "/" + template.path : folder + "/" + template.path
            let onDisk = try String(contentsOfFile: path, encoding: .utf8)
            #expect(onDisk == template.text, "\(path) differs from the embedded copy")
        }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: top + "/hooks").map { "hooks/" + $0 }).isSubset(of: Set(Templates.files.map(\.path))))
        let global = try FileManager.default.contentsOfDirectory(atPath: folder + "/global")
        #expect(Set(global.map { "global/" + $0 }).isSubset(of: Set(Templates.files.map(\.path))))
    }
}
