import Clibgit2

/// Where git failures become `ZeroError`s: once, here, so no caller above
/// ZeroGit sees a libgit2 code or maps one itself.
enum GitFailure {
    /// A failure of git itself (a child `git` process, an object without a tree): a bug or a broken repository.
    static func other(_ message: String, hint: String? = nil) -> ZeroError { ZeroError(.internal, message, hint: hint) }

    /// Something named that git does not have: no such commit or repository.
    static func notFound(_ message: String, hint: String? = nil) -> ZeroError { ZeroError(.notFound, message, hint: hint) }

    /// git cannot be used here: not owned, not supported, libgit2 missing.
    static func unavailable(_ message: String, hint: String? = nil) -> ZeroError { ZeroError(.gitUnavailable, message, hint: hint) }

    /// libgit2's last error message on this thread, or "unknown error".
    static func lastMessage(_ api: UnsafePointer<zg_api>) -> String {
        guard let err = api.pointee.git_error_last(), let cMessage = err.pointee.message else { return "unknown error" }
        return String(cString: cMessage)
    }

    /// Reads libgit2's last error on this thread; call right after a failing call.
    static func last(_ api: UnsafePointer<zg_api>, code: Int32, doing what: String, path: String? = nil) -> ZeroError {
        let text = lastMessage(api)
        if code == GIT_EOWNER.rawValue {
            let where_ = path ?? "this repository"
            return ZeroError(
                .usage, "\(what): \(where_) is owned by another user",
                hint: "mark it as safe with 'git config --global --add safe.directory \(where_)'")
        }
        if code == GIT_ENOTFOUND.rawValue {
            return notFound("\(what): \(text)")
        }
        if text.contains("object not found") || text.contains("promisor") {
            return unavailable(
                "\(what): \(text)",
                hint: "this may be a partial clone missing blobs; run 'git fetch --refetch' or clone without --filter")
        }
        if text.contains("objectformat") || text.contains("sha256") {
            return unavailable(
                "\(what): sha256 repositories are not supported by libgit2 \(LibGit2.builtVersion)",
                hint: "use a sha1 repository")
        }
        return other("\(what): \(text)")
    }
}
