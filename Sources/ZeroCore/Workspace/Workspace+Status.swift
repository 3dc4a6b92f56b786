/// Something only an operator can move on, as data: each face says how
/// (the CLI names its command, the server its route).
public struct OperatorTask: Sendable, Equatable, Encodable {
    public enum Action: String, Sendable, Encodable {
        case approvePlan = "approve_plan"
        case acceptDiff = "accept_diff"
        case verifyProof = "verify_proof"
    }

    public var action: Action
    public var caseID: String
    public var title: String
    public var session: Int?
    public var proof: String?

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(action, forKey: .action)
        try container.encode(caseID, forKey: .caseID)
        try container.encode(title, forKey: .title)
        try container.encode(session, forKey: .session)
        try container.encode(proof, forKey: .proof)
    }

    private enum Keys: String, CodingKey { case action, caseID = "case_id", title, session, proof }
}

/// A session still open, with its case.
public struct OpenSessionView: Sendable, Encodable {
    public var meta: CaseMeta
    public var session: Session

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(meta.id, forKey: .caseID)
        try container.encode(meta.title, forKey: .title)
        try container.encode(session, forKey: .session)
    }

    private enum Keys: String, CodingKey { case caseID = "case_id", title, session }
}

/// Where the workspace stands, for `zero status` (and the server's status).
public struct WorkspaceStatus: Sendable, Encodable {
    public var counts: [CaseState: Int] = [:]
    public var openSessions: [OpenSessionView] = []
    /// Things only an operator can move: plans to approve, diffs to accept, proofs to verify.
    public var awaitingOperator: [OperatorTask] = []
    public var active: OpenSessionView?
    public var totalCases = 0
    /// Cases whose files do not read, with why; the others are counted as usual.
    public var broken: [BrokenCase] = []

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(totalCases, forKey: .totalCases)
        try container.encode(Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }), forKey: .counts)
        try container.encode(active, forKey: .active)
        try container.encode(openSessions, forKey: .openSessions)
        try container.encode(awaitingOperator, forKey: .awaitingOperator)
        try container.encode(broken, forKey: .broken)
    }

    private enum Keys: String, CodingKey {
        case totalCases = "total_cases", counts, active, openSessions = "open_sessions", awaitingOperator = "awaiting_operator", broken
    }
}

/// Session use this month, for `zero usage`.
public struct Usage: Sendable, Encodable {
    public var month: String
    public var byType: [SessionType: Int]
    /// 0 when there is no limit.
    public var limit: Int
    public var total: Int { byType.values.reduce(0, +) }
    /// Sessions left this month; nil without a limit.
    public var remaining: Int? { limit == 0 ? nil : max(0, limit - total) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(month, forKey: .month)
        try container.encode(total, forKey: .total)
        try container.encode(limit, forKey: .limit)
        try container.encode(remaining, forKey: .remaining)
        try container.encode(Dictionary(uniqueKeysWithValues: SessionType.allCases.map { ($0.rawValue, byType[$0] ?? 0) }), forKey: .byType)
    }

    private enum Keys: String, CodingKey { case month, total, limit, remaining, byType = "by_type" }
}

extension Workspace {
    public func status() throws -> WorkspaceStatus {
        var status = WorkspaceStatus()
        let active = try? activeSession()
        let listing = try scanCases()
        status.broken = listing.broken
        for meta in listing.cases {
            guard meta.state.isOpen || meta.state == .blocked || meta.state == .needsUserInput else {
                status.totalCases += 1
                status.counts[meta.state, default: 0] += 1
                continue
            }
            let sessions: [Session]
            do {
                sessions = try loadSessions(meta.id)
            } catch let error as ZeroError {
                status.broken.append(BrokenCase(id: meta.id, error: error))
                continue
            }
            status.totalCases += 1
            status.counts[meta.state, default: 0] += 1
            if let open = sessions.last(where: { !$0.state.isEnded }) {
                status.openSessions.append(OpenSessionView(meta: meta, session: open))
                if open.state == .planReady {
                    status.awaitingOperator.append(OperatorTask(action: .approvePlan, caseID: meta.id, title: meta.title, session: open.number))
                }
            }
            if let active, active.caseID == meta.id, let session = sessions.first(where: { $0.number == active.number }) {
                status.active = OpenSessionView(meta: meta, session: session)
            }
            if meta.state == .implementing, let last = sessions.last(where: { $0.type == .implementing }), last.state == .complete {
                status.awaitingOperator.append(OperatorTask(action: .acceptDiff, caseID: meta.id, title: meta.title, session: last.number))
            }
            if meta.state == .verifying || meta.state == .investigating {
                for proof in (try? loadProofs(meta.id)) ?? [] where !proof.verified {
                    status.awaitingOperator.append(
                        OperatorTask(
                            action: .verifyProof, caseID: meta.id, title: meta.title, session: proof.session,
                            proof: proof.shortID))
                }
            }
        }
        return status
    }

    public func usage() throws -> Usage {
        let month = now().month
        var byType: [SessionType: Int] = [:]
        for id in try caseIDs() {
            guard let meta = try? loadMeta(id), meta.updatedAt.month >= month else { continue }
            for session in (try? loadSessions(id)) ?? [] where session.startedAt.month == month {
                byType[session.type, default: 0] += 1
            }
        }
        return Usage(month: month, byType: byType, limit: try config().monthlySessionLimit)
    }
}
