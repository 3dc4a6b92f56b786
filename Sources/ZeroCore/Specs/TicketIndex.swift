#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The tickets with every status already computed: what `zero ready`,
/// `zero blocked` and `zero waves` print. It is cut from a full read of the
/// files (`TicketBoard`) or loaded from the ticket index in the git dir.
public struct TicketListing: Sendable {
    public struct Entry: Sendable, Equatable {
        public var summary: TicketSummary
        public var reason: PendingReason?
        /// Delivered (see `TicketGraph.isDone`); a done ticket can still show
        /// as pending when it carries a block reason.
        public var done: Bool
    }

    /// Tickets in scope (cases with a spec, or of type ticket), oldest first.
    public var entries: [Entry]
    /// The dependencies of the other cases that have some: with the tickets',
    /// every edge of the graph, for the cycle check.
    public var otherDependencies: [String: [String]] = [:]
    /// Each case's meta.yaml stat signature, taken before it was read (read
    /// back from the index only): what the cycle check confirms its path with.
    var metaSignatures: [String: String] = [:]

    public init(entries: [Entry], otherDependencies: [String: [String]] = [:]) {
        self.entries = entries
        self.otherDependencies = otherDependencies
    }

    /// Only the tickets of specification `id`.
    public func only(spec id: String?) -> TicketListing {
        guard let id else { return self }
        return TicketListing(entries: entries.filter { $0.summary.spec == id })
    }

    /// Every dependency edge of every case.
    public var dependencies: [String: [String]] {
        var edges = otherDependencies
        for entry in entries { edges[entry.summary.id] = entry.summary.dependsOn }
        return edges
    }

    public func ready(limit: Int? = nil) -> ReadyView {
        let ready = entries.map(\.summary).filter { $0.status == .ready }.sorted {
            (TicketBoard.priorityRank($0.priority), $0.wave, $0.createdAt, $0.id)
                < (TicketBoard.priorityRank($1.priority), $1.wave, $1.createdAt, $1.id)
        }
        return ReadyView(tickets: limit.map { Array(ready.prefix($0)) } ?? ready, total: ready.count)
    }

    public func blocked() -> BlockedView {
        BlockedView(tickets: entries.compactMap { entry in entry.reason.map { BlockedView.Item(ticket: entry.summary, reason: $0) } })
    }

    public func wavesView() -> WavesView {
        var layers: [Int: [TicketSummary]] = [:]
        var dependencies: [String: [String]] = [:]
        var done: Set<String> = []
        var waves: [String: Int] = [:]
        for entry in entries {
            layers[entry.summary.wave, default: []].append(entry.summary)
            dependencies[entry.summary.id] = entry.summary.dependsOn
            waves[entry.summary.id] = entry.summary.wave
            if entry.done { done.insert(entry.summary.id) }
        }
        return WavesView(
            waves: layers.keys.sorted().map { WavesView.Wave(wave: $0, tickets: layers[$0] ?? []) },
            criticalPath: TicketGraph.criticalPath(
                among: Set(dependencies.keys), waves: waves, dependsOn: { dependencies[$0] ?? [] }, isDone: { done.contains($0) }))
    }
}

/// The derived ticket index: `<git dir>/zero/tickets`, one line per ticket
/// with its computed status, so `zero ready` reads one file instead of every
/// case. It is never committed and never the truth: commands that change
/// anything read the files themselves, and the index is thrown away when its
/// key no longer matches.
///
/// The key is what can change the answer without zero knowing, read cheaply:
/// the commit HEAD names and the git index file (every checkout, merge, pull,
/// reset, commit and `git add` rewrites it), `config.yaml` (`ticket_done`),
/// the `cases/` folder (a case folder added or removed), and a stamp that
/// zero replaces before each write under `zero-memory/`. Stat data are
/// mtime and ctime in nanoseconds, size and inode, so neither `touch -d` nor
/// a same-size rewrite goes unseen.
///
/// Writers and builders agree through `tickets.lock`: a writer holds it shared
/// while it replaces the stamp and writes, a builder takes it exclusively
/// only to read the key before it reads the files. So a write the builder's
/// read may have missed always changed the stamp after the key was taken, and
/// the index it writes is stale on arrival, never trusted. A writer killed at
/// any instant has already replaced the stamp.
///
/// What the key cannot see is a memory file edited in place by hand (or by
/// `git apply`) and not yet staged: checking every file would cost a stat per
/// case (about 13 ms for 10 000 on these machines, most of the budget).
/// `zero ready --fresh` reads the files, and `zero doctor` compares the index
/// with them.
enum TicketIndex {
    static let header = "zero-tickets 2"

    struct Key: Equatable {
        var fields: [String]

        var line: String { "key\t" + fields.joined(separator: "\t") }
    }

    /// What a build records besides the listing: its key and each meta.yaml's
    /// stat signature, both taken before the files are read.
    struct Build {
        var key: Key
        var metaSignatures: [String: String]
    }

    static func statSignature(_ path: String) -> String {
        var info = stat()
        guard lstat(path, &info) == 0 else { return "-" }
        return "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec):\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec):\(info.st_size):\(info.st_ino)"
    }

    // MARK: Encoding

    /// Backslash, tab and newline escaped, so a field never splits a line.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 92 || $0 == 9 || $0 == 10 || $0 == 13 }) else { return text }
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    static func unescape(_ text: Substring) -> String {
        guard text.utf8.contains(92) else { return String(text) }
        var out = ""
        var escaped = false
        for character in text.unicodeScalars {
            if escaped {
                switch character {
                case "t": out += "\t"
                case "n": out += "\n"
                case "r": out += "\r"
                default: out.unicodeScalars.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// The status comes first, so a reader after one status skips the other lines unread.
    static func encode(_ listing: TicketListing, build: Build) -> String {
        var text = header + "\n" + build.key.line + "\n"
        for entry in listing.entries {
            let ticket = entry.summary
            let fields: [String] = [
                ticket.status.rawValue, ticket.id, entry.done ? "1" : "0", ticket.state.rawValue, ticket.priority.rawValue,
                ticket.spec ?? "", ticket.epic.map(String.init) ?? "", String(ticket.wave), ticket.createdAt.description,
                ticket.dependsOn.joined(separator: ","),
                entry.reason == nil ? "-" : "+", (entry.reason?.waitingFor ?? []).joined(separator: ","),
                (entry.reason?.missing ?? []).joined(separator: ","), entry.reason?.blockedReason.map { "=" + escape($0) } ?? "-",
                escape(ticket.title), build.metaSignatures[ticket.id] ?? "-",
            ]
            text += fields.joined(separator: "\t") + "\n"
        }
        for (id, dependencies) in listing.otherDependencies.sorted(by: { $0.key < $1.key }) {
            text += "x\t" + id + "\t" + dependencies.joined(separator: ",") + "\t" + (build.metaSignatures[id] ?? "-") + "\n"
        }
        return text
    }

    /// The entries of an index whose key is `key` (nil when it is another, or
    /// the file is not one), only those with a status in `statuses` when given.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, key: Key, statuses: Set<TicketStatus>?) -> TicketListing? {
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)[...]
        guard lines.count >= 3, lines.last?.isEmpty == true else { return nil }
        lines.removeLast()
        guard String(decoding: lines.removeFirst(), as: UTF8.self) == header,
            String(decoding: lines.removeFirst(), as: UTF8.self) == key.line
        else { return nil }
        let wanted = statuses.map { Set($0.map { Array($0.rawValue.utf8) + [9] }) }
        var listing = TicketListing(entries: [])
        listing.entries.reserveCapacity(lines.count)
        for line in lines {
            if line.starts(with: [120, 9]) {
                guard statuses == nil else { continue }
                let fields = line.split(separator: 9, omittingEmptySubsequences: false)
                guard fields.count == 4 else { return nil }
                let id = String(decoding: fields[1], as: UTF8.self)
                listing.otherDependencies[id] = ids(fields[2])
                listing.metaSignatures[id] = String(decoding: fields[3], as: UTF8.self)
                continue
            }
            if let wanted, !wanted.contains(where: { line.starts(with: $0) }) { continue }
            guard let (entry, signature) = decodeEntry(line) else { return nil }
            listing.entries.append(entry)
            if statuses == nil { listing.metaSignatures[entry.summary.id] = signature }
        }
        return listing
    }

    /// A comma-separated list of case ids.
    static func ids(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> [String] {
        field.split(separator: 44).map { String(decoding: $0, as: UTF8.self) }
    }

    /// One line, read as bytes: the index is read on every `zero ready`, and
    /// splitting Swift strings by characters costs more than the rest together.
    static func decodeEntry(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> (TicketListing.Entry, String)? {
        let fields = line.split(separator: 9, omittingEmptySubsequences: false)
        guard fields.count == 16 else { return nil }
        func text(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> String { String(decoding: field, as: UTF8.self) }
        guard let status = TicketStatus(rawValue: text(fields[0])), let state = CaseState(rawValue: text(fields[3])),
            let priority = Priority(rawValue: text(fields[4])), let wave = Int(text(fields[7])), let created = Timestamp(text(fields[8]))
        else { return nil }
        let summary = TicketSummary(
            id: text(fields[1]), title: unescape(text(fields[14])[...]), status: status, state: state, priority: priority,
            spec: fields[5].isEmpty ? nil : text(fields[5]), epic: Int(text(fields[6])), wave: wave, dependsOn: ids(fields[9]),
            createdAt: created)
        var reason: PendingReason?
        if text(fields[10]) == "+" {
            let blocked = text(fields[13])
            reason = PendingReason(
                blockedReason: blocked == "-" ? nil : unescape(blocked.dropFirst()), waitingFor: ids(fields[11]), missing: ids(fields[12]))
        }
        return (TicketListing.Entry(summary: summary, reason: reason, done: fields[2].first == 49), text(fields[15]))
    }
}

extension Workspace {
    var ticketIndexFolder: String? { (try? gitLocations()).map { $0.gitDir + "/zero" } }

    /// The key of the ticket index as the files stand now.
    func ticketIndexKey() -> TicketIndex.Key? {
        guard let locations = try? gitLocations(), let folder = ticketIndexFolder else { return nil }
        let stamp = (try? FileSystem.readText(folder + "/tickets-stamp"))?.trimming("\n") ?? "-"
        return TicketIndex.Key(fields: [
            stamp, locations.headCommit() ?? "-", TicketIndex.statSignature(locations.gitDir + "/index"),
            TicketIndex.statSignature(casesFolder), TicketIndex.statSignature(memory + "/config.yaml"),
        ])
    }

    /// The tickets of `specReference` (all when nil), from the index when its
    /// key matches the files, otherwise read from the files (and the index
    /// rewritten). Only entries with a status in `statuses` when given.
    public func ticketListing(spec specReference: String? = nil, statuses: Set<TicketStatus>? = nil, fresh: Bool = false) throws -> TicketListing {
        let spec = try specReference.map { try resolveSpec($0) }
        if !fresh, let key = ticketIndexKey(), let folder = ticketIndexFolder,
            let listing = try? FileSystem.withMappedFile(folder + "/tickets", { TicketIndex.decode($0, key: key, statuses: statuses) }),
            let listing
        {
            return listing.only(spec: spec)
        }
        let build = ticketIndexBuild()
        var all = try ticketBoard().listing
        if let build {
            recordTicketIndex(all, build)
            all.metaSignatures = build.metaSignatures
        }
        var listing = all.only(spec: spec)
        if let statuses { listing.entries.removeAll { !statuses.contains($0.summary.status) } }
        return listing
    }

    /// The key to record with an index about to be built from the files: read
    /// while no zero process is between replacing the stamp and writing. Nil
    /// when the lock is not free soon (then the listing is not recorded).
    /// Then each meta.yaml's stat signature, before any is read: a file that
    /// changes afterwards no longer matches what the index says of it.
    func ticketIndexBuild() -> TicketIndex.Build? {
        guard let folder = ticketIndexFolder, (try? FileSystem.createFolder(folder)) != nil,
            let key = try? FileLock.withLock(folder + "/tickets.lock", what: "the ticket index", timeoutMilliseconds: 200, { ticketIndexKey() })
        else { return nil }
        var signatures: [String: String] = [:]
        for name in (try? FileSystem.list(casesFolder)) ?? [] where CaseID.isValid(name) {
            signatures[name] = TicketIndex.statSignature(metaPath(name))
        }
        return TicketIndex.Build(key: key, metaSignatures: signatures)
    }

    func recordTicketIndex(_ listing: TicketListing, _ build: TicketIndex.Build) {
        guard let folder = ticketIndexFolder else { return }
        try? FileSystem.writeAtomically(TicketIndex.encode(listing, build: build), to: folder + "/tickets")
    }

    /// Runs a write under `zero-memory/` that may change a ticket's status:
    /// the stamp is replaced first, holding the index lock shared, so no
    /// index built from files read before the write can ever match again.
    func invalidatingTicketIndex<T>(_ body: () throws -> T) throws -> T {
        guard let folder = ticketIndexFolder, (try? FileSystem.createFolder(folder)) != nil else { return try body() }
        return try FileLock.withLock(folder + "/tickets.lock", what: "the ticket index", timeoutMilliseconds: environment.lockTimeoutMilliseconds, shared: true) {
            let stamp = String(UInt64.random(in: 0...UInt64.max), radix: 16) + "-" + String(getpid())
            try FileSystem.writeAtomically(stamp + "\n", to: folder + "/tickets-stamp", sync: false)
            return try body()
        }
    }
}
