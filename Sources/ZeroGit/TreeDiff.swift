import Clibgit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
                let entryID = api.pointee.git_tree_entry_id(entry)
            else { continue }
            list.append(
                TreeEntry(
                    name: String(cString: name), id: entryID.pointee,
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
    /// subtree, which costs seconds in a workspace of 10 000 cases). Mode
    /// changes, file ↔ link ↔ submodule changes and submodules themselves are
    /// reported. Entries are walked in the order git stores them, compared the
    /// way git compares them, and named only when they changed.
    func diffTrees(old: git_oid?, new: git_oid?, prefix: String = "", into changes: inout [EntryDelta]) throws {
        if let old, let new, same(old, new) { return }
        let oldTree = try old.map(lookupTree)
        defer { if let oldTree { api.pointee.git_tree_free(oldTree) } }
        let newTree = try new.map(lookupTree)
        defer { if let newTree { api.pointee.git_tree_free(newTree) } }
        let oldCount = oldTree.map { api.pointee.git_tree_entrycount($0) } ?? 0
        let newCount = newTree.map { api.pointee.git_tree_entrycount($0) } ?? 0
        func path(_ entry: OpaquePointer) -> String {
            let name = String(cString: api.pointee.git_tree_entry_name(entry)!)
            return prefix.isEmpty ? name : prefix + "/" + name
        }
        func describe(_ entry: OpaquePointer) -> (id: git_oid, mode: UInt32) {
            (api.pointee.git_tree_entry_id(entry)!.pointee, UInt32(api.pointee.git_tree_entry_filemode(entry).rawValue))
        }
        var i = 0, j = 0
        while i < oldCount || j < newCount {
            let left = i < oldCount ? api.pointee.git_tree_entry_byindex(oldTree, i) : nil
            let right = j < newCount ? api.pointee.git_tree_entry_byindex(newTree, j) : nil
            let order: Int32 = if let left, let right { gitOrder(left, right) } else { left == nil ? 1 : -1 }
            if order == 0, let left, let right {
                i += 1
                j += 1
                let a = describe(left), b = describe(right)
                if same(a.id, b.id), a.mode == b.mode { continue }
                let name = path(left)
                switch (FileMode.kind(a.mode) == .tree, FileMode.kind(b.mode) == .tree) {
                case (true, true):
                    try diffTrees(old: a.id, new: b.id, prefix: name, into: &changes)
                default:
                    // Entries of equal order are both folders or both not (git orders a folder as "name/").
                    let status: TreeEntryChange.Status = FileMode.kind(a.mode) == FileMode.kind(b.mode) ? .modified : .typeChanged
                    changes.append(EntryDelta(path: name, status: status, oldMode: a.mode, newMode: b.mode, old: a.id, new: b.id))
                }
            } else if order < 0, let left {
                i += 1
                let a = describe(left)
                if FileMode.kind(a.mode) == .tree {
                    try diffTrees(old: a.id, new: nil, prefix: path(left), into: &changes)
                } else {
                    changes.append(EntryDelta(path: path(left), status: .deleted, oldMode: a.mode, newMode: 0, old: a.id, new: nil))
                }
            } else if let right {
                j += 1
                let b = describe(right)
                if FileMode.kind(b.mode) == .tree {
                    try diffTrees(old: nil, new: b.id, prefix: path(right), into: &changes)
                } else {
                    changes.append(EntryDelta(path: path(right), status: .added, oldMode: 0, newMode: b.mode, old: nil, new: b.id))
                }
            }
        }
    }

    private func lookupTree(_ id: git_oid) throws -> OpaquePointer {
        var id = id
        var tree: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_tree_lookup(&tree, handle, &id), "cannot read a tree")
        return tree!
    }

    /// git's order of tree entries (base_name_compare): by name bytes, a folder's name read as if it ended in "/".
    private func gitOrder(_ left: OpaquePointer, _ right: OpaquePointer) -> Int32 {
        let a = api.pointee.git_tree_entry_name(left)!, b = api.pointee.git_tree_entry_name(right)!
        let lengthA = strlen(a), lengthB = strlen(b)
        let common = min(lengthA, lengthB)
        let compared = memcmp(a, b, common)
        if compared != 0 { return compared < 0 ? -1 : 1 }
        var endA = UInt8(bitPattern: a[common]), endB = UInt8(bitPattern: b[common])
        if endA == 0, api.pointee.git_tree_entry_type(left) == GIT_OBJECT_TREE { endA = UInt8(ascii: "/") }
        if endB == 0, api.pointee.git_tree_entry_type(right) == GIT_OBJECT_TREE { endB = UInt8(ascii: "/") }
        return endA < endB ? -1 : endA > endB ? 1 : 0
    }

    func publicChanges(_ deltas: [EntryDelta]) throws -> [TreeEntryChange] {
        try deltas.map { delta in
            TreeEntryChange(
                path: delta.path, status: delta.status, oldMode: delta.oldMode, newMode: delta.newMode,
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
            guard let tree = api.pointee.git_commit_tree_id(commit) else { throw GitFailure.other("commit \(commitID.prefix(12)) has no tree") }
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
