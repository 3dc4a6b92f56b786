/// Everything an agent needs to work one ticket, without reading other files.
public struct WorkContext: Sendable, Encodable {
    public struct Step: Sendable, Encodable {
        public var index: Int
        public var text: String
        public var done: Bool
    }

    public struct Dependency: Sendable, Encodable {
        public var id: String
        public var title: String
        public var status: TicketStatus
        @Nullable public var summary: String?
        /// The files its sessions reported (`action path`).
        public var files: [String]
    }

    public struct Goal: Sendable, Encodable {
        public var id: String
        public var title: String
        public var text: String
    }

    public var ticket: TicketSummary
    public var session: Session
    public var description: String
    public var steps: [Step]
    public var acceptanceCriteria: [String]
    public var files: [TicketWork.FileExpectation]
    public var dependencies: [Dependency]
    @Nullable public var epic: Goal?
    @Nullable public var spec: Goal?
    /// The claim across clones, when started with `--claim` on a remote.
    @Nullable public var claim: ClaimView? = nil

    enum CodingKeys: String, CodingKey {
        case ticket, session, description, steps, acceptanceCriteria = "acceptance_criteria", files, dependencies, epic, spec, claim
    }
}

/// What finishing a ticket changed in the graph.
public struct CompletionView: Sendable, Encodable {
    public var ticket: TicketSummary
    public var session: Session
    /// Tickets that became ready.
    public var unlocked: [TicketSummary]
    /// Epics and the specification whose status moved, as "before → after".
    public var advanced: [String]
    /// The ticket's claim across clones, released; nil when this worktree held none.
    @Nullable public var claim: ReleaseView? = nil
}

/// The tickets a reset touched: the ticket and every dependent whose open session was abandoned.
public struct ResetView: Sendable, Encodable {
    public var ticket: TicketSummary
    public var reset: [TicketSummary]
}

/// What `zero work progress` records.
public struct WorkProgress: Sendable {
    public var progress = ProgressInput()
    /// Acceptance criteria results: (1-based criterion, passed, evidence).
    public var criteria: [(index: Int, passed: Bool, evidence: String?)] = []
    /// Test results, e.g. "42 passed, 0 failed".
    public var tests: String?

    public init() {}

    /// A file as `--file` and MCP give it: `action:path` (`created:src/app.swift`).
    public static func file(_ text: String) throws -> (action: String, path: String) {
        guard let colon = text.firstIndex(of: ":") else {
            throw ZeroError(.usage, "'\(text)' is not action:path", hint: "for example created:src/app.swift")
        }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// An acceptance criterion's result as `--criterion` and MCP give it: `N=pass|fail[:evidence]`.
    public static func criterion(_ text: String) throws -> (index: Int, passed: Bool, evidence: String?) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let head = parts.first?.split(separator: "=").map(String.init) ?? []
        guard head.count == 2, let index = Int(head[0]), index > 0, ["pass", "fail"].contains(head[1]) else {
            throw ZeroError(.usage, "'\(text)' is not N=pass|fail[:evidence]", hint: "for example \"1=pass:covered by test_invoice\"")
        }
        return (index, head[1] == "pass", parts.count == 2 ? parts[1] : nil)
    }

    /// The checks a completion reports, as `--validation` and MCP give them:
    /// `name=result` pairs separated by commas (`tests=pass,lint=pass`).
    public static func validation(_ text: String) throws -> [(String, String)] {
        try text.split(separator: ",").map { item -> (String, String) in
            let parts = item.split(separator: "=", maxSplits: 1).map { String($0).trimming(" ") }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ZeroError(.usage, "'\(item)' is not name=result", hint: "for example tests=pass,lint=pass")
            }
            return (parts[0], parts[1])
        }
    }
}

extension Workspace {
    func ticketID(_ reference: String) throws -> (id: String, board: TicketBoard) {
        let id = try resolveCase(reference)
        let board = try ticketBoard()
        guard board.graph.facts[id] != nil else {
            throw ZeroError(.notFound, "case \(id.prefix(8)) does not read", hint: "'zero doctor' says why")
        }
        return (id, board)
    }

    /// Opens (or resumes) the ticket's implementing session and returns its context.
    /// The ticket must be ready, or active (its open session is resumed).
    ///
    /// With `claim`, the ticket is first claimed on the remote (see
    /// Workspace+Claims.swift): when another clone holds it, nothing starts
    /// here; when the session cannot start after all, a claim made for it is
    /// taken back.
    public func startWork(_ reference: String, claim request: ClaimRequest? = nil) throws -> WorkContext {
        let (id, board) = try ticketID(reference)
        let short = id.prefix(8)
        let status = board.graph.status(id)
        switch status {
        case .pending:
            let reason = board.graph.pendingReason(id)
            let waiting = reason?.waitingFor.map { String($0.prefix(8)) } ?? []
            throw ZeroError(
                .illegalTransition,
                "ticket \(short) is pending: "
                    + (reason?.blockedReason.map { "blocked (\($0))" } ?? "waiting for \(waiting.joined(separator: ", "))"),
                hint: "'zero ready' lists the tickets that can start; 'zero blocked' says why the others wait")
        case .done:
            throw ZeroError(.illegalTransition, "ticket \(short) is done", hint: "'zero ready' lists the tickets that can start")
        case .active:
            break
        case .ready:
            let meta = try loadMeta(id)
            guard meta.approvedPlan != nil else {
                throw ZeroError(
                    .planNotApproved, "ticket \(short) has no approved plan",
                    hint: meta.spec.map { "an operator approves its specification: zero spec approve \($0.prefix(8))" }
                        ?? "plan it: zero session new \(short) --type planning")
            }
        }
        var claimed: (view: ClaimView, remote: RemoteRefs)?
        if let request, let remote = try claimRemote(request.remote, required: true) {
            claimed = (try claimTicket(id, on: remote, stealAfter: request.stealAfter), remote)
        }
        do {
            if status == .active {
                let open = try findSession(SessionReference(caseReference: id, number: nil)).session
                if open.paused { _ = try resumeSession(SessionReference(caseReference: id, number: open.number)) }
            } else {
                _ = try newSession(id, type: .implementing, start: true)
            }
        } catch {
            if let claimed { undoClaim(claimed.view, on: claimed.remote) }
            throw error
        }
        var context = try workContext(id)
        context.claim = claimed?.view
        return context
    }

    /// Starts the first ready ticket with an approved plan (of `spec`, when
    /// given). Two agents asking at once get different tickets: a ticket whose
    /// session another process opened first is skipped.
    ///
    /// With `claim`, each candidate is first claimed on the remote (`origin`
    /// when the request names none; without any remote, this clone alone
    /// decides, as before claims existed), and a ticket another clone holds is
    /// skipped. The remote's claims are listed once, so tickets claimed
    /// elsewhere cost no round trip each (unless `stealAfter` asks to look at
    /// their age).
    public func startNextWork(spec: String? = nil, claim request: ClaimRequest? = nil) throws -> WorkContext {
        let board = try ticketBoard(spec: spec)
        let remote = try request.flatMap { try claimRemote($0.remote, required: $0.remote != nil) }
        let claims = try remote?.list(Self.claimsGlob) ?? [:]
        var claimedElsewhere = 0
        for candidate in board.ready().tickets where board.graph.facts[candidate.id]?.meta.approvedPlan != nil {
            var claimed: ClaimView?
            if let remote {
                if let commit = claims[Self.claimRef(candidate.id)], try heldClaim(candidate.id)?.commit != commit, request?.stealAfter == nil {
                    claimedElsewhere += 1
                    continue
                }
                do {
                    claimed = try claimTicket(candidate.id, on: remote, stealAfter: request?.stealAfter)
                } catch let error as ZeroError where error.code == .conflict {
                    claimedElsewhere += 1
                    continue
                }
            }
            do {
                _ = try newSession(candidate.id, type: .implementing, start: true)
                var context = try workContext(candidate.id)
                context.claim = claimed
                return context
            } catch let error as ZeroError where [.illegalTransition, .conflict, .busy].contains(error.code) {
                if let claimed, let remote { undoClaim(claimed, on: remote) }
                continue
            }
        }
        let elsewhere = claimedElsewhere == 0 ? "" : " (\(claimedElsewhere) ready ticket\(claimedElsewhere == 1 ? " is" : "s are") claimed by other clones)"
        throw ZeroError(
            .notFound, "no ticket is ready to start" + (spec.map { " in specification \($0)" } ?? "") + elsewhere,
            hint: "'zero blocked' says what the others wait for; 'zero spec approve' approves a specification's tickets")
    }

    public func workContext(_ id: String) throws -> WorkContext {
        let board = try ticketBoard()
        guard let summary = board.summary(id) else { throw ZeroError(.notFound, "no case \(id.prefix(8))") }
        let meta = try loadMeta(id)
        let work = TicketWork(try loadProblem(id))
        let sessions = try loadSessions(id)
        let session = sessions.last(where: { !$0.state.isEnded }) ?? sessions.last
        guard let session else { throw ZeroError(.notFound, "ticket \(id.prefix(8)) has no session yet", hint: "zero work start \(id.prefix(8))") }
        let sessionSteps = session.steps
        let steps = work.steps.enumerated().map { index, text in
            WorkContext.Step(index: index + 1, text: text, done: index < sessionSteps.count && sessionSteps[index].done)
        }
        let dependencies = meta.dependsOn.map { dependency -> WorkContext.Dependency in
            let dependencyMeta = board.graph.facts[dependency]?.meta
            let files = (try? loadSessions(dependency))?.flatMap { Session.listItems($0.section("Files")) } ?? []
            return WorkContext.Dependency(
                id: dependency, title: dependencyMeta?.title ?? "(missing case)", status: board.graph.status(dependency),
                summary: dependencyMeta?.summary, files: Workspace.unique(files))
        }
        var epicGoal: WorkContext.Goal?
        var specGoal: WorkContext.Goal?
        if let specID = meta.spec, let spec = try? loadSpec(specID) {
            specGoal = WorkContext.Goal(id: spec.id, title: spec.title, text: spec.document.section("Goals") ?? "")
            if let number = meta.epic, let epic = try loadEpics(specID).first(where: { $0.number == number }) {
                epicGoal = WorkContext.Goal(id: String(epic.number), title: epic.title, text: epic.objective)
            }
        }
        return WorkContext(
            ticket: summary, session: session, description: work.description, steps: steps, acceptanceCriteria: work.acceptanceCriteria,
            files: work.files, dependencies: dependencies, epic: epicGoal, spec: specGoal)
    }

    public func recordWork(_ reference: String, _ input: WorkProgress) throws -> Session {
        let id = try resolveCase(reference)
        var progress = input.progress
        var notes: [String] = progress.note.map { [$0] } ?? []
        for criterion in input.criteria {
            notes.append("criterion \(criterion.index) \(criterion.passed ? "pass" : "fail")" + (criterion.evidence.map { ": " + $0 } ?? ""))
        }
        if let tests = input.tests { notes.append("tests: " + tests) }
        progress.note = notes.isEmpty ? nil : notes.joined(separator: "; ")
        guard !progress.isEmpty else {
            throw ZeroError(.usage, "nothing to record", hint: "give --done, --file, --note, --criterion, --tests or --discovery")
        }
        return try reportProgress(SessionReference(caseReference: id, number: nil), progress)
    }

    /// Completes the ticket's session and reports what the completion unlocked.
    /// Completions are serialised workspace-wide, so that when two agents finish
    /// the last two dependencies of a ticket at once, exactly one reports it unlocked.
    /// A claim this worktree holds on the ticket is then released (a failure to
    /// reach the remote is reported, never undoes the completion).
    public func completeWork(_ reference: String, summary: String, actualHours: Double?, validation: [(String, String)]) throws -> CompletionView {
        let id = try resolveCase(reference)
        try requireRealFolder(memory, create: false)
        var view = try FileLock.withLock(memory + "/.lock", what: "the workspace", timeoutMilliseconds: environment.lockTimeoutMilliseconds) {
            try completeWorkLocked(id, summary: summary, actualHours: actualHours, validation: validation)
        }
        // Outside the workspace lock: a slow remote must not hold up other completions.
        view.claim = releaseAfterCompletion(id)
        return view
    }

    private func completeWorkLocked(_ id: String, summary: String, actualHours: Double?, validation: [(String, String)]) throws -> CompletionView {
        let before = try ticketBoard()
        let beforeStatus = try statuses(before)
        var output = summary
        if let actualHours { output += "\n\nActual hours: \(actualHours)" }
        if !validation.isEmpty { output += "\n\nValidation: " + validation.map { "\($0.0)=\($0.1)" }.joined(separator: ", ") }
        let session = try completeSession(SessionReference(caseReference: id, number: nil), output: output)
        var edit = CaseEdit()
        edit.summary = try Self.validatedLine(summary.split(separator: "\n").first.map(String.init) ?? summary, what: "summary")
        _ = try editCase(id, edit)
        let after = try ticketBoard(recordingIndex: true)
        let unlocked = before.tickets.filter { before.graph.status($0) == .pending && after.graph.status($0) == .ready }
        let afterStatus = try statuses(after)
        let advanced = afterStatus.keys.sorted().compactMap { key -> String? in
            guard let now = afterStatus[key], let was = beforeStatus[key], now != was else { return nil }
            return "\(key): \(was) → \(now)"
        }
        guard let ticket = after.summary(id) else { throw ZeroError(.internal, "ticket \(id.prefix(8)) vanished") }
        return CompletionView(ticket: ticket, session: session, unlocked: unlocked.compactMap(after.summary), advanced: advanced)
    }

    /// The status of every specification and epic, by a readable name.
    private func statuses(_ board: TicketBoard) throws -> [String: String] {
        var result: [String: String] = [:]
        for specID in try specIDs() {
            guard let view = try? specView(specID, board: board) else { continue }
            result["spec \(specID.prefix(8))"] = view.status.rawValue
            for epic in view.epics { result["epic \(specID.prefix(8))/\(epic.number)"] = epic.status.rawValue }
        }
        return result
    }

    /// Takes a ticket back to ready, and everything depending on it, directly
    /// or not, back to where its dependency leaves it: an open session is
    /// abandoned (its progress cleared, its commits kept); a ticket done by a
    /// complete implementation (`ticket_done: complete`) gets a new implementing
    /// session ended as abandoned, so its newest implementation is no longer
    /// complete. A resolved ticket keeps its record: reopen it first.
    public func resetWork(_ reference: String, reason: String) throws -> ResetView {
        let (id, board) = try ticketID(reference)
        let reason = try Self.validatedLine(reason, what: "reason")
        var dependents: [String: [String]] = [:]
        for (caseID, fact) in board.graph.facts {
            for dependency in fact.meta.dependsOn { dependents[dependency, default: []].append(caseID) }
        }
        var order = [id]
        var seen: Set<String> = [id]
        var index = 0
        while index < order.count {
            for next in (dependents[order[index]] ?? []).sorted() where seen.insert(next).inserted { order.append(next) }
            index += 1
        }
        for caseID in order {
            guard let fact = board.graph.facts[caseID], [.resolved, .compressed, .watchlist, .nonIssue].contains(fact.meta.state) else { continue }
            throw ZeroError(
                .illegalTransition,
                caseID == id
                    ? "ticket \(id.prefix(8)) is \(fact.meta.state.rawValue); its record stays"
                    : "ticket \(caseID.prefix(8)), which depends on \(id.prefix(8)), is \(fact.meta.state.rawValue); its record stays",
                hint: "reopen it first: 'zero case watch \(caseID.prefix(8))' then 'zero case reopen \(caseID.prefix(8))'")
        }
        var reset: [String] = []
        for caseID in order {
            guard let fact = board.graph.facts[caseID] else { continue }
            let why = caseID == id ? "reset: " + reason : "reset with \(id.prefix(8)), which it depends on: " + reason
            let current = SessionReference(caseReference: caseID, number: nil)
            if fact.hasOpenSession {
                _ = try endSession(current, as: .abandoned, reason: why)
                reset.append(caseID)
            } else if fact.implementationComplete, fact.meta.state == .implementing || fact.meta.state == .verifying {
                _ = try newSession(caseID, type: .implementing)
                _ = try endSession(current, as: .abandoned, reason: why)
                reset.append(caseID)
            }
        }
        let after = try ticketBoard(recordingIndex: true)
        guard let ticket = after.summary(id) else { throw ZeroError(.internal, "ticket \(id.prefix(8)) vanished") }
        return ResetView(ticket: ticket, reset: reset.compactMap(after.summary))
    }

    // MARK: Specification approval

    /// The operator approves a specification: each ticket's `## Steps` becomes
    /// the plan and its `## Files` the scope of a planning session that the
    /// operator's approval completes, exactly as `session approve` does (so the
    /// replay checks every ticket's approval like any other). Tickets approved
    /// before are kept; a ticket without steps or files refuses the whole approval.
    public func approveSpec(_ reference: String) throws -> SpecView {
        let actor = try requireOperator("approve a specification")
        let id = try resolveSpec(reference)
        let spec = try loadSpec(id)
        guard spec.stored != .completed else {
            throw ZeroError(.illegalTransition, "specification \(id.prefix(8)) is completed")
        }
        // One read of the files: a cycle is first the review's finding, then (review off, or
        // a cycle elsewhere) the same error the strict board raises.
        let reviewing = try config().requirePlanningReview
        let board = try ticketBoard(spec: id, toleratingCycle: reviewing)
        if reviewing {
            let review = try planningReview(id, board: board)
            guard review.passed else {
                let blockers = review.findings.filter { $0.severity == .blocker }
                throw ZeroError(
                    .refused,
                    "specification \(id.prefix(8)) does not pass its planning review: \(review.total)/100, threshold \(review.threshold)"
                        + (blockers.isEmpty ? "" : "; " + blockers.map(\.message).joined(separator: "; ")),
                    hint: "'zero spec review \(id.prefix(8))' lists what to fix (quality.require_planning_review is on)")
            }
            if board.waves.isEmpty, !board.tickets.isEmpty { _ = try board.graph.waveNumbers() }
        }
        let tickets = board.tickets.compactMap { board.graph.facts[$0]?.meta }
        guard !tickets.isEmpty else {
            throw ZeroError(
                .illegalTransition, "specification \(id.prefix(8)) has no tickets to approve",
                hint: "add some: zero case new \"<title>\" --type ticket --spec \(id.prefix(8))")
        }
        let waiting = tickets.filter { $0.approvedPlan == nil && [.open, .investigating].contains($0.state) }
        var plans: [(meta: CaseMeta, work: TicketWork)] = []
        var unfit: [String] = []
        for meta in waiting {
            let work = TicketWork(try loadProblem(meta.id))
            if work.steps.isEmpty || work.scope.isEmpty { unfit.append(String(meta.id.prefix(8))) }
            plans.append((meta, work))
        }
        guard unfit.isEmpty else {
            throw ZeroError(
                .refused, "ticket\(unfit.count == 1 ? "" : "s") \(unfit.joined(separator: ", ")) \(unfit.count == 1 ? "has" : "have") no ## Steps or no ## Files to approve",
                hint: "write them in each ticket's problem-definition.md; the steps become its plan, the files its scope")
        }
        for (meta, work) in plans {
            let open = try loadSessions(meta.id).last(where: { !$0.state.isEnded })
            let number: Int
            if let open, open.type.writesPlan {
                number = open.number
            } else if open != nil {
                throw ZeroError(.conflict, "ticket \(meta.id.prefix(8)) has an open session that is not a planning one")
            } else {
                number = try newSession(meta.id, type: .planning).number
            }
            var plan = PlanInput()
            plan.hypothesis = work.description.isEmpty ? meta.title : work.description
            plan.steps = work.steps
            plan.scope = work.scope
            let reference = SessionReference(caseReference: meta.id, number: number)
            let written = try writePlan(reference, plan)
            _ = try approvePlan(reference, expectedHash: written.computedPlanHash)
        }
        let approved = try ticketBoard(spec: id)
        let approvals = approved.tickets.compactMap { ticket in
            approved.graph.facts[ticket]?.meta.approvedPlan.map { "\(ticket) \($0.sha256)" }
        }
        try withSpecLock(id) {
            var updated = try loadSpec(id)
            updated.stored = .approved
            updated.approvedBy = actor.description
            updated.approvedAt = now()
            updated.planSHA256 = Digest.sha256(approvals.joined(separator: "\n"))
            updated.updatedAt = now()
            updated.approvalSignature = try updated.approvalAct.flatMap { try signIfRequired($0) }
            try writeMemoryFile(updated.render(), to: specPath(id))
        }
        return try specView(id)
    }

    /// The operator confirms a delivered specification: every ticket done.
    public func completeSpec(_ reference: String) throws -> SpecView {
        let actor = try requireOperator("complete a specification")
        let id = try resolveSpec(reference)
        let view = try specView(id)
        guard view.status == .readyForReview else {
            let open = view.tickets.filter { $0.status != .done }.map { String($0.id.prefix(8)) }
            throw ZeroError(
                .illegalTransition,
                "specification \(id.prefix(8)) is \(view.status.rawValue), not ready_for_review"
                    + (open.isEmpty ? "" : ": tickets \(open.prefix(5).joined(separator: ", "))\(open.count > 5 ? ", …" : "") are not done"),
                hint: "'zero spec show \(id.prefix(8))' lists its tickets")
        }
        try withSpecLock(id) {
            var updated = try loadSpec(id)
            updated.stored = .completed
            updated.completedBy = actor.description
            updated.completedAt = now()
            updated.updatedAt = now()
            updated.completionSignature = try updated.completionAct.flatMap { try signIfRequired($0) }
            try writeMemoryFile(updated.render(), to: specPath(id))
        }
        return try specView(id)
    }
}
