import Clibgit2

/// One entry of a tree, as git stores it: object id and file mode.
public struct TreeEntryInfo: Sendable, Equatable {
    public var id: String
    public var mode: UInt32

    public var isSymlink: Bool { FileMode.kind(mode) == .symlink }
}

/// What git's file modes mean to a change.
public enum FileMode {
    public static let regular: UInt32 = 0o100644
    public static let executable: UInt32 = 0o100755
    public static let symlink: UInt32 = 0o120000
    public static let gitlink: UInt32 = 0o160000
    public static let tree: UInt32 = 0o040000

    public enum Kind: Sendable { case file, symlink, gitlink, tree }

    /// A regular file (executable or not), a symlink, a submodule or a folder.
    public static func kind(_ mode: UInt32) -> Kind {
        switch mode & 0o170000 {
        case 0o120000: .symlink
        case 0o160000: .gitlink
        case 0o040000: .tree
        default: .file
        }
    }
}

extension Repository {
    /// The root tree of a commit.
    public func treeID(ofCommit commitID: String) throws -> String {
        try withCommit(commitID) { commit in
            guard let tree = api.pointee.git_commit_tree_id(commit) else { throw GitFailure.other("commit \(commitID.prefix(12)) has no tree") }
            return try hex(tree)
        }
    }

    /// Runs `body` with the tree object; the pointer is valid only inside.
    func withTree<T>(_ treeID: String, _ body: (OpaquePointer) throws -> T) throws -> T {
        var id = try oid(treeID)
        var tree: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_tree_lookup(&tree, handle, &id), "cannot read tree \(treeID.prefix(12))")
        defer { api.pointee.git_tree_free(tree) }
        return try body(tree!)
    }

    /// The entry at `path` (a file, link, submodule or folder); nil when absent.
    public func entry(at path: String, inTree treeID: String) throws -> TreeEntryInfo? {
        try withTree(treeID) { tree in
            var entry: OpaquePointer?
            let code = api.pointee.git_tree_entry_bypath(&entry, tree, path)
            if code == GIT_ENOTFOUND.rawValue { return nil }
            try LibGit2.check(api, code, "cannot find \(path)")
            defer { api.pointee.git_tree_entry_free(entry) }
            guard let id = api.pointee.git_tree_entry_id(entry) else { return nil }
            return TreeEntryInfo(id: try hex(id), mode: UInt32(api.pointee.git_tree_entry_filemode(entry).rawValue))
        }
    }

    /// A file's bytes in a tree (a symlink's bytes are its target); nil when the
    /// path is not there or is a folder or submodule.
    public func contents(of path: String, inTree treeID: String) throws -> [UInt8]? {
        try withTree(treeID) { tree in try blob(at: path, in: tree) }
    }

    /// A file's bytes in a commit's tree; nil when the path is not there.
    public func contents(of path: String, in commitID: String) throws -> [UInt8]? {
        try contents(of: path, inTree: try treeID(ofCommit: commitID))
    }

    func blob(at path: String, in tree: OpaquePointer) throws -> [UInt8]? {
        var entry: OpaquePointer?
        let code = api.pointee.git_tree_entry_bypath(&entry, tree, path)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(api, code, "cannot find \(path)")
        defer { api.pointee.git_tree_entry_free(entry) }
        guard api.pointee.git_tree_entry_type(entry) == GIT_OBJECT_BLOB, let id = api.pointee.git_tree_entry_id(entry) else { return nil }
        return try blobBytes(id.pointee, path: path)
    }

    /// The bytes of a blob by id.
    public func blob(_ id: String) throws -> [UInt8] {
        try blobBytes(try oid(id), path: id)
    }

    func blobBytes(_ id: git_oid, path: String) throws -> [UInt8] {
        var id = id
        var blob: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_blob_lookup(&blob, handle, &id), "cannot read \(path)")
        defer { api.pointee.git_blob_free(blob) }
        let size = Int(api.pointee.git_blob_rawsize(blob))
        guard size > 0, let raw = api.pointee.git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeBufferPointer(start: raw.assumingMemoryBound(to: UInt8.self), count: size))
    }

    /// Every file path below `folder` in a tree (recursively; links and submodules included).
    public func files(under folder: String, inTree treeID: String) throws -> [String] {
        guard let entry = try entry(at: folder, inTree: treeID), FileMode.kind(entry.mode) == .tree else { return [] }
        var paths: [String] = []
        var id = try oid(entry.id)
        try collect(treeID: &id, prefix: folder, into: &paths)
        return paths
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
}
