/// One ticket as `ready`, `blocked`, `waves` and `spec show` list it.
public struct TicketSummary: Sendable, Encodable, Equatable {
    public var id: String
    public var title: String
    public var status: TicketStatus
    public var state: CaseState
    public var priority: Priority
    @Nullable public var spec: String?
    @Nullable public var epic: Int?
    public var wave: Int
    public var dependsOn: [String]
    public var createdAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, title, status, state, priority, spec, epic, wave, dependsOn = "depends_on", createdAt = "created_at"
    }
}

/// The next actionable tickets: priority first, then wave, then age.
public struct ReadyView: Sendable, Encodable {
    public var tickets: [TicketSummary]
    /// How many are ready in all (the list may be cut by a limit).
    public var total: Int

    enum CodingKeys: String, CodingKey { case tickets, total }
}

/// Pending tickets with the reason each waits.
public struct BlockedView: Sendable, Encodable {
    public struct Item: Sendable, Encodable {
        public var ticket: TicketSummary
        public var reason: PendingReason
    }

    public var tickets: [Item]
}

/// The topological layers of the tickets, and the chain that bounds the finish.
public struct WavesView: Sendable, Encodable {
    public struct Wave: Sendable, Encodable {
        public var wave: Int
        public var tickets: [TicketSummary]
    }

    public var waves: [Wave]
    public var criticalPath: [String]

    enum CodingKeys: String, CodingKey { case waves, criticalPath = "critical_path" }
}

/// A specification with its computed status, epics and tickets.
public struct SpecView: Sendable, Encodable {
    public struct EpicView: Sendable, Encodable {
        public var number: Int
        public var title: String
        public var status: EpicStatus
        public var objective: String
        public var tickets: Int
        public var done: Int
    }

    public var spec: Spec
    public var status: SpecStatus
    public var epics: [EpicView]
    public var tickets: [TicketSummary]

    enum CodingKeys: String, CodingKey {
        case id, title, status, approvedBy = "approved_by", approvedAt = "approved_at", planSHA256 = "plan_sha256"
        case description, goals, requirements, patterns, epics, tickets, createdAt = "created_at", updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(spec.id, forKey: .id)
        try container.encode(spec.title, forKey: .title)
        try container.encode(status, forKey: .status)
        try container.encode(spec.approvedBy, forKey: .approvedBy)
        try container.encode(spec.approvedAt, forKey: .approvedAt)
        try container.encode(spec.planSHA256, forKey: .planSHA256)
        try container.encode(spec.document.section("Description") ?? "", forKey: .description)
        try container.encode(spec.document.section("Goals") ?? "", forKey: .goals)
        try container.encode(spec.document.section("Requirements") ?? "", forKey: .requirements)
        try container.encode(spec.document.section("Patterns") ?? "", forKey: .patterns)
        try container.encode(epics, forKey: .epics)
        try container.encode(tickets, forKey: .tickets)
        try container.encode(spec.createdAt, forKey: .createdAt)
        try container.encode(spec.updatedAt, forKey: .updatedAt)
    }
}

/// The tickets of one specification, or of all, with their graph: what the views are cut from.
public struct TicketBoard: Sendable {
    public let graph: TicketGraph
    public let waves: [String: Int]
    /// Ticket ids in scope (cases with a spec, or of type ticket), oldest first.
    public let tickets: [String]

    public func summary(_ id: String) -> TicketSummary? {
        guard let meta = graph.facts[id]?.meta else { return nil }
        return TicketSummary(
            id: id, title: meta.title, status: graph.status(id), state: meta.state, priority: meta.priority, spec: meta.spec,
            epic: meta.epic, wave: waves[id] ?? 0, dependsOn: meta.dependsOn, createdAt: meta.createdAt)
    }

    static func priorityRank(_ priority: Priority) -> Int {
        switch priority {
        case .high: 0
        case .medium: 1
        case .low: 2
        }
    }

    /// Every ticket of the board with its status, reason and wave computed.
    public var listing: TicketListing {
        let inScope = Set(tickets)
        return TicketListing(
            entries: tickets.compactMap { id in
                summary(id).map { TicketListing.Entry(summary: $0, reason: graph.pendingReason(id), done: graph.isDone(id)) }
            },
            otherDependencies: graph.facts.filter { !inScope.contains($0.key) && !$0.value.meta.dependsOn.isEmpty }.mapValues(\.meta.dependsOn))
    }

    public func ready(limit: Int? = nil) -> ReadyView { listing.ready(limit: limit) }
    public func blocked() -> BlockedView { listing.blocked() }
    public func wavesView() -> WavesView { listing.wavesView() }
}

extension Workspace {
    /// The tickets of `specReference` (all specifications when nil). A
    /// dependency cycle is an error naming it.
    /// Read from the files, never from the index. With `recordingIndex`, the
    /// board of every ticket is also written as the ticket index.
    /// With `toleratingCycle`, a dependency cycle leaves every ticket in wave 0
    /// instead of being an error (the planning review reports it).
    public func ticketBoard(spec specReference: String? = nil, recordingIndex: Bool = false, toleratingCycle: Bool = false) throws -> TicketBoard {
        let spec = try specReference.map { try resolveSpec($0) }
        let build = recordingIndex && spec == nil ? ticketIndexBuild() : nil
        let graph = try ticketGraph()
        let tickets = graph.facts.values.map(\.meta)
            .filter { meta in spec.map { meta.spec == $0 } ?? (meta.spec != nil || meta.type == .ticket) }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.map(\.id)
        let waves = toleratingCycle && graph.cycle() != nil ? [:] : try graph.waveNumbers()
        let board = TicketBoard(graph: graph, waves: waves, tickets: tickets)
        if let build { recordTicketIndex(board.listing, build) }
        return board
    }

    public func specView(_ reference: String) throws -> SpecView {
        let id = try resolveSpec(reference)
        return try specView(id, board: try ticketBoard(spec: id))
    }

    /// The view of specification `id` cut from a board already loaded (of it, or of every ticket).
    func specView(_ id: String, board: TicketBoard) throws -> SpecView {
        let spec = try loadSpec(id)
        let summaries = board.tickets.compactMap(board.summary).filter { $0.spec == id }
        let epics = try loadEpics(id).map { epic in
            let mine = summaries.filter { $0.epic == epic.number }
            let done = mine.filter { $0.status == .done }.count
            let started = mine.contains { $0.status == .active || $0.status == .done }
            let status: EpicStatus = !mine.isEmpty && done == mine.count ? .completed : started ? .inProgress : .todo
            return SpecView.EpicView(
                number: epic.number, title: epic.title, status: status, objective: epic.objective, tickets: mine.count, done: done)
        }
        return SpecView(spec: spec, status: Self.specStatus(spec, summaries), epics: epics, tickets: summaries)
    }

    static func specStatus(_ spec: Spec, _ tickets: [TicketSummary]) -> SpecStatus {
        switch spec.stored {
        case .completed: return .completed
        case .draft: return tickets.isEmpty ? .draft : .planning
        case .approved:
            if !tickets.isEmpty, tickets.allSatisfy({ $0.status == .done }) { return .readyForReview }
            return tickets.contains { $0.status == .active || $0.status == .done } ? .inProgress : .ready
        }
    }
}
