/// A ticket's status, computed from its case and its dependencies (DESIGN §3.3),
/// never stored.
public enum TicketStatus: String, Sendable, Encodable, CaseIterable {
    case pending, ready, active, done
}

/// What the status of one case is computed from.
public struct TicketFacts: Sendable {
    public var meta: CaseMeta
    /// The case has a session that has not ended.
    public var hasOpenSession: Bool
    /// The case's newest implementing session is complete: its work is delivered
    /// (done with `gates.ticket_done: complete`, in review otherwise).
    public var implementationComplete: Bool

    public init(meta: CaseMeta, hasOpenSession: Bool, implementationComplete: Bool) {
        self.meta = meta
        self.hasOpenSession = hasOpenSession
        self.implementationComplete = implementationComplete
    }
}

/// Why a ticket is pending.
public struct PendingReason: Sendable, Equatable, Encodable {
    /// The case's blocked_reason, or why it was closed without being done.
    @Nullable public var blockedReason: String?
    /// Dependencies not done yet, in the order the case lists them.
    public var waitingFor: [String]
    /// Dependencies that name no case.
    public var missing: [String]

    enum CodingKeys: String, CodingKey { case blockedReason = "blocked_reason", waitingFor = "waiting_for", missing }
}

/// The dependency graph of a set of cases, and every status computed from it.
public struct TicketGraph: Sendable {
    public let facts: [String: TicketFacts]
    public let ticketDone: WorkspaceConfig.TicketDone

    public init(_ facts: [TicketFacts], ticketDone: WorkspaceConfig.TicketDone) {
        var byID: [String: TicketFacts] = [:]
        for fact in facts { byID[fact.meta.id] = fact }
        self.facts = byID
        self.ticketDone = ticketDone
    }

    /// Done means delivered: resolved (or archived, watched, found not a defect),
    /// or with `gates.ticket_done: complete`, an implementation completed.
    public func isDone(_ id: String) -> Bool {
        guard let fact = facts[id] else { return false }
        switch fact.meta.state {
        case .resolved, .compressed, .watchlist, .nonIssue: return true
        case .verifying: return ticketDone == .complete
        case .implementing: return ticketDone == .complete && fact.implementationComplete && !fact.hasOpenSession
        default: return false
        }
    }

    /// Why `id` is pending, or nil when it is not.
    public func pendingReason(_ id: String) -> PendingReason? {
        guard let fact = facts[id] else { return nil }
        var blocked = fact.meta.blockedReason
        if blocked == nil, fact.meta.state == .wontFix {
            blocked = "closed as won't fix" + (fact.meta.wontFixReason.map { ": " + $0 } ?? "")
        }
        let missing = fact.meta.dependsOn.filter { facts[$0] == nil }
        let waiting = fact.meta.dependsOn.filter { facts[$0] != nil && !isDone($0) }
        guard blocked != nil || !waiting.isEmpty || !missing.isEmpty else { return nil }
        return PendingReason(blockedReason: blocked, waitingFor: waiting, missing: missing)
    }

    /// DESIGN §3.3, in order: blocked, waiting on a dependency, an open session, done, ready.
    /// One addition: with `ticket_done: resolved`, a ticket whose implementation
    /// is complete but not yet resolved (diff review, proof, resolution are the
    /// operator's) stays `active`, so no agent starts it a second time.
    public func status(_ id: String) -> TicketStatus {
        guard let fact = facts[id] else { return .pending }
        if pendingReason(id) != nil { return .pending }
        if fact.hasOpenSession { return .active }
        if isDone(id) { return .done }
        if awaitsOperator(id) { return .active }
        return .ready
    }

    /// Delivered, and in the operator's hands until it is resolved.
    public func awaitsOperator(_ id: String) -> Bool {
        guard let fact = facts[id], !isDone(id) else { return false }
        return fact.meta.state == .verifying || (fact.meta.state == .implementing && fact.implementationComplete)
    }

    // MARK: Cycles and waves

    /// A dependency cycle among the cases, as the ids along it with the first
    /// repeated at the end (a → b → a), or nil when there is none.
    public func cycle() -> [String]? {
        Self.cycle(in: facts.mapValues(\.meta.dependsOn))
    }

    /// A cycle in a dependency map, found by an iterative depth-first walk (a
    /// 5 000-edge chain does not overflow the stack).
    public static func cycle(in edges: [String: [String]]) -> [String]? {
        enum Mark { case visiting, finished }
        var marks: [String: Mark] = [:]
        for start in edges.keys.sorted() where marks[start] == nil {
            var stack: [(id: String, next: Int)] = [(start, 0)]
            marks[start] = .visiting
            while let top = stack.last {
                let targets = edges[top.id] ?? []
                if top.next < targets.count {
                    stack[stack.count - 1].next += 1
                    let target = targets[top.next]
                    switch marks[target] {
                    case .visiting:
                        let from = stack.firstIndex { $0.id == target } ?? 0
                        return stack[from...].map(\.id) + [target]
                    case .finished:
                        continue
                    case nil:
                        guard edges[target] != nil else { continue }
                        marks[target] = .visiting
                        stack.append((target, 0))
                    }
                } else {
                    marks[top.id] = .finished
                    stack.removeLast()
                }
            }
        }
        return nil
    }

    /// The wave of each case: 0 without dependencies in the graph, otherwise one
    /// more than its latest dependency. Throws, naming the cycle, when there is one.
    public func waveNumbers() throws -> [String: Int] {
        if let cycle = cycle() {
            throw ZeroError(
                .conflict, "the dependencies form a cycle: " + cycle.map { String($0.prefix(8)) }.joined(separator: " → "),
                hint: "remove one edge with 'zero case edit <case> --no-depends-on <other>'")
        }
        var waves: [String: Int] = [:]
        for start in facts.keys.sorted() where waves[start] == nil {
            var stack = [start]
            while let id = stack.last {
                let pending = (facts[id]?.meta.dependsOn ?? []).filter { facts[$0] != nil && waves[$0] == nil }
                if pending.isEmpty {
                    let wave = (facts[id]?.meta.dependsOn ?? []).compactMap { waves[$0] }.max().map { $0 + 1 } ?? 0
                    waves[id] = wave
                    stack.removeLast()
                } else {
                    stack += pending
                }
            }
        }
        return waves
    }

    /// The longest chain of dependencies still to deliver, first to last: the
    /// tickets whose delay delays the whole specification.
    public func criticalPath(among ids: Set<String>, waves: [String: Int]) -> [String] {
        Self.criticalPath(among: ids, waves: waves, dependsOn: { facts[$0]?.meta.dependsOn ?? [] }, isDone: isDone)
    }

    /// The critical path among `ids`, from each one's dependencies and whether it is done.
    static func criticalPath(among ids: Set<String>, waves: [String: Int], dependsOn: (String) -> [String], isDone: (String) -> Bool) -> [String] {
        var length: [String: Int] = [:]
        var previous: [String: String] = [:]
        let ordered = ids.map { (wave: waves[$0] ?? 0, id: $0) }.sorted { ($0.wave, $0.id) < ($1.wave, $1.id) }
        for id in ordered.map(\.id) where !isDone(id) {
            var best = 0
            var via: String?
            for dependency in dependsOn(id) where ids.contains(dependency) {
                guard let chain = length[dependency] else { continue }
                if chain > best || (chain == best && via.map { dependency < $0 } == true) {
                    best = chain
                    via = dependency
                }
            }
            previous[id] = via
            length[id] = best + 1
        }
        guard var end = length.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key else { return [] }
        var path = [end]
        while let before = previous[end] {
            path.insert(before, at: 0)
            end = before
        }
        return path
    }
}
