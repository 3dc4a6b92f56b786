import ZeroGit

/// What the pre-commit hook reads from git: files of HEAD, of the index, or of
/// a merge's automatic tree. A file comes from the work tree when its bytes
/// hash to the blob the index holds there (and, for HEAD, the path is not
/// staged, so HEAD holds that blob too); anything else comes through one
/// `git cat-file --batch`, started only if needed. A code commit thus costs
/// one git process (the staged diff), not two.
final class HookFiles {
    let top: String
    let index: GitIndex?
    /// Paths whose HEAD version differs from the index; nil when HEAD cannot be inferred from the index (a merge).
    var staged: Set<String>?
    private var batch: CatFileBatch?
    private var verified: [String: (known: Bool, bytes: [UInt8]?)] = [:]

    init(top: String, index: GitIndex?, staged: Set<String>?) {
        self.top = top
        self.index = index
        self.staged = staged
    }

    deinit { batch?.close() }

    func ask(_ name: String) throws -> [UInt8]? {
        if batch == nil { batch = try CatFileBatch(in: top) }
        return try batch!.read(name)
    }

    /// The work tree's bytes of `path` when they are exactly the index's blob; nil when unknown.
    func fromWorkTree(_ path: String) -> (known: Bool, bytes: [UInt8]?) {
        if let seen = verified[path] { return seen }
        let result = checkWorkTree(path)
        verified[path] = result
        return result
    }

    private func checkWorkTree(_ path: String) -> (known: Bool, bytes: [UInt8]?) {
        guard let index, index.wanted.contains(path), !index.isConflicted(path) else { return (false, nil) }
        // Not in the index: the index has no such file.
        guard let entry = index.entry(path) else { return (true, nil) }
        guard entry.mode & 0o170000 == 0o100000, let bytes = (try? FileSystem.readBytes(top + "/" + path)) ?? nil,
            GitIndex.blobMatches(bytes, id: entry.id)
        else { return (false, nil) }
        return (true, bytes)
    }
}

/// HEAD, the index, or another tree-ish, as the pre-commit hook reads them.
struct HookTree: TreeSource {
    let files: HookFiles
    /// `HEAD`, a tree id, or nil for the index.
    let treeish: String?

    func contents(of path: String) throws -> [UInt8]? {
        let shortcut = treeish == nil || (treeish == "HEAD" && files.staged.map { !$0.contains(path) } == true)
        if shortcut {
            let local = files.fromWorkTree(path)
            if local.known { return local.bytes }
        }
        return try files.ask((treeish ?? "") + ":" + path)
    }

    func files(under folder: String) throws -> [String] {
        try GitCommand.files(under: folder, treeish: treeish, in: files.top)
    }
}

/// Blobs already read during one replay, by id: the same session and case
/// files are read for commit after commit.
final class BlobCache {
    private var blobs: [String: [UInt8]] = [:]

    func bytes(_ id: String, read: () throws -> [UInt8]) rethrows -> [UInt8] {
        if let known = blobs[id] { return known }
        let bytes = try read()
        blobs[id] = bytes
        return bytes
    }
}

/// A tree read with libgit2: a commit's, or the automatic merge of a merge's parents.
struct GitTree: TreeSource {
    let repository: Repository
    /// nil: the empty tree.
    let tree: String?
    var cache: BlobCache?

    init(repository: Repository, tree: String?, cache: BlobCache? = nil) {
        self.repository = repository
        self.tree = tree
        self.cache = cache
    }

    func contents(of path: String) throws -> [UInt8]? {
        guard let tree else { return nil }
        guard let cache else { return try repository.contents(of: path, inTree: tree) }
        guard let entry = try repository.entry(at: path, inTree: tree), FileMode.kind(entry.mode) != .tree,
            FileMode.kind(entry.mode) != .gitlink
        else { return nil }
        return try cache.bytes(entry.id) { try repository.blob(entry.id) }
    }

    func files(under folder: String) throws -> [String] {
        guard let tree else { return [] }
        return try repository.files(under: folder, inTree: tree)
    }
}

extension TreeChange {
    init(_ change: TreeEntryChange) {
        self.init(path: change.path, status: Character(change.status.rawValue), oldMode: change.oldMode, newMode: change.newMode)
    }

    init(_ change: GitCommand.StagedChange) {
        self.init(path: change.path, status: change.status, oldMode: change.oldMode, newMode: change.newMode)
    }
}

/// How findings are printed by hooks and `zero check`.
public enum FindingReport {
    public static func text(_ findings: [GateFinding], title: String) -> String {
        var out = "zero: \(title)\n"
        for finding in findings {
            var location = finding.file ?? ""
            if let line = finding.line, !location.isEmpty { location += ":\(line)" }
            let commit = finding.commit.map { String($0.prefix(12)) + " " } ?? ""
            out += "  \(commit)\(finding.rule.rawValue): \(location.isEmpty ? "" : location + ": ")\(finding.message)\n"
            out += "    fix: \(finding.hint)\n"
        }
        return out
    }
}
