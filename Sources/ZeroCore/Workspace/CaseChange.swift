#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything one mutation of a case reads and changes, loaded under the
/// case's lock. `Workspace.mutateCase` writes what changed, in an order that
/// leaves every file parseable if the process dies half-way.
public struct CaseChange {
    public var meta: CaseMeta
    public private(set) var sessions: [Session]
    /// The case and its sessions as read: what did not change is not rewritten.
    let loadedMeta: CaseMeta
    let loadedSessions: [Int: Session]
    private(set) var changedSessions: Set<Int> = []
    private(set) var newSessionNumber: Int?
    /// New files, written first (artifacts, proofs, final classification).
    var files: [(path: String, bytes: [UInt8])] = []

    init(meta: CaseMeta, sessions: [Session]) {
        self.meta = meta
        self.sessions = sessions
        self.loadedMeta = meta
        // Session files are one per number (the reader refuses a second name
        // for a number), but a duplicate must never trap: keep the first.
        self.loadedSessions = Dictionary(sessions.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
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
    /// then writes what changed (nothing, when nothing did).
    ///
    /// A change of more than one file is first written whole to the case's
    /// intent record (`.intent`); the files follow, then the record goes. A
    /// kill at any instant leaves either no record (nothing or everything
    /// written) or a complete one, which the next command on the case (or
    /// `zero doctor --fix`) finishes before it reads anything.
    @discardableResult
    public func mutateCase<T>(_ id: String, _ body: (inout CaseChange) throws -> T) throws -> T {
        try withCaseLock(id) {
            try finishInterruptedChange(id)
            var change = CaseChange(meta: try loadMeta(id), sessions: try loadSessions(id))
            let result = try body(&change)
            try commit(change)
            return result
        }
    }

    private func commit(_ change: CaseChange) throws {
        let id = change.meta.id
        var plan = IntentRecord()
        for file in change.files { plan.writes.append((try caseRelative(file.path, of: id), file.bytes, nil)) }
        for number in change.changedSessions.sorted() {
            guard let session = change.session(number) else { continue }
            let loaded = change.loadedSessions[number]
            if let loaded, loaded.state.isEnded {
                throw ZeroError(.internal, "refusing to rewrite ended session S\(Timestamp.pad(number, 3)) of case \(id.prefix(8))")
            }
            // Unchanged, the file stays byte for byte as it is.
            if loaded == session { continue }
            plan.writes.append(("sessions/" + Session.fileName(number), Array(session.render().utf8), nil))
        }
        if let newest = change.newSessionNumber {
            plan.link = ("sessions/latest.md", Session.fileName(newest))
        }
        var meta = change.meta
        meta.sessionCount = max(meta.sessionCount, change.sessions.map(\.number).max() ?? 0)
        if plan.writes.isEmpty, plan.link == nil, meta == change.loadedMeta { return }
        meta.updatedAt = now()
        plan.writes.append(("meta.yaml", Array(meta.render().utf8), nil))
        if plan.writes.count + (plan.link == nil ? 0 : 1) > 1 {
            // What each file holds now: a record found later on another branch
            // (the files changed under it) is set aside, not replayed.
            for index in plan.writes.indices { plan.writes[index].before = try currentDigest(caseFolder(id) + "/" + plan.writes[index].path) }
            try writeMemoryFile(plan.encoded(), to: intentPath(id))
            try apply(plan, to: id)
            try FileSystem.remove(intentPath(id))
        } else {
            try apply(plan, to: id)
        }
    }

    func intentPath(_ id: String) -> String { caseFolder(id) + "/.intent" }

    /// `path` as a path inside case `id`'s folder.
    private func caseRelative(_ path: String, of id: String) throws -> String {
        let folder = caseFolder(id) + "/"
        guard path.hasPrefix(folder) else { throw ZeroError(.internal, "refusing to write \(path) outside case \(id.prefix(8))") }
        return String(path.dropFirst(folder.count))
    }

    private func apply(_ plan: IntentRecord, to id: String) throws {
        let folder = caseFolder(id)
        for write in plan.writes where write.path != "meta.yaml" {
            try writeMemoryFile(write.bytes, to: folder + "/" + write.path)
        }
        if let link = plan.link {
            let path = folder + "/" + link.path
            try requireRealFolder(FileSystem.split(path).folder, create: true)
            // Only a link can be replaced by a link: anything else there is moved aside, not lost.
            if case let kind = FileSystem.kind(path), kind != .symlink, kind != .missing {
                _ = try quarantine(path, reason: "latest.md was not a link")
            }
            try FileSystem.replaceSymlink(at: path, target: link.target)
        }
        for write in plan.writes where write.path == "meta.yaml" {
            try writeMemoryFile(write.bytes, to: folder + "/" + write.path)
        }
    }

    /// Under the case lock: completes a change a killed process left in the
    /// intent record, and removes temporary files no live writer can own
    /// (every writer of this case holds the lock we hold). Returns what it did.
    @discardableResult
    func finishInterruptedChange(_ id: String) throws -> [String] {
        var done: [String] = []
        let folder = caseFolder(id)
        for path in try temporaryFiles(inCase: id) {
            try FileSystem.remove(path)
            done.append("removed the leftover temporary file \(relative(path))")
        }
        guard let bytes = try readIntent(id) else { return done }
        guard let plan = IntentRecord(decoding: bytes) else {
            let aside = try quarantine(intentPath(id), reason: "an intent record that does not decode")
            return done + ["moved an unreadable intent record aside to \(relative(aside))"]
        }
        // Each file must still hold what it held before the change, or what the change wrote.
        for write in plan.writes {
            let now = try currentDigest(folder + "/" + write.path)
            guard now == write.before || now == Digest.sha256(write.bytes) else {
                let aside = try quarantine(intentPath(id), reason: "its files changed since it was written (\(write.path)): another branch, or a hand edit")
                return done + ["set aside an interrupted change whose files have changed since (\(write.path)); it is in \(relative(aside))"]
            }
        }
        try apply(plan, to: id)
        try FileSystem.remove(intentPath(id))
        return done + ["finished an interrupted change of \(plan.writes.map(\.path).joined(separator: ", "))"]
    }

    /// The temporary files interrupted writes left in a case's folders. Under
    /// the case lock none can belong to a live writer. A folder that is a link
    /// is refused, or with `refusingLinks: false` skipped.
    func temporaryFiles(inCase id: String, refusingLinks: Bool = true) throws -> [String] {
        var paths: [String] = []
        let folder = caseFolder(id)
        for sub in [folder, folder + "/sessions", folder + "/proofs"] {
            if !refusingLinks, FileSystem.kind(sub) != .folder { continue }
            guard try requireRealFolder(sub, create: false) else { continue }
            for entry in try FileSystem.entries(sub) where entry.kind == .file && FileSystem.isTemporaryName(entry.name) {
                paths.append(sub + "/" + entry.name)
            }
        }
        return paths
    }

    /// SHA-256 of a case file's bytes, nil when it does not exist.
    private func currentDigest(_ path: String) throws -> String? {
        guard let read = try FileSystem.readRegularFile(path, limit: 8 * Self.memoryFileLimit) else { return nil }
        switch read {
        case .success(let bytes): return Digest.sha256(bytes)
        case .failure: return "not a regular file"
        }
    }

    func readIntent(_ id: String) throws -> [UInt8]? {
        guard let read = try FileSystem.readRegularFile(intentPath(id), limit: 8 * Self.memoryFileLimit) else { return nil }
        switch read {
        case .success(let bytes): return bytes
        case .failure: return []
        }
    }

    /// Moves `path` into `zero-memory/.quarantine/`, never deleting it; returns where it went.
    func quarantine(_ path: String, reason: String) throws -> String {
        let folder = memory + "/.quarantine"
        try requireRealFolder(folder, create: true)
        let inside = path.hasPrefix(memory + "/") ? String(path.dropFirst(memory.count + 1)) : relative(path)
        let name = inside.replacing("/", with: "__") + "." + String(now().seconds) + "-" + String(UInt16.random(in: 0...UInt16.max), radix: 16)
        let target = folder + "/" + name
        try invalidatingTicketIndex {
            if rename(path, target) != 0 { throw FileSystem.ioError("cannot move aside", path) }
        }
        try? FileSystem.writeAtomically("\(reason)\n", to: target + ".why")
        return target
    }
}

/// A multi-file change written whole before any of its files: each file's
/// path inside the case folder and bytes, the `latest.md` link, and a
/// SHA-256 over all of it so a damaged record is never replayed.
struct IntentRecord {
    /// Each file's new bytes, and the SHA-256 of what it held before (nil: absent).
    var writes: [(path: String, bytes: [UInt8], before: String?)] = []
    var link: (path: String, target: String)?

    private static let magic = "zero-intent 1\n"

    func encoded() -> [UInt8] {
        var out = Array(Self.magic.utf8)
        for write in writes {
            out += Array("write \(write.path) \(write.bytes.count) \(write.before ?? "-")\n".utf8)
            out += write.bytes
            out.append(0x0A)
        }
        if let link { out += Array("link \(link.path) \(link.target)\n".utf8) }
        out += Array("end \(Digest.sha256(out))\n".utf8)
        return out
    }

    init() {}

    init?(decoding bytes: [UInt8]) {
        guard bytes.starts(with: Array(Self.magic.utf8)) else { return nil }
        var index = Self.magic.utf8.count
        func line() -> String? {
            guard let end = bytes[index...].firstIndex(of: 0x0A) else { return nil }
            defer { index = end + 1 }
            return String(validating: bytes[index..<end], as: UTF8.self)
        }
        while index < bytes.count {
            let start = index
            guard let text = line() else { return nil }
            let parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            switch parts.first {
            case "write":
                guard parts.count == 4, Self.isSafe(parts[1]), let count = Int(parts[2]), count >= 0,
                    count < bytes.count - index, bytes[index + count] == 0x0A,
                    parts[3] == "-" || (parts[3].count == 64 && parts[3].allSatisfy(\.isHexDigit))
                else { return nil }
                writes.append((parts[1], Array(bytes[index..<(index + count)]), parts[3] == "-" ? nil : parts[3]))
                index += count + 1
            case "link":
                guard parts.count == 3, parts[1] == "sessions/latest.md", let number = Session.number(inFileName: parts[2]),
                    Session.fileName(number) == parts[2]
                else { return nil }
                link = (parts[1], parts[2])
            case "end":
                guard parts.count == 2, index == bytes.count, Digest.sha256(Array(bytes[..<start])) == parts[1] else { return nil }
                return
            default:
                return nil
            }
        }
        return nil
    }

    /// One of the files a case change writes: meta, problem definition, code
    /// context, final classification, a session file, a proof or its artifact.
    private static func isSafe(_ path: String) -> Bool {
        switch MemoryPath("zero-memory/cases/00000000-0000-4000-8000-000000000000/" + path) {
        case .meta?, .problem?, .codeContext?, .classification?, .session?, .proof?, .artifact?: true
        default: false
        }
    }
}
