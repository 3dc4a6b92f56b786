import Clibgit2

/// One path that differs between two trees, as `git diff-tree -r --no-renames --raw` reports it.
public struct TreeEntryChange: Sendable, Equatable {
    public enum Status: String, Sendable {
        case added = "A", deleted = "D", modified = "M"
        /// file ↔ symlink ↔ submodule
        case typeChanged = "T"
    }

    public var path: String
    public var status: Status
    /// 0 when the path is absent on that side.
    public var oldMode: UInt32
    public var newMode: UInt32
    public var oldID: String?
    public var newID: String?

    /// `:100644 100755 <old> <new> M\tpath`, git's raw line (full ids).
    public var rawLine: String {
        let zero = String(repeating: "0", count: 40)
        let octal = { (mode: UInt32) in String(repeating: "0", count: max(0, 6 - String(mode, radix: 8).count)) + String(mode, radix: 8) }
        return ":\(octal(oldMode)) \(octal(newMode)) \(oldID ?? zero) \(newID ?? zero) \(status.rawValue)\t\(path)"
    }
}

extension Repository {
    /// One changed path with the raw ids, before conversion to hex.
    struct EntryDelta {
        var path: String
        var status: TreeEntryChange.Status
        var oldMode: UInt32
        var newMode: UInt32
        var old: git_oid?
        var new: git_oid?
    }

    struct TreeEntry {
        var name: String
        var id: git_oid
        var mode: UInt32
        var isTree: Bool { FileMode.kind(mode) == .tree }
    }

    /// A tree's entries (files, links, submodules, folders) sorted by plain name,
    /// which pairs entries of two trees up as well as git's own order does.
    func entries(_ id: git_oid?) throws -> [TreeEntry] {
        guard var id else { return [] }
        var tree: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_tree_lookup(&tree, handle, &id), "cannot read a tree")
        defer { api.pointee.git_tree_free(tree) }
        var list: [TreeEntry] = []
        let count = api.pointee.git_tree_entrycount(tree)
        list.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = api.pointee.git_tree_entry_byindex(tree, index), let name = api.pointee.git_tree_entry_name(entry),
                  let entryID = api.pointee.git_tree_entry_id(entry) else { continue }
            list.append(TreeEntry(name: String(cString: name), id: entryID.pointee,
                                  mode: UInt32(api.pointee.git_tree_entry_filemode(entry).rawValue)))
        }
        return list.sorted { $0.name < $1.name }
    }

    func same(_ a: git_oid, _ b: git_oid) -> Bool {
        var a = a, b = b
        return api.pointee.git_oid_equal(&a, &b) == 1
    }

    /// Compares two trees as git does, recursively: subtrees with equal ids are
    /// skipped without being read (libgit2 1.5's tree-to-tree diff reads every
    /// subtree, which costs seconds in a workspace of 10 000 cases). Mode changes,
    /// file ↔ link ↔ submodule changes and submodules themselves are reported.
    func diffTrees(old: git_oid?, new: git_oid?, prefix: String = "", into changes: inout [EntryDelta]) throws {
        if let old, let new, same(old, new) { return }
        let oldEntries = try entries(old)
        let newEntries = try entries(new)
        var i = 0, j = 0
        while i < oldEntries.count || j < newEntries.count {
            let left = i < oldEntries.count ? oldEntries[i] : nil
            let right = j < newEntries.count ? newEntries[j] : nil
            let order: Int
            if let left, let right { order = left.name < right.name ? -1 : left.name > right.name ? 1 : 0 } else { order = left == nil ? 1 : -1 }
            let name = order <= 0 ? left!.name : right!.name
            let path = prefix.isEmpty ? name : prefix + "/" + name
            if order == 0, let left, let right {
                i += 1
                j += 1
                if same(left.id, right.id), left.mode == right.mode { continue }
                switch (left.isTree, right.isTree) {
                case (true, true):
                    try diffTrees(old: left.id, new: right.id, prefix: path, into: &changes)
                case (true, false):
                    try diffTrees(old: left.id, new: nil, prefix: path, into: &changes)
                    changes.append(EntryDelta(path: path, status: .added, oldMode: 0, newMode: right.mode, old: nil, new: right.id))
                case (false, true):
                    changes.append(EntryDelta(path: path, status: .deleted, oldMode: left.mode, newMode: 0, old: left.id, new: nil))
                    try diffTrees(old: nil, new: right.id, prefix: path, into: &changes)
                case (false, false):
                    let status: TreeEntryChange.Status = FileMode.kind(left.mode) == FileMode.kind(right.mode) ? .modified : .typeChanged
                    changes.append(EntryDelta(path: path, status: status, oldMode: left.mode, newMode: right.mode, old: left.id, new: right.id))
                }
            } else if order < 0, let left {
                i += 1
                if left.isTree { try diffTrees(old: left.id, new: nil, prefix: path, into: &changes) }
                else { changes.append(EntryDelta(path: path, status: .deleted, oldMode: left.mode, newMode: 0, old: left.id, new: nil)) }
            } else if let right {
                j += 1
                if right.isTree { try diffTrees(old: nil, new: right.id, prefix: path, into: &changes) }
                else { changes.append(EntryDelta(path: path, status: .added, oldMode: 0, newMode: right.mode, old: nil, new: right.id)) }
            }
        }
    }

    func publicChanges(_ deltas: [EntryDelta]) throws -> [TreeEntryChange] {
        try deltas.map { delta in
            TreeEntryChange(path: delta.path, status: delta.status, oldMode: delta.oldMode, newMode: delta.newMode,
                            oldID: try delta.old.map(hex), newID: try delta.new.map(hex))
        }
    }

    /// What differs between two trees (nil: the empty tree), below `prefix` when
    /// the trees are subtrees at that path.
    public func diffTrees(old: String?, new: String?, prefix: String = "") throws -> [TreeEntryChange] {
        var deltas: [EntryDelta] = []
        try diffTrees(old: try old.map(oid), new: try new.map(oid), prefix: prefix, into: &deltas)
        return try publicChanges(deltas)
    }

    /// The tree of a commit's first parent and of the commit (nil parent tree for a root commit).
    private func treeIDs(_ commitID: String) throws -> (parent: git_oid?, tree: git_oid) {
        try withCommit(commitID) { commit in
            guard let tree = api.pointee.git_commit_tree_id(commit) else { throw GitError(.other, "commit \(commitID.prefix(12)) has no tree") }
            var parentTree: git_oid?
            if api.pointee.git_commit_parentcount(commit) > 0, let parentID = api.pointee.git_commit_parent_id(commit, 0) {
                var parent: OpaquePointer?
                try LibGit2.check(api, api.pointee.git_commit_lookup(&parent, handle, parentID), "cannot read the parent of \(commitID.prefix(12))")
                defer { api.pointee.git_commit_free(parent) }
                parentTree = api.pointee.git_commit_tree_id(parent)?.pointee
            }
            return (parentTree, tree.pointee)
        }
    }

    func commitDeltas(_ commitID: String) throws -> [EntryDelta] {
        let trees = try treeIDs(commitID)
        var changes: [EntryDelta] = []
        try diffTrees(old: trees.parent, new: trees.tree, into: &changes)
        return changes
    }

    /// The paths a commit changes against its first parent.
    public func changes(_ commitID: String) throws -> [TreeEntryChange] {
        try publicChanges(try commitDeltas(commitID))
    }

    /// Lines added and removed by a commit against its first parent, and the
    /// files it touched, leaving out paths under `excluding`. A submodule counts
    /// as a touched file without lines.
    public func diffStat(_ commitID: String, excluding prefix: String? = nil) throws -> (files: [String], additions: Int, deletions: Int) {
        var files: [String] = []
        var additions = 0, deletions = 0
        for change in try commitDeltas(commitID) {
            if let prefix, change.path.hasPrefix(prefix) { continue }
            files.append(change.path)
            let old = FileMode.kind(change.oldMode) == .gitlink ? nil : try change.old.map(lookupBlob)
            let new = FileMode.kind(change.newMode) == .gitlink ? nil : try change.new.map(lookupBlob)
            defer {
                if let old { api.pointee.git_blob_free(old) }
                if let new { api.pointee.git_blob_free(new) }
            }
            if old == nil, new == nil { continue }
            var patch: OpaquePointer?
            try LibGit2.check(api, api.pointee.git_patch_from_blobs(&patch, old, change.path, new, change.path, nil), "cannot read the change to \(change.path)")
            defer { api.pointee.git_patch_free(patch) }
            var context = 0, added = 0, removed = 0
            try LibGit2.check(api, api.pointee.git_patch_line_stats(&context, &added, &removed, patch), "cannot count lines of \(change.path)")
            additions += added
            deletions += removed
        }
        return (files, additions, deletions)
    }

    private func lookupBlob(_ id: git_oid) throws -> OpaquePointer {
        var id = id
        var blob: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_blob_lookup(&blob, handle, &id), "cannot read a file's contents")
        return blob!
    }
}
