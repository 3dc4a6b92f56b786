/// `zero prime`: what an agent needs before its first command, in one short
/// read (under 1 500 tokens): the session active here and its approved plan
/// and scope, the next ready tickets, and the rules that will refuse its
/// commits, each with what to do instead.
public struct PrimeView: Sendable, Encodable {
    public struct Active: Sendable, Encodable {
        public var caseID: String
        public var title: String
        public var session: Int
        public var type: SessionType
        public var state: SessionState
        /// Approved: the plan's hash matches the operator's approval.
        public var approved: Bool
        public var steps: [String]
        public var stepsDone: Int
        /// Globs code may change under; empty when the plan names none.
        public var scope: [String]

        enum CodingKeys: String, CodingKey {
            case caseID = "case_id", title, session, type, state, approved, steps, stepsDone = "steps_done", scope
        }
    }

    @Nullable public var active: Active?
    /// At most five, priority first, then wave, then age.
    public var ready: [TicketSummary]
    public var readyTotal: Int
    /// Each rule that can refuse a commit, as one sentence.
    public var rules: [String]
    /// The next command to type.
    public var next: String

    enum CodingKeys: String, CodingKey { case active, ready, readyTotal = "ready_total", rules, next }
}

extension Workspace {
    public func prime() throws -> PrimeView {
        let config = try config()
        var active: PrimeView.Active?
        var progress = "zero session progress"
        if let link = try activeSession() {
            let sessions = try loadSessions(link.caseID)
            let meta = try loadMeta(link.caseID)
            if meta.spec != nil || meta.type == .ticket { progress = "zero work progress" }
            if let session = sessions.first(where: { $0.number == link.number }) {
                // An implementing session works under the plan its case's approval names.
                let planned = session.steps.isEmpty ? meta.approvedPlan.flatMap { approval in sessions.first { $0.number == approval.session } } : nil
                let source = planned ?? session
                let steps = source.steps
                active = PrimeView.Active(
                    caseID: link.caseID, title: meta.title, session: session.number, type: session.type, state: session.state,
                    approved: meta.approvedPlan != nil, steps: steps.map(\.text), stepsDone: session.steps.filter(\.done).count,
                    scope: session.scopeGlobs.isEmpty ? source.scopeGlobs : session.scopeGlobs)
            }
        }
        let ready = (try? ticketListing(statuses: [.ready]).ready(limit: 5)) ?? ReadyView(tickets: [], total: 0)
        var rules: [String] = []
        if config.requireSessionForCode {
            rules.append(
                "A commit that changes code needs an implementing session active here whose plan an operator approved, and the approval committed first"
                    + (config.exemptPaths.isEmpty ? "." : " (exempt: \(config.exemptPaths.joined(separator: ", "))).")
            )
        }
        if config.enforceScope { rules.append("Every changed path must match the approved scope; a ticket's scope is its ## Files.") }
        rules.append("Commits carry Zero-Case and Zero-Session trailers (the commit-msg hook adds them).")
        rules.append("Approving plans, accepting diffs, verifying proofs and resolving cases are the operator's; a record made in another name is refused.")
        rules.append("Memory files are never rewritten by hand: ended sessions are sealed, settled cases stay settled, history is replayed by zero check in CI.")
        if config.requireSignedApprovals { rules.append("Signed mode: every operator act carries the operator's SSH signature.") }
        let next: String
        if let active, active.state == .executing {
            next = "\(progress) \(active.caseID.prefix(8)) --done 1   # then commit inside the scope"
        } else if let active, active.state == .planReady {
            next = "wait for an operator: zero session approve \(active.caseID.prefix(8))"
        } else if let active, [.planning, .created].contains(active.state) {
            next = "zero session plan \(active.caseID.prefix(8)) --hypothesis … --step … --scope …"
        } else {
            next = ready.tickets.first.map { "zero work start \($0.id.prefix(8))" } ?? "zero case list   # no ticket is ready"
        }
        return PrimeView(active: active, ready: ready.tickets, readyTotal: ready.total, rules: rules, next: next)
    }
}
