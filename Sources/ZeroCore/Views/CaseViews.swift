/// What the read commands show, computed once here and returned as values:
/// the CLI prints them as text or JSON, the HTTP server and MCP serve the
/// same values. No face assembles a view by itself.

/// Which cases `case list` (and `GET /cases`) shows.
public struct CaseFilter: Sendable, Equatable {
    public var states: [CaseState] = []
    /// Include broken cases even when a state filter is given (the "BROKEN" state).
    public var includeBroken = false
    public var tag: String?
    public var type: CaseType?
    public var outcome: Outcome?

    public init() {}

    /// Parses state names as a user types them ("open", "IMPLEMENTING", "broken").
    public mutating func addStates(_ names: [String]) throws {
        for name in names {
            if name.uppercased() == "BROKEN" {
                includeBroken = true
                continue
            }
            guard let state = CaseState(loose: name) else {
                throw ZeroError(
                    .usage, "'\(name)' is not a case state",
                    hint: "use one of \(CaseState.allCases.map(\.rawValue).joined(separator: ", ")), or BROKEN")
            }
            states.append(state)
        }
    }

    var isEmpty: Bool { states.isEmpty && !includeBroken && tag == nil && type == nil && outcome == nil }

    func admits(_ meta: CaseMeta) -> Bool {
        (states.isEmpty ? !includeBroken : states.contains(meta.state)) && (tag.map { meta.tags.contains($0.lowercased()) } ?? true)
            && (type.map { meta.type == $0 } ?? true) && (outcome.map { meta.outcome == $0 } ?? true)
    }

    /// A broken case has no state, tag or type to filter on: it shows unless a filter asks for something it cannot match.
    var admitsBroken: Bool { tag == nil && type == nil && outcome == nil && (states.isEmpty || includeBroken) }
}

/// The cases a filter selects, oldest first, and the broken ones with why.
public struct CaseListView: Sendable, Encodable {
    public var cases: [CaseMeta]
    public var broken: [BrokenCase]
    /// Whether a filter was given (an empty list then means "none match").
    public var filtered: Bool

    /// JSON: one array, broken cases last with `"state": "BROKEN"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for meta in cases { try container.encode(meta) }
        for item in broken { try container.encode(item) }
    }
}

/// One line of a case's history.
public struct CaseLogEntry: Sendable, Encodable, Equatable {
    public var at: Timestamp
    public var session: Int?
    public var kind: String
    public var detail: String

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(at, forKey: .at)
        try container.encode(session, forKey: .session)
        try container.encode(kind, forKey: .kind)
        try container.encode(detail, forKey: .detail)
    }

    private enum Keys: String, CodingKey { case at, session, kind, detail }
}

/// A case's history: its creation, every session event, and the commits
/// linked to it, in time order (ties keep the order they were recorded in).
public struct CaseLogView: Sendable, Encodable {
    public var meta: CaseMeta
    public var entries: [CaseLogEntry]

    /// JSON: the entries (the shape `zero case log --json` has always had).
    public func encode(to encoder: any Encoder) throws {
        try entries.encode(to: encoder)
    }
}

/// One memory file as an agent loads it.
public struct MemoryFileView: Sendable, Encodable, Equatable {
    public var path: String
    public var text: String
}

/// What an agent loads before a session on a case: the workspace's global
/// memory (architecture, decisions, risks, system map), the case's problem
/// definition, code context and final classification, its latest session,
/// and the list of its proofs.
public struct CaseMemoryView: Sendable, Encodable {
    public var meta: CaseMeta
    public var files: [MemoryFileView]
    public var proofs: [Proof]

    enum CodingKeys: String, CodingKey { case meta = "case", files, proofs }
}

/// The commits a session's trailers link, with their diff stats.
public struct SessionDiffView: Sendable, Encodable {
    public var caseID: String
    public var session: Int
    public var diff: DiffStat
    public var commits: [LinkedCommit]

    enum CodingKeys: String, CodingKey { case caseID = "case_id", session, diff, commits }
}

extension Workspace {
    public func caseList(_ filter: CaseFilter) throws -> CaseListView {
        let listing = try scanCases()
        return CaseListView(
            cases: listing.cases.filter(filter.admits), broken: filter.admitsBroken ? listing.broken : [],
            filtered: !filter.isEmpty)
    }

    public func caseLog(_ reference: String) throws -> CaseLogView {
        let caseID = try resolveCase(reference)
        let meta = try loadMeta(caseID)
        var entries = [CaseLogEntry(at: meta.createdAt, session: nil, kind: "case_created", detail: meta.title)]
        for session in try loadSessions(caseID) {
            entries += session.events.map { CaseLogEntry(at: $0.at, session: session.number, kind: $0.kind, detail: $0.detail) }
        }
        // Commits that carry the case's trailers, when git can be read.
        for commit in (try? linkedCommits(caseID)) ?? [] {
            entries.append(
                CaseLogEntry(
                    at: commit.time, session: commit.session, kind: "commit",
                    detail: "\(commit.id.prefix(12)) \(commit.summary) (+\(commit.additions) -\(commit.deletions))"))
        }
        entries = entries.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        return CaseLogView(meta: meta, entries: entries)
    }

    public func caseMemory(_ reference: String) throws -> CaseMemoryView {
        let caseID = try resolveCase(reference)
        let meta = try loadMeta(caseID)
        var files: [MemoryFileView] = []
        let global = memory + "/global"
        if try requireRealFolder(global, create: false) {
            for name in try FileSystem.list(global).sorted() where name.hasSuffix(".md") && !name.hasPrefix(".") {
                if let text = try readMemoryText(global + "/" + name) { files.append(MemoryFileView(path: relative(global + "/" + name), text: text)) }
            }
        }
        for name in ["problem-definition.md", "code-context.md", "final-classification.md"] {
            let path = caseFolder(caseID) + "/" + name
            if let text = try readMemoryText(path) { files.append(MemoryFileView(path: relative(path), text: text)) }
        }
        if let latest = try loadSessions(caseID).last {
            files.append(MemoryFileView(path: relative(sessionPath(caseID, latest.number)), text: latest.render()))
        }
        return CaseMemoryView(meta: meta, files: files, proofs: try loadProofs(caseID))
    }

    /// The session's linked commits; without a number, the case's newest
    /// implementing session (the one whose diff an operator reviews), else its newest.
    public func sessionDiffView(_ reference: SessionReference) throws -> SessionDiffView {
        let caseID = try resolveCase(reference.caseReference)
        var number = reference.number
        if number == nil {
            let sessions = try loadSessions(caseID)
            number = sessions.last(where: { $0.type == .implementing })?.number ?? sessions.last?.number
        }
        guard let number else {
            throw ZeroError(.notFound, "case \(caseID.prefix(8)) has no sessions", hint: "start one: 'zero session new \(caseID.prefix(8)) --type planning'")
        }
        let diff = try sessionDiff(caseID, session: number)
        return SessionDiffView(caseID: caseID, session: number, diff: diff.stat, commits: diff.commits)
    }
}

/// One case whole: `case show` and `GET /cases/:id`.
public struct CaseDetailView: Sendable, Encodable {
    public var meta: CaseMeta
    /// The problem definition as written, or null when the file is missing.
    public var problem: MemoryDocument?
    public var sessions: [Session]
    public var proofs: [Proof]

    enum CodingKeys: String, CodingKey { case meta = "case", problem = "problem_definition", sessions, proofs }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(meta, forKey: .meta)
        try container.encode(problem?.render(), forKey: .problem)
        try container.encode(sessions, forKey: .sessions)
        try container.encode(proofs, forKey: .proofs)
    }
}

/// One session with the case it belongs to; JSON is the session alone.
public struct SessionDetailView: Sendable, Encodable {
    public var meta: CaseMeta
    public var session: Session

    public func encode(to encoder: any Encoder) throws { try session.encode(to: encoder) }
}

/// A case's sessions (`session list`); JSON is the array.
public struct SessionListView: Sendable, Encodable {
    public var caseID: String
    public var sessions: [Session]

    public func encode(to encoder: any Encoder) throws { try sessions.encode(to: encoder) }
}

/// A case's proofs (`proof list`); JSON is the array.
public struct ProofListView: Sendable, Encodable {
    public var caseID: String
    public var proofs: [Proof]

    public func encode(to encoder: any Encoder) throws { try proofs.encode(to: encoder) }
}

extension Workspace {
    public func caseDetail(_ reference: String) throws -> CaseDetailView {
        let caseID = try resolveCase(reference)
        return CaseDetailView(
            meta: try loadMeta(caseID), problem: try loadProblem(caseID), sessions: try loadSessions(caseID),
            proofs: try loadProofs(caseID))
    }

    public func sessionDetail(_ reference: SessionReference) throws -> SessionDetailView {
        let found = try findSession(reference)
        return SessionDetailView(meta: found.meta, session: found.session)
    }

    public func sessionList(_ reference: String) throws -> SessionListView {
        let caseID = try resolveCase(reference)
        return SessionListView(caseID: caseID, sessions: try loadSessions(caseID))
    }

    public func proofList(_ reference: String) throws -> ProofListView {
        let caseID = try resolveCase(reference)
        return ProofListView(caseID: caseID, proofs: try loadProofs(caseID))
    }
}
