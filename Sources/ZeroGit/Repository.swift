import Clibgit2

/// An open git repository (or linked worktree), found from any folder inside it.
/// Not `Sendable`: a libgit2 repository handle is not safe to use from two
/// threads at once. Open one per thread (or per request).
public final class Repository {
    let api: UnsafePointer<zg_api>
    let handle: OpaquePointer

    /// The work tree's top folder, with a trailing slash removed; nil for a bare repository.
    public let workdir: String?
    /// This worktree's own git dir (`.git` or `.git/worktrees/<name>`).
    public let gitDir: String
    /// The git dir shared by all worktrees.
    public let commonDir: String
    /// Whether objects this handle writes (merged trees) go to memory only.
    var usesMemoryObjectStore = false

    /// Opens the repository for reading history only: it gets an empty
    /// in-memory index, because libgit2 1.5 re-reads the whole index file to
    /// look up attributes on every blob diff (a second per call on a
    /// 110 000-file index). Do not use it for status or staging.
    public static func discoverForHistory(from path: String) throws -> Repository {
        let repository = try discover(from: path)
        var index: OpaquePointer?
        try LibGit2.check(repository.api, repository.api.pointee.git_index_new(&index), "cannot create an index")
        defer { repository.api.pointee.git_index_free(index) }
        try LibGit2.check(repository.api, repository.api.pointee.git_repository_set_index(repository.handle, index), "cannot set the index")
        return repository
    }

    /// Opens the repository that contains `path`, searching upwards as git does.
    public static func discover(from path: String) throws -> Repository {
        let api = try LibGit2.api()
        var handle: OpaquePointer?
        let code = api.pointee.git_repository_open_ext(&handle, path, 0, nil)
        // libgit2 1.5 reports a repository owned by another user as a missing
        // 'safe.directory' config value, with GIT_ENOTFOUND instead of GIT_EOWNER.
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EOWNER.rawValue,
            let error = api.pointee.git_error_last(), let message = error.pointee.message,
            code == GIT_EOWNER.rawValue || String(cString: message).contains("safe.directory")
        {
            throw ZeroError(
                .usage, "the repository at \(path) is owned by another user, so git and zero will not use it",
                hint: "if you trust it, run 'git config --global --add safe.directory \(path)'")
        }
        if code == GIT_ENOTFOUND.rawValue {
            throw ZeroError(
                .usage, "not a git repository (or any parent up to /): \(path)",
                hint: "run 'git init' first, or cd into a repository")
        }
        try LibGit2.check(api, code, "cannot open the repository at \(path)", path: path)
        return Repository(api: api, handle: handle!)
    }

    /// Opens the repository at exactly `path` (a bare repository, or a work
    /// tree's top), without searching parent folders.
    public static func open(exactly path: String) throws -> Repository {
        let api = try LibGit2.api()
        var handle: OpaquePointer?
        let code = api.pointee.git_repository_open_ext(&handle, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EOWNER.rawValue {
            throw GitFailure.last(api, code: code, doing: "cannot open the repository at \(path)", path: path)
        }
        try LibGit2.check(api, code, "cannot open the repository at \(path)", path: path)
        return Repository(api: api, handle: handle!)
    }

    /// Opens the bare repository at `path`, creating it when the folder is missing.
    /// Callers serialise creation: two processes initialising one folder may collide.
    public static func openOrCreateBare(at path: String) throws -> Repository {
        let api = try LibGit2.api()
        var handle: OpaquePointer?
        if api.pointee.git_repository_open_ext(&handle, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil) == 0 {
            return Repository(api: api, handle: handle!)
        }
        try LibGit2.check(api, api.pointee.git_repository_init(&handle, path, 1), "cannot create the repository at \(path)", path: path)
        return Repository(api: api, handle: handle!)
    }

    private init(api: UnsafePointer<zg_api>, handle: OpaquePointer) {
        self.api = api
        self.handle = handle
        self.workdir = api.pointee.git_repository_workdir(handle).map { Self.trimSlash(String(cString: $0)) }
        self.gitDir = api.pointee.git_repository_path(handle).map { Self.trimSlash(String(cString: $0)) } ?? ""
        self.commonDir = api.pointee.git_repository_commondir(handle).map { Self.trimSlash(String(cString: $0)) } ?? ""
    }

    deinit { api.pointee.git_repository_free(handle) }

    private static func trimSlash(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// A string from the repository's effective config (local, global, system), or nil.
    public func configString(_ key: String) throws -> String? {
        var config: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_repository_config_snapshot(&config, handle), "cannot read git config")
        defer { api.pointee.git_config_free(config) }
        var value: UnsafePointer<CChar>?
        let code = api.pointee.git_config_get_string(&value, config, key)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(api, code, "cannot read \(key) from git config")
        return value.map { String(cString: $0) }
    }

    /// The commit HEAD points at, as 40 hex digits; nil when HEAD is unborn.
    public func headCommit() throws -> String? {
        if api.pointee.git_repository_head_unborn(handle) == 1 { return nil }
        var oid = git_oid()
        let code = api.pointee.git_reference_name_to_id(&oid, handle, "HEAD")
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(api, code, "cannot resolve HEAD")
        return api.pointee.git_oid_tostr_s(&oid).map { String(cString: $0) }
    }

    /// Whether tracked files differ from HEAD (index or work tree), ignoring
    /// untracked files and paths under `excludedPrefix`.
    public func hasTrackedChanges(excluding excludedPrefix: String? = nil) throws -> Bool {
        var options = git_status_options()
        try LibGit2.check(
            api, api.pointee.git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)),
            "cannot prepare a status query")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
        var list: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_status_list_new(&list, handle, &options), "cannot compute git status")
        defer { api.pointee.git_status_list_free(list) }
        let count = api.pointee.git_status_list_entrycount(list)
        for index in 0..<count {
            guard let entry = api.pointee.git_status_byindex(list, index) else { continue }
            let delta = entry.pointee.head_to_index ?? entry.pointee.index_to_workdir
            let rawPath = delta?.pointee.new_file.path ?? delta?.pointee.old_file.path
            if let excludedPrefix, let rawPath, String(cString: rawPath).hasPrefix(excludedPrefix) { continue }
            return true
        }
        return false
    }
}
