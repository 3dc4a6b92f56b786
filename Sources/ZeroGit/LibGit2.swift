import Clibgit2

/// The libgit2 zero was built against, loaded once on first use.
public enum LibGit2 {
    /// The major.minor of the headers zero was built with ("1.5"); the only version it loads.
    public static let builtVersion = String(cString: zg_built_version())
    /// The library's versioned file name ("libgit2.so.1.5"), found on the system's library path.
    public static let libraryName = String(cString: zg_library_name())

    /// The version of the loaded libgit2, as "major.minor.revision"; loads it if needed.
    public static func loadedVersion() throws -> String {
        let api = try api()
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        _ = api.pointee.git_libgit2_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }

    /// The function table, or a `git_unavailable` error saying why libgit2
    /// could not be loaded (missing, not libgit2, another major.minor) and what to do.
    static func api() throws -> UnsafePointer<zg_api> {
        guard let table = zg_load() else {
            let hint = String(cString: zg_load_hint())
            throw GitFailure.unavailable(String(cString: zg_load_error()), hint: hint.isEmpty ? nil : hint)
        }
        return table
    }

    /// Turns a negative libgit2 return code into a thrown `ZeroError`.
    static func check(
        _ api: UnsafePointer<zg_api>, _ code: Int32, _ what: @autoclosure () -> String,
        path: String? = nil
    ) throws {
        if code < 0 { throw GitFailure.last(api, code: code, doing: what(), path: path) }
    }
}
