/// What `zero spec import` did, or with `--dry-run` would do.
public struct SpecImportView: Sendable, Encodable {
    public enum Change: String, Sendable, Encodable { case created, updated, unchanged }

    public struct SpecItem: Sendable, Encodable {
        public var id: String
        /// The SpecForge id it was imported from.
        public var source: String
        public var title: String
        public var change: Change
    }

    public struct EpicItem: Sendable, Encodable {
        public var spec: String
        public var number: Int
        public var source: String
        public var title: String
        public var change: Change
    }

    public struct TicketItem: Sendable, Encodable {
        public var id: String
        public var source: String
        public var title: String
        public var spec: String
        @Nullable public var epic: Int?
        public var dependsOn: [String]
        public var change: Change

        enum CodingKeys: String, CodingKey { case id, source, title, spec, epic, dependsOn = "depends_on", change }
    }

    /// A ticket imported earlier whose id the file no longer has: left as it is.
    public struct KeptTicket: Sendable, Encodable {
        public var id: String
        public var source: String
        public var title: String
    }

    /// The file as it was named.
    public var file: String
    public var dryRun: Bool
    public var specs: [SpecItem]
    public var epics: [EpicItem]
    public var tickets: [TicketItem]
    public var notInFile: [KeptTicket]

    /// How many specifications, epics and tickets had `change`.
    public func count(_ change: Change) -> Int {
        specs.filter { $0.change == change }.count + epics.filter { $0.change == change }.count + tickets.filter { $0.change == change }.count
    }

    enum CodingKeys: String, CodingKey {
        case file, dryRun = "dry_run", specs, epics, tickets, notInFile = "not_in_file", ticketIDs = "ticket_ids", created, updated, unchanged
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(dryRun, forKey: .dryRun)
        try container.encode(specs, forKey: .specs)
        try container.encode(epics, forKey: .epics)
        try container.encode(tickets, forKey: .tickets)
        try container.encode(notInFile, forKey: .notInFile)
        // SpecForge ticket id → case id.
        try container.encode(Dictionary(tickets.map { ($0.source, $0.id) }, uniquingKeysWith: { first, _ in first }), forKey: .ticketIDs)
        try container.encode(count(.created), forKey: .created)
        try container.encode(count(.updated), forKey: .updated)
        try container.encode(count(.unchanged), forKey: .unchanged)
    }
}

/// What an import will write, worked out whole before the first write.
struct ImportPlan {
    typealias Change = SpecImportView.Change

    struct SpecPart {
        var source: SpecForgeDocument.Specification
        var spec: Spec
        var change: Change
        var epics: [EpicPart] = []
    }

    struct EpicPart {
        var source: SpecForgeDocument.Epic
        var epic: Epic
        var change: Change
    }

    struct TicketPart {
        var source: SpecForgeDocument.Ticket
        /// The case as it was, for a ticket imported before.
        var before: CaseMeta?
        var meta: CaseMeta
        var problem: MemoryDocument
        var change: Change
    }

    var specs: [SpecPart] = []
    /// In file order.
    var tickets: [TicketPart] = []
    var notInFile: [CaseMeta] = []
    /// Case id by SpecForge ticket id, for every ticket of the file.
    var caseIDs: [String: String] = [:]
    /// The cases whose dependencies on each other the file decides: every
    /// ticket imported into these specifications, in the file or not.
    var managed: Set<String> = []

    func view(file: String, dryRun: Bool) -> SpecImportView {
        SpecImportView(
            file: file, dryRun: dryRun,
            specs: specs.map { .init(id: $0.spec.id, source: $0.source.id, title: $0.spec.title, change: $0.change) },
            epics: specs.flatMap { part in
                part.epics.map { .init(spec: part.spec.id, number: $0.epic.number, source: $0.source.id, title: $0.epic.title, change: $0.change) }
            },
            tickets: tickets.map {
                .init(
                    id: $0.meta.id, source: $0.source.id, title: $0.meta.title, spec: $0.meta.spec ?? "", epic: $0.meta.epic,
                    dependsOn: $0.meta.dependsOn, change: $0.change)
            },
            notInFile: notInFile.map { .init(id: $0.id, source: Workspace.importedSource(of: $0) ?? "", title: $0.title) })
    }
}

extension Workspace {
    /// `zero spec import`: creates or updates the specifications, epics and
    /// tickets of a SpecForge file (DESIGN §2.7).
    ///
    /// Every specification, epic and ticket records the SpecForge id it came
    /// from (`source: specforge:<id>`), so importing the file again matches
    /// them: nothing new is made, and what the file changed is rewritten, for
    /// tickets only while they have not started (OPEN, no session, no
    /// approved plan). A file that changes a started ticket is refused whole.
    /// The file is checked whole first and nothing is written when anything
    /// is wrong; new things appear whole (a folder renamed into place), new
    /// tickets after the tickets they depend on, and are taken back if a later
    /// one cannot be written.
    public func importSpecForge(_ path: String, dryRun: Bool = false) throws -> SpecImportView {
        let absolute = environment.absolute(path)
        guard !FileSystem.isFolder(absolute), let bytes = try FileSystem.readBytes(absolute) else {
            throw ZeroError(.notFound, "no such file: \(path)", hint: "give the path of a SpecForge file (.sf.json, .sf.yaml or .sf.yml)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ZeroError.malformed("the file is not UTF-8 text", file: path, hint: SpecForgeDocument.hint)
        }
        let document = try SpecForgeDocument.decode(text, file: path)
        _ = try config()
        try requireRealFolder(memory, create: false)
        // One import at a time: two at once would both find nothing and both create.
        return try FileLock.withLock(memory + "/.lock", what: "the workspace", timeoutMilliseconds: environment.lockTimeoutMilliseconds) {
            let plan = try planImport(document)
            if !dryRun { try applyImport(plan) }
            return plan.view(file: path, dryRun: dryRun)
        }
    }

    // MARK: Planning

    func planImport(_ document: SpecForgeDocument) throws -> ImportPlan {
        var plan = ImportPlan()
        // A case that does not read could be a ticket of this file: made again, it would be there twice.
        let cases = try listCases()

        var importedSpecs: [String: Spec] = [:]
        for id in try specIDs() {
            let spec = try loadSpec(id)
            guard let source = spec.document.header["source"]?.string else { continue }
            if let other = importedSpecs[source] {
                throw ZeroError(
                    .conflict, "specifications \(other.id.prefix(8)) and \(id.prefix(8)) both say they were imported from \(source)",
                    hint: "remove the 'source:' line from the spec.md of the one that should not be updated")
            }
            importedSpecs[source] = spec
        }
        var specIDs: [String: String] = [:]
        for source in document.specifications {
            if let spec = importedSpecs[Self.sourceValue(source.id)] {
                specIDs[source.id] = spec.id
            } else {
                var id = CaseID.generate()
                while FileSystem.kind(specFolder(id)) != .missing { id = CaseID.generate() }
                specIDs[source.id] = id
            }
        }

        // Tickets imported before, by specification and source.
        let targetSpecs = Set(specIDs.values)
        var importedTickets: [String: CaseMeta] = [:]
        for meta in cases {
            guard let spec = meta.spec, targetSpecs.contains(spec), let source = Self.importedSource(of: meta) else { continue }
            if let other = importedTickets[spec + "\n" + source] {
                throw ZeroError(
                    .conflict, "cases \(other.id.prefix(8)) and \(meta.id.prefix(8)) both say they were imported from \(source)",
                    hint: "remove the 'source:' line from the meta.yaml of the one that should not be updated")
            }
            importedTickets[spec + "\n" + source] = meta
            plan.managed.insert(meta.id)
        }
        var before: [String: CaseMeta] = [:]
        var taken = Set(cases.map(\.id))
        for specification in document.specifications {
            for ticket in specification.allTickets {
                if let meta = importedTickets[specIDs[specification.id, default: ""] + "\n" + Self.sourceValue(ticket.id)] {
                    plan.caseIDs[ticket.id] = meta.id
                    before[ticket.id] = meta
                } else {
                    var id = CaseID.generate()
                    while taken.contains(id) || FileSystem.kind(caseFolder(id)) != .missing { id = CaseID.generate() }
                    taken.insert(id)
                    plan.caseIDs[ticket.id] = id
                    plan.managed.insert(id)
                }
            }
        }
        let inFile = Set(plan.caseIDs.values)
        plan.notInFile = cases.filter { plan.managed.contains($0.id) && !inFile.contains($0.id) }

        for source in document.specifications {
            let specID = specIDs[source.id, default: ""]
            let existing = importedSpecs[Self.sourceValue(source.id)]
            var spec = existing ?? Spec(id: specID, title: source.title, createdAt: now())
            Self.apply(source, to: &spec)
            var part = ImportPlan.SpecPart(source: source, spec: spec, change: Self.change(existing?.render(), spec.render()))
            if part.change == .updated { part.spec.updatedAt = now() }

            let epics = existing == nil ? [] : try loadEpics(specID)
            var next = (epics.map(\.number).max() ?? 0) + 1
            var epicNumbers: [String: Int] = [:]
            for epicSource in source.epics {
                var epic: Epic
                let old = epics.first { $0.document.header["source"]?.string == Self.sourceValue(epicSource.id) }
                if let old {
                    epic = old
                } else {
                    guard next <= 99 else {
                        throw ZeroError(.conflict, "specification \(specID.prefix(8)) would hold more than 99 epics", hint: "a specification holds at most 99")
                    }
                    epic = Epic(number: next, title: epicSource.title)
                    next += 1
                }
                Self.apply(epicSource, to: &epic)
                part.epics.append(ImportPlan.EpicPart(source: epicSource, epic: epic, change: Self.change(old?.render(), epic.render())))
                for ticket in epicSource.tickets { epicNumbers[ticket.id] = epic.number }
            }

            for ticketSource in source.allTickets {
                let id = plan.caseIDs[ticketSource.id, default: ""]
                let old = before[ticketSource.id]
                var meta = old ?? CaseMeta(id: id, title: ticketSource.title, type: .ticket, createdAt: now())
                Self.apply(ticketSource, to: &meta, spec: specID, epic: epicNumbers[ticketSource.id], plan: plan)
                let oldProblem = old == nil ? nil : try loadProblem(id)
                var problem = oldProblem ?? Self.problemDefinition(title: ticketSource.title, type: .ticket, given: [])
                Self.apply(ticketSource, to: &problem)
                var change = Self.change(old?.render(), meta.render())
                // The sections are compared as read, so a box ticked by hand is no change.
                if change == .unchanged, oldProblem?.title != problem.title || TicketWork(oldProblem) != TicketWork(problem) {
                    change = .updated
                }
                plan.tickets.append(ImportPlan.TicketPart(source: ticketSource, before: old, meta: meta, problem: problem, change: change))
            }

            if existing?.stored == .completed {
                let touched =
                    part.change != .unchanged || part.epics.contains { $0.change != .unchanged }
                    || plan.tickets.contains { $0.meta.spec == specID && $0.change != .unchanged }
                if touched {
                    throw ZeroError(
                        .conflict, "specification \(specID.prefix(8)) is completed; an import does not change it",
                        hint: "import the changes as a new specification (give it another id in the file)")
                }
            }
            plan.specs.append(part)
        }

        // A started ticket keeps what its plan was approved on.
        let started = plan.tickets.filter { $0.change == .updated && !($0.before.map(Self.isUnstarted) ?? true) }
        if !started.isEmpty {
            let names = started.map { "\($0.source.id) (\($0.meta.id.prefix(8)), \($0.before?.state.rawValue ?? ""))" }
            throw ZeroError(
                .conflict,
                "the file changes \(started.count == 1 ? "a ticket that has" : "tickets that have") started: " + names.joined(separator: ", "),
                hint: "an import rewrites only tickets not started yet; take the change out of the file, or make it by hand ('zero case edit'). Nothing was written")
        }

        // Dependencies kept from outside the file could still close a cycle.
        var edges: [String: [String]] = [:]
        for meta in cases { edges[meta.id] = meta.dependsOn }
        for part in plan.tickets { edges[part.meta.id] = part.meta.dependsOn }
        if let cycle = TicketGraph.cycle(in: Self.reachable(from: plan.tickets.map(\.meta.id), in: edges)) {
            let names = Dictionary(plan.tickets.map { ($0.meta.id, $0.source.id) }, uniquingKeysWith: { first, _ in first })
            throw ZeroError(
                .conflict, "the dependencies would form a cycle: " + cycle.map { names[$0] ?? String($0.prefix(8)) }.joined(separator: " → "),
                hint: "a case cannot wait, directly or through others, for itself; remove one of those dependencies")
        }
        return plan
    }

    /// The part of `edges` reachable from `starts`.
    static func reachable(from starts: [String], in edges: [String: [String]]) -> [String: [String]] {
        var seen = Set(starts)
        var queue = starts
        var index = 0
        while index < queue.count {
            for next in edges[queue[index]] ?? [] where seen.insert(next).inserted { queue.append(next) }
            index += 1
        }
        return edges.filter { seen.contains($0.key) }
    }

    static func change(_ before: String?, _ after: String) -> SpecImportView.Change {
        guard let before else { return .created }
        return before == after ? .unchanged : .updated
    }

    /// Open, never worked on, no plan approved: what an import may still rewrite.
    static func isUnstarted(_ meta: CaseMeta) -> Bool {
        meta.state == .open && meta.sessionCount == 0 && meta.approvedPlan == nil
    }

    // MARK: Writing

    func applyImport(_ plan: ImportPlan) throws {
        var madeSpecs: [String] = []
        var madeEpics: [String] = []
        var madeCases: [String] = []
        do {
            for part in plan.specs {
                if part.change == .created {
                    try writeNewSpec(part.spec, epics: part.epics.map(\.epic))
                    madeSpecs.append(part.spec.id)
                    continue
                }
                for epic in part.epics where epic.change == .created {
                    try writeEpic(part.spec.id, epic.epic)
                    madeEpics.append(epicPath(part.spec.id, epic.epic.number))
                }
            }
            // Each new ticket after those it depends on: whenever the process
            // dies, every case there is names only cases that are there.
            for part in Self.dependenciesFirst(plan.tickets) where part.change == .created {
                try writeNewCase(part.meta, problem: part.problem)
                madeCases.append(part.meta.id)
            }
        } catch {
            // Taken back the way they came: out of sight in one rename, then emptied.
            for id in madeCases.reversed() {
                let doomed = casesFolder + "/.deleted-" + id
                if (try? invalidatingTicketIndex({ try FileSystem.renameFolder(caseFolder(id), to: doomed) })) != nil { try? FileSystem.removeTree(doomed) }
            }
            for path in madeEpics.reversed() { try? FileSystem.remove(path) }
            for id in madeSpecs.reversed() {
                let doomed = specsFolder + "/.new-" + id
                if (try? FileSystem.renameFolder(specFolder(id), to: doomed)) != nil { try? FileSystem.removeTree(doomed) }
            }
            throw error
        }

        // What exists changes file by file, each whole, re-read under its lock.
        for part in Self.dependenciesFirst(plan.tickets) where part.change == .updated {
            try mutateCase(part.meta.id) { change in
                guard Self.isUnstarted(change.meta) else {
                    throw ZeroError(
                        .conflict, "ticket \(part.source.id) (\(part.meta.id.prefix(8))) started while it was imported; it is left as it is",
                        hint: "import the file again to see what else is left to do")
                }
                Self.apply(part.source, to: &change.meta, spec: part.meta.spec ?? "", epic: part.meta.epic, plan: plan)
                var problem = try loadProblem(part.meta.id) ?? Self.problemDefinition(title: part.source.title, type: .ticket, given: [])
                Self.apply(part.source, to: &problem)
                change.write(problem.render(), to: problemPath(part.meta.id))
            }
        }
        for part in plan.specs where part.change != .created {
            try withSpecLock(part.spec.id) {
                for epicPart in part.epics where epicPart.change == .updated {
                    let path = epicPath(part.spec.id, epicPart.epic.number)
                    guard let text = try readMemoryText(path) else { continue }
                    var epic = try Epic.parse(text, file: relative(path), number: epicPart.epic.number)
                    Self.apply(epicPart.source, to: &epic)
                    try writeMemoryFile(epic.render(), to: path)
                }
                guard part.change == .updated else { return }
                var spec = try loadSpec(part.spec.id)
                let was = spec.render()
                Self.apply(part.source, to: &spec)
                guard spec.render() != was else { return }
                spec.updatedAt = now()
                try writeMemoryFile(spec.render(), to: specPath(part.spec.id))
            }
        }
    }

    /// The tickets ordered so that each comes after the tickets of the list it depends on.
    static func dependenciesFirst(_ tickets: [ImportPlan.TicketPart]) -> [ImportPlan.TicketPart] {
        let byID = Dictionary(tickets.map { ($0.meta.id, $0) }, uniquingKeysWith: { first, _ in first })
        var placed = Set<String>()
        var ordered: [ImportPlan.TicketPart] = []
        for ticket in tickets where placed.insert(ticket.meta.id).inserted {
            var stack: [(id: String, next: Int)] = [(ticket.meta.id, 0)]
            while let top = stack.last {
                let dependencies = byID[top.id]?.meta.dependsOn ?? []
                if top.next < dependencies.count {
                    stack[stack.count - 1].next += 1
                    let dependency = dependencies[top.next]
                    if byID[dependency] != nil, placed.insert(dependency).inserted { stack.append((dependency, 0)) }
                } else {
                    if let part = byID[top.id] { ordered.append(part) }
                    stack.removeLast()
                }
            }
        }
        return ordered
    }

    // MARK: From the file to the records

    /// The value of the `source:` key: where a record was imported from.
    static func sourceValue(_ id: String) -> String { "specforge:" + id }

    /// The `source:` of a case imported from a SpecForge file.
    static func importedSource(of meta: CaseMeta) -> String? {
        meta.extra.first { $0.key == "source" }?.value.string
    }

    /// Free text as a section holds it once written and read back.
    static func sectionText(_ text: String) -> String {
        var document = MemoryDocument(title: "text")
        document.setSection("Text", MemoryDocument.protectFreeText(text))
        return (try? MemoryDocument.parse(document.render(), file: "", expectsTitle: true))?.section("Text") ?? text
    }

    static func apply(_ source: SpecForgeDocument.Specification, to spec: inout Spec) {
        spec.title = source.title
        spec.document.title = "Specification: " + source.title
        for (name, text) in zip(Spec.sectionNames, [source.description, source.goals, source.requirements, source.patterns]) {
            spec.document.setSection(name, sectionText(text))
        }
        spec.document.header["source"] = .text(sourceValue(source.id))
    }

    static func apply(_ source: SpecForgeDocument.Epic, to epic: inout Epic) {
        epic.title = source.title
        epic.document.title = "Epic \(epic.number): " + source.title
        if let order = source.order { epic.order = order }
        epic.document.setSection("Objective", sectionText(source.objective))
        epic.document.setSection("Acceptance criteria", sectionText(source.acceptanceCriteria.map { "- [ ] " + $0 }.joined(separator: "\n")))
        epic.document.header["source"] = .text(sourceValue(source.id))
    }

    /// Title, priority, epic, estimate and dependencies as the file says;
    /// dependencies on cases the file does not decide (added by hand) stay.
    static func apply(_ source: SpecForgeDocument.Ticket, to meta: inout CaseMeta, spec: String, epic: Int?, plan: ImportPlan) {
        meta.title = source.title
        meta.priority = source.priority
        meta.spec = spec
        meta.epic = epic
        meta.dependsOn = unique(source.dependsOn.compactMap { plan.caseIDs[$0] } + meta.dependsOn.filter { !plan.managed.contains($0) })
        setExtra(&meta, "source", .text(sourceValue(source.id)))
        setExtra(&meta, "estimate_hours", source.estimateHours.map { .literal($0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : String($0)) })
    }

    /// `## Description`, `## Steps` (numbered), `## Acceptance criteria`
    /// (`- [ ]`) and `## Files` (`- create path`), as `zero case new --type ticket` lays them out.
    static func apply(_ source: SpecForgeDocument.Ticket, to problem: inout MemoryDocument) {
        problem.title = source.title
        problem.setSection("Description", sectionText(source.description))
        problem.setSection("Steps", sectionText(source.steps.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")))
        problem.setSection("Acceptance criteria", sectionText(source.acceptanceCriteria.map { "- [ ] " + $0 }.joined(separator: "\n")))
        problem.setSection("Files", sectionText(source.files.map { "- \($0.action) \($0.path)" }.joined(separator: "\n")))
    }

    static func setExtra(_ meta: inout CaseMeta, _ key: String, _ value: HeaderValue?) {
        if let index = meta.extra.firstIndex(where: { $0.key == key }) {
            if let value { meta.extra[index].value = value } else { meta.extra.remove(at: index) }
        } else if let value {
            meta.extra.append(HeaderField(key, value))
        }
    }
}

extension SpecForgeDocument.Specification {
    /// The tickets of its epics, then those outside any epic.
    var allTickets: [SpecForgeDocument.Ticket] { epics.flatMap(\.tickets) + tickets }
}
