import Clibgit2

/// A commit as Zero reads it.
public struct CommitInfo: Sendable, Equatable {
    public var id: String
    /// The commit's root tree.
    public var tree: String
    public var parents: [String]
    public var message: String
    public var summary: String
    /// `Name <email>`.
    public var author: String
    public var authorEmail: String
    public var time: Int
}

extension Repository {
    /// The commit `spec` names (`HEAD`, `origin/main`, a hash, an annotated tag), as 40 hex digits.
    public func resolveCommit(_ spec: String) throws -> String {
        var object: OpaquePointer?
        // Peeled: an annotated tag names its commit.
        let code = api.pointee.git_revparse_single(&object, handle, spec + "^{commit}")
        if [GIT_ENOTFOUND, GIT_EAMBIGUOUS, GIT_EPEEL, GIT_EINVALIDSPEC].map(\.rawValue).contains(code) {
            throw GitFailure.notFound("no commit named '\(spec)'", hint: "give a branch, tag or commit id; 'git log --oneline' lists them")
        }
        try LibGit2.check(api, code, "cannot resolve \(spec)")
        defer { api.pointee.git_object_free(object) }
        guard let id = api.pointee.git_object_id(object) else { throw GitFailure.other("\(spec) has no id") }
        return try hex(id)
    }

    func hex(_ id: UnsafePointer<git_oid>) throws -> String {
        guard let text = api.pointee.git_oid_tostr_s(id) else { throw GitFailure.other("cannot format an object id") }
        return String(cString: text)
    }

    func hex(_ id: git_oid) throws -> String {
        var id = id
        return try hex(&id)
    }

    func oid(_ hex: String) throws -> git_oid {
        var oid = git_oid()
        try LibGit2.check(api, api.pointee.git_oid_fromstr(&oid, hex), "'\(hex)' is not a commit id")
        return oid
    }

    /// Commits from `tip` back in time, newest first, not reachable from `hiding`,
    /// stopping before the first commit for which `stop` is true. Lazy: history
    /// beyond the stop is never read.
    public func commitsBack(from tip: String, hiding: [String] = [], stop: (String) throws -> Bool) throws -> [String] {
        var ids: [String] = []
        // GIT_SORT_NONE keeps the walk lazy: libgit2's time sort reads the whole history first.
        try walk(from: tip, hiding: hiding, sorting: GIT_SORT_NONE.rawValue) { id in
            if try stop(id) { return false }
            ids.append(id)
            return true
        }
        return ids
    }

    /// Every commit reachable from `tip` and from none of `hiding`, parents
    /// before children (the order a replay judges them in).
    public func commitsBetween(tip: String, hiding: [String]) throws -> [String] {
        var ids: [String] = []
        try walk(from: tip, hiding: hiding, sorting: GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue) { id in
            ids.append(id)
            return true
        }
        return ids
    }

    /// One revision walk; `visit` returns false to stop.
    private func walk(from tip: String, hiding: [String], sorting: UInt32, visit: (String) throws -> Bool) throws {
        var walker: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_revwalk_new(&walker, handle), "cannot walk history")
        defer { api.pointee.git_revwalk_free(walker) }
        try LibGit2.check(api, api.pointee.git_revwalk_sorting(walker, sorting), "cannot sort history")
        var tipID = try oid(tip)
        try LibGit2.check(api, api.pointee.git_revwalk_push(walker, &tipID), "cannot walk from \(tip.prefix(12))")
        for hidden in hiding {
            var hiddenID = try oid(hidden)
            try LibGit2.check(api, api.pointee.git_revwalk_hide(walker, &hiddenID), "cannot hide \(hidden.prefix(12))")
        }
        var next = git_oid()
        while true {
            let code = api.pointee.git_revwalk_next(&next, walker)
            if code == GIT_ITEROVER.rawValue { return }
            try LibGit2.check(api, code, "cannot walk history")
            if try !visit(try hex(&next)) { return }
        }
    }

    /// The best common ancestors of two commits (several after criss-cross merges; none for unrelated histories).
    public func mergeBases(_ one: String, _ other: String) throws -> [String] {
        var a = try oid(one), b = try oid(other)
        var array = git_oidarray()
        let code = api.pointee.git_merge_bases(&array, handle, &a, &b)
        if code == GIT_ENOTFOUND.rawValue { return [] }
        try LibGit2.check(api, code, "cannot find the merge base of \(one.prefix(12)) and \(other.prefix(12))")
        defer { api.pointee.git_oidarray_dispose(&array) }
        return try (0..<array.count).map { try hex(array.ids + $0) }
    }

    /// The merge base of several commits (octopus merges); nil when they share no history.
    func mergeBase(of commits: [String]) throws -> String? {
        var ids = try commits.map { try oid($0) }
        var base = git_oid()
        let code = api.pointee.git_merge_base_many(&base, handle, ids.count, &ids)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(api, code, "cannot find a merge base")
        return try hex(&base)
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
            var author = "", authorEmail = ""
            if let signature = api.pointee.git_commit_author(commit) {
                let name = signature.pointee.name.map { String(cString: $0) } ?? ""
                authorEmail = signature.pointee.email.map { String(cString: $0) } ?? ""
                author = "\(name) <\(authorEmail)>"
            }
            guard let tree = api.pointee.git_commit_tree_id(commit) else { throw GitFailure.other("commit \(id.prefix(12)) has no tree") }
            return CommitInfo(
                id: id, tree: try hex(tree), parents: parents, message: message, summary: summary, author: author,
                authorEmail: authorEmail, time: Int(api.pointee.git_commit_time(commit)))
        }
    }

    /// The trailers of a commit message (`Key: value` lines at its end), parsed by libgit2.
    public func trailers(_ message: String) throws -> [(key: String, value: String)] {
        try Self.trailers(message)
    }

    /// The same, without a repository (libgit2 loaded on first use).
    public static func trailers(_ message: String) throws -> [(key: String, value: String)] {
        let api = try LibGit2.api()
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
