import Clibgit2

/// A failure reported by libgit2 (or by loading it), with a message a user can act on.
public struct GitError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        case unavailable      // libgit2 could not be loaded
        case notFound         // no repository, no such object
        case notOwned         // safe.directory: owned by another user
        case unsupported      // sha256 repositories, missing blobs in partial clones
        case other
    }

    public var kind: Kind
    public var message: String
    public var hint: String?

    public init(_ kind: Kind, _ message: String, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    public var description: String { message }

    /// Reads libgit2's last error on this thread; call right after a failing call.
    static func last(_ api: UnsafePointer<zg_api>, code: Int32, doing what: String, path: String? = nil) -> GitError {
        var text = "unknown error"
        if let err = api.pointee.git_error_last(), let cMessage = err.pointee.message {
            text = String(cString: cMessage)
        }
        if code == GIT_EOWNER.rawValue {
            let where_ = path ?? "this repository"
            return GitError(.notOwned, "\(what): \(where_) is owned by another user",
                            hint: "mark it as safe with 'git config --global --add safe.directory \(where_)'")
        }
        if code == GIT_ENOTFOUND.rawValue {
            return GitError(.notFound, "\(what): \(text)")
        }
        if text.contains("object not found") || text.contains("promisor") {
            return GitError(.unsupported, "\(what): \(text)",
                            hint: "this may be a partial clone missing blobs; run 'git fetch --refetch' or clone without --filter")
        }
        if text.contains("objectformat") || text.contains("sha256") {
            return GitError(.unsupported, "\(what): sha256 repositories are not supported by libgit2 \(LibGit2.builtVersion)",
                            hint: "use a sha1 repository")
        }
        return GitError(.other, "\(what): \(text)")
    }
}
