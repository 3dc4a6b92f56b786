import Clibgit2

/// What a merge commit changed by itself: the difference between its tree and
/// the automatic merge of its parents. A clean merge changes nothing of its
/// own; an "evil merge" or a conflict resolution does.
public struct MergeChanges: Sendable {
    public var changes: [TreeEntryChange]
    /// The automatic merge's tree, written only to memory; nil when the merge
    /// took every path from a parent that changed it (nothing to compare).
    public var autoTree: String?
    /// Paths git could not merge by itself. The automatic merge keeps the first
    /// parent's version there, so a resolution shows up as the merge's own change.
    public var conflicts: [String]
}

extension Repository {
    /// Judges merge commit `commitID` against the automatic merge of its parents.
    public func mergeChanges(_ commitID: String) throws -> MergeChanges {
        let info = try commit(commitID)
        guard info.parents.count >= 2 else { throw GitFailure.other("\(commitID.prefix(12)) is not a merge commit") }
        let parentTrees = try info.parents.map { try oid(try treeID(ofCommit: $0)) }
        let bases =
            info.parents.count == 2
            ? try mergeBases(info.parents[0], info.parents[1])
            : try mergeBase(of: info.parents).map { [$0] } ?? []
        // The common case costs a few tree reads: every path that differs was taken
        // whole from the parents that changed it (against some common ancestor:
        // then nothing in the result is new, whatever git's recursive merge says).
        for base in bases.isEmpty ? [nil] : bases.map(Optional.some) {
            let baseTree = try base.map { try oid(try treeID(ofCommit: $0)) }
            if try isTrivialMerge(base: baseTree, parents: parentTrees, result: try oid(info.tree)) {
                return MergeChanges(changes: [], autoTree: nil, conflicts: [])
            }
        }
        let merged = try automaticMerge(info.parents, base: bases.first)
        var deltas: [EntryDelta] = []
        try diffTrees(old: merged.tree, new: try oid(info.tree), into: &deltas)
        return MergeChanges(changes: try publicChanges(deltas), autoTree: try hex(merged.tree), conflicts: merged.conflicts)
    }

    private func equal(_ a: TreeEntry?, _ b: TreeEntry?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.mode == b.mode && same(a.id, b.id)
    }

    /// Whether every path of `result` is what a merge takes without looking
    /// inside files: unchanged everywhere, or equal to the one version the
    /// parents that changed it agree on. Recurses only into folders that differ.
    func isTrivialMerge(base: git_oid?, parents: [git_oid?], result: git_oid?) throws -> Bool {
        func byName(_ list: [TreeEntry]) -> [String: TreeEntry] {
            Dictionary(list.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        }
        let baseEntries = byName(try entries(base))
        let parentEntries = try parents.map { byName(try entries($0)) }
        let resultEntries = byName(try entries(result))
        var names = Set(resultEntries.keys).union(baseEntries.keys)
        for entries in parentEntries { names.formUnion(entries.keys) }
        for name in names {
            let taken = resultEntries[name], original = baseEntries[name]
            let sides = parentEntries.map { $0[name] }
            if sides.allSatisfy({ equal($0, taken) }) { continue }
            let changed = sides.filter { !equal($0, original) }
            if let first = changed.first, changed.allSatisfy({ equal($0, first) }), equal(first, taken) { continue }
            if let taken, taken.isTree, sides.allSatisfy({ $0?.isTree == true }) {
                let subBase = original?.isTree == true ? original!.id : nil
                if try !isTrivialMerge(base: subBase, parents: sides.map { $0!.id }, result: taken.id) { return false }
                continue
            }
            return false
        }
        return true
    }

    /// The three-way merge of the parents over `base` (their first merge base),
    /// written to an in-memory object store so the repository never changes.
    /// Without rename detection: an edit to an exempt file must not follow a
    /// rename into code unjudged. Without recursive virtual bases, whose cost
    /// grows with every criss-cross below. Conflicted paths keep the first
    /// parent's version.
    func automaticMerge(_ parents: [String], base: String?) throws -> (tree: git_oid, conflicts: [String]) {
        try useMemoryObjectStore()
        var options = git_merge_options()
        try LibGit2.check(api, api.pointee.git_merge_options_init(&options, UInt32(GIT_MERGE_OPTIONS_VERSION)), "cannot prepare a merge")
        options.flags &= ~GIT_MERGE_FIND_RENAMES.rawValue
        var index: OpaquePointer?
        try withOptionalTree(try base.map { try treeID(ofCommit: $0) }) { ancestor in
            try withTree(try treeID(ofCommit: parents[0])) { ours in
                try withTree(try treeID(ofCommit: parents[1])) { theirs in
                    try LibGit2.check(
                        api, api.pointee.git_merge_trees(&index, handle, ancestor, ours, theirs, &options),
                        "cannot merge \(parents[0].prefix(12)) and \(parents[1].prefix(12))")
                }
            }
        }
        var conflicts = try keepOursOnConflict(index!)
        var tree = git_oid()
        let written = api.pointee.git_index_write_tree_to(&tree, index, handle)
        api.pointee.git_index_free(index)
        try LibGit2.check(api, written, "cannot write the merged tree")
        // Octopus merges: fold each further parent into the result.
        for extra in parents.dropFirst(2) {
            let base = try mergeBase(of: [parents[0], extra]).map { try treeID(ofCommit: $0) }
            var folded: OpaquePointer?
            try withOptionalTree(base) { ancestor in
                try withTree(try hex(tree)) { ours in
                    try withTree(try treeID(ofCommit: extra)) { theirs in
                        try LibGit2.check(
                            api, api.pointee.git_merge_trees(&folded, handle, ancestor, ours, theirs, &options),
                            "cannot merge \(extra.prefix(12))")
                    }
                }
            }
            conflicts += try keepOursOnConflict(folded!)
            let code = api.pointee.git_index_write_tree_to(&tree, folded, handle)
            api.pointee.git_index_free(folded)
            try LibGit2.check(api, code, "cannot write the merged tree")
        }
        return (tree, conflicts)
    }

    private func withOptionalTree<T>(_ treeID: String?, _ body: (OpaquePointer?) throws -> T) throws -> T {
        guard let treeID else { return try body(nil) }
        return try withTree(treeID) { try body($0) }
    }

    /// Replaces each conflict in `index` by the first parent's entry (or nothing
    /// when the first parent deleted the path); returns the conflicted paths.
    private func keepOursOnConflict(_ index: OpaquePointer) throws -> [String] {
        var iterator: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_index_conflict_iterator_new(&iterator, index), "cannot read merge conflicts")
        var found: [(path: String, ours: git_index_entry?)] = []
        var ancestor: UnsafePointer<git_index_entry>?, ours: UnsafePointer<git_index_entry>?, theirs: UnsafePointer<git_index_entry>?
        while true {
            let code = api.pointee.git_index_conflict_next(&ancestor, &ours, &theirs, iterator)
            if code == GIT_ITEROVER.rawValue { break }
            if code < 0 {
                api.pointee.git_index_conflict_iterator_free(iterator)
                try LibGit2.check(api, code, "cannot read merge conflicts")
            }
            guard let any = ours ?? theirs ?? ancestor, let path = any.pointee.path else { continue }
            found.append((String(cString: path), ours?.pointee))
        }
        api.pointee.git_index_conflict_iterator_free(iterator)
        for (path, ours) in found {
            try LibGit2.check(api, api.pointee.git_index_conflict_remove(index, path), "cannot resolve the conflict on \(path)")
            guard var entry = ours else { continue }
            // The entry's path pointed into the conflict just removed: point it at our copy.
            entry.flags &= ~UInt16(GIT_INDEX_ENTRY_STAGEMASK)
            try path.withCString { name in
                entry.path = name
                try LibGit2.check(api, api.pointee.git_index_add(index, &entry), "cannot resolve the conflict on \(path)")
            }
        }
        return found.map(\.path)
    }

    /// Sends object writes (merged trees) to memory instead of the repository.
    func useMemoryObjectStore() throws {
        if usesMemoryObjectStore { return }
        var backend: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_mempack_new(&backend), "cannot create an in-memory object store")
        var odb: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_repository_odb(&odb, handle), "cannot open the object database")
        defer { api.pointee.git_odb_free(odb) }
        try LibGit2.check(api, api.pointee.git_odb_add_backend(odb, backend, 999), "cannot add an in-memory object store")
        usesMemoryObjectStore = true
    }
}
