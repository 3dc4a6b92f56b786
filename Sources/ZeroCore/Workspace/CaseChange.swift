/// Everything one mutation of a case reads and changes, loaded under the
/// case's lock. `Workspace.mutateCase` writes what changed, in an order that
/// leaves every file parseable if the process dies half-way.
public struct CaseChange {
    public var meta: CaseMeta
    public private(set) var sessions: [Session]
    /// The state each session had when loaded: an ended one is never rewritten.
    let loadedStates: [Int: SessionState]
    private(set) var changedSessions: Set<Int> = []
    private(set) var newSessionNumber: Int?
    /// New files, written first (artifacts, proofs, final classification).
    var files: [(path: String, bytes: [UInt8])] = []

    init(meta: CaseMeta, sessions: [Session]) {
        self.meta = meta
        self.sessions = sessions
        self.loadedStates = Dictionary(uniqueKeysWithValues: sessions.map { ($0.number, $0.state) })
    }

    /// The session that has not ended, if any (there is at most one).
    public var openSession: Session? { sessions.last(where: { !$0.state.isEnded }) }

    public func session(_ number: Int) -> Session? { sessions.first(where: { $0.number == number }) }

    /// The number the next session gets: one more than the highest file.
    var nextSessionNumber: Int { (sessions.map(\.number).max() ?? 0) + 1 }

    mutating func add(_ session: Session) {
        sessions.append(session)
        changedSessions.insert(session.number)
        newSessionNumber = session.number
    }

    /// Changes session `number` in place.
    mutating func update(_ number: Int, _ body: (inout Session) throws -> Void) rethrows {
        guard let index = sessions.firstIndex(where: { $0.number == number }) else { return }
        try body(&sessions[index])
        changedSessions.insert(number)
    }

    mutating func write(_ text: String, to path: String) {
        files.append((path, Array(text.utf8)))
    }

    mutating func write(_ bytes: [UInt8], to path: String) {
        files.append((path, bytes))
    }
}

extension Workspace {
    /// Runs `body` on case `id` under its lock, re-reading everything first,
    /// then writes: new files, changed sessions, `latest.md`, `meta.yaml`.
    @discardableResult
    public func mutateCase<T>(_ id: String, _ body: (inout CaseChange) throws -> T) throws -> T {
        try FileSystem.createFolder(caseFolder(id))
        return try FileLock.withLock(caseFolder(id) + "/.lock", what: "case \(id.prefix(8))") {
            var change = CaseChange(meta: try loadMeta(id), sessions: try loadSessions(id))
            let result = try body(&change)
            try commit(change)
            return result
        }
    }

    private func commit(_ change: CaseChange) throws {
        let id = change.meta.id
        for file in change.files {
            try FileSystem.createFolder(FileSystem.split(file.path).folder)
            try FileSystem.writeAtomically(file.bytes, to: file.path)
        }
        if !change.changedSessions.isEmpty { try FileSystem.createFolder(sessionsFolder(id)) }
        for number in change.changedSessions.sorted() {
            guard let session = change.session(number) else { continue }
            if let before = change.loadedStates[number], before.isEnded {
                throw ZeroError(.internal, "refusing to rewrite ended session S\(Timestamp.pad(number, 3)) of case \(id.prefix(8))")
            }
            try FileSystem.writeAtomically(session.render(), to: sessionPath(id, number))
        }
        if let newest = change.newSessionNumber {
            try FileSystem.replaceSymlink(at: sessionsFolder(id) + "/latest.md", target: Session.fileName(newest))
        }
        var meta = change.meta
        meta.sessionCount = max(meta.sessionCount, change.sessions.map(\.number).max() ?? 0)
        meta.updatedAt = now()
        try FileSystem.writeAtomically(meta.render(), to: metaPath(id))
    }
}
