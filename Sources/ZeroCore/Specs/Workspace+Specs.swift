/// The computed status of a specification (DESIGN §3.3).
public enum SpecStatus: String, Sendable, Encodable {
    case draft, planning, ready, inProgress = "in_progress", readyForReview = "ready_for_review", completed
}

/// The computed status of an epic.
public enum EpicStatus: String, Sendable, Encodable {
    case todo, inProgress = "in_progress", completed
}

/// What `zero spec new` starts with.
public struct NewSpec: Sendable {
    public var title: String
    public var description = ""
    public var goals = ""
    public var requirements = ""
    public var patterns = ""
    /// Epic titles, numbered 1, 2, … in order.
    public var epics: [String] = []

    public init(title: String) { self.title = title }
}

extension Workspace {
    public var specsFolder: String { memory + "/specs" }
    public func specFolder(_ id: String) -> String { specsFolder + "/" + id }
    public func specPath(_ id: String) -> String { specFolder(id) + "/spec.md" }
    public func epicPath(_ specID: String, _ number: Int) -> String { specFolder(specID) + "/epics/" + Epic.fileName(number) }

    /// The ids of the specifications, sorted.
    public func specIDs() throws -> [String] {
        guard try requireRealFolder(specsFolder, create: false) else { return [] }
        return try FileSystem.list(specsFolder).filter { CaseID.isValid($0) }.sorted()
    }

    /// A specification id from a unique prefix (4+ characters), as for cases.
    public func resolveSpec(_ reference: String) throws -> String {
        try CaseID.validateReference(reference)
        let prefix = reference.lowercased()
        let matches = try specIDs().filter { $0.hasPrefix(prefix) }
        guard let first = matches.first else {
            throw ZeroError(.notFound, "no specification \(reference)", hint: "'zero spec list' shows them; 'zero spec new' creates one")
        }
        guard matches.count == 1 else {
            throw ZeroError(.usage, "'\(reference)' names \(matches.count) specifications", hint: "give more characters of the id")
        }
        return first
    }

    public func loadSpec(_ id: String) throws -> Spec {
        guard let text = try readMemoryText(specPath(id)) else {
            throw ZeroError(.notFound, "specification \(id.prefix(8)) has no spec.md", file: relative(specPath(id)))
        }
        let spec = try Spec.parse(text, file: relative(specPath(id)))
        guard spec.id == id else {
            throw ZeroError.malformed("spec.md says id \(spec.id) but lies in the folder of \(id)", file: relative(specPath(id)), line: 1)
        }
        return spec
    }

    public func loadEpics(_ specID: String) throws -> [Epic] {
        let folder = specFolder(specID) + "/epics"
        guard try requireRealFolder(folder, create: false) else { return [] }
        var epics: [Epic] = []
        for name in try FileSystem.list(folder) where name.hasSuffix(".md") {
            guard name.count == 5, let number = Int(name.prefix(2)), number > 0 else {
                throw ZeroError.malformed("\(name) is not an epic file (01.md, 02.md, …)", file: relative(folder + "/" + name), line: 1)
            }
            guard let text = try readMemoryText(folder + "/" + name) else { continue }
            epics.append(try Epic.parse(text, file: relative(folder + "/" + name), number: number))
        }
        return epics.sorted { ($0.order, $0.number) < ($1.order, $1.number) }
    }

    /// Creates `specs/<id>/spec.md` and its epics, whole or not at all.
    public func createSpec(_ new: NewSpec, id given: String? = nil) throws -> Spec {
        _ = try config()
        let title = try Self.validatedLine(new.title, what: "title")
        let titles = try new.epics.map { try Self.validatedLine($0, what: "epic title") }
        guard titles.count < 100 else { throw ZeroError(.usage, "a specification holds at most 99 epics") }
        var id = given ?? CaseID.generate()
        while given == nil, FileSystem.kind(specFolder(id)) != .missing { id = CaseID.generate() }
        guard FileSystem.kind(specFolder(id)) == .missing else {
            throw ZeroError(.alreadyExists, "specification \(id.prefix(8)) exists", file: relative(specPath(id)))
        }
        var spec = Spec(id: id, title: title, createdAt: now())
        for (name, body) in zip(Spec.sectionNames, [new.description, new.goals, new.requirements, new.patterns]) {
            spec.document.setSection(name, MemoryDocument.protectFreeText(body))
        }
        try writeNewSpec(spec, epics: titles.enumerated().map { Epic(number: $0.offset + 1, title: $0.element) })
        return spec
    }

    /// Writes a new specification folder, filled under a temporary name and
    /// renamed into place: it appears whole or not at all.
    func writeNewSpec(_ spec: Spec, epics: [Epic]) throws {
        try requireRealFolder(specsFolder, create: true)
        let building = specsFolder + "/.new-" + spec.id
        try FileSystem.createFolder(building)
        verifiedFolders.insert(building)
        do {
            try writeMemoryFile(spec.render(), to: building + "/spec.md")
            if !epics.isEmpty {
                try FileSystem.createFolder(building + "/epics")
                verifiedFolders.insert(building + "/epics")
                for epic in epics { try writeMemoryFile(epic.render(), to: building + "/epics/" + Epic.fileName(epic.number)) }
            }
            try FileSystem.renameFolder(building, to: specFolder(spec.id))
        } catch {
            try? FileSystem.removeTree(building)
            throw error
        }
    }

    /// Adds or replaces an epic file.
    public func writeEpic(_ specID: String, _ epic: Epic) throws {
        try withSpecLock(specID) {
            let folder = specFolder(specID) + "/epics"
            try requireRealFolder(folder, create: true)
            try writeMemoryFile(epic.render(), to: epicPath(specID, epic.number))
        }
    }

    func withSpecLock<T>(_ id: String, _ body: () throws -> T) throws -> T {
        guard try requireRealFolder(specFolder(id), create: false) else {
            throw ZeroError(.notFound, "no specification \(id.prefix(8))", hint: "'zero spec list' shows them")
        }
        return try FileLock.withLock(
            specFolder(id) + "/.lock", what: "specification \(id.prefix(8))",
            timeoutMilliseconds: environment.lockTimeoutMilliseconds, body)
    }

    // MARK: Tickets

    /// What every case's ticket status is computed from: its meta.yaml and,
    /// when it has sessions, its newest session (the only one that can be open).
    public func ticketGraph() throws -> TicketGraph {
        let listing = try scanCases()
        var facts: [TicketFacts] = []
        facts.reserveCapacity(listing.cases.count)
        for meta in listing.cases {
            var open = false
            var complete = false
            if meta.sessionCount > 0, let text = try readMemoryText(sessionPath(meta.id, meta.sessionCount)) {
                let newest = try Session.parse(text, file: relative(sessionPath(meta.id, meta.sessionCount)), numberFromFileName: meta.sessionCount)
                open = !newest.state.isEnded
                if newest.type == .implementing {
                    complete = newest.state == .complete
                } else if meta.sessionCount > 1, meta.state != .open, meta.state != .investigating {
                    // A verifying session may follow the implementation: the newest implementing one decides.
                    complete = try loadSessions(meta.id).last { $0.type == .implementing }?.state == .complete
                }
            }
            facts.append(TicketFacts(meta: meta, hasOpenSession: open, implementationComplete: complete))
        }
        return TicketGraph(facts, ticketDone: try config().ticketDone)
    }

    /// Refuses dependencies that would close a cycle, naming it.
    ///
    /// The edges come from the ticket index when it matches the files (a
    /// 5 000-edge chain is then checked without reading 5 000 files); a cycle
    /// found there is confirmed against the files before it is reported: each
    /// case along it must have the meta.yaml the index read (stat signature),
    /// or every file is read and the files decide.
    func refuseCycle(adding dependencies: [String], to id: String) throws {
        guard !dependencies.isEmpty else { return }
        if let indexed = try? ticketListing() {
            guard let cycle = Self.cycle(adding: dependencies, to: id, edges: indexed.dependencies) else { return }
            // The first edge is the new one; every case the rest starts from must
            // still be the meta.yaml the index read (a stat each, not a read).
            let confirmed = cycle.dropFirst().dropLast().allSatisfy { node in
                indexed.metaSignatures[node].map { $0 != "-" && $0 == TicketIndex.statSignature(metaPath(node)) } == true
            }
            if confirmed { throw Self.cycleError(cycle) }
        }
        var edges: [String: [String]] = [:]
        for meta in try scanCases().cases { edges[meta.id] = meta.dependsOn }
        if let cycle = Self.cycle(adding: dependencies, to: id, edges: edges) { throw Self.cycleError(cycle) }
    }

    static func cycleError(_ cycle: [String]) -> ZeroError {
        ZeroError(
            .conflict, "depending on that closes a cycle: " + cycle.map { String($0.prefix(8)) }.joined(separator: " → "),
            hint: "a case cannot wait, directly or through others, for itself")
    }

    /// The cycle the new edges id → d would close, read from id (id → d → … → id), or nil.
    static func cycle(adding dependencies: [String], to id: String, edges: [String: [String]]) -> [String]? {
        // A new edge id → d closes a cycle when id is reachable from d: the
        // shortest such way, read from id, is the cycle to name.
        for dependency in dependencies {
            var cameFrom: [String: String] = [dependency: id]
            var queue = [dependency]
            var index = 0
            var found = dependency == id
            while index < queue.count, !found {
                let node = queue[index]
                index += 1
                for next in edges[node] ?? [] where cameFrom[next] == nil {
                    cameFrom[next] = node
                    if next == id {
                        found = true
                        break
                    }
                    queue.append(next)
                }
            }
            guard found else { continue }
            var cycle = [id]
            var cursor = id
            while let previous = cameFrom[cursor], cycle.count <= cameFrom.count {
                cycle.insert(previous, at: 0)
                if previous == id { break }
                cursor = previous
            }
            return cycle
        }
        return nil
    }
}
