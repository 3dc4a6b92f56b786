import ZeroGit

/// A commit linked to a session by its trailers.
public struct LinkedCommit: Sendable, Encodable, Equatable {
    public var id: String
    public var session: Int
    public var summary: String
    public var author: String
    public var time: Timestamp
    public var files: [String]
    public var additions: Int
    public var deletions: Int
}

/// The derived link index: which commits since adoption carry which trailers,
/// and, once computed, each linked commit's details. It lives in the git dir,
/// is rebuilt whenever it does not describe an ancestor of HEAD, and is never
/// the truth: the commits are.
struct LinkCache {
    struct Entry {
        var commit: String
        var caseID: String
        var session: Int
        /// Filled the first time the commit is asked for.
        var details: LinkedCommit?
    }

    var tip: String
    var entries: [Entry]

    static let header = "zero-links 2"

    /// Reads the cache; nil when missing or not in this format. With `onlyCase`,
    /// lines of other cases are skipped without being parsed (a warm query).
    static func read(_ path: String, onlyCase: String? = nil) -> LinkCache? {
        let wantedCase = onlyCase.map { Array($0.utf8) }
        guard let bytes = try? FileSystem.readBytes(path) else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> LinkCache? in
            let lines = ByteText.lineRanges(buffer)
            guard lines.count >= 2, ByteText.string(buffer, lines[0]) == header, ByteText.hasPrefix(buffer, lines[1], "tip ") else { return nil }
            let tip = ByteText.string(buffer, (lines[1].lowerBound + 4)..<lines[1].upperBound)
            var entries: [Entry] = []
            entries.reserveCapacity(lines.count - 2)
            for line in lines.dropFirst(2) {
                // Lines start with 40 hex digits, a space and the 36-character case id.
                if let wantedCase, line.count > 77, !wantedCase.indices.allSatisfy({ buffer[line.lowerBound + 41 + $0] == wantedCase[$0] }) { continue }
                // "<commit> <case> <session>" or, with details, "... <time> <additions> <deletions>\t<author>\t<summary>\t<file>\t…"
                let text = ByteText.string(buffer, line)
                let parts = text.split(separator: "\t", omittingEmptySubsequences: false)
                let fields = parts[0].split(separator: " ")
                guard fields.count == 3 || fields.count == 6, let number = Int(fields[2]) else { return nil }
                var entry = Entry(commit: String(fields[0]), caseID: String(fields[1]), session: number)
                if fields.count == 6, parts.count >= 3, let time = Int(fields[3]), let additions = Int(fields[4]), let deletions = Int(fields[5]) {
                    entry.details = LinkedCommit(
                        id: entry.commit, session: number, summary: String(parts[2]), author: String(parts[1]),
                        time: Timestamp(seconds: time), files: parts.dropFirst(3).map(String.init),
                        additions: additions, deletions: deletions)
                }
                entries.append(entry)
            }
            return LinkCache(tip: tip, entries: entries)
        }
    }

    func write(_ path: String) throws {
        var text = Self.header + "\ntip \(tip)\n"
        for entry in entries {
            text += "\(entry.commit) \(entry.caseID) \(entry.session)"
            if let details = entry.details {
                let clean = { (value: String) in value.replacing("\t", with: " ").replacing("\n", with: " ") }
                text += " \(details.time.seconds) \(details.additions) \(details.deletions)\t\(clean(details.author))\t\(clean(details.summary))"
                for file in details.files { text += "\t" + clean(file) }
            }
            text += "\n"
        }
        try FileSystem.createFolder(FileSystem.split(path).folder)
        try FileSystem.writeAtomically(text, to: path)
    }
}

extension Workspace {
    /// Commits since adoption whose trailers name `caseID` (and `session`, when
    /// given), newest first, with their diff stats over code (zero-memory/ left out).
    public func linkedCommits(_ caseID: String, session: Int? = nil) throws -> [LinkedCommit] {
        let wanted = { (entry: LinkCache.Entry) in entry.caseID == caseID && (session == nil || entry.session == session) }
        // Warm: the cache describes HEAD and already holds the details asked for; libgit2 is not even loaded.
        if let locations = try? gitLocations(), let cache = LinkCache.read(locations.linkCache, onlyCase: caseID), cache.tip == locations.headCommit(),
            cache.entries.filter(wanted).allSatisfy({ $0.details != nil })
        {
            return cache.entries.filter(wanted).compactMap(\.details)
        }
        let repository = try historyRepository()
        var cache = try linkIndex(repository)
        var changed = false
        for index in cache.entries.indices where wanted(cache.entries[index]) && cache.entries[index].details == nil {
            let entry = cache.entries[index]
            let info = try repository.commit(entry.commit)
            let stat = try repository.diffStat(entry.commit, excluding: MemoryPath.prefix)
            cache.entries[index].details = LinkedCommit(
                id: entry.commit, session: entry.session, summary: info.summary, author: info.author,
                time: Timestamp(seconds: info.time), files: stat.files,
                additions: stat.additions, deletions: stat.deletions)
            changed = true
        }
        if changed { try? cache.write(try gitLocations().linkCache) }
        return cache.entries.filter(wanted).compactMap(\.details)
    }

    /// The combined diff stat of a session's commits: distinct files, total lines.
    public func sessionDiff(_ caseID: String, session: Int) throws -> (commits: [LinkedCommit], stat: DiffStat) {
        // Commits that only carry memory (zero-memory/) changed no code.
        let commits = try linkedCommits(caseID, session: session).filter { !$0.files.isEmpty }
        let files = Set(commits.flatMap(\.files))
        return (
            commits,
            DiffStat(
                files: files.count, additions: commits.reduce(0) { $0 + $1.additions },
                deletions: commits.reduce(0) { $0 + $1.deletions })
        )
    }

    /// Every (commit, case, session) link from HEAD back to the adoption point, newest first.
    func linkIndex(_ repository: Repository) throws -> LinkCache {
        let path = try gitLocations().linkCache
        guard let head = try repository.headCommit() else { return LinkCache(tip: "", entries: []) }
        let cached = LinkCache.read(path)
        if let cached, cached.tip == head { return cached }
        var hiding: [String] = []
        var kept: [LinkCache.Entry] = []
        if let cached, (try? repository.isDescendant(head, of: cached.tip)) == true {
            hiding = [cached.tip]
            kept = cached.entries
        }
        // Adoption is when zero-memory/ appears in the root tree: a small tree to read per commit,
        // in the same lookup that reads the message.
        var fresh: [LinkCache.Entry] = []
        _ = try repository.commitsBack(from: head, hiding: hiding) { commit in
            guard let message = try repository.messageIfRoot(has: Self.folderName, in: commit) else { return true }
            // Only messages that mention the trailer need the parser.
            if message.contains("Zero-Case"), let link = try sessionLink(trailers: try repository.trailers(message)) {
                fresh.append(LinkCache.Entry(commit: commit, caseID: link.caseID, session: link.number))
            }
            return false
        }
        let cache = LinkCache(tip: head, entries: fresh + kept)
        try? cache.write(path)
        return cache
    }
}
