import Foundation
import Testing
import ZeroTestSupport

@testable import ZeroCore

/// Each bad input of the foundation issue: a clear error with a hint, the
/// documented code, and not one byte changed under zero-memory/.
@Suite(.serialized) struct BadInputTests {
    /// Runs `body`, expects a ZeroError with `code`, and checks no file changed.
    func expectRefusal(
        _ repository: TemporaryRepository, _ code: ZeroError.Code, _ body: () throws -> Void,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ZeroError {
        let before = try repository.snapshot()
        let error = try #require(throws: ZeroError.self, sourceLocation: sourceLocation) { try body() }
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
        #expect(try repository.snapshot() == before, "files changed", sourceLocation: sourceLocation)
        return error
    }

    @Test("unknown ids, ambiguous prefixes and ids with / or ..", .temporaryRepository)
    func ids() throws {
        let (repository, workspace) = try makeWorkspace()
        _ = try workspace.createCase(NewCase(title: "real"))
        let unknown = try expectRefusal(repository, .notFound) { _ = try workspace.resolveCase("ffff0000") }
        #expect(unknown.hint?.contains("zero case list") == true)
        for bad in ["../etc", "abcd/..", "3125/x", ".."] {
            _ = try expectRefusal(repository, .usage) { _ = try workspace.resolveCase(bad) }
        }
        // Two cases whose ids share a prefix, as happens when branches merge.
        for suffix in ["1111", "2222"] {
            var meta = CaseMeta(id: "abcd\(suffix)-0000-4000-8000-000000000000", title: "twin \(suffix)", type: .bug, createdAt: Timestamp.now())
            meta.state = .open
            try FileSystem.createFolder(workspace.caseFolder(meta.id))
            try FileSystem.writeAtomically(meta.render(), to: workspace.metaPath(meta.id))
        }
        let ambiguous = try expectRefusal(repository, .usage) { _ = try workspace.resolveCase("abcd") }
        #expect(ambiguous.message.contains("abcd1111-000"))
        #expect(ambiguous.message.contains("twin 2222"))
        #expect(try workspace.resolveCase("abcd1") == "abcd1111-0000-4000-8000-000000000000")
    }

    @Test("approval by someone who is not an operator", .temporaryRepository)
    func nonOperatorApproval() throws {
        let (repository, workspace) = try makeWorkspace()
        let id = try CaseFactory(repository: repository, workspace: workspace).investigating()
        let error = try expectRefusal(repository, .notOperator) {
            _ = try workspace.acting(as: agent).approvePlan(SessionReference(caseReference: id, number: nil))
        }
        #expect(error.message == "only an operator may approve a plan; agent@example.com is not in operators")
        #expect(error.hint?.contains("ada@example.com") == true)
        let asAgent = workspace.acting(as: agent)
        for action in [
            { _ = try asAgent.rejectPlan(SessionReference(caseReference: id, number: nil), reason: "no") },
            { _ = try asAgent.wontFix(id, reason: "no") },
        ] {
            _ = try expectRefusal(repository, .notOperator, action)
        }
    }

    @Test("a second open session", .temporaryRepository)
    func secondOpenSession() throws {
        let (repository, workspace) = try makeWorkspace()
        let id = try CaseFactory(repository: repository, workspace: workspace).investigating()
        let error = try expectRefusal(repository, .conflict) { _ = try workspace.newSession(id, type: .planning) }
        #expect(error.message.contains("already has an open session: S001"))
        #expect(error.hint?.contains("zero session approve") == true)
    }

    @Test("an implementing session without an approved plan", .temporaryRepository)
    func implementingWithoutApproval() throws {
        let (repository, workspace) = try makeWorkspace()
        let id = try workspace.createCase(NewCase(title: "t")).id
        let error = try expectRefusal(repository, .illegalTransition) { _ = try workspace.newSession(id, type: .implementing) }
        #expect(error.message.contains("without an approved plan"))
    }

    @Test("a session beyond the monthly limit; the next month starts afresh", .temporaryRepository)
    func monthlyLimit() throws {
        let repository = try currentRepository()
        let march = Timestamp("2026-03-10T10:00:00Z")!
        let (_, workspace) = try makeWorkspace(now: march)
        let config = try repository.read("zero-memory/config.yaml").replacing("monthly_session_limit: 0", with: "monthly_session_limit: 2")
        try repository.write("zero-memory/config.yaml", config)
        let limited = Workspace(root: workspace.root, environment: Environment(now: { march }, identity: { _ in ada }))
        let first = try limited.createCase(NewCase(title: "one")).id
        let second = try limited.createCase(NewCase(title: "two")).id
        _ = try limited.newSession(first, type: .planning)
        _ = try limited.newSession(second, type: .investigating)
        let third = try limited.createCase(NewCase(title: "three")).id
        let error = try expectRefusal(repository, .limitReached) { _ = try limited.newSession(third, type: .planning) }
        #expect(error.message.contains("2 of 2"))
        #expect(try limited.usage().total == 2)
        let april = Workspace(root: workspace.root, environment: Environment(now: { Timestamp("2026-04-01T00:00:00Z")! }, identity: { _ in ada }))
        #expect(try april.newSession(third, type: .planning).number == 1)
    }

    @Test("an ended session edited by hand is caught, with file and line", .temporaryRepository)
    func editedEndedSession() throws {
        let (repository, workspace) = try makeWorkspace()
        let id = try CaseFactory(repository: repository, workspace: workspace).implemented()
        let relative = "zero-memory/cases/\(id)/sessions/002.md"
        let original = try repository.read(relative)
        try repository.write(relative, original.replacing("3 passed", with: "30 passed"))
        let error = try expectRefusal(repository, .malformed) { _ = try workspace.loadSessions(id) }
        #expect(error.file == relative)
        let sealLine = original.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("seal_sha256:") }! + 1
        #expect(error.line == sealLine)
        #expect(error.message.contains("changed after the session ended"))
        #expect(error.hint?.contains("git checkout -- \(relative)") == true)
        // Every command that touches the case refuses too, and writes nothing.
        _ = try expectRefusal(repository, .malformed) { _ = try workspace.acceptSession(SessionReference(caseReference: id, number: nil)) }
        // Removing the seal is no way around it.
        try repository.write(relative, original.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("seal_sha256:") }.joined(separator: "\n"))
        _ = try expectRefusal(repository, .malformed) { _ = try workspace.loadSessions(id) }
    }

    @Test("a command never rewrites an ended session", .temporaryRepository)
    func endedSessionsAreFinal() throws {
        let (repository, workspace) = try makeWorkspace()
        let id = try CaseFactory(repository: repository, workspace: workspace).implemented()
        let ended = SessionReference(caseReference: id, number: 2)
        var plan = PlanInput()
        plan.steps = ["rewrite history"]
        for action in [
            { _ = try workspace.writePlan(ended, plan) },
            { _ = try workspace.writeOutput(ended, text: "new") },
            { _ = try workspace.endSession(ended, as: .failed, reason: "late") },
        ] {
            let error = try expectRefusal(repository, .illegalTransition, action)
            #expect(error.message.contains("ended sessions never change"))
        }
    }

    @Test("a hand-broken YAML header: file and line, and nothing overwritten", .temporaryRepository)
    func brokenHeader() throws {
        let (repository, workspace) = try makeWorkspace()
        let id = try workspace.createCase(NewCase(title: "t")).id
        let relative = "zero-memory/cases/\(id)/meta.yaml"
        let broken = try repository.read(relative).replacing("tags: []", with: "tags: [unclosed")
        try repository.write(relative, broken)
        let lineNumber = broken.split(separator: "\n").firstIndex { $0.hasPrefix("tags:") }! + 1
        for action in [
            { _ = try workspace.loadMeta(id) },
            { _ = try workspace.blockCase(id, reason: "x") },
            {
                var edit = CaseEdit(); edit.priority = .high; _ = try workspace.editCase(id, edit)
            },
            { _ = try workspace.newSession(id, type: .planning) },
        ] {
            let error = try expectRefusal(repository, .malformed, action)
            #expect(error.file == relative)
            #expect(error.line.map { abs($0 - lineNumber) <= 1 } == true, "line \(String(describing: error.line)) vs \(lineNumber)")
            #expect(error.hint?.contains("git checkout") == true)
        }
        #expect(try repository.read(relative) == broken)
    }

    @Test("a wrong value type names the key's line", .temporaryRepository)
    func wrongValue() throws {
        let (repository, workspace) = try makeWorkspace()
        let id = try workspace.createCase(NewCase(title: "t")).id
        let relative = "zero-memory/cases/\(id)/meta.yaml"
        try repository.write(relative, try repository.read(relative).replacing("state: OPEN", with: "state: DONE"))
        let error = try expectRefusal(repository, .malformed) { _ = try workspace.loadMeta(id) }
        #expect(error.line == 4)
        #expect(error.message.contains("'state' must be one of"))
    }

    @Test("empty or multi-line titles and reasons", .temporaryRepository)
    func badText() throws {
        let (repository, workspace) = try makeWorkspace()
        _ = try expectRefusal(repository, .usage) { _ = try workspace.createCase(NewCase(title: "  ")) }
        _ = try expectRefusal(repository, .usage) { _ = try workspace.createCase(NewCase(title: "two\nlines")) }
        let id = try workspace.createCase(NewCase(title: "t")).id
        _ = try expectRefusal(repository, .usage) { _ = try workspace.blockCase(id, reason: "") }
        var tag = NewCase(title: "t")
        tag.tags = ["no spaces allowed"]
        _ = try expectRefusal(repository, .usage) { _ = try workspace.createCase(tag) }
    }

    @Test("scope globs may not leave the repository", .temporaryRepository)
    func badScope() throws {
        let (repository, workspace) = try makeWorkspace()
        let id = try workspace.createCase(NewCase(title: "t")).id
        _ = try workspace.newSession(id, type: .planning)
        for glob in ["../outside/**", "/etc/**"] {
            var plan = PlanInput()
            plan.steps = ["s"]
            plan.scope = [glob]
            _ = try expectRefusal(repository, .usage) { _ = try workspace.writePlan(SessionReference(caseReference: id, number: nil), plan) }
        }
    }

    @Test("a proof whose artifact changed cannot be verified", .temporaryRepository)
    func tamperedArtifact() throws {
        let (repository, workspace) = try makeWorkspace()
        let id = try CaseFactory(repository: repository, workspace: workspace).verifying()
        let proof = try #require(try workspace.loadProofs(id).first)
        try repository.write("zero-memory/cases/\(id)/proofs/\(proof.artifact!)", "3 passed, 0 failed (edited)\n")
        let error = try expectRefusal(repository, .needsProof) { _ = try workspace.verifyProof(id, proof.shortID) }
        #expect(error.message.contains("changed since it was captured"))
    }
}
