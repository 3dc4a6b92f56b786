import Foundation
import ZeroCore

/// Builds the synthetic repositories the benchmark measures, reproducibly
/// from a seed. Every memory file is rendered by ZeroCore's own writers, so
/// the output is a valid workspace by construction.
struct Generator {
    var cases = 10_000
    var sessionsPerCase = 5
    var tickets = 10_000
    /// Edges of the dependency chain (one more ticket than edges).
    var chain = 5_000
    var commitsBefore = 100_000
    var commitsAfter = 1_000
    var seed: UInt64 = 42
    var operatorEmail = "bench@example.com"

    /// What the benchmark script needs to know about the generated data.
    struct Manifest: Codable {
        var workspace: String
        var spec: String
        var cases: Int
        var sessions: Int
        var tickets: Int
        var commits_before: Int
        var commits_after: Int
        var sample_case: String
        var linked_case: String
        var linked_commits: Int
        var spec_id: String
        var chain: Int
        var chain_repository: String
        var chain_first: String
        var chain_last: String
    }

    static let base = Timestamp("2026-01-05T09:00:00Z")!

    func run(into folder: String) throws -> Manifest {
        var random = SeededRandom(seed: seed)
        let workspace = folder + "/workspace"
        let spec = folder + "/spec"
        let chainRepository = folder + "/chain"
        for path in [workspace, spec, chainRepository] {
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try git(["init", "-q", "-b", "main"], in: path)
            try git(["config", "user.name", "Bench"], in: path)
            try git(["config", "user.email", operatorEmail], in: path)
        }

        // The case workspace, with its history before and after adoption.
        progress("history: \(commitsBefore) commits before adoption")
        let importer = try FastImport(repository: workspace, startTime: 1_700_000_000)
        for index in 0..<commitsBefore {
            importer.commit(message: "change \(index)\n", changes: [.file(path: codePath(index), text: "line \(index)\n")])
        }
        progress("workspace: \(cases) cases, \(cases * sessionsPerCase) sessions")
        var changes = adoptionFiles()
        var caseIDs: [String] = []
        // Cases whose last implementing session is still executing: where code may change.
        var executing: [(id: String, session: Int, module: Int)] = []
        for index in 0..<cases {
            let generated = makeCase(index, random: &random)
            caseIDs.append(generated.id)
            if generated.executing { executing.append((generated.id, generated.lastImplementing, index % 100)) }
            changes += generated.files
        }
        var main = importer.commit(message: "adopt zero\n", changes: changes)
        progress("history: \(commitsAfter) commits after adoption, with trailers and merges")
        // Every commit is one the gates accept: code inside the scope of an executing
        // session, with its trailers. The first such case gets one commit in a hundred;
        // every tenth commit merges a side branch forked two commits earlier.
        var linked = 0
        var side: (fork: Int, change: FastImport.Change)?
        for index in 0..<commitsAfter {
            let target = index % 100 == 0 ? executing[0] : executing[1 + index % max(1, executing.count - 1)]
            let file = FastImport.Change.file(path: "src/module-\(target.module)/file-\(index % 1000).txt", text: "after \(index)\n")
            let message = "work \(index)\n\nZero-Case: \(target.id)\nZero-Session: \(target.session)\n"
            switch index % 10 {
            case 7:
                // A side branch's commit, forked from main.
                let mark = importer.commit(message: message, changes: [file], author: "Agent <agent@example.com>", branch: "side", from: main)
                side = (mark, file)
            case 9 where side != nil:
                // The merge brings the side branch's change and nothing of its own.
                main = importer.commit(message: "Merge branch 'side'\n", changes: [side!.change], author: "Agent <agent@example.com>", merge: side!.fork)
                side = nil
                continue
            default:
                main = importer.commit(message: message, changes: [file], author: "Agent <agent@example.com>")
            }
            if target.id == executing[0].id { linked += 1 }
        }
        try importer.finish()
        progress("checkout of the workspace")
        try git(["reset", "-q", "--hard", "main"], in: workspace)

        // The specification with its tickets.
        progress("spec: \(tickets) tickets")
        let specImporter = try FastImport(repository: spec, startTime: 1_700_000_000)
        let specID = random.uuid()
        specImporter.commit(message: "adopt zero and import the spec\n", changes: adoptionFiles() + makeSpec(specID, random: &random))
        try specImporter.finish()
        try git(["reset", "-q", "--hard", "main"], in: spec)

        // A specification whose tickets form one chain: the longest wave plan and cycle search.
        progress("chain: \(chain) dependencies")
        let chainImporter = try FastImport(repository: chainRepository, startTime: 1_700_000_000)
        let chainFiles = makeChain(random.uuid(), random: &random)
        chainImporter.commit(message: "adopt zero and import the chain\n", changes: adoptionFiles() + chainFiles.files)
        try chainImporter.finish()
        try git(["reset", "-q", "--hard", "main"], in: chainRepository)

        return Manifest(
            workspace: workspace, spec: spec, cases: cases, sessions: cases * sessionsPerCase, tickets: tickets,
            commits_before: commitsBefore, commits_after: commitsAfter, sample_case: caseIDs[cases / 2],
            linked_case: executing[0].id, linked_commits: linked, spec_id: specID, chain: chain, chain_repository: chainRepository,
            chain_first: chainFiles.first, chain_last: chainFiles.last)
    }

    func codePath(_ index: Int) -> String { "src/module-\(index % 100)/file-\(index % 1000).txt" }

    func adoptionFiles() -> [FastImport.Change] {
        Templates.files.map { template in
            switch template.path {
            case "config.yaml":
                .file(
                    path: "zero-memory/config.yaml",
                    text: template.text.replacing("{{operator}}", with: operatorEmail)
                        .replacing("{{workspace_id}}", with: "00000000-0000-4000-8000-000000000001"))
            case "gitignore": .file(path: "zero-memory/.gitignore", text: template.text)
            default: .file(path: "zero-memory/" + template.path, text: template.text)
            }
        }
    }

    struct GeneratedCase {
        var id: String
        var lastImplementing: Int
        /// Whether its last implementing session is still executing.
        var executing: Bool
        var files: [FastImport.Change]
    }

    func makeCase(_ index: Int, random: inout SeededRandom) -> GeneratedCase {
        let id = random.uuid()
        let folder = "zero-memory/cases/\(id)"
        let created = Timestamp(seconds: Self.base.seconds + index * 600)
        var clock = created.seconds
        func tick() -> Timestamp { clock += 300; return Timestamp(seconds: clock) }
        let title = "case \(index): \(["login timeout", "cache miss storm", "slow report", "wrong total", "crash on save"][index % 5])"
        let ending = index % 10 // 0: still implementing, 1: verifying, otherwise resolved
        var files: [FastImport.Change] = []

        let module = index % 100
        let plan = "- Reproduce with the failing request\n- Patch src/module-\(module)\n- Run the module's tests"
        let scope = "- src/module-\(module)/**"
        let hash = PlanHash.compute(plan: plan, scope: scope)
        let approver = "Bench <\(operatorEmail)>"
        var sessions: [Session] = []
        for number in 1...max(1, sessionsPerCase) {
            let type: SessionType = number == 1 ? .planning : .implementing
            var session = Session(caseID: id, caseTitle: title, type: type, number: number, startedAt: tick())
            session.hypothesis = "The failure in \(title) comes from module \(module)."
            session.plan = plan
            session.scope = scope
            session.setSteps([(true, "Reproduce with the failing request"), (number > 1, "Patch src/module-\(module)"), (number > 1, "Run the module's tests")])
            session.record(SessionEvent(at: session.startedAt, kind: "session_created", detail: type.rawValue))
            session.planSHA256 = hash
            session.approvedBy = approver
            // Implementing sessions inherit the planning session's approval, as `zero session new` writes it.
            session.approvedAt = number == 1 ? tick() : sessions[0].approvedAt
            session.record(
                SessionEvent(
                    at: number == 1 ? session.approvedAt! : tick(), kind: "approved",
                    detail: number == 1 ? "by \(approver) plan \(hash.prefix(12))" : "inherited from S001 plan \(hash.prefix(12))"))
            let stillOpen = ending == 0 && number == sessionsPerCase && number > 1
            if stillOpen {
                session.state = .executing
                session.baseCommit = random.sha1()
                session.record(SessionEvent(at: tick(), kind: "executing"))
            } else {
                session.state = number > 1 && number < sessionsPerCase && index % 3 == 0 ? .abandoned : .complete
                if number > 1 {
                    session.baseCommit = random.sha1()
                    session.diff = DiffStat(files: 1 + index % 4, additions: 3 + number, deletions: 1 + index % 3)
                    session.tests = TestCounts(run: 40 + module, passed: 40 + module, failed: 0)
                    session.setSection("Execution output", "Patched src/module-\(module); \(40 + module) tests pass.")
                }
                session.completedAt = tick()
                if session.state == .abandoned { session.endReason = "superseded by a new attempt" }
                session.record(SessionEvent(at: session.completedAt!, kind: session.state == .abandoned ? "session_abandoned" : "session_completed"))
                session.applySeal()
            }
            sessions.append(session)
        }

        // One test-log proof on the last implementing session.
        let last = sessions.last!
        let proofID = random.uuid()
        var proof = Proof(id: proofID, caseID: id, session: last.number, type: .testLog, createdAt: tick())
        let artifact = "test result: ok. \(40 + module) passed; 0 failed\n"
        proof.command = "make test MODULE=\(module)"
        proof.exitCode = 0
        proof.durationMs = 900 + module * 10
        proof.head = random.sha1()
        proof.dirty = false
        proof.artifact = proof.shortID + ".log"
        proof.artifactSHA256 = Digest.sha256(artifact)
        proof.summary = "\(40 + module) passed, 0 failed"
        proof.excerpt = MemoryDocument.fenced(String(artifact.dropLast()))
        if ending >= 2 {
            proof.verified = true
            proof.verifiedBy = approver
            proof.verifiedAt = tick()
        }
        files.append(.file(path: "\(folder)/proofs/\(proof.artifact!)", text: artifact))
        files.append(.file(path: "\(folder)/proofs/\(proof.fileName)", text: proof.render()))

        var meta = CaseMeta(id: id, title: title, type: .bug, createdAt: created)
        meta.tags = [["auth", "cache", "reports", "billing", "storage"][index % 5]]
        meta.priority = [.low, .medium, .high][index % 3]
        meta.approvedPlan = PlanApproval(session: 1, sha256: hash, by: approver, at: sessions[0].approvedAt!)
        meta.sessionCount = sessions.count
        switch ending {
        case 0: meta.state = .implementing
        case 1:
            meta.state = .verifying
            meta.diffReview = DiffReview(session: last.number, by: approver, at: tick())
        default:
            meta.state = .resolved
            meta.outcome = .confirmedCodeBug
            meta.diffReview = DiffReview(session: last.number, by: approver, at: tick())
            var classification = FinalClassification(outcome: .confirmedCodeBug, resolvedAt: tick(), resolvedBy: approver)
            classification.rootCause = "A boundary check in module \(module)."
            classification.fix = "Corrected the comparison."
            classification.proofs = ["proofs/\(proof.fileName) (\(proof.summary!))"]
            files.append(.file(path: "\(folder)/final-classification.md", text: classification.render()))
        }
        meta.updatedAt = Timestamp(seconds: clock)
        files.append(.file(path: "\(folder)/meta.yaml", text: meta.render()))
        let problem = Workspace.problemDefinition(
            title: title, type: .bug,
            given: [
                ("Observed", "Requests to module \(module) fail under load."), ("Expected", "They succeed."), ("Repro", "Run the load test."),
            ])
        files.append(.file(path: "\(folder)/problem-definition.md", text: problem.render()))
        for session in sessions {
            files.append(.file(path: "\(folder)/sessions/\(Session.fileName(session.number))", text: session.render()))
        }
        files.append(.symlink(path: "\(folder)/sessions/latest.md", target: Session.fileName(sessions.count)))
        return GeneratedCase(
            id: id, lastImplementing: sessions.count > 1 ? sessions.count : 1,
            executing: sessions.last?.state == .executing, files: files)
    }

    /// A specification with `tickets` tickets in epics of 100, each depending on
    /// up to three earlier tickets (so the graph is dense and acyclic). The
    /// first 30 % are done; 2 % carry a block reason.
    func makeSpec(_ specID: String, random: inout SeededRandom) -> [FastImport.Change] {
        var files: [FastImport.Change] = []
        let folder = "zero-memory/specs/\(specID)"
        var specDocument = MemoryDocument(title: "Specification: billing rewrite")
        specDocument.header.fields = [
            HeaderField("id", .text(specID)), HeaderField("title", .text("billing rewrite")),
            HeaderField("state", .literal("in_progress")), HeaderField("approved_by", .text("Bench <\(operatorEmail)>")),
            HeaderField("approved_at", .literal(Self.base.description)), HeaderField("plan_sha256", .null),
            HeaderField("created_at", .literal(Self.base.description)), HeaderField("updated_at", .literal(Self.base.description)),
        ]
        for name in ["Description", "Goals", "Requirements", "Patterns"] { specDocument.setSection(name, "") }
        files.append(.file(path: "\(folder)/spec.md", text: specDocument.render()))
        let epics = max(1, (tickets + 99) / 100)
        for epic in 1...epics {
            var document = MemoryDocument(title: "Epic \(epic)")
            document.header.fields = [HeaderField("number", .literal(String(epic))), HeaderField("title", .text("epic \(epic)")), HeaderField("order", .literal(String(epic)))]
            document.setSection("Objective", "Part \(epic) of the rewrite.")
            document.setSection("Acceptance criteria", "- [ ] its tickets are done")
            files.append(.file(path: "\(folder)/epics/\(Timestamp.pad(epic, 2)).md", text: document.render()))
        }
        var ids: [String] = []
        for index in 0..<tickets {
            let id = random.uuid()
            var meta = CaseMeta(id: id, title: "ticket \(index)", type: .ticket, createdAt: Timestamp(seconds: Self.base.seconds + index))
            meta.spec = specID
            meta.epic = 1 + index / 100
            var dependencies = Set<String>()
            if index > 0 {
                for _ in 0..<3 {
                    let back = Int.random(in: 1...min(index, 200), using: &random)
                    dependencies.insert(ids[index - back])
                }
            }
            meta.dependsOn = dependencies.sorted()
            if index < tickets * 3 / 10 {
                meta.state = .resolved
                meta.outcome = .confirmedCodeBug
            }
            if index % 50 == 49 { meta.blockedReason = "waiting for an outside team" }
            ids.append(id)
            files.append(.file(path: "zero-memory/cases/\(id)/meta.yaml", text: meta.render()))
            let problem = Workspace.problemDefinition(
                title: meta.title, type: .ticket,
                given: [
                    ("Description", "Implement part \(index)."), ("Steps", "1. Write it\n2. Test it"),
                    ("Acceptance criteria", "- [ ] tests pass"), ("Files", "- modify src/billing/part-\(index).swift"),
                ])
            files.append(.file(path: "zero-memory/cases/\(id)/problem-definition.md", text: problem.render()))
        }
        return files
    }

    /// `chain + 1` tickets, each depending on the one before.
    func makeChain(_ specID: String, random: inout SeededRandom) -> (files: [FastImport.Change], first: String, last: String) {
        var files: [FastImport.Change] = []
        var spec = Spec(id: specID, title: "one long chain", createdAt: Self.base)
        spec.document.setSection("Description", "Each ticket needs the one before.")
        files.append(.file(path: "zero-memory/specs/\(specID)/spec.md", text: spec.render()))
        files.append(.file(path: "zero-memory/specs/\(specID)/epics/01.md", text: Epic(number: 1, title: "the chain", objective: "all of it").render()))
        var ids: [String] = []
        for index in 0...chain {
            let id = random.uuid()
            var meta = CaseMeta(id: id, title: "link \(index)", type: .ticket, createdAt: Timestamp(seconds: Self.base.seconds + index))
            meta.spec = specID
            meta.epic = 1
            meta.dependsOn = ids.last.map { [$0] } ?? []
            ids.append(id)
            files.append(.file(path: "zero-memory/cases/\(id)/meta.yaml", text: meta.render()))
        }
        return (files, ids[0], ids[ids.count - 1])
    }

    func progress(_ text: String) {
        FileHandle.standardError.write(Data("zero-bench: \(text)\n".utf8))
    }

    func git(_ arguments: [String], in folder: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GeneratorError("git \(arguments.joined(separator: " ")) failed in \(folder)")
        }
    }
}
