/// Three-way merges of memory files for `zero merge-driver` (registered by
/// `zero init` through `zero-memory/.gitattributes`), so that two branches
/// that touched one case merge the way its files mean, not line by line:
///
/// - `meta.yaml` merges key by key: a key one side changed takes that side;
///   `updated_at` and `session_count` take the larger; `tags` and
///   `depends_on` merge as sets; a conflict is left only where both sides
///   set one key to different values.
/// - a session file merges section by section, and its `## Events` (append
///   only) as the union of both sides in time order. Two different sessions
///   under one number (both branches added `003.md`) cannot share a file:
///   that is a conflict `zero doctor --fix` resolves by renumbering.
public enum MemoryMerge {
    public struct Outcome: Sendable {
        /// The merged file, with conflict markers where `conflicts` is not empty.
        public var text: String
        public var conflicts: [String]
        /// Both sides added a different session under the same number.
        public var twoSessions = false
    }

    /// Merges `ours` and `theirs` from their common `base` (nil when both added
    /// the file). Throws when a side does not parse: the caller merges as text.
    public static func merge(path: String, base: String?, ours: String, theirs: String) throws -> Outcome {
        switch MemoryPath(path) {
        case .meta?: return try mergeMeta(base: base, ours: ours, theirs: theirs, file: path)
        case .session?: return try mergeSession(base: base, ours: ours, theirs: theirs, file: path)
        default: throw ZeroError(.usage, "\(path) is not a file zero merges by its meaning")
        }
    }

    // MARK: meta.yaml

    static func mergeMeta(base: String?, ours: String, theirs: String, file: String) throws -> Outcome {
        let read = { (text: String) in try MemoryDocument.parse(text, file: file, expectsTitle: false).header }
        let merged = try mergeHeaders(base: try base.map(read), ours: try read(ours), theirs: try read(theirs))
        let text = render(merged)
        // A clean result must read as a case; if it does not, git's markers say so instead.
        if merged.conflicts.isEmpty, (try? CaseMeta.parse(text, file: file)) == nil {
            return Outcome(text: conflictFile(ours, theirs), conflicts: ["the merged meta.yaml does not read"])
        }
        return Outcome(text: text, conflicts: merged.conflicts)
    }

    /// The merged fields, and the keys both sides changed differently.
    struct MergedHeader {
        var header = Header()
        /// key → (ours, theirs), in the place of the key.
        var clashes: [String: (ours: HeaderField?, theirs: HeaderField?)] = [:]
        var conflicts: [String] { header.fields.map(\.key).filter { clashes[$0] != nil } }
    }

    static let largerWins: Set<String> = ["updated_at", "session_count", "completed_at"]
    static let setValued: Set<String> = ["tags", "depends_on"]

    static func mergeHeaders(base: Header?, ours: Header, theirs: Header) throws -> MergedHeader {
        var merged = MergedHeader()
        merged.header.trailingComments = ours.trailingComments + theirs.trailingComments.filter { !ours.trailingComments.contains($0) }
        var keys = ours.fields.map(\.key)
        for field in theirs.fields where !keys.contains(field.key) { keys.append(field.key) }
        func field(_ header: Header?, _ key: String) -> HeaderField? { header?.fields.first { $0.key == key } }
        for key in keys {
            let o = field(base, key), a = field(ours, key), b = field(theirs, key)
            let chosen: HeaderField?
            if a?.value == b?.value {
                chosen = a ?? b
            } else if a?.value == o?.value {
                chosen = b
            } else if b?.value == o?.value {
                chosen = a
            } else if largerWins.contains(key), let x = a?.value.string, let y = b?.value.string {
                chosen = larger(x, y) == x ? a : b
            } else if setValued.contains(key) {
                chosen = HeaderField(key, .list(mergeSets(base: o?.value, ours: a?.value, theirs: b?.value)))
            } else {
                merged.clashes[key] = (a, b)
                chosen = a ?? b ?? HeaderField(key, .null)
            }
            if var chosen {
                // Comments: ours where ours has them, else theirs; a comment is never dropped by a merge.
                chosen.leadingComments = (a?.leadingComments.isEmpty == false ? a?.leadingComments : b?.leadingComments) ?? []
                chosen.inlineComment = a?.inlineComment ?? b?.inlineComment
                merged.header.fields.append(chosen)
            }
        }
        return merged
    }

    /// Times and counts: the later or the larger (times in one format sort as text).
    private static func larger(_ x: String, _ y: String) -> String {
        if let a = Int(x), let b = Int(y) { return a >= b ? x : y }
        return x >= y ? x : y
    }

    private static func items(_ value: HeaderValue?) -> [String] {
        switch value {
        case .list(let items)?: items
        case let value? where value.string != nil: [value.string!]
        default: []
        }
    }

    /// Both sides' items, less what either side removed from the base, in ours' order.
    private static func mergeSets(base: HeaderValue?, ours: HeaderValue?, theirs: HeaderValue?) -> [String] {
        let o = items(base), a = items(ours), b = items(theirs)
        let removed = Set(o).subtracting(a).union(Set(o).subtracting(b))
        var result: [String] = []
        for item in a + b where !removed.contains(item) && !result.contains(item) { result.append(item) }
        return result
    }

    /// The header with git's conflict markers around each clashing key.
    private static func render(_ merged: MergedHeader) -> String {
        var out = ""
        for field in merged.header.fields {
            guard let clash = merged.clashes[field.key] else {
                out += HeaderWriter.render(Header(fields: [field]))
                continue
            }
            out += "<<<<<<< ours\n" + (clash.ours.map { HeaderWriter.render(Header(fields: [$0])) } ?? "")
            out += "=======\n" + (clash.theirs.map { HeaderWriter.render(Header(fields: [$0])) } ?? "") + ">>>>>>> theirs\n"
        }
        for comment in merged.header.trailingComments { out += comment + "\n" }
        return out
    }

    // MARK: Sessions

    static func mergeSession(base: String?, ours: String, theirs: String, file: String) throws -> Outcome {
        let a = try Session.parse(ours, file: file), b = try Session.parse(theirs, file: file)
        let o = try base.map { try Session.parse($0, file: file) }
        if a.startedAt != b.startedAt || a.caseID != b.caseID || a.type != b.type {
            return Outcome(text: ours, conflicts: ["the whole session"], twoSessions: true)
        }
        if a == b { return Outcome(text: ours, conflicts: []) }
        // An ended session is sealed: it wins over an earlier snapshot of itself;
        // two different ends cannot both be kept in one file.
        if a.seal != nil || b.seal != nil {
            if a.seal != nil, b.seal == nil, isPrefix(b, of: a) { return Outcome(text: ours, conflicts: []) }
            if b.seal != nil, a.seal == nil, isPrefix(a, of: b) { return Outcome(text: theirs, conflicts: []) }
            return Outcome(text: conflictFile(ours, theirs), conflicts: ["an ended session differs on the two sides"])
        }
        let headers = try mergeHeaders(base: o?.header, ours: a.header, theirs: b.header)
        var conflicts = headers.conflicts.map { "'\($0)'" }
        var names = a.sections.map(\.name)
        for section in b.sections where !names.contains(section.name) { names.append(section.name) }
        var sections: [MemoryDocument.Section] = []
        for name in names {
            let x = a.sections.first { $0.name == name }?.body, y = b.sections.first { $0.name == name }?.body
            let z = o?.sections.first { $0.name == name }?.body
            let body: String
            if name == "Events" {
                body = unionOfEvents(base: z ?? "", ours: x ?? "", theirs: y ?? "")
            } else if x == y || y == nil || y == z {
                body = x ?? ""
            } else if x == nil || x == z {
                body = y ?? ""
            } else if let appended = appendedOnBoth(base: z ?? "", ours: x ?? "", theirs: y ?? "") {
                body = appended
            } else {
                conflicts.append("## \(name)")
                body = "<<<<<<< ours\n\(x ?? "")\n=======\n\(y ?? "")\n>>>>>>> theirs"
            }
            sections.append(MemoryDocument.Section(name, body))
        }
        var header = headers.header
        for (key, clash) in headers.clashes {
            // The header cannot hold markers and still parse: ours stays, and the clash is named.
            if let index = header.fields.firstIndex(where: { $0.key == key }), let ours = clash.ours { header.fields[index] = ours }
        }
        let text = MemoryDocument(title: a.title, header: header.attaching(a.comments), sections: sections).render()
        if conflicts.isEmpty, (try? Session.parse(text, file: file)) == nil {
            return Outcome(text: conflictFile(ours, theirs), conflicts: ["the merged session does not read"])
        }
        return Outcome(text: text, conflicts: conflicts)
    }

    /// The events of both sides: the base's, then what each added (ours first),
    /// in time order when every added line is an event. Append-only, so a line
    /// each side repeated stays repeated; nothing either side wrote is dropped.
    static func unionOfEvents(base: String, ours: String, theirs: String) -> String {
        func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }
        let o = lines(base), a = lines(ours), b = lines(theirs)
        var head: [String] = [], added: [String]
        if a.starts(with: o), b.starts(with: o) {
            head = o
            added = Array(a.dropFirst(o.count)) + Array(b.dropFirst(o.count))
        } else {
            // The base is not a prefix of both (a hand edit): ours whole, then theirs' lines ours lacks, counted.
            var left = Dictionary(a.map { ($0, 1) }, uniquingKeysWith: +)
            added =
                a
                + b.filter { line in
                    if let count = left[line], count > 0 { left[line] = count - 1; return false }
                    return true
                }
        }
        let times = added.map { SessionEvent(line: Substring($0))?.at }
        if times.allSatisfy({ $0 != nil }) {
            added = added.indices.sorted { (times[$0]!, $0) < (times[$1]!, $1) }.map { added[$0] }
        }
        return (head + added).joined(separator: "\n")
    }

    /// Lists such as Discoveries and Files only grow: when both sides kept the
    /// base's lines and added after them, ours' additions then theirs'.
    static func appendedOnBoth(base: String, ours: String, theirs: String) -> String? {
        let o = base.split(separator: "\n", omittingEmptySubsequences: false)
        let a = ours.split(separator: "\n", omittingEmptySubsequences: false)
        let b = theirs.split(separator: "\n", omittingEmptySubsequences: false)
        let start = base.isEmpty ? 0 : o.count
        guard base.isEmpty || (a.starts(with: o) && b.starts(with: o)) else { return nil }
        var lines = Array(a)
        for line in b[start...] where !lines.contains(line) { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    /// Whether `earlier` is `later` before it went on: same start, and every event of earlier is in later.
    private static func isPrefix(_ earlier: Session, of later: Session) -> Bool {
        let events = Set(later.section("Events").split(separator: "\n"))
        return earlier.section("Events").split(separator: "\n").allSatisfy { events.contains($0) }
            && earlier.plan == later.plan && earlier.scope == later.scope
    }

    private static func conflictFile(_ ours: String, _ theirs: String) -> String {
        "<<<<<<< ours\n" + ours + "=======\n" + theirs + ">>>>>>> theirs\n"
    }
}
