/// Where the workspace stands, for `zero status`.
public struct WorkspaceStatus: Sendable {
    public var counts: [CaseState: Int] = [:]
    public var openSessions: [(meta: CaseMeta, session: Session)] = []
    /// Things only an operator can move: plans to approve, diffs to accept, proofs to verify.
    public var awaitingOperator: [(meta: CaseMeta, what: String)] = []
    public var active: (meta: CaseMeta, session: Session)?
    public var totalCases = 0
    /// Cases whose files do not read, with why; the others are counted as usual.
    public var broken: [BrokenCase] = []
}

/// Session use this month, for `zero usage`.
public struct Usage: Sendable {
    public var month: String
    public var byType: [SessionType: Int]
    public var limit: Int
    public var total: Int { byType.values.reduce(0, +) }
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
                status.openSessions.append((meta, open))
                if open.state == .planReady {
                    status.awaitingOperator.append((meta, "approve the plan of S\(Timestamp.pad(open.number, 3)): zero session approve \(meta.id.prefix(8))"))
                }
            }
            if let active, active.caseID == meta.id, let session = sessions.first(where: { $0.number == active.number }) {
                status.active = (meta, session)
            }
            if meta.state == .implementing, let last = sessions.last(where: { $0.type == .implementing }), last.state == .complete {
                status.awaitingOperator.append((meta, "review the diff of S\(Timestamp.pad(last.number, 3)): zero session accept \(meta.id.prefix(8))"))
            }
            if meta.state == .verifying || meta.state == .investigating {
                for proof in (try? loadProofs(meta.id)) ?? [] where !proof.verified {
                    status.awaitingOperator.append((meta, "verify proof \(proof.shortID): zero proof verify \(meta.id.prefix(8)) \(proof.shortID)"))
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
