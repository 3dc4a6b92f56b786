extension Gate {
    /// The rules of a changed `meta.yaml`: the operator acts it records, and a
    /// state change that follows the table with the evidence of every step.
    func caseFindings(_ path: String, caseID id: String, text: String, oldText: String?, step: GateStep) throws -> [GateFinding] {
        let meta = try CaseMeta.parse(text, file: path)
        let short = id.prefix(8)
        var findings: [GateFinding] = []
        if meta.id != id {
            findings.append(
                GateFinding(
                    .parse, file: path, "meta.yaml says id \(meta.id) but lies in the folder of case \(id)",
                    hint: "restore it with 'git checkout HEAD -- \(path)'"))
        }
        let old = oldText.flatMap { try? CaseMeta.parse($0, file: path) }
        if let plan = meta.approvedPlan, plan != old?.approvedPlan {
            if let problem = try approvalSourceProblem(caseID: id, plan: plan, in: step.after) {
                findings.append(
                    GateFinding(
                        .approval, file: path, "case \(short): \(problem)",
                        hint: "approved_plan is written only by 'zero session approve \(short)', from the approved session"))
            } else if try !isNewApproval(caseID: id, plan: plan, step: step) {
                findings.append(
                    GateFinding(
                        .approval, file: path, "case \(short): approved_plan now names the approval of session S\(Timestamp.pad(plan.session, 3)) made earlier; only a new approval moves it",
                        hint: "an operator approves the plan again: zero session approve \(short)"))
            }
        }
        let reopened = old.map { [.resolved, .watchlist].contains($0.state) } == true && !Self.settled.contains(meta.state)
        if old?.approvedPlan != nil, meta.approvedPlan == nil, !reopened {
            findings.append(
                GateFinding(
                    .approval, file: path, "case \(short) lost its approved_plan without being reopened",
                    hint: "restore it with 'git checkout HEAD -- \(path)'"))
        }
        let rejected = old?.state == .verifying && meta.state == .implementing
        if old?.diffReview != nil, meta.diffReview == nil, !reopened, !rejected {
            findings.append(
                GateFinding(
                    .approval, file: path, "case \(short) lost its diff_review without the verification being rejected",
                    hint: "an operator rejects a verification with 'zero session reject \(short) --reason …'"))
        }
        if let review = meta.diffReview, review != old?.diffReview {
            findings += try diffReviewFindings(path, caseID: id, review: review, step: step)
        }
        if let record = meta.wontFix, record != old?.wontFix {
            let act = OperatorAct(.wontFix, caseID: id, session: nil, digest: Digest.sha256(meta.wontFixReason ?? ""), by: record.by, at: record.at)
            findings += actFindings(act, signature: record.signature, file: path, what: "closing case \(short) as won't fix")
        }
        let from = old?.state ?? .open
        let paused: Set<CaseState> = [.blocked, .needsUserInput]
        if paused.contains(meta.state) {
            if let old, old.state == meta.state, old.previousState != meta.previousState {
                findings.append(
                    GateFinding(
                        .transition, file: path, "previous_state of case \(short) changed while it was \(meta.state.rawValue)",
                        hint: "a blocked case returns to the state it was blocked from; restore it with 'git checkout HEAD -- \(path)'"))
            } else if old?.state != meta.state {
                let remembered = meta.previousState
                let reachable = try remembered.map { remembered in
                    remembered == from ? nil : try transitionProblem(caseID: id, old: old, new: meta, to: remembered, step: step)
                }
                if remembered == nil || reachable != nil || paused.contains(remembered!) {
                    findings.append(
                        GateFinding(
                            .transition, file: path,
                            "case \(short) is \(meta.state.rawValue) with previous_state \(remembered?.rawValue ?? "null"), which is not where it came from (\(from.rawValue))",
                            hint: "use 'zero case block' or 'zero case ask', which remember the state"))
                }
            }
        }
        if from != meta.state, let problem = try transitionProblem(caseID: id, old: old, new: meta, to: meta.state, step: step) {
            findings.append(
                GateFinding(
                    problem.rule, file: path, "case \(short) went from \(from.rawValue) to \(meta.state.rawValue)\(problem.message)",
                    hint: problem.hint))
        }
        if let old, Self.settled.contains(old.state), Self.settled.contains(meta.state) {
            var changed: [String] = []
            if old.title != meta.title { changed.append("title") }
            if old.type != meta.type { changed.append("type") }
            if old.outcome != meta.outcome { changed.append("outcome") }
            // Compressing writes the summary; nothing else rewrites it once the case is settled.
            if old.summary != meta.summary, !(meta.state == .compressed && old.state != .compressed) { changed.append("summary") }
            if !changed.isEmpty {
                findings.append(
                    GateFinding(
                        .settled, file: path, "case \(short) is \(meta.state.rawValue) and its \(changed.joined(separator: ", ")) changed; a settled case keeps the record it was settled with",
                        hint: "restore it with 'git checkout HEAD -- \(path)'; reopen the case (watch, then reopen) to work on it again"))
            }
        }
        if Self.settled.contains(meta.state) {
            for session in try sessions(of: id, in: step.after) where !session.state.isEnded {
                findings.append(
                    GateFinding(
                        .settled, file: path, "case \(short) is \(meta.state.rawValue) while session S\(Timestamp.pad(session.number, 3)) is still \(session.state.rawValue)",
                        hint: "a case settles once its sessions have ended; restore the ended session"))
            }
        }
        if [.resolved, .nonIssue].contains(meta.state), old?.state != meta.state || old?.outcome != meta.outcome {
            let classificationPath = MemoryPath.classification(id)
            let classification = try step.after.parsed(classificationPath) { try FinalClassification.parse($0, file: classificationPath) }
            if meta.outcome == nil || classification?.outcome != meta.outcome {
                findings.append(
                    GateFinding(
                        .resolve, file: path, "case \(short) is \(meta.state.rawValue) with outcome \(meta.outcome?.rawValue ?? "none"), which its final classification does not record",
                        hint: "resolve with 'zero case resolve \(short) --outcome …', which writes both"))
            }
        }
        return findings
    }

    /// Resolved, closed or archived, or being watched after resolution: the record stands as it was settled.
    static let settled: Set<CaseState> = [.resolved, .nonIssue, .wontFix, .compressed, .watchlist]

    /// Whether the case of a changed file was settled before and after the change.
    func staysSettled(_ id: String, step: GateStep) throws -> Bool {
        guard let old = try earlier(step).meta(id)?.state, let new = try step.after.meta(id)?.state else { return false }
        return Self.settled.contains(old) && Self.settled.contains(new)
    }

    private func diffReviewFindings(_ path: String, caseID id: String, review: DiffReview, step: GateStep) throws -> [GateFinding] {
        guard let session = try step.after.session(id, review.session), session.type == .implementing, session.state == .complete else {
            return [
                GateFinding(
                    .approval, file: path, "diff_review of case \(id.prefix(8)) names session \(review.session), which is not a complete implementing session",
                    hint: "an operator accepts a complete session with 'zero session accept \(id.prefix(8))'")
            ]
        }
        let implementing = try sessions(of: id, in: step.after).filter { $0.type == .implementing }
        if let newest = implementing.filter({ $0.state == .complete }).map(\.number).max(), newest != review.session {
            return [
                GateFinding(
                    .approval, file: path, "diff_review of case \(id.prefix(8)) names session \(review.session), but S\(Timestamp.pad(newest, 3)) is its newest complete implementing session",
                    hint: "an operator reviews the newest work: zero session accept \(id.prefix(8))")
            ]
        }
        if let open = implementing.first(where: { !$0.state.isEnded }) {
            return [
                GateFinding(
                    .approval, file: path, "diff_review of case \(id.prefix(8)) was given while implementing session S\(Timestamp.pad(open.number, 3)) is still \(open.state.rawValue)",
                    hint: "complete the session, then have an operator accept it")
            ]
        }
        if review.by == "auto" {
            guard config.diffReview == .auto else {
                return [
                    GateFinding(
                        .operatorAct, file: path, "diff_review of case \(id.prefix(8)) says 'auto', but the trust root \(trust.label) wants an operator's review",
                        hint: "an operator accepts the diff with 'zero session accept \(id.prefix(8))'")
                ]
            }
            return []
        }
        let act = OperatorAct(.acceptDiff, caseID: id, session: review.session, digest: session.seal ?? "", by: review.by, at: review.at)
        return actFindings(act, signature: review.signature, file: path, what: "the diff review of session S\(Timestamp.pad(review.session, 3))")
    }

    struct TransitionProblem {
        var rule: GateFinding.Rule
        var message: String
        var hint: String
    }

    /// Whether `new.state` is reachable from the old state through the table
    /// with every step's evidence present (a commit may carry several commands'
    /// worth of changes, but not a step that left no trace). nil when it is.
    func transitionProblem(caseID id: String, old: CaseMeta?, new: CaseMeta, to target: CaseState, step: GateStep) throws -> TransitionProblem? {
        let short = id.prefix(8)
        var sessionsCache: [Session]?
        func sessions() throws -> [Session] {
            if let sessionsCache { return sessionsCache }
            let loaded = try self.sessions(of: id, in: step.after)
            sessionsCache = loaded
            return loaded
        }
        let before = earlier(step)
        func missing(_ row: CaseTransition) throws -> TransitionProblem? {
            let final = row.to == target
            switch (row.from, row.to) {
            case (.open, .investigating):
                let floor = old?.sessionCount ?? 0
                if try sessions().contains(where: { $0.type.writesPlan && $0.number > floor }) { return nil }
                return TransitionProblem(
                    rule: .transition, message: " without a new planning or investigating session",
                    hint: "start one with 'zero session new \(short) --type planning'")
            case (.investigating, .implementing):
                if let plan = new.approvedPlan, plan != old?.approvedPlan, try isNewApproval(caseID: id, plan: plan, step: step) { return nil }
                return TransitionProblem(
                    rule: .approval, message: " without a new plan approval",
                    hint: "an operator approves a plan with 'zero session approve \(short)'")
            case (.implementing, .verifying):
                if new.diffReview != nil, new.diffReview != old?.diffReview,
                    try !sessions().contains(where: { $0.type == .implementing && !$0.state.isEnded })
                {
                    return nil
                }
                return TransitionProblem(
                    rule: .approval, message: " without an operator's diff review",
                    hint: "an operator accepts the diff with 'zero session accept \(short)'")
            case (.verifying, .resolved), (.investigating, .nonIssue):
                let path = MemoryPath.classification(id)
                guard new.outcome != nil, let written = try step.after.contents(of: path), try before.contents(of: path) != written else {
                    return TransitionProblem(
                        rule: .resolve, message: " without an outcome and a new final classification",
                        hint: "an operator resolves with 'zero case resolve \(short) --outcome …'")
                }
                if try !hasCountingProof(id, in: step.after) {
                    return TransitionProblem(
                        rule: .resolve, message: " without a verified, passing proof",
                        hint: "capture one with 'zero proof run \(short) -- <tests>'; an operator verifies it with 'zero proof verify'")
                }
                return nil
            case (_, .wontFix):
                if new.wontFix != nil, new.wontFix != old?.wontFix, new.wontFixReason != nil { return nil }
                return TransitionProblem(
                    rule: .operatorAct, message: " without an operator's won't-fix record and reason",
                    hint: "an operator closes it with 'zero case wont-fix \(short) --reason …'")
            case (_, .blocked) where final:
                if new.blockedReason != nil { return nil }
                return TransitionProblem(rule: .transition, message: " without blocked_reason", hint: "use 'zero case block \(short) --reason …'")
            case (_, .needsUserInput) where final:
                if new.question != nil { return nil }
                return TransitionProblem(rule: .transition, message: " without the question", hint: "use 'zero case ask \(short) \"…\"'")
            default:
                return nil
            }
        }
        struct Node: Hashable {
            var state: CaseState
            var previous: CaseState?
        }
        let start = Node(state: old?.state ?? .open, previous: old?.previousState)
        func next(_ node: Node, _ row: CaseTransition) -> Node {
            Node(state: row.to, previous: row.to == .blocked || row.to == .needsUserInput ? node.state : nil)
        }
        func rows(_ node: Node) -> [CaseTransition] {
            // Returns (unblock, answer) go only to the state remembered on the way in.
            CaseState.transitions.filter { $0.from == node.state && ($0.gate != .previousState || $0.to == node.previous) }
        }
        // Reachable with every step's evidence: fine.
        var seen: Set<Node> = [start]
        var queue = [start]
        while !queue.isEmpty {
            let node = queue.removeFirst()
            for row in rows(node) where try missing(row) == nil {
                if row.to == target { return nil }
                let following = next(node, row)
                if seen.insert(following).inserted { queue.append(following) }
            }
        }
        // Otherwise name the first step without evidence on a shortest way there, if the table has one.
        var cameFrom: [Node: (Node, CaseTransition)] = [:]
        seen = [start]
        queue = [start]
        while !queue.isEmpty {
            let node = queue.removeFirst()
            for row in rows(node) {
                let following = next(node, row)
                guard seen.insert(following).inserted else { continue }
                cameFrom[following] = (node, row)
                if row.to == target {
                    var path: [CaseTransition] = []
                    var cursor = following
                    while let (previous, step) = cameFrom[cursor] {
                        path.insert(step, at: 0)
                        cursor = previous
                    }
                    for step in path { if let problem = try missing(step) { return problem } }
                    return nil
                }
                queue.append(following)
            }
        }
        return TransitionProblem(
            rule: .transition, message: ", which the transition table does not allow",
            hint: "move cases only with 'zero case …' and 'zero session …' commands")
    }

    /// A case's sessions in `tree`.
    func sessions(of id: String, in tree: any TreeSource) throws -> [Session] {
        var loaded: [Session] = []
        for file in try tree.files(under: MemoryPath.sessions(id)) {
            guard case .session(_, let number)? = MemoryPath(file), let session = try tree.session(at: file, number: number) else { continue }
            loaded.append(session)
        }
        return loaded.sorted { $0.number < $1.number }
    }

    /// Whether the approval `plan` names was made in this change: its session did
    /// not already record it. An old approval cannot be brought back to approve code.
    func isNewApproval(caseID id: String, plan: PlanApproval, step: GateStep) throws -> Bool {
        guard let earlier = try earlier(step).session(id, plan.session) else { return true }
        return !(earlier.planSHA256 == plan.sha256 && earlier.approvedBy == plan.by && earlier.approvedAt == plan.at)
    }

    /// At least one proof verified by an operator that passed, or that an operator accepted as failing with a reason.
    func hasCountingProof(_ id: String, in tree: any TreeSource) throws -> Bool {
        for path in try tree.files(under: MemoryPath.proofs(id)) where path.hasSuffix(".md") {
            guard let proof = try tree.proof(at: path) else { continue }
            if proof.countsForResolution, let by = proof.verifiedBy, config.isOperator(OperatorAct.email(of: by)) { return true }
        }
        return false
    }
}
