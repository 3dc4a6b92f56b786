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
            return GitError(.unsupported, "\(what): sha256 repositories are not supported by libgit2 1.5",
                            hint: "use a sha1 repository")
        }
        return GitError(.other, "\(what): \(text)")
    }
}

/// The loaded libgit2 function table. Loading happens once, on first use.
enum LibGit2 {
    static func api() throws -> UnsafePointer<zg_api> {
        guard let table = zg_load() else {
            throw GitError(.unavailable, String(cString: zg_load_error()),
                           hint: "install libgit2 1.5 (Debian: apt-get install libgit2-1.5) or set ZERO_LIBGIT2 to its path")
        }
        return table
    }

    /// Turns a negative libgit2 return code into a thrown `GitError`.
    static func check(_ api: UnsafePointer<zg_api>, _ code: Int32, _ what: @autoclosure () -> String,
                      path: String? = nil) throws {
        if code < 0 { throw GitError.last(api, code: code, doing: what(), path: path) }
    }
}
