/// `zero spec review`: the planning review (Gate 1) of a specification, and
/// once its tickets are delivered, the review of what they delivered.
public struct SpecReview: Sendable, Encodable {
    /// One of the five areas the planning review scores, 0–100.
    public struct Score: Sendable, Encodable, Equatable {
        public var area: String
        public var score: Int
        /// Its share of the total, in percent.
        public var weight: Int
    }

    public struct Finding: Sendable, Encodable, Equatable {
        public enum Severity: String, Sendable, Encodable { case blocker, warning }
        public var area: String
        public var severity: Severity
        @Nullable public var ticket: String?
        public var message: String
    }

    /// The review of delivered tickets (at `ready_for_review`, or for any done ticket before).
    public struct Implementation: Sendable, Encodable {
        /// Done tickets reviewed.
        public var tickets: Int
        public var passed: Bool
        public var findings: [Finding]
    }

    public var spec: String
    public var title: String
    public var status: SpecStatus
    public var scores: [Score]
    /// The weighted total, 0–100.
    public var total: Int
    /// `quality.readiness_threshold`.
    public var threshold: Int
    /// At or above the threshold, and no blocker.
    public var passed: Bool
    public var findings: [Finding]
    @Nullable public var implementation: Implementation?

    /// The areas and their weights (percent, summing to 100).
    public static let weights: [(area: String, weight: Int)] = [
        ("completeness", 15), ("dependencies", 20), ("coverage", 25), ("ticket_quality", 20), ("acceptance_criteria", 20),
    ]
}

/// What the planning review reads of one ticket.
public struct ReviewedTicket: Sendable {
    public var id: String
    public var title: String
    public var epic: Int?
    public var dependsOn: [String]
    public var work: TicketWork

    public init(id: String, title: String, epic: Int?, dependsOn: [String], work: TicketWork) {
        self.id = id
        self.title = title
        self.epic = epic
        self.dependsOn = dependsOn
        self.work = work
    }
}

/// The planning review as a pure function of the specification, its epics and
/// tickets, so every rule can be tried without files.
public enum PlanningReview {
    /// Words a requirement shares with every sentence: they say nothing about coverage.
    static let commonWords: Set<String> = [
        "must", "should", "shall", "will", "with", "that", "this", "from", "into", "when", "each", "every", "have", "been",
        "they", "their", "them", "than", "then", "also", "only", "other", "some", "such", "over", "under", "more", "most",
        "able", "make", "made", "uses", "used", "using", "user", "users", "there", "where", "which", "while", "about",
    ]

    /// A criterion that names nothing checkable.
    static let vagueCriteria: Set<String> = ["it works", "works", "done", "it is done", "complete", "ok", "tbd", "todo", "tests pass", "looks good"]

    public static func review(
        spec: Spec, epics: [Epic], tickets: [ReviewedTicket], known: Set<String>, waves: [String: Int], threshold: Int
    ) -> (scores: [SpecReview.Score], total: Int, passed: Bool, findings: [SpecReview.Finding]) {
        var findings: [SpecReview.Finding] = []
        func find(_ area: String, _ severity: SpecReview.Finding.Severity = .warning, _ ticket: String? = nil, _ message: String) {
            findings.append(SpecReview.Finding(area: area, severity: severity, ticket: ticket, message: message))
        }
        func short(_ id: String) -> String { String(id.prefix(8)) }
        func percent(_ good: Int, of all: Int) -> Int { all == 0 ? 100 : (good * 100) / all }

        // Completeness: the specification says what, why and what is required; each epic has an aim, a test and tickets.
        var checks = 0
        var passedChecks = 0
        func check(_ ok: Bool, _ message: @autoclosure () -> String, ticket: String? = nil) {
            checks += 1
            if ok { passedChecks += 1 } else { find("completeness", .warning, ticket, message()) }
        }
        for name in ["Description", "Goals", "Requirements"] {
            check(!(spec.document.section(name) ?? "").trimming(" \n\t").isEmpty, "the specification's ## \(name) is empty")
        }
        check(!epics.isEmpty, "the specification has no epics")
        check(!tickets.isEmpty, "the specification has no tickets")
        for epic in epics {
            check(!epic.objective.trimming(" \n\t").isEmpty, "epic \(epic.number) (\(epic.title)) has no ## Objective")
            check(!epic.acceptanceCriteria.trimming(" \n\t").isEmpty, "epic \(epic.number) (\(epic.title)) has no ## Acceptance criteria")
            check(tickets.contains { $0.epic == epic.number }, "epic \(epic.number) (\(epic.title)) has no tickets")
        }
        let epicNumbers = Set(epics.map(\.number))
        for ticket in tickets where !epics.isEmpty {
            check(ticket.epic.map(epicNumbers.contains) == true, "ticket \(short(ticket.id)) (\(ticket.title)) belongs to no epic of the specification", ticket: ticket.id)
        }
        let completeness = percent(passedChecks, of: checks)

        // Dependencies: no cycle, no missing case, no ticket waiting on a later epic.
        let inSpec = Set(tickets.map(\.id))
        let order = Dictionary(epics.map { ($0.number, $0.order) }, uniquingKeysWith: { first, _ in first })
        var edges = 0
        var sound = 0
        var cycleFound = false
        let graph = Dictionary(tickets.map { ($0.id, $0.dependsOn.filter(inSpec.contains)) }, uniquingKeysWith: { first, _ in first })
        if let cycle = TicketGraph.cycle(in: graph) {
            cycleFound = true
            let closing = cycle.count >= 2 ? "\(short(cycle[cycle.count - 2])) → \(short(cycle[cycle.count - 1]))" : ""
            find(
                "dependencies", .blocker, cycle.first,
                "the dependencies form a cycle: " + cycle.map(short).joined(separator: " → ") + "; the edge \(closing) closes it")
        }
        let byID = Dictionary(tickets.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for ticket in tickets {
            for dependency in ticket.dependsOn {
                edges += 1
                guard known.contains(dependency) else {
                    find("dependencies", .blocker, ticket.id, "ticket \(short(ticket.id)) depends on \(short(dependency)), which is no case")
                    continue
                }
                if let other = byID[dependency], let mine = ticket.epic.flatMap({ order[$0] }), let theirs = other.epic.flatMap({ order[$0] }), theirs > mine {
                    find(
                        "dependencies", .warning, ticket.id,
                        "ticket \(short(ticket.id)) (epic \(ticket.epic ?? 0)) waits for \(short(dependency)) of a later epic (\(other.epic ?? 0))")
                    continue
                }
                sound += 1
            }
        }
        let dependencies = cycleFound ? 0 : percent(sound, of: edges)

        // Coverage: every requirement is taken up by some ticket.
        let requirementsText = spec.document.section("Requirements") ?? ""
        var requirements = TicketWork.items(requirementsText)
        if requirements.isEmpty {
            requirements = requirementsText.split(separator: "\n").map { String($0).trimming(" \t") }.filter { !$0.isEmpty && !$0.hasPrefix("<!--") }
        }
        let ticketTexts = tickets.map { ticket in
            words(([ticket.title, ticket.work.description] + ticket.work.steps + ticket.work.acceptanceCriteria).joined(separator: " "))
        }
        var covered = 0
        for (index, requirement) in requirements.enumerated() {
            if isCovered(requirement, by: ticketTexts) {
                covered += 1
            } else {
                find("coverage", .warning, nil, "requirement \(index + 1) (\(requirement)) is covered by no ticket")
            }
        }
        if requirements.isEmpty { find("coverage", .warning, nil, "## Requirements lists nothing, so no ticket can be shown to cover it") }
        let coverage = requirements.isEmpty ? 0 : percent(covered, of: requirements.count)

        // Ticket quality: a description, steps to approve as the plan, files to approve as the scope, a lane of its own.
        var owners: [String: [String]] = [:]
        for ticket in tickets {
            for path in Set(ticket.work.scope) { owners["\(waves[ticket.id] ?? 0)\t\(path)", default: []].append(ticket.id) }
        }
        var shared: Set<String> = []
        for (key, ids) in owners.sorted(by: { $0.key < $1.key }) where ids.count > 1 {
            let parts = key.split(separator: "\t", maxSplits: 1)
            find(
                "ticket_quality", .warning, ids[0],
                "tickets \(ids.map(short).joined(separator: ", ")) both change \(parts.last ?? "") in wave \(parts.first ?? ""): they cannot work in parallel")
            shared.formUnion(ids)
        }
        var quality = 0
        var criteria = 0
        for ticket in tickets {
            var points = 0
            if ticket.work.description.trimming(" \n\t").isEmpty {
                find("ticket_quality", .warning, ticket.id, "ticket \(short(ticket.id)) (\(ticket.title)) has no ## Description")
            } else {
                points += 1
            }
            if ticket.work.steps.isEmpty {
                find("ticket_quality", .blocker, ticket.id, "ticket \(short(ticket.id)) (\(ticket.title)) has no ## Steps to approve as its plan")
            } else {
                points += 1
            }
            if ticket.work.scope.isEmpty {
                find("ticket_quality", .blocker, ticket.id, "ticket \(short(ticket.id)) (\(ticket.title)) lists no ## Files to approve as its scope")
            } else {
                points += 1
            }
            if !shared.contains(ticket.id) { points += 1 }
            quality += points * 25

            // Acceptance criteria: present, and each one checkable.
            if ticket.work.acceptanceCriteria.isEmpty {
                find("acceptance_criteria", .warning, ticket.id, "ticket \(short(ticket.id)) (\(ticket.title)) has no ## Acceptance criteria")
                continue
            }
            let vague = ticket.work.acceptanceCriteria.filter { isVague($0) }
            for criterion in vague {
                find("acceptance_criteria", .warning, ticket.id, "ticket \(short(ticket.id)): the criterion '\(criterion)' names nothing to check")
            }
            criteria += percent(ticket.work.acceptanceCriteria.count - vague.count, of: ticket.work.acceptanceCriteria.count)
        }
        let scores = zip(
            SpecReview.weights,
            [completeness, dependencies, coverage, tickets.isEmpty ? 0 : quality / tickets.count, tickets.isEmpty ? 0 : criteria / tickets.count]
        ).map { SpecReview.Score(area: $0.0.area, score: $0.1, weight: $0.0.weight) }
        let total = scores.reduce(0) { $0 + $1.score * $1.weight } / 100
        let passed = total >= threshold && !findings.contains { $0.severity == .blocker }
        return (scores, total, passed, findings)
    }

    /// Lower-case words of letters and digits, with identifiers like R1 or REQ-2 kept whole.
    static func words(_ text: String) -> Set<String> {
        var words: Set<String> = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || (character == "-" && !current.isEmpty) {
                current.append(character)
            } else {
                if !current.isEmpty { words.insert(current.trimming("-")) }
                current = ""
            }
        }
        if !current.isEmpty { words.insert(current.trimming("-")) }
        return words
    }

    /// A requirement is covered when a ticket names its identifier (`R1: …`,
    /// `REQ-2 …`), or, without one, when a ticket's text holds at least half
    /// of its significant words (four letters or more, common words left out).
    static func isCovered(_ requirement: String, by tickets: [Set<String>]) -> Bool {
        let tokens = requirement.lowercased().split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "*" || $0 == "." || $0 == "(" || $0 == ")" })
        if let first = tokens.first.map(String.init), first.contains(where: \.isNumber), first.contains(where: \.isLetter), first.count <= 8 {
            return tickets.contains { $0.contains(first) }
        }
        let significant = words(requirement).filter { $0.count >= 4 && !commonWords.contains($0) }
        guard !significant.isEmpty else { return tickets.contains { !$0.isDisjoint(with: words(requirement)) } }
        let needed = (significant.count + 1) / 2
        return tickets.contains { $0.intersection(significant).count >= needed }
    }

    static func isVague(_ criterion: String) -> Bool {
        let text = criterion.lowercased().trimming(" .!")
        return vagueCriteria.contains(text) || words(text).count < 3
    }
}

extension Workspace {
    /// The planning review of a specification and, for its done tickets, the implementation review.
    public func reviewSpec(_ reference: String) throws -> SpecReview {
        let id = try resolveSpec(reference)
        return try reviewSpec(id, board: try ticketBoard(spec: id, toleratingCycle: true))
    }

    func reviewSpec(_ id: String, board: TicketBoard) throws -> SpecReview {
        let tickets = try reviewedTickets(board)
        var review = try planningReview(id, board: board, tickets: tickets)
        let done = tickets.filter { board.graph.isDone($0.id) || board.graph.awaitsOperator($0.id) }
        if !done.isEmpty {
            let findings = try done.flatMap { try implementationFindings($0) }
            review.implementation = SpecReview.Implementation(tickets: done.count, passed: findings.isEmpty, findings: findings)
        }
        return review
    }

    /// Each ticket of the board with what its problem definition asks for.
    func reviewedTickets(_ board: TicketBoard) throws -> [ReviewedTicket] {
        try board.tickets.compactMap { ticketID in
            guard let meta = board.graph.facts[ticketID]?.meta else { return nil }
            return ReviewedTicket(id: meta.id, title: meta.title, epic: meta.epic, dependsOn: meta.dependsOn, work: TicketWork(try loadProblem(meta.id)))
        }
    }

    /// The planning review alone: what `zero spec approve` requires with `quality.require_planning_review`.
    func planningReview(_ id: String, board: TicketBoard, tickets given: [ReviewedTicket]? = nil) throws -> SpecReview {
        let spec = try loadSpec(id)
        let epics = try loadEpics(id)
        let tickets = try given ?? reviewedTickets(board)
        let threshold = try config().readinessThreshold
        let planning = PlanningReview.review(
            spec: spec, epics: epics, tickets: tickets, known: Set(board.graph.facts.keys), waves: board.waves, threshold: threshold)
        let view = try specView(id, board: board)
        return SpecReview(
            spec: id, title: spec.title, status: view.status, scores: planning.scores, total: planning.total, threshold: threshold,
            passed: planning.passed, findings: planning.findings, implementation: nil)
    }

    /// What a delivered ticket left undone: criteria not recorded as passed,
    /// expected files its commits never touched, no validation or a failing one.
    func implementationFindings(_ ticket: ReviewedTicket) throws -> [SpecReview.Finding] {
        var findings: [SpecReview.Finding] = []
        func find(_ message: String) {
            findings.append(SpecReview.Finding(area: "implementation", severity: .warning, ticket: ticket.id, message: "ticket \(ticket.id.prefix(8)): " + message))
        }
        let sessions = try loadSessions(ticket.id).filter { $0.type == .implementing }
        // Criteria results as `work progress --criterion` records them; the last result of each counts.
        var results: [Int: Bool] = [:]
        for session in sessions {
            for event in session.events where event.kind == "progress" {
                for part in event.detail.split(separator: ";") {
                    let words = part.split(separator: " ")
                    guard words.count >= 3, words[0] == "criterion", let index = Int(words[1]) else { continue }
                    if words[2].hasPrefix("pass") { results[index] = true } else if words[2].hasPrefix("fail") { results[index] = false }
                }
            }
        }
        for (index, criterion) in ticket.work.acceptanceCriteria.enumerated() {
            switch results[index + 1] {
            case true?: continue
            case false?: find("acceptance criterion \(index + 1) (\(criterion)) failed")
            case nil: find("acceptance criterion \(index + 1) (\(criterion)) was never checked")
            }
        }
        // Expected files against what the ticket's commits changed.
        var changed: Set<String> = []
        for session in sessions {
            changed.formUnion(try sessionDiff(ticket.id, session: session.number).commits.flatMap(\.files))
        }
        for file in ticket.work.files where file.action != "reference" {
            let matches = PathGlob(file.path)
            if !changed.contains(where: { matches.matches($0) }) {
                find("\(file.action) \(file.path) is in ## Files but no commit of the ticket changed it")
            }
        }
        // Validation, as `work complete --validation` records it.
        let validation = sessions.last { $0.state == .complete }.flatMap { session in
            session.section("Execution output").split(separator: "\n").last { $0.hasPrefix("Validation: ") }
        }
        if let validation {
            for pair in validation.dropFirst("Validation: ".count).split(separator: ",") {
                let parts = String(pair).trimming(" ").split(separator: "=", maxSplits: 1)
                if parts.count == 2, !["pass", "passed", "ok", "skip", "skipped"].contains(parts[1].lowercased()) {
                    find("validation \(parts[0]) is \(parts[1])")
                }
            }
        } else {
            find("its completion recorded no validation (work complete --validation tests=pass,…)")
        }
        return findings
    }
}
