import Clibgit2

/// A commit as Zero reads it.
public struct CommitInfo: Sendable, Equatable {
    public var id: String
    public var parents: [String]
    public var message: String
    public var summary: String
    public var author: String
    public var time: Int
}

/// A path changed by a commit, against its first parent.
public struct CommitChange: Sendable, Equatable {
    public enum Kind: Sendable { case added, modified, deleted }
    public var path: String
    public var kind: Kind
}

extension Repository {
    /// The commit `spec` names (`HEAD`, `origin/main`, a hash), as 40 hex digits.
    public func resolveCommit(_ spec: String) throws -> String {
        var object: OpaquePointer?
        let code = api.pointee.git_revparse_single(&object, handle, spec)
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EAMBIGUOUS.rawValue {
            throw GitError(.notFound, "no commit named '\(spec)'", hint: "give a branch, tag or commit id; 'git log --oneline' lists them")
        }
        try LibGit2.check(api, code, "cannot resolve \(spec)")
        defer { api.pointee.git_object_free(object) }
        guard let id = api.pointee.git_object_id(object) else { throw GitError(.other, "\(spec) has no id") }
        return try hex(id)
    }

    func hex(_ id: UnsafePointer<git_oid>) throws -> String {
        guard let text = api.pointee.git_oid_tostr_s(id) else { throw GitError(.other, "cannot format an object id") }
        return String(cString: text)
    }

    func oid(_ hex: String) throws -> git_oid {
        var oid = git_oid()
        try LibGit2.check(api, api.pointee.git_oid_fromstr(&oid, hex), "'\(hex)' is not a commit id")
        return oid
    }

    /// Commits from `tip` back in time, newest first, not reachable from `hiding`
    /// (ids or globs like `refs/remotes/*`), stopping before the first commit
    /// for which `stop` is true. Lazy: history beyond the stop is never read.
    public func commitsBack(from tip: String, hiding: [String] = [], hidingGlobs: [String] = [], stop: (String) throws -> Bool) throws -> [String] {
        var walker: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_revwalk_new(&walker, handle), "cannot walk history")
        defer { api.pointee.git_revwalk_free(walker) }
        // GIT_SORT_NONE keeps the walk lazy: libgit2's time sort reads the whole history first.
        try LibGit2.check(api, api.pointee.git_revwalk_sorting(walker, GIT_SORT_NONE.rawValue), "cannot sort history")
        var tipID = try oid(tip)
        try LibGit2.check(api, api.pointee.git_revwalk_push(walker, &tipID), "cannot walk from \(tip.prefix(12))")
        for hidden in hiding {
            var hiddenID = try oid(hidden)
            try LibGit2.check(api, api.pointee.git_revwalk_hide(walker, &hiddenID), "cannot hide \(hidden.prefix(12))")
        }
        for glob in hidingGlobs {
            let code = api.pointee.git_revwalk_hide_glob(walker, glob)
            if code != GIT_ENOTFOUND.rawValue { try LibGit2.check(api, code, "cannot hide \(glob)") }
        }
        var ids: [String] = []
        var next = git_oid()
        while true {
            let code = api.pointee.git_revwalk_next(&next, walker)
            if code == GIT_ITEROVER.rawValue { break }
            try LibGit2.check(api, code, "cannot walk history")
            let id = try hex(&next)
            if try stop(id) { break }
            ids.append(id)
        }
        return ids
    }

    /// Runs `body` with the commit object; the pointer is valid only inside.
    func withCommit<T>(_ id: String, _ body: (OpaquePointer) throws -> T) throws -> T {
        var commitID = try oid(id)
        var commit: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_commit_lookup(&commit, handle, &commitID), "cannot read commit \(id.prefix(12))")
        defer { api.pointee.git_commit_free(commit) }
        return try body(commit!)
    }

    public func commit(_ id: String) throws -> CommitInfo {
        try withCommit(id) { commit in
            let count = api.pointee.git_commit_parentcount(commit)
            var parents: [String] = []
            for index in 0..<count {
                if let parent = api.pointee.git_commit_parent_id(commit, index) { parents.append(try hex(parent)) }
            }
            let message = api.pointee.git_commit_message(commit).map { String(cString: $0) } ?? ""
            let summary = api.pointee.git_commit_summary(commit).map { String(cString: $0) } ?? ""
            var author = ""
            if let signature = api.pointee.git_commit_author(commit) {
                let name = signature.pointee.name.map { String(cString: $0) } ?? ""
                let email = signature.pointee.email.map { String(cString: $0) } ?? ""
                author = "\(name) <\(email)>"
            }
            return CommitInfo(id: id, parents: parents, message: message, summary: summary, author: author,
                              time: Int(api.pointee.git_commit_time(commit)))
        }
    }

    /// The trailers of a commit message (`Key: value` lines at its end), parsed by libgit2.
    public func trailers(_ message: String) throws -> [(key: String, value: String)] {
        var array = git_message_trailer_array()
        try LibGit2.check(api, api.pointee.git_message_trailers(&array, message), "cannot parse trailers")
        defer { api.pointee.git_message_trailer_array_free(&array) }
        var trailers: [(String, String)] = []
        for index in 0..<array.count {
            let trailer = array.trailers[index]
            trailers.append((trailer.key.map { String(cString: $0) } ?? "", trailer.value.map { String(cString: $0) } ?? ""))
        }
        return trailers
    }

    /// A file's bytes in a commit's tree; nil when the path is not there.
    public func contents(of path: String, in commitID: String) throws -> [UInt8]? {
        try withCommit(commitID) { commit in
            var tree: OpaquePointer?
            try LibGit2.check(api, api.pointee.git_commit_tree(&tree, commit), "cannot read the tree of \(commitID.prefix(12))")
            defer { api.pointee.git_tree_free(tree) }
            return try blob(at: path, in: tree!)
        }
    }

    func blob(at path: String, in tree: OpaquePointer) throws -> [UInt8]? {
        var entry: OpaquePointer?
        let code = api.pointee.git_tree_entry_bypath(&entry, tree, path)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(api, code, "cannot find \(path)")
        defer { api.pointee.git_tree_entry_free(entry) }
        guard api.pointee.git_tree_entry_type(entry) == GIT_OBJECT_BLOB, let id = api.pointee.git_tree_entry_id(entry) else { return nil }
        var blob: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_blob_lookup(&blob, handle, id), "cannot read \(path)", path: nil)
        defer { api.pointee.git_blob_free(blob) }
        let size = Int(api.pointee.git_blob_rawsize(blob))
        guard size > 0, let raw = api.pointee.git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeBufferPointer(start: raw.assumingMemoryBound(to: UInt8.self), count: size))
    }

    /// Every file path below `folder` in a commit's tree.
    public func files(under folder: String, in commitID: String) throws -> [String] {
        try withCommit(commitID) { commit in
            var tree: OpaquePointer?
            try LibGit2.check(api, api.pointee.git_commit_tree(&tree, commit), "cannot read the tree of \(commitID.prefix(12))")
            defer { api.pointee.git_tree_free(tree) }
            var entry: OpaquePointer?
            let code = api.pointee.git_tree_entry_bypath(&entry, tree, folder)
            if code == GIT_ENOTFOUND.rawValue { return [] }
            try LibGit2.check(api, code, "cannot find \(folder)")
            defer { api.pointee.git_tree_entry_free(entry) }
            guard api.pointee.git_tree_entry_type(entry) == GIT_OBJECT_TREE, let id = api.pointee.git_tree_entry_id(entry) else { return [] }
            var paths: [String] = []
            try collect(treeID: id, prefix: folder, into: &paths)
            return paths
        }
    }

    private func collect(treeID: UnsafePointer<git_oid>, prefix: String, into paths: inout [String]) throws {
        var tree: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_tree_lookup(&tree, handle, treeID), "cannot read \(prefix)")
        defer { api.pointee.git_tree_free(tree) }
        for index in 0..<api.pointee.git_tree_entrycount(tree) {
            guard let entry = api.pointee.git_tree_entry_byindex(tree, index), let name = api.pointee.git_tree_entry_name(entry) else { continue }
            let path = prefix + "/" + String(cString: name)
            if api.pointee.git_tree_entry_type(entry) == GIT_OBJECT_TREE, let id = api.pointee.git_tree_entry_id(entry) {
                try collect(treeID: id, prefix: path, into: &paths)
            } else {
                paths.append(path)
            }
        }
    }

    /// One changed file between two trees, with its blob ids.
    struct ChangedBlob {
        var path: String
        var kind: CommitChange.Kind
        var old: git_oid?
        var new: git_oid?
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

    /// Compares two trees as git does: subtrees with equal ids are skipped
    /// without being read. (libgit2 1.5's tree-to-tree diff reads every
    /// subtree, which costs seconds in a workspace of 10 000 cases.)
    func changedBlobs(old: git_oid?, new: git_oid?, prefix: String = "", into changes: inout [ChangedBlob]) throws {
        if let old, let new {
            var a = old, b = new
            if api.pointee.git_oid_equal(&a, &b) == 1 { return }
        }
        let oldEntries = try entries(old)
        let newEntries = try entries(new)
        var i = 0, j = 0
        while i < oldEntries.count || j < newEntries.count {
            let left = i < oldEntries.count ? oldEntries[i] : nil
            let right = j < newEntries.count ? newEntries[j] : nil
            let order: Int
            if let left, let right { order = left.name < right.name ? -1 : left.name > right.name ? 1 : 0 } else { order = left == nil ? 1 : -1 }
            let path = prefix.isEmpty ? (order <= 0 ? left!.name : right!.name) : prefix + "/" + (order <= 0 ? left!.name : right!.name)
            if order == 0, let left, let right {
                var a = left.id, b = right.id
                if api.pointee.git_oid_equal(&a, &b) != 1 || left.isTree != right.isTree {
                    if left.isTree && right.isTree {
                        try changedBlobs(old: left.id, new: right.id, prefix: path, into: &changes)
                    } else if left.isTree {
                        try changedBlobs(old: left.id, new: nil, prefix: path, into: &changes)
                        changes.append(ChangedBlob(path: path, kind: .added, old: nil, new: right.id))
                    } else if right.isTree {
                        changes.append(ChangedBlob(path: path, kind: .deleted, old: left.id, new: nil))
                        try changedBlobs(old: nil, new: right.id, prefix: path, into: &changes)
                    } else {
                        changes.append(ChangedBlob(path: path, kind: .modified, old: left.id, new: right.id))
                    }
                }
                i += 1
                j += 1
            } else if order < 0, let left {
                if left.isTree { try changedBlobs(old: left.id, new: nil, prefix: path, into: &changes) }
                else { changes.append(ChangedBlob(path: path, kind: .deleted, old: left.id, new: nil)) }
                i += 1
            } else if let right {
                if right.isTree { try changedBlobs(old: nil, new: right.id, prefix: path, into: &changes) }
                else { changes.append(ChangedBlob(path: path, kind: .added, old: nil, new: right.id)) }
                j += 1
            }
        }
    }

    private struct TreeEntry { var name: String; var id: git_oid; var isTree: Bool }

    /// A tree's entries sorted by name as plain strings (git sorts trees by name with
    /// a trailing "/" for folders; a plain order is enough to pair entries up).
    private func entries(_ id: git_oid?) throws -> [TreeEntry] {
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
            let type = api.pointee.git_tree_entry_type(entry)
            guard type == GIT_OBJECT_TREE || type == GIT_OBJECT_BLOB else { continue }   // submodules are not files
            list.append(TreeEntry(name: String(cString: name), id: entryID.pointee, isTree: type == GIT_OBJECT_TREE))
        }
        return list.sorted { $0.name < $1.name }
    }

    func commitBlobs(_ commitID: String) throws -> [ChangedBlob] {
        let trees = try treeIDs(commitID)
        var changes: [ChangedBlob] = []
        try changedBlobs(old: trees.parent, new: trees.tree, into: &changes)
        return changes
    }

    /// The paths a commit changes against its first parent.
    public func changes(_ commitID: String) throws -> [CommitChange] {
        try commitBlobs(commitID).map { CommitChange(path: $0.path, kind: $0.kind) }
    }

    /// Lines added and removed by a commit against its first parent, and the
    /// files it touched, leaving out paths under `excluding`.
    public func diffStat(_ commitID: String, excluding prefix: String? = nil) throws -> (files: [String], additions: Int, deletions: Int) {
        var files: [String] = []
        var additions = 0, deletions = 0
        for change in try commitBlobs(commitID) {
            if let prefix, change.path.hasPrefix(prefix) { continue }
            files.append(change.path)
            let old = try change.old.map(lookupBlob)
            let new = try change.new.map(lookupBlob)
            defer {
                if let old { api.pointee.git_blob_free(old) }
                if let new { api.pointee.git_blob_free(new) }
            }
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

    /// For a history walk: the commit's message when its root tree has an entry
    /// called `rootEntry`, or nil when it does not. One commit lookup for both.
    public func messageIfRoot(has rootEntry: String, in commitID: String) throws -> String? {
        try withCommit(commitID) { commit in
            guard var treeID = api.pointee.git_commit_tree_id(commit)?.pointee else { return nil }
            var tree: OpaquePointer?
            try LibGit2.check(api, api.pointee.git_tree_lookup(&tree, handle, &treeID), "cannot read the tree of \(commitID.prefix(12))")
            defer { api.pointee.git_tree_free(tree) }
            guard api.pointee.git_tree_entry_byname(tree, rootEntry) != nil else { return nil }
            return api.pointee.git_commit_message(commit).map { String(cString: $0) } ?? ""
        }
    }

    /// Whether a commit's root tree has an entry called `name` (cheap: one small tree).
    public func rootHasEntry(_ name: String, in commitID: String) throws -> Bool {
        try withCommit(commitID) { commit in
            guard var treeID = api.pointee.git_commit_tree_id(commit)?.pointee else { return false }
            var tree: OpaquePointer?
            try LibGit2.check(api, api.pointee.git_tree_lookup(&tree, handle, &treeID), "cannot read the tree of \(commitID.prefix(12))")
            defer { api.pointee.git_tree_free(tree) }
            return api.pointee.git_tree_entry_byname(tree, name) != nil
        }
    }

    /// The signature of a signed commit and the bytes it signs; nil when unsigned.
    public func signature(_ commitID: String) throws -> (signature: String, signedData: [UInt8])? {
        var commitOID = try oid(commitID)
        var signature = git_buf()
        var signed = git_buf()
        let code = api.pointee.git_commit_extract_signature(&signature, &signed, handle, &commitOID, nil)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(api, code, "cannot read the signature of \(commitID.prefix(12))")
        defer {
            api.pointee.git_buf_dispose(&signature)
            api.pointee.git_buf_dispose(&signed)
        }
        let text = signature.ptr.map { String(cString: $0) } ?? ""
        let data = signed.ptr.map { Array(UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), count: signed.size)) } ?? []
        return (text, data)
    }

    /// Whether `descendant` has `ancestor` in its history.
    public func isDescendant(_ descendant: String, of ancestor: String) throws -> Bool {
        var a = try oid(descendant), b = try oid(ancestor)
        let code = api.pointee.git_graph_descendant_of(handle, &a, &b)
        try LibGit2.check(api, code, "cannot compare commits")
        return code == 1
    }
}
