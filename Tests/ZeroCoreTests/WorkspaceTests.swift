import Foundation
import Testing
import ZeroTestSupport

@testable import ZeroCore

/// Ada, the operator `zero init` records (the repository's git identity).
let ada = Identity(Actor(name: "Ada", email: "ada@example.com"))
/// Someone who is not an operator.
let agent = Identity(Actor(name: "Agent", email: "agent@example.com"))

/// A workspace in a fresh git repository, acting as Ada, the operator; the
/// identity is injected, never read from git config by the core.
func makeWorkspace(now: Timestamp? = nil) throws -> (TemporaryRepository, Workspace) {
    let repository = try currentRepository()
    var environment = Environment(identity: { _ in ada })
    if let now { environment.now = { now } }
    let (workspace, _) = try Workspace.initialise(from: repository.root, environment: environment)
    return (repository, workspace)
}

/// Drives new cases into each state through the public operations.
struct CaseFactory {
    let repository: TemporaryRepository
    let workspace: Workspace

    func new(_ title: String = "a case", type: CaseType = .bug) throws -> String {
        try workspace.createCase(NewCase(title: title)).id
    }

    func investigating() throws -> String {
        let id = try new()
        _ = try workspace.newSession(id, type: .planning)
        var plan = PlanInput()
        plan.hypothesis = "h"
        plan.steps = ["patch src/app.txt", "run the tests"]
        plan.scope = ["src/**"]
        _ = try workspace.writePlan(SessionReference(caseReference: id, number: nil), plan)
        return id
    }

    func implementing() throws -> String {
        let id = try investigating()
        _ = try workspace.approvePlan(SessionReference(caseReference: id, number: nil))
        return id
    }

    func implemented() throws -> String {
        let id = try implementing()
        _ = try workspace.newSession(id, type: .implementing, start: true)
        _ = try workspace.runProof(id, command: ["sh", "-c", "echo '3 passed, 0 failed'"])
        _ = try workspace.completeSession(SessionReference(caseReference: id, number: nil), output: "done")
        return id
    }

    func verifying() throws -> String {
        let id = try implemented()
        _ = try workspace.acceptSession(SessionReference(caseReference: id, number: nil))
        return id
    }

    func verifyAllProofs(_ id: String) throws {
        for proof in try workspace.loadProofs(id) where !proof.verified { _ = try workspace.verifyProof(id, proof.shortID) }
    }

    func resolved() throws -> String {
        let id = try verifying()
        try verifyAllProofs(id)
        _ = try workspace.resolve(id, outcome: .confirmedCodeBug, rootCause: "r", fix: "f")
        return id
    }

    func nonIssue() throws -> String {
        let id = try new()
        let session = SessionReference(caseReference: id, number: nil)
        _ = try workspace.newSession(id, type: .investigating)
        var plan = PlanInput()
        plan.steps = ["run the repro 200 times"]
        _ = try workspace.writePlan(session, plan)
        _ = try workspace.approvePlan(session)
        #expect(try workspace.loadMeta(id).state == .investigating, "approving an investigation does not start implementation")
        _ = try workspace.startSession(session)
        _ = try workspace.runProof(id, command: ["sh", "-c", "echo cannot reproduce"], type: .log)
        _ = try workspace.completeSession(session, output: "no failure in 200 runs")
        try verifyAllProofs(id)
        _ = try workspace.markNonIssue(id, outcome: .unreproducible, reason: "200 runs, no failure")
        return id
    }

    func inState(_ state: CaseState) throws -> String {
        switch state {
        case .open: return try new()
        case .investigating: return try investigating()
        case .implementing: return try implementing()
        case .verifying: return try verifying()
        case .resolved: return try resolved()
        case .nonIssue: return try nonIssue()
        case .blocked:
            let id = try new()
            _ = try workspace.blockCase(id, reason: "waiting")
            return id
        case .needsUserInput:
            let id = try implementing()
            _ = try workspace.askQuestion(id, question: "which?")
            return id
        case .wontFix:
            let id = try new()
            _ = try workspace.wontFix(id, reason: "obsolete")
            return id
        case .watchlist:
            let id = try resolved()
            _ = try workspace.watchCase(id)
            return id
        case .compressed:
            let id = try resolved()
            _ = try workspace.compressCase(id, summary: "done")
            return id
        }
    }
}

@Suite(.serialized) struct WorkspaceLifecycleTests {
    @Test("the happy path of DESIGN §6.1, with every file where DESIGN says", .temporaryRepository)
    func happyPath() throws {
        let (repository, workspace) = try makeWorkspace()
        let factory = CaseFactory(repository: repository, workspace: workspace)
        let id = try factory.resolved()
        let meta = try workspace.loadMeta(id)
        #expect(meta.state == .resolved)
        #expect(meta.outcome == .confirmedCodeBug)
        #expect(meta.sessionCount == 2)
        let sessions = try workspace.loadSessions(id)
        #expect(sessions.map(\.state) == [.complete, .complete])
        #expect(sessions.map(\.type) == [.planning, .implementing])
        #expect(sessions[1].planSHA256 == sessions[0].planSHA256)
        #expect(sessions[1].tests == TestCounts(run: 3, passed: 3, failed: 0))
        #expect(sessions[1].proofAttached)
        #expect(sessions[1].baseCommit?.count == 40)
        #expect(FileSystem.symlinkTarget(workspace.sessionsFolder(id) + "/latest.md") == "002.md")
        let classification = try FinalClassification.parse(try #require(try FileSystem.readText(workspace.classificationPath(id))), file: "f")
        #expect(classification.outcome == .confirmedCodeBug)
        #expect(classification.proofs.count == 1)
        let proof = try #require(try workspace.loadProofs(id).first)
        #expect(proof.verified && proof.verifiedBy == "Ada <ada@example.com>")
        #expect(proof.head?.count == 40)
        #expect(proof.dirty == false)
        #expect(proof.summary == "3 passed, 0 failed")
        let artifact = try #require(try FileSystem.readBytes(workspace.proofsFolder(id) + "/" + proof.artifact!))
        #expect(Digest.sha256(artifact) == proof.artifactSHA256)
        // The ended sessions carry seals, and the active pointer is gone.
        #expect(sessions.allSatisfy { $0.seal != nil })
        #expect(try workspace.activeSession() == nil)
    }

    @Test("an implementing session is active in this worktree while it executes", .temporaryRepository)
    func activePointer() throws {
        let (repository, workspace) = try makeWorkspace()
        let id = try CaseFactory(repository: repository, workspace: workspace).implementing()
        let session = try workspace.newSession(id, type: .implementing, start: true)
        #expect(session.state == .executing)
        #expect(try workspace.activeSession()?.caseID == id)
        #expect(try workspace.activeSession()?.number == 2)
        // It lives in the git dir, never in the work tree.
        #expect(FileSystem.exists(repository.path(".git/zero/active-session")))
        _ = try workspace.pauseSession(SessionReference(caseReference: id, number: nil))
        #expect(try workspace.activeSession() == nil)
        _ = try workspace.resumeSession(SessionReference(caseReference: id, number: nil))
        #expect(try workspace.activeSession()?.number == 2)
    }

    @Test("editing an approved plan voids the approval until an operator approves again", .temporaryRepository)
    func planEditVoidsApproval() throws {
        let (repository, workspace) = try makeWorkspace()
        let id = try CaseFactory(repository: repository, workspace: workspace).implementing()
        let started = try workspace.newSession(id, type: .implementing, start: true)
        #expect(started.planMatchesApproval)
        var edit = PlanInput()
        edit.steps = ["patch src/app.txt and src/other.txt"]
        let edited = try workspace.writePlan(SessionReference(caseReference: id, number: 2), edit)
        #expect(edited.state == .planReady)
        #expect(edited.planSHA256 == nil)
        #expect(edited.events.last?.kind == "plan_changed")
        #expect(throws: ZeroError.self) { try workspace.startSession(SessionReference(caseReference: id, number: 2)) }
        let approved = try workspace.approvePlan(SessionReference(caseReference: id, number: 2))
        #expect(approved.state == .approved)
        #expect(approved.planSHA256 == approved.computedPlanHash)
        #expect(try workspace.loadMeta(id).approvedPlan?.session == 2)
    }

    @Test("gates.diff_review: auto moves the case to VERIFYING when the implementation completes", .temporaryRepository)
    func autoDiffReview() throws {
        let (repository, workspace) = try makeWorkspace()
        let config = try repository.read("zero-memory/config.yaml").replacing("diff_review: operator", with: "diff_review: auto")
        try repository.write("zero-memory/config.yaml", config)
        let fresh = Workspace(root: workspace.root)
        let id = try CaseFactory(repository: repository, workspace: fresh).implemented()
        let meta = try fresh.loadMeta(id)
        #expect(meta.state == .verifying)
        #expect(meta.diffReview?.by == "auto")
    }
}

@Suite(.serialized) struct CaseTransitionTests {
    @Test("every legal transition, through the command that makes it", .temporaryRepository)
    func everyLegalTransition() throws {
        let (repository, workspace) = try makeWorkspace()
        let factory = CaseFactory(repository: repository, workspace: workspace)
        func state(_ id: String) throws -> CaseState { try workspace.loadMeta(id).state }

        // OPEN → INVESTIGATING → IMPLEMENTING → VERIFYING → IMPLEMENTING → VERIFYING → RESOLVED
        // → WATCHLIST → OPEN; RESOLVED → COMPRESSED; INVESTIGATING → NON_ISSUE → COMPRESSED.
        let a = try factory.new()
        #expect(try state(a) == .open)
        _ = try workspace.newSession(a, type: .planning)
        #expect(try state(a) == .investigating)
        var plan = PlanInput()
        plan.steps = ["step"]
        plan.scope = ["**"]
        _ = try workspace.writePlan(SessionReference(caseReference: a, number: nil), plan)
        _ = try workspace.approvePlan(SessionReference(caseReference: a, number: nil))
        #expect(try state(a) == .implementing)
        _ = try workspace.newSession(a, type: .implementing, start: true)
        _ = try workspace.completeSession(SessionReference(caseReference: a, number: nil), output: nil)
        _ = try workspace.acceptSession(SessionReference(caseReference: a, number: nil))
        #expect(try state(a) == .verifying)
        _ = try workspace.rejectPlan(SessionReference(caseReference: a, number: nil), reason: "tests miss the boundary")
        #expect(try state(a) == .implementing)
        _ = try workspace.forceState(a, to: .verifying, reason: nil)
        #expect(try state(a) == .verifying)
        _ = try workspace.newSession(a, type: .implementing)
        #expect(try state(a) == .implementing, "a new implementing session takes a VERIFYING case back")
        _ = try workspace.startSession(SessionReference(caseReference: a, number: nil))
        _ = try workspace.runProof(a, command: ["true"])
        _ = try workspace.completeSession(SessionReference(caseReference: a, number: nil), output: nil)
        _ = try workspace.acceptSession(SessionReference(caseReference: a, number: nil))
        try factory.verifyAllProofs(a)
        _ = try workspace.resolve(a, outcome: .confirmedCodeBug, rootCause: nil, fix: nil)
        #expect(try state(a) == .resolved)
        _ = try workspace.watchCase(a)
        #expect(try state(a) == .watchlist)
        _ = try workspace.reopenCase(a)
        #expect(try state(a) == .open)

        let b = try factory.resolved()
        _ = try workspace.compressCase(b, summary: "archived")
        #expect(try state(b) == .compressed)
        let c = try factory.nonIssue()
        #expect(try state(c) == .nonIssue)
        _ = try workspace.compressCase(c, summary: "archived")
        #expect(try state(c) == .compressed)

        // Any open state → BLOCKED → back; → WONT_FIX.
        let openMakers: [() throws -> String] = [{ try factory.new() }, factory.investigating, factory.implementing, factory.verifying]
        for make in openMakers {
            let id = try make()
            let before = try state(id)
            _ = try workspace.blockCase(id, reason: "outside reason")
            #expect(try state(id) == .blocked)
            #expect(try workspace.loadMeta(id).previousState == before)
            _ = try workspace.unblockCase(id)
            #expect(try state(id) == before)
            #expect(try workspace.loadMeta(id).blockedReason == nil)
            if let open = try workspace.loadSessions(id).last(where: { !$0.state.isEnded }) {
                _ = try workspace.endSession(SessionReference(caseReference: id, number: open.number), as: .abandoned, reason: "closing")
            }
            _ = try workspace.wontFix(id, reason: "not worth it")
            #expect(try state(id) == .wontFix)
        }

        // IMPLEMENTING, VERIFYING → NEEDS_USER_INPUT → back.
        let askMakers: [() throws -> String] = [factory.implementing, factory.verifying]
        for make in askMakers {
            let id = try make()
            let before = try state(id)
            _ = try workspace.askQuestion(id, question: "grace period?")
            #expect(try state(id) == .needsUserInput)
            #expect(try workspace.loadMeta(id).question == "grace period?")
            _ = try workspace.answerQuestion(id, answer: "no")
            #expect(try state(id) == before)
        }
    }

    @Test("every transition outside the table is refused and changes no file", .temporaryRepository)
    func everyIllegalTransition() throws {
        let (repository, workspace) = try makeWorkspace()
        let factory = CaseFactory(repository: repository, workspace: workspace)
        var refused = 0
        for from in CaseState.allCases {
            let id = try factory.inState(from)
            let meta = try workspace.loadMeta(id)
            #expect(meta.state == from)
            for to in CaseState.allCases where from.transition(to: to, previous: meta.previousState) == nil {
                let before = try repository.snapshot()
                let error = try #require(throws: ZeroError.self, "\(from) → \(to)") {
                    try workspace.forceState(id, to: to, reason: "because")
                }
                #expect(error.code == .illegalTransition, "\(from) → \(to): \(error)")
                #expect(error.hint?.isEmpty == false)
                #expect(try repository.snapshot() == before, "\(from) → \(to) changed files")
                refused += 1
            }
        }
        #expect(refused > 80)
    }

    @Test("resolving needs a verified proof and an operator", .temporaryRepository)
    func resolveGates() throws {
        let (repository, workspace) = try makeWorkspace()
        let id = try CaseFactory(repository: repository, workspace: workspace).verifying()
        let before = try repository.snapshot()
        let unverified = try #require(throws: ZeroError.self) { try workspace.resolve(id, outcome: .confirmedCodeBug, rootCause: nil, fix: nil) }
        #expect(unverified.code == .needsProof)
        #expect(unverified.message.contains("no verified, passing proof"))
        #expect(try repository.snapshot() == before)
        let refused = try #require(throws: ZeroError.self) {
            try workspace.acting(as: agent).verifyProof(id, try workspace.loadProofs(id)[0].shortID)
        }
        #expect(refused.code == .notOperator)
        #expect(refused.message.contains("only an operator"))
        #expect(try repository.snapshot() == before)
    }
}
