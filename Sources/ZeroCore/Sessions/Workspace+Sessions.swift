/// A session named on the command line: `<case>` (its open session) or `<case>/<number>`.
public struct SessionReference: Sendable {
    public var caseReference: String
    public var number: Int?

    public init(caseReference: String, number: Int?) {
        self.caseReference = caseReference
        self.number = number
    }

    /// Parses `3125`, `3125/2` or `3125/S002`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let first = parts.first, !first.isEmpty else {
            throw ZeroError(.usage, "'\(text)' is not a session: use <case> or <case>/<number>", hint: "for example 3125 or 3125/2")
        }
        caseReference = String(first)
        try CaseID.validateReference(caseReference)
        if parts.count == 2 {
            var digits = parts[1]
            if digits.first == "S" || digits.first == "s" { digits = digits.dropFirst() }
            guard let number = Int(digits), number > 0 else {
                throw ZeroError(.usage, "'\(parts[1])' is not a session number", hint: "for example 3125/2")
            }
            self.number = number
        }
    }
}

/// What `zero session plan` writes.
public struct PlanInput: Sendable {
    public var hypothesis: String?
    /// Plan steps, each becomes `- step` in `## Plan` and `- [ ] step` in `## Steps`.
    public var steps: [String] = []
    /// A whole plan text instead of steps.
    public var planText: String?
    public var scope: [String]?
    /// Keep the session in `planning` instead of submitting for approval.
    public var draft = false

    public init() {}
}

/// What `zero session progress` reports.
public struct ProgressInput: Sendable {
    /// 1-based indexes of steps now done.
    public var doneSteps: [Int] = []
    /// `(action, path)`, e.g. ("modified", "auth/jwt.rs").
    public var files: [(action: String, path: String)] = []
    public var discoveries: [String] = []
    public var note: String?

    public init() {}

    public var isEmpty: Bool { doneSteps.isEmpty && files.isEmpty && discoveries.isEmpty && note == nil }
}

extension Workspace {
    // MARK: Reading

    /// The session `reference` names; without a number, the case's open session.
    public func findSession(_ reference: SessionReference) throws -> (meta: CaseMeta, session: Session) {
        let id = try resolveCase(reference.caseReference)
        let meta = try loadMeta(id)
        let sessions = try loadSessions(id)
        return (meta, try pick(reference, in: sessions, caseID: id))
    }

    func pick(_ reference: SessionReference, in sessions: [Session], caseID: String) throws -> Session {
        if let number = reference.number {
            guard let session = sessions.first(where: { $0.number == number }) else {
                throw ZeroError(
                    .notFound, "case \(caseID.prefix(8)) has no session \(number)",
                    hint: sessions.isEmpty
                        ? "start one with 'zero session new \(caseID.prefix(8)) --type planning'"
                        : "it has sessions 1 to \(sessions.map(\.number).max() ?? 0)")
            }
            return session
        }
        guard let open = sessions.last(where: { !$0.state.isEnded }) else {
            throw ZeroError(
                .notFound, "case \(caseID.prefix(8)) has no open session",
                hint: sessions.isEmpty
                    ? "start one with 'zero session new \(caseID.prefix(8)) --type planning'"
                    : "name an ended one as \(caseID.prefix(8))/<number>, or start a new one")
        }
        return open
    }

    /// Runs `body` on the named session inside a case mutation.
    func mutateSession<T>(_ reference: SessionReference, _ body: (inout CaseChange, Session) throws -> T) throws -> T {
        let id = try resolveCase(reference.caseReference)
        return try mutateCase(id) { change in
            let session = try pick(reference, in: change.sessions, caseID: id)
            guard !session.state.isEnded else {
                throw ZeroError(
                    .illegalTransition, "session S\(Timestamp.pad(session.number, 3)) of case \(id.prefix(8)) is \(session.state.rawValue); ended sessions never change",
                    hint: "start a new session with 'zero session new \(id.prefix(8)) --type ...'")
            }
            return try body(&change, session)
        }
    }

    // MARK: Create

    /// Starts session number N+1 on a case, checking the type against the case
    /// state, the one-open-session rule and the monthly limit.
    public func newSession(_ caseReference: String, type: SessionType, start: Bool = false) throws -> Session {
        let id = try resolveCase(caseReference)
        let limit = try config().monthlySessionLimit
        let create = { () throws -> Session in
            let number = try self.mutateCase(id) { change -> Int in
                try self.createSession(&change, type: type)
            }
            if start { return try self.startSession(SessionReference(caseReference: id, number: number)) }
            guard let session = try self.loadSessions(id).first(where: { $0.number == number }) else {
                throw ZeroError(.internal, "session \(number) of case \(id.prefix(8)) was written but does not read back")
            }
            return session
        }
        guard limit > 0 else { return try create() }
        // The limit spans every case, so creation is serialised workspace-wide while it is on.
        try requireRealFolder(memory, create: false)
        return try FileLock.withLock(memory + "/.lock", what: "the workspace", timeoutMilliseconds: environment.lockTimeoutMilliseconds) {
            let used = try sessionsStarted(inMonth: now().month)
            guard used < limit else {
                throw ZeroError(
                    .limitReached, "the monthly session limit is reached: \(used) of \(limit) sessions this month",
                    hint: "wait for next month, or raise plan.monthly_session_limit in \(relative(configPath))")
            }
            return try create()
        }
    }

    private func createSession(_ change: inout CaseChange, type: SessionType) throws -> Int {
        let meta = change.meta
        let short = meta.id.prefix(8)
        let approvedSource = try approvedPlanSession(change)
        let completeImplementation = change.sessions.contains { $0.type == .implementing && $0.state == .complete }
        guard type.mayStart(in: meta.state, hasApprovedPlan: approvedSource != nil, hasCompleteImplementation: completeImplementation) else {
            let article = type == .implementing || type == .investigating ? "an" : "a"
            throw ZeroError(
                .illegalTransition,
                "\(article) \(type.rawValue) session cannot start while case \(short) is \(meta.state.rawValue)"
                    + (type == .implementing && approvedSource == nil ? " without an approved plan" : ""),
                hint: Self.sessionHint(type: type, state: meta.state, short: String(short)))
        }
        if let open = change.openSession {
            let next =
                switch open.state {
                case .planReady: "an operator must approve or reject its plan first ('zero session approve \(short)')"
                case .created, .planning: "submit its plan with 'zero session plan \(short) --step ...'"
                case .approved: "start it with 'zero session start \(short)'"
                default: "complete it with 'zero session complete \(short)'"
                }
            throw ZeroError(
                .conflict, "case \(short) already has an open session: S\(Timestamp.pad(open.number, 3)) (\(open.type.rawValue), \(open.state.rawValue))",
                hint: next + ", or end it with 'zero session abandon \(short) --reason ...'")
        }
        let now = self.now()
        guard change.nextSessionNumber <= Session.maximumNumber else {
            throw ZeroError(
                .limitReached, "case \(short) has reached session \(Session.maximumNumber), the most a case holds",
                hint: "open a new case for further work")
        }
        var session = Session(caseID: meta.id, caseTitle: meta.title, type: type, number: change.nextSessionNumber, startedAt: now)
        session.record(SessionEvent(at: now, kind: "session_created", detail: type.rawValue))
        if type.writesPlan {
            if meta.state == .open { try move(&change, to: .investigating) }
        } else if let (source, approval) = approvedSource {
            // Implementing and verifying sessions run under the case's approved plan.
            session.hypothesis = source.hypothesis
            session.plan = source.plan
            session.scope = source.scope
            session.setSection("Steps", source.section("Steps").replacing("- [x] ", with: "- [ ] ").replacing("- [X] ", with: "- [ ] "))
            session.planSHA256 = approval.sha256
            session.approvedBy = approval.by
            session.approvedAt = approval.at
            try session.move(to: .approved)
            session.record(SessionEvent(at: now, kind: "approved", detail: "inherited from S\(Timestamp.pad(approval.session, 3)) plan \(approval.sha256.prefix(12))"))
            if type == .implementing, meta.state == .verifying {
                // The review was of earlier work; the new session's work needs its own.
                try move(&change, to: .implementing)
                change.meta.diffReview = nil
            }
        }
        change.add(session)
        return session.number
    }

    /// The session holding the case's approved plan: only when that session
    /// records exactly this approval (the one source of truth; an approval
    /// written only into meta.yaml is none) and its plan still hashes to it.
    func approvedPlanSession(_ change: CaseChange) throws -> (Session, PlanApproval)? {
        guard let approval = change.meta.approvedPlan, let source = change.session(approval.session), source.type != .investigating,
            source.planSHA256 == approval.sha256, source.approvedBy == approval.by, source.approvedAt == approval.at
        else { return nil }
        return source.computedPlanHash == approval.sha256 ? (source, approval) : nil
    }

    static func sessionHint(type: SessionType, state: CaseState, short: String) -> String {
        switch type {
        case .planning, .investigating:
            return "planning and investigating sessions start while the case is OPEN, INVESTIGATING, IMPLEMENTING or VERIFYING"
        case .implementing:
            return "an operator must approve a plan first: 'zero session approve \(short)'"
        case .verifying:
            return "a verifying session needs the case IMPLEMENTING or VERIFYING with a complete implementing session"
        }
    }

    /// How many sessions started in `month` (`YYYY-MM`) across the workspace.
    public func sessionsStarted(inMonth month: String) throws -> Int {
        var count = 0
        for id in try caseIDs() {
            // A session started this month updated its case this month too.
            guard let meta = try? loadMeta(id), meta.updatedAt.month >= month else { continue }
            count += try loadSessions(id).filter { $0.startedAt.month == month }.count
        }
        return count
    }

    // MARK: Plan and approval

    public func writePlan(_ reference: SessionReference, _ input: PlanInput) throws -> Session {
        if input.planText != nil, !input.steps.isEmpty {
            throw ZeroError(.usage, "give the plan either as --step lines or as --plan-file, not both")
        }
        let hypothesis = input.hypothesis.map { MemoryDocument.protectFreeText($0) }
        let stepLines = try input.steps.map { "- " + (try Self.validatedLine($0, what: "step")) }
        let planText: String? =
            input.planText.map { MemoryDocument.protectFreeText($0) }
            ?? (stepLines.isEmpty ? nil : stepLines.joined(separator: "\n"))
        let scope = try input.scope.map { globs in try globs.map { "- " + (try Self.validatedGlob($0)) }.joined(separator: "\n") }
        return try mutateSession(reference) { change, session in
            let now = self.now()
            var updated = session
            if let hypothesis { updated.hypothesis = hypothesis }
            if let planText {
                updated.plan = planText
                let done = Set(session.steps.filter(\.done).map(\.text))
                let steps = input.steps.isEmpty ? Session.listItems(planText) : input.steps
                updated.setSteps(steps.map { (done.contains($0), $0) })
            }
            if let scope { updated.scope = scope }
            guard !updated.plan.isEmpty || input.draft else {
                throw ZeroError(.usage, "the plan is empty", hint: "give steps with --step \"...\" or a file with --plan-file")
            }
            // Investigations change no code; every other approved plan says where code may change.
            if !input.draft, session.type != .investigating, updated.scopeGlobs.isEmpty, try config().enforceScope {
                throw ZeroError(
                    .usage, "the plan has no scope, and gates.enforce_scope is on",
                    hint: "say which paths the plan may change: --scope 'src/auth/**' (or --scope '**' for anywhere, explicitly)")
            }
            let planChanged = updated.computedPlanHash != session.computedPlanHash
            switch session.state {
            case .created:
                try updated.move(to: .planning)
                updated.record(SessionEvent(at: now, kind: "planning"))
            case .planReady where planChanged || input.draft:
                try updated.move(to: .planning)
                updated.record(SessionEvent(at: now, kind: "planning", detail: "plan edited"))
            case .approved where planChanged, .executing where planChanged:
                // The approval was for other text: it is void until an operator approves again.
                try updated.move(to: .planReady)
                updated.planSHA256 = nil
                updated.approvedBy = nil
                updated.approvedAt = nil
                updated.approvalSignature = nil
                updated.record(SessionEvent(at: now, kind: "plan_changed", detail: "approval void; awaiting a new approval"))
            default:
                break
            }
            if updated.state == .planning, !input.draft {
                try updated.move(to: .planReady)
                updated.record(SessionEvent(at: now, kind: "plan_ready", detail: "plan \(updated.computedPlanHash.prefix(12))"))
            }
            change.update(session.number) { $0 = updated }
            return updated
        }
    }

    /// An operator approves a plan_ready session: the approval binds to the plan's
    /// hash. With `expectedHash` (what the operator was shown), a plan that
    /// changed in between is refused instead of approved unseen.
    public func approvePlan(_ reference: SessionReference, expectedHash: String? = nil) throws -> Session {
        let actor = try requireOperator("approve a plan")
        return try mutateSession(reference) { change, session in
            guard session.state == .planReady else {
                throw ZeroError(
                    .illegalTransition, "session S\(Timestamp.pad(session.number, 3)) is \(session.state.rawValue), not plan_ready; only a submitted plan can be approved",
                    hint: session.state == .planning || session.state == .created
                        ? "submit it with 'zero session plan \(change.meta.id.prefix(8)) --step ...'" : "nothing to approve")
            }
            let now = self.now()
            let hash = session.computedPlanHash
            if let expected = expectedHash, expected != hash {
                throw ZeroError(
                    .conflict, "the plan of S\(Timestamp.pad(session.number, 3)) changed while you were reviewing it (now \(hash.prefix(12)))",
                    hint: "review it again: zero session show \(change.meta.id.prefix(8))/\(session.number)")
            }
            var updated = session
            try updated.move(to: .approved)
            updated.planSHA256 = hash
            updated.approvedBy = actor.description
            updated.approvedAt = now
            updated.approvalSignature = try signIfRequired(
                OperatorAct(
                    .approvePlan, caseID: change.meta.id, session: session.number,
                    digest: hash, by: actor.description, at: now, detail: session.type.rawValue))
            updated.record(SessionEvent(at: now, kind: "approved", detail: "by \(actor) plan \(hash.prefix(12))"))
            if session.type != .investigating {
                change.meta.approvedPlan = PlanApproval(session: session.number, sha256: hash, by: actor.description, at: now)
                if change.meta.state == .investigating { try move(&change, to: .implementing, operatorAction: "approve a plan") }
            }
            if session.type == .planning {
                try updated.move(to: .complete)
                updated.completedAt = now
                updated.record(SessionEvent(at: now, kind: "session_completed", detail: "plan approved"))
                updated.applySeal()
                try clearActiveSession(change.meta.id, session.number)
            }
            change.update(session.number) { $0 = updated }
            return updated
        }
    }

    /// An operator sends a submitted plan back; or, with the case VERIFYING and no
    /// plan waiting, rejects the verification so the case returns to IMPLEMENTING.
    public func rejectPlan(_ reference: SessionReference, reason: String) throws -> (session: Session?, meta: CaseMeta) {
        let reason = try Self.validatedLine(reason, what: "reason")
        let actor = try requireOperator("reject a plan")
        let id = try resolveCase(reference.caseReference)
        return try mutateCase(id) { change in
            let target = reference.number.flatMap { change.session($0) } ?? change.openSession
            if let target, target.state == .planReady {
                var updated = target
                try updated.move(to: .planning)
                updated.record(SessionEvent(at: now(), kind: "plan_rejected", detail: "by \(actor): \(reason)"))
                change.update(target.number) { $0 = updated }
                return (updated, change.meta)
            }
            if change.meta.state == .verifying {
                try move(&change, to: .implementing)
                change.meta.diffReview = nil
                try noteOnOpenSession(&change, SessionEvent(at: now(), kind: "verification_rejected", detail: "by \(actor): \(reason)"))
                return (nil, change.meta)
            }
            throw ZeroError(
                .illegalTransition, "case \(id.prefix(8)) has no plan awaiting approval and is not VERIFYING; nothing to reject",
                hint: "'zero session show \(id.prefix(8))' shows where it stands")
        }
    }

    // MARK: Running

    /// approved → executing (becomes this worktree's active session);
    /// created → planning for sessions that write their own plan; an executing
    /// session started elsewhere becomes active in this worktree too.
    public func startSession(_ reference: SessionReference) throws -> Session {
        let head: String? = (try? repository().headCommit()) ?? nil
        return try mutateSession(reference) { change, session in
            let now = self.now()
            var updated = session
            switch session.state {
            case .created where session.type.writesPlan:
                try updated.move(to: .planning)
                updated.record(SessionEvent(at: now, kind: "planning"))
            case .approved where session.type != .planning:
                guard session.planMatchesApproval else {
                    throw ZeroError(
                        .planNotApproved, "the plan of S\(Timestamp.pad(session.number, 3)) changed after it was approved",
                        hint: "ask an operator to approve it again: 'zero session approve \(change.meta.id.prefix(8))'")
                }
                try updated.move(to: .executing)
                updated.baseCommit = head
                updated.record(SessionEvent(at: now, kind: "executing", detail: head.map { "at \($0.prefix(12))" } ?? ""))
                try setActiveSession(change.meta.id, session.number)
            case .executing where session.paused:
                throw ZeroError(.illegalTransition, "session S\(Timestamp.pad(session.number, 3)) is paused", hint: "resume it with 'zero session resume \(change.meta.id.prefix(8))'")
            case .executing:
                // Already executing (started in another worktree): make it active here too.
                guard session.planMatchesApproval else {
                    throw ZeroError(
                        .planNotApproved, "the plan of S\(Timestamp.pad(session.number, 3)) changed after it was approved",
                        hint: "ask an operator to approve it again: 'zero session approve \(change.meta.id.prefix(8))'")
                }
                if let active = try activeSession(), active.caseID == change.meta.id, active.number == session.number {
                    return session
                }
                updated.record(SessionEvent(at: now, kind: "activated", detail: "in another worktree"))
                try setActiveSession(change.meta.id, session.number)
            default:
                throw ZeroError(
                    .illegalTransition, "session S\(Timestamp.pad(session.number, 3)) is \(session.state.rawValue) and cannot start",
                    hint: session.state == .planReady ? "an operator must approve its plan first" : "'zero session show' shows where it stands")
            }
            change.update(session.number) { $0 = updated }
            return updated
        }
    }

    public func reportProgress(_ reference: SessionReference, _ input: ProgressInput) throws -> Session {
        guard !input.isEmpty else {
            throw ZeroError(.usage, "nothing to report", hint: "give --done N, --file modified:path, --discovery or --note")
        }
        let files = try input.files.map { file -> String in
            guard ["created", "modified", "deleted", "renamed"].contains(file.action) else {
                throw ZeroError(.usage, "'\(file.action)' is not a file action: use created, modified, deleted or renamed")
            }
            return "\(file.action) \(try Self.validatedLine(file.path, what: "path"))"
        }
        let discoveries = try input.discoveries.map { try Self.validatedLine($0, what: "discovery") }
        let note = try input.note.map { try Self.validatedLine($0, what: "note") }
        return try mutateSession(reference) { change, session in
            guard [.planning, .executing].contains(session.state) else {
                throw ZeroError(.illegalTransition, "session S\(Timestamp.pad(session.number, 3)) is \(session.state.rawValue); progress is reported while planning or executing")
            }
            var updated = session
            var steps = session.steps
            for index in input.doneSteps {
                guard index >= 1, index <= steps.count else {
                    throw ZeroError(.usage, "step \(index) does not exist; the plan has \(steps.count) step\(steps.count == 1 ? "" : "s")")
                }
                steps[index - 1].done = true
            }
            if !input.doneSteps.isEmpty { updated.setSteps(steps) }
            let known = Set(Session.listItems(session.section("Files")))
            for file in files where !known.contains(file) { updated.appendItem("Files", file) }
            for discovery in discoveries { updated.appendItem("Discoveries", discovery) }
            var parts: [String] = []
            if !input.doneSteps.isEmpty { parts.append("steps " + input.doneSteps.map(String.init).joined(separator: ",") + " done") }
            if !files.isEmpty { parts.append("\(files.count) file\(files.count == 1 ? "" : "s")") }
            if !discoveries.isEmpty { parts.append("\(discoveries.count) discover\(discoveries.count == 1 ? "y" : "ies")") }
            if let note { parts.append(note) }
            updated.record(SessionEvent(at: now(), kind: "progress", detail: parts.joined(separator: "; ")))
            change.update(session.number) { $0 = updated }
            return updated
        }
    }

    public func writeOutput(_ reference: SessionReference, text: String) throws -> Session {
        guard !text.isEmpty else { throw ZeroError(.usage, "the output is empty") }
        return try mutateSession(reference) { change, session in
            var updated = session
            updated.setSection("Execution output", MemoryDocument.protectFreeText(text))
            updated.record(SessionEvent(at: now(), kind: "output"))
            change.update(session.number) { $0 = updated }
            return updated
        }
    }

    public func pauseSession(_ reference: SessionReference) throws -> Session {
        try mutateSession(reference) { change, session in
            guard [.planning, .executing].contains(session.state), !session.paused else {
                throw ZeroError(
                    .illegalTransition, "session S\(Timestamp.pad(session.number, 3)) is \(session.paused ? "already paused" : session.state.rawValue); only a planning or executing session pauses")
            }
            var updated = session
            updated.paused = true
            updated.record(SessionEvent(at: now(), kind: "paused"))
            try clearActiveSession(change.meta.id, session.number)
            change.update(session.number) { $0 = updated }
            return updated
        }
    }

    public func resumeSession(_ reference: SessionReference) throws -> Session {
        try mutateSession(reference) { change, session in
            guard session.paused else {
                throw ZeroError(.illegalTransition, "session S\(Timestamp.pad(session.number, 3)) is not paused")
            }
            var updated = session
            updated.paused = false
            updated.record(SessionEvent(at: now(), kind: "resumed"))
            if session.state == .executing { try setActiveSession(change.meta.id, session.number) }
            change.update(session.number) { $0 = updated }
            return updated
        }
    }

    // MARK: Ending

    /// executing → complete. With `gates.diff_review: auto` an implementing
    /// session's completion also moves the case to VERIFYING.
    public func completeSession(_ reference: SessionReference, output: String?) throws -> Session {
        let autoReview = try config().diffReview == .auto
        // The diff of the session's linked commits, read before taking the lock.
        let caseID = try resolveCase(reference.caseReference)
        let number = try reference.number ?? pick(reference, in: loadSessions(caseID), caseID: caseID).number
        let diff = try? sessionDiff(caseID, session: number)
        return try mutateSession(reference) { change, session in
            guard session.state == .executing else {
                throw ZeroError(
                    .illegalTransition, "session S\(Timestamp.pad(session.number, 3)) is \(session.state.rawValue); only an executing session completes",
                    hint: session.type == .planning
                        ? "a planning session completes when an operator approves its plan"
                        : session.state == .approved ? "start it first: 'zero session start \(change.meta.id.prefix(8))'" : "")
            }
            let now = self.now()
            var updated = session
            if let output, !output.isEmpty { updated.setSection("Execution output", MemoryDocument.protectFreeText(output)) }
            if let diff, session.number == number, !diff.commits.isEmpty { updated.diff = diff.stat }
            try updated.move(to: .complete)
            updated.paused = false
            updated.completedAt = now
            updated.record(SessionEvent(at: now, kind: "session_completed"))
            updated.applySeal()
            try clearActiveSession(change.meta.id, session.number)
            change.update(session.number) { $0 = updated }
            if session.type == .implementing, autoReview, change.meta.state == .implementing {
                try move(&change, to: .verifying)
                change.meta.diffReview = DiffReview(session: session.number, by: "auto", at: now)
            }
            return updated
        }
    }

    /// Ends a session as `failed` (an error) or `abandoned` (an operator ends it without proof).
    public func endSession(_ reference: SessionReference, as state: SessionState, reason: String) throws -> Session {
        guard state == .failed || state == .abandoned else {
            throw ZeroError(.usage, "a session ends early as failed or abandoned, not \(state.rawValue)", hint: "'zero session complete' ends a session that did its work")
        }
        let reason = try Self.validatedLine(reason, what: "reason")
        if state == .abandoned { _ = try requireOperator("abandon a session") }
        return try mutateSession(reference) { change, session in
            let now = self.now()
            var updated = session
            try updated.move(to: state)
            updated.paused = false
            updated.completedAt = now
            updated.endReason = reason
            updated.record(SessionEvent(at: now, kind: state == .failed ? "session_failed" : "session_abandoned", detail: reason))
            updated.applySeal()
            try clearActiveSession(change.meta.id, session.number)
            change.update(session.number) { $0 = updated }
            return updated
        }
    }

    /// An operator's diff review: IMPLEMENTING → VERIFYING for a complete implementing session.
    public func acceptSession(_ reference: SessionReference) throws -> CaseMeta {
        let actor = try requireOperator("accept a diff")
        let id = try resolveCase(reference.caseReference)
        return try mutateCase(id) { change in
            let candidate =
                reference.number.flatMap { change.session($0) }
                ?? change.sessions.last(where: { $0.type == .implementing })
            guard let session = candidate, session.type == .implementing, session.state == .complete else {
                throw ZeroError(
                    .illegalTransition, "case \(id.prefix(8)) has no complete implementing session to accept",
                    hint: "complete the implementing session first: 'zero session complete \(id.prefix(8))'")
            }
            try move(&change, to: .verifying, operatorAction: "accept a diff")
            let now = self.now()
            let signature = try signIfRequired(
                OperatorAct(
                    .acceptDiff, caseID: id, session: session.number, digest: session.seal ?? "",
                    by: actor.description, at: now))
            change.meta.diffReview = DiffReview(session: session.number, by: actor.description, at: now, signature: signature)
            return change.meta
        }
    }

    // MARK: Input checks

    static func validatedGlob(_ glob: String) throws -> String {
        let glob = try validatedLine(glob, what: "scope glob")
        if glob.hasPrefix("/") || glob.split(separator: "/").contains("..") {
            throw ZeroError(.usage, "scope '\(glob)' must be a path inside the repository, without '..' or a leading '/'")
        }
        return glob
    }
}
