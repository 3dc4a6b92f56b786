import Clibgit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A commit a remote ref points at, as the remote holds it.
public struct RemoteCommit: Sendable, Equatable {
    public var id: String
    public var message: String
    /// `Name <email>` of its author.
    public var author: String
    /// Its author time, in seconds since the epoch.
    public var time: Int
}

/// Who writes a commit, and when (seconds since the epoch, UTC).
public struct CommitSignature: Sendable {
    public var name: String
    public var email: String
    public var time: Int

    public init(name: String, email: String, time: Int) {
        self.name = name
        self.email = email
        self.time = time
    }
}

/// How a compare-and-swap on a remote ref ended.
public enum RefUpdate: Sendable, Equatable {
    /// The ref changed as asked; it now names this commit (nil: it was deleted).
    case done(String?)
    /// The ref did not hold the expected value when the change was applied:
    /// someone changed it first. Read it again before deciding anything.
    case changed
}

/// Refs of one remote that Zero changes only from the value it read before
/// (compare-and-swap), each naming a small commit that no branch contains.
///
/// A remote is reached one of two ways, because libgit2 has no
/// compare-and-swap push to a folder:
///
/// - A remote elsewhere (ssh, https, git://) is changed by a push. The git
///   protocol sends every ref update as `<old> <new> <ref>`, and the
///   receiving git applies it only if the ref still holds `<old>`, checked
///   under the ref's lock; `<old>` is the value the connection advertised.
///   Zero connects, compares that advertised value with the one the caller
///   expects, and pushes on the same connection, so the update lands only if
///   the ref has not moved since the caller read it. The refspec is never
///   forced, so libgit2 also refuses, before sending anything, an update that
///   is not a fast-forward from the advertised value.
/// - A remote that is a folder (a path or a `file://` URL) is opened as a
///   repository and its ref changed in place, with libgit2's ref updates
///   that take git's own lock file and compare under it: create only if
///   absent, update only if equal, delete only if equal. libgit2's local
///   transport cannot be used for this: its push (`transports/local.c`, in
///   1.5 and still today) overwrites an existing ref with force, creates one
///   with a check made before the lock, and deletes without comparing, so
///   two processes could both think they had won. Like that transport, this
///   skips the remote's hooks.
///
/// Commits written for a remote elsewhere are made in a scratch bare
/// repository the caller provides (in the git dir), never in the work tree's
/// repository: no branch, tag or ref of the user's repository ever names them.
public final class RemoteRefs {
    /// The remote's name in the repository's config (`origin`).
    public let remote: String
    /// Where fetches go (after `url.<base>.insteadOf`).
    public let url: String
    /// Where pushes go: `remote.<name>.pushurl`, or the url.
    public let pushURL: String
    let api: UnsafePointer<zg_api>
    /// The remote repository itself, when it is a folder on this machine.
    private let folder: Repository?
    private let makeScratch: () throws -> Repository
    private var scratchRepository: Repository?

    /// Whether the remote is a folder changed in place (else it is pushed to).
    public var isFolder: Bool { folder != nil }

    /// The remote `name` of `repository`. `scratch` opens (creating on first
    /// use) the bare repository where commits for a remote elsewhere are made.
    public init(_ repository: Repository, remote name: String, scratch: @escaping () throws -> Repository) throws {
        let api = repository.api
        self.api = api
        var handle: OpaquePointer?
        let code = api.pointee.git_remote_lookup(&handle, repository.handle, name)
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EINVALIDSPEC.rawValue {
            throw GitFailure.notFound("this repository has no remote named '\(name)'", hint: "'git remote -v' lists them; give one with --remote")
        }
        try LibGit2.check(api, code, "cannot read remote '\(name)'")
        defer { api.pointee.git_remote_free(handle) }
        guard let rawURL = api.pointee.git_remote_url(handle) else {
            throw GitFailure.notFound("remote '\(name)' has no url", hint: "set one: git remote set-url \(name) <url>")
        }
        remote = name
        url = String(cString: rawURL)
        pushURL = api.pointee.git_remote_pushurl(handle).map { String(cString: $0) } ?? url
        makeScratch = scratch
        if let path = Self.folderPath(pushURL, relativeTo: repository.workdir ?? repository.gitDir) {
            folder = try Repository.open(exactly: path)
        } else {
            folder = nil
        }
    }

    /// The folder a URL names when libgit2 would use its local transport for
    /// it (a `file://` URL, or an existing folder); nil for anything else.
    static func folderPath(_ url: String, relativeTo base: String) -> String? {
        if url.hasPrefix("file://") { return String(url.dropFirst("file://".count)) }
        let path = url.hasPrefix("/") ? url : base + "/" + url
        var info = stat()
        guard !url.isEmpty, stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
        return path
    }

    private func scratch() throws -> Repository {
        if let scratchRepository { return scratchRepository }
        let repository = try makeScratch()
        scratchRepository = repository
        return repository
    }

    // MARK: Reading

    /// The refs matching `glob` (`refs/zero/claims/*`) and the commits they name.
    public func list(_ glob: String) throws -> [String: String] {
        if let folder { return try folder.references(matching: glob) }
        return try withConnection(push: false) { connection in
            try connection.advertised().filter { Self.matches(glob, $0.key) }
        }
    }

    /// The commit `ref` names on the remote, read from it; nil when there is no such ref.
    public func read(_ ref: String) throws -> RemoteCommit? {
        if let folder {
            guard let id = try folder.referenceTarget(ref) else { return nil }
            return try folder.remoteCommit(id)
        }
        let scratch = try scratch()
        return try withConnection(push: false) { connection in
            guard let id = try connection.advertised()[ref] else { return nil }
            if try !scratch.hasObject(id) { try connection.download([ref]) }
            return try scratch.remoteCommit(id)
        }
    }

    // MARK: Compare-and-swap

    /// Points `ref` at a new commit carrying `message` (with an empty tree),
    /// only if the ref still names `expected` (nil: only if it does not
    /// exist). The new commit's parent is `expected`, so the update is a
    /// fast-forward from exactly that value and from no other.
    public func replace(_ ref: String, expected: String?, message: String, signature: CommitSignature) throws -> RefUpdate {
        if let folder {
            let id = try folder.writeDetachedCommit(message: message, parent: expected, signature: signature)
            return try folder.swapReference(ref, to: id, expected: expected)
        }
        let scratch = try scratch()
        // The parent must be here to build on it; the caller read it from the
        // remote, but another process of this clone may have been first.
        if let expected, try !scratch.hasObject(expected) {
            guard let current = try read(ref), current.id == expected else { return .changed }
        }
        let id = try scratch.writeDetachedCommit(message: message, parent: expected, signature: signature)
        // libgit2 1.5 pushes only from a ref: a name no other push uses, removed afterwards.
        let source = "refs/zero-pushing/" + id
        try scratch.createReference(source, to: id)
        defer { try? scratch.deleteReference(source) }
        return try push(source + ":" + ref, to: ref, expected: expected, result: id)
    }

    /// Deletes `ref` only if it still names `expected`.
    public func delete(_ ref: String, expected: String) throws -> RefUpdate {
        if let folder { return try folder.deleteReference(ref, expected: expected) }
        return try push(":" + ref, to: ref, expected: expected, result: nil)
    }

    /// Runs between reading the advertised refs and pushing, in tests only:
    /// it lets a test move the ref there, to see the receiving side refuse.
    var beforeUpload: (() throws -> Void)?

    /// One push of `refspec` over a connection whose advertised value of
    /// `ref` is `expected`: the receiving git compares against that value.
    private func push(_ refspec: String, to ref: String, expected: String?, result: String?) throws -> RefUpdate {
        enum Pushed { case accepted, moved, rejected(String) }
        let pushed: Pushed = try withConnection(push: true) { connection in
            guard try connection.advertised()[ref] == expected else { return .moved }
            try beforeUpload?()
            let code = try connection.upload([refspec])
            // libgit2's own check: the ref moved to a value this side does not know, or not an ancestor.
            if code == GIT_ENONFASTFORWARD.rawValue { return .moved }
            try connection.check(code, "cannot push \(ref) to '\(remote)'")
            guard let status = connection.state.statuses[ref] else {
                throw GitFailure.other("the push to '\(remote)' reported nothing for \(ref)")
            }
            return status.map(Pushed.rejected) ?? .accepted
        }
        let rejection: String
        switch pushed {
        case .accepted: return .done(result)
        case .moved: return .changed
        case .rejected(let why): rejection = why
        }
        // Refused. A lost race (the ref moved, or the winner held its lock) is
        // for the caller to read again; a ref that still holds the expected
        // value was refused for another reason: the server's policy.
        let now = try withConnection(push: false) { connection in try connection.advertised()[ref] }
        if now != expected { return .changed }
        throw GitFailure.unavailable(
            "remote '\(remote)' refused to update \(ref): \(rejection)",
            hint: "the server must accept refs outside refs/heads and refs/tags (under refs/zero/)")
    }

    private static func matches(_ glob: String, _ name: String) -> Bool {
        glob.hasSuffix("*") ? name.hasPrefix(glob.dropLast()) : name == glob
    }

    // MARK: Connections to a remote elsewhere

    private func withConnection<T>(push: Bool, _ body: (Connection) throws -> T) throws -> T {
        let connection = try Connection(self, scratch: try scratch(), push: push)
        defer { connection.close() }
        return try body(connection)
    }

    /// What the callbacks of one connection saw.
    final class CallbackState {
        /// Per ref pushed: nil when the remote accepted it, else its reason.
        var statuses: [String: String?] = [:]
        var credentialRequests = 0
        /// The remote asked for a login that Zero could not give.
        var credentialsRefused = false
    }

    /// One open connection to a remote elsewhere, made from the scratch repository.
    final class Connection {
        let refs: RemoteRefs
        let api: UnsafePointer<zg_api>
        let handle: OpaquePointer
        let state = CallbackState()
        let direction: String

        init(_ refs: RemoteRefs, scratch: Repository, push: Bool) throws {
            self.refs = refs
            api = refs.api
            direction = push ? "push to" : "fetch from"
            var handle: OpaquePointer?
            let url = push ? refs.pushURL : refs.url
            try LibGit2.check(api, api.pointee.git_remote_create_anonymous(&handle, scratch.handle, url), "cannot use the url of '\(refs.remote)' (\(url))")
            self.handle = handle!
            var callbacks = try makeCallbacks()
            var proxy = git_proxy_options()
            try LibGit2.check(api, api.pointee.git_proxy_options_init(&proxy, UInt32(GIT_PROXY_OPTIONS_VERSION)), "cannot prepare a connection")
            proxy.type = GIT_PROXY_AUTO
            let code = api.pointee.git_remote_connect(self.handle, push ? GIT_DIRECTION_PUSH : GIT_DIRECTION_FETCH, &callbacks, &proxy, nil)
            if code < 0 {
                let failure = failure(code, "cannot connect to remote '\(refs.remote)' (\(url))")
                api.pointee.git_remote_free(self.handle)
                throw failure
            }
        }

        func close() {
            _ = api.pointee.git_remote_disconnect(handle)
            api.pointee.git_remote_free(handle)
        }

        func makeCallbacks() throws -> git_remote_callbacks {
            var callbacks = git_remote_callbacks()
            try LibGit2.check(api, api.pointee.git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION)), "cannot prepare a connection")
            callbacks.payload = Unmanaged.passUnretained(state).toOpaque()
            callbacks.push_update_reference = { ref, status, payload in
                guard let ref, let payload else { return 0 }
                let state = Unmanaged<CallbackState>.fromOpaque(payload).takeUnretainedValue()
                state.statuses[String(cString: ref)] = .some(status.map { String(cString: $0) })
                return 0
            }
            // ssh through ssh-agent, or the platform's default login (Negotiate);
            // asked once: libgit2 asks again after a refusal, which would loop.
            callbacks.credentials = { out, _, username, allowed, payload in
                guard let payload, let api = zg_load() else { return GIT_PASSTHROUGH.rawValue }
                let state = Unmanaged<CallbackState>.fromOpaque(payload).takeUnretainedValue()
                state.credentialRequests += 1
                if state.credentialRequests > 2 {
                    state.credentialsRefused = true
                    return GIT_EAUTH.rawValue
                }
                if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
                    if let username { return api.pointee.git_credential_ssh_key_from_agent(out, username) }
                    return api.pointee.git_credential_ssh_key_from_agent(out, "git")
                }
                if allowed & GIT_CREDENTIAL_DEFAULT.rawValue != 0 { return api.pointee.git_credential_default_new(out) }
                state.credentialsRefused = true
                return GIT_PASSTHROUGH.rawValue
            }
            return callbacks
        }

        /// The refs the remote advertised on this connection, by name.
        func advertised() throws -> [String: String] {
            var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
            var count = 0
            try check(api.pointee.git_remote_ls(&heads, &count, handle), "cannot list the refs of '\(refs.remote)'")
            var result: [String: String] = [:]
            for index in 0..<count {
                guard let head = heads?[index], let name = head.pointee.name else { continue }
                var id = head.pointee.oid
                guard let text = api.pointee.git_oid_tostr_s(&id) else { continue }
                result[String(cString: name)] = String(cString: text)
            }
            return result
        }

        /// Downloads the objects `refspecs` need, writing no ref and no FETCH_HEAD.
        func download(_ refspecs: [String]) throws {
            var options = git_fetch_options()
            try LibGit2.check(api, api.pointee.git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "cannot prepare a fetch")
            options.callbacks = try makeCallbacks()
            options.proxy_opts.type = GIT_PROXY_AUTO
            options.update_fetchhead = 0
            options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
            let code = withStrings(refspecs) { array in api.pointee.git_remote_download(handle, &array, &options) }
            try check(code, "cannot fetch \(refspecs.joined(separator: ", ")) from '\(refs.remote)'")
        }

        /// Pushes `refspecs`; the statuses land in `state.statuses`. Returns libgit2's code.
        func upload(_ refspecs: [String]) throws -> Int32 {
            var options = git_push_options()
            try LibGit2.check(api, api.pointee.git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "cannot prepare a push")
            options.callbacks = try makeCallbacks()
            options.proxy_opts.type = GIT_PROXY_AUTO
            return withStrings(refspecs) { array in api.pointee.git_remote_upload(handle, &array, &options) }
        }

        func check(_ code: Int32, _ what: String) throws {
            if code < 0 { throw failure(code, what) }
        }

        /// A failure to reach or talk to the remote: git cannot be used for it here.
        func failure(_ code: Int32, _ what: String) -> ZeroError {
            if state.credentialsRefused || code == GIT_EAUTH.rawValue {
                return GitFailure.unavailable(
                    "\(what): the remote asks for a login zero cannot give",
                    hint: "over ssh zero uses ssh-agent ('ssh-add' your key); over https only remotes that need no login work")
            }
            return GitFailure.unavailable(
                "\(what): \(GitFailure.lastMessage(api))",
                hint: "check that the remote is reachable: git ls-remote \(refs.remote)")
        }

        private func withStrings<T>(_ strings: [String], _ body: (inout git_strarray) -> T) -> T {
            var pointers = strings.map { strdup($0) }
            defer { for pointer in pointers { free(pointer) } }
            return pointers.withUnsafeMutableBufferPointer { buffer in
                var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
                return body(&array)
            }
        }
    }
}

extension Repository {
    /// Whether the object database holds `id`.
    func hasObject(_ id: String) throws -> Bool {
        var oid = try oid(id)
        var odb: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_repository_odb(&odb, handle), "cannot open the object database")
        defer { api.pointee.git_odb_free(odb) }
        return api.pointee.git_odb_exists(odb, &oid) == 1
    }

    func remoteCommit(_ id: String) throws -> RemoteCommit {
        let info = try commit(id)
        return RemoteCommit(id: id, message: info.message, author: info.author, time: info.time)
    }

    /// The commit a direct ref names; nil when there is no such ref.
    func referenceTarget(_ name: String) throws -> String? {
        var reference: OpaquePointer?
        let code = api.pointee.git_reference_lookup(&reference, handle, name)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(api, code, "cannot read \(name)")
        defer { api.pointee.git_reference_free(reference) }
        guard let target = api.pointee.git_reference_target(reference) else { throw GitFailure.other("\(name) is not a direct ref") }
        return try hex(target)
    }

    /// The refs matching `glob` and the commits they name.
    func references(matching glob: String) throws -> [String: String] {
        var iterator: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_reference_iterator_glob_new(&iterator, handle, glob), "cannot list \(glob)")
        defer { api.pointee.git_reference_iterator_free(iterator) }
        var result: [String: String] = [:]
        var reference: OpaquePointer?
        while true {
            let code = api.pointee.git_reference_next(&reference, iterator)
            if code == GIT_ITEROVER.rawValue { return result }
            try LibGit2.check(api, code, "cannot list \(glob)")
            defer { api.pointee.git_reference_free(reference) }
            if let name = api.pointee.git_reference_name(reference), let target = api.pointee.git_reference_target(reference) {
                result[String(cString: name)] = try hex(target)
            }
        }
    }

    /// Writes a commit with an empty tree and `message` on top of `parent`
    /// (none when nil), without moving any ref.
    func writeDetachedCommit(message: String, parent: String?, signature: CommitSignature) throws -> String {
        var builder: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_treebuilder_new(&builder, handle, nil), "cannot build a tree")
        var treeID = git_oid()
        let written = api.pointee.git_treebuilder_write(&treeID, builder)
        api.pointee.git_treebuilder_free(builder)
        try LibGit2.check(api, written, "cannot write the empty tree")
        var tree: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_tree_lookup(&tree, handle, &treeID), "cannot read the empty tree")
        defer { api.pointee.git_tree_free(tree) }
        var author: UnsafeMutablePointer<git_signature>?
        let name = signature.name.isEmpty ? signature.email : signature.name
        try LibGit2.check(
            api, api.pointee.git_signature_new(&author, name, signature.email, git_time_t(signature.time), 0),
            "cannot sign as \(name) <\(signature.email)>")
        defer { api.pointee.git_signature_free(author) }
        var parents: [OpaquePointer?] = []
        defer { for parent in parents { api.pointee.git_commit_free(parent) } }
        if let parent {
            var parentID = try oid(parent)
            var commit: OpaquePointer?
            try LibGit2.check(api, api.pointee.git_commit_lookup(&commit, handle, &parentID), "cannot read commit \(parent.prefix(12))")
            parents.append(commit)
        }
        var id = git_oid()
        let code = parents.withUnsafeMutableBufferPointer { buffer in
            api.pointee.git_commit_create(&id, handle, nil, author, author, nil, message, tree, buffer.count, buffer.baseAddress)
        }
        try LibGit2.check(api, code, "cannot write a commit")
        return try hex(id)
    }

    /// Creates (or moves) `name` to `id`, whatever it held.
    func createReference(_ name: String, to id: String) throws {
        var oid = try oid(id)
        var reference: OpaquePointer?
        try LibGit2.check(api, api.pointee.git_reference_create(&reference, handle, name, &oid, 1, nil), "cannot write \(name)")
        api.pointee.git_reference_free(reference)
    }

    /// Deletes `name` whatever it holds; nothing when it is absent.
    func deleteReference(_ name: String) throws {
        guard let current = try referenceTarget(name) else { return }
        _ = try deleteReference(name, expected: current)
    }

    /// Points `name` at `id` only if it holds `expected` (nil: only if it is
    /// absent), compared under the ref's lock file.
    ///
    /// Absence is asked for as the expected value zero, never with
    /// `git_reference_create(force: 0)`: that checks for an existing ref
    /// before taking the lock (refdb_fs.c, `reference_path_available`), so two
    /// processes creating at once could both succeed, the second overwriting
    /// the first. The expected value is compared after the lock is taken.
    func swapReference(_ name: String, to id: String, expected: String?) throws -> RefUpdate {
        var oid = try oid(id)
        var old = try expected.map { try self.oid($0) } ?? git_oid()
        var reference: OpaquePointer?
        let code = api.pointee.git_reference_create_matching(&reference, handle, name, &oid, 1, &old, "zero: compare-and-swap")
        api.pointee.git_reference_free(reference)
        if Self.lostRace(code) { return .changed }
        try LibGit2.check(api, code, "cannot update \(name)")
        return .done(id)
    }

    /// Deletes `name` only if it holds `expected`, compared under its lock file.
    func deleteReference(_ name: String, expected: String) throws -> RefUpdate {
        var reference: OpaquePointer?
        let found = api.pointee.git_reference_lookup(&reference, handle, name)
        if found == GIT_ENOTFOUND.rawValue { return .changed }
        try LibGit2.check(api, found, "cannot read \(name)")
        defer { api.pointee.git_reference_free(reference) }
        guard let target = api.pointee.git_reference_target(reference), try hex(target) == expected else { return .changed }
        // git_reference_delete passes the value just read as the expected old value.
        let code = api.pointee.git_reference_delete(reference)
        if Self.lostRace(code) { return .changed }
        try LibGit2.check(api, code, "cannot delete \(name)")
        return .done(nil)
    }

    /// The codes of a ref update that another writer got to first: the ref
    /// exists, holds another value, is gone, or its lock file is taken.
    static func lostRace(_ code: Int32) -> Bool {
        [GIT_EEXISTS, GIT_EMODIFIED, GIT_ELOCKED, GIT_ENOTFOUND].map(\.rawValue).contains(code)
    }
}
