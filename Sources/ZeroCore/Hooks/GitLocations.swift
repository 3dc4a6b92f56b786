/// Where git keeps what Zero reads and writes for one work tree, found the
/// way git finds it (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, a `.git` folder
/// or `gitdir:` file, `commondir` for linked worktrees) without loading
/// libgit2. The hooks, the CLI, the link cache and the installer all take
/// their paths from here, so they always agree.
public struct GitLocations: Equatable, Sendable {
    /// The work tree's top folder.
    public let workTree: String
    /// This worktree's own git dir (`.git`, or `.git/worktrees/<name>`).
    public let gitDir: String
    /// The git dir shared by every worktree of the repository.
    public let commonDir: String
    /// The index git stages into (GIT_INDEX_FILE inside a hook).
    public let indexFile: String

    /// Finds the locations of the work tree at `workTree`, honouring GIT_DIR
    /// and GIT_INDEX_FILE in `environment`.
    public static func find(workTree: String, environment: Environment) throws -> GitLocations {
        let gitDir: String
        if let dir = environment.variable("GIT_DIR") {
            gitDir = environment.absolute(dir)
        } else {
            let dotGit = workTree + "/.git"
            if FileSystem.isFolder(dotGit) {
                gitDir = dotGit
            } else if let text = try FileSystem.readText(dotGit), text.hasPrefix("gitdir: ") {
                let path = String(text.dropFirst(8)).trimming(" \n\r")
                gitDir = path.hasPrefix("/") ? path : workTree + "/" + path
            } else {
                throw ZeroError(
                    .usage, "\(workTree) is not the top of a git work tree",
                    hint: "zero works inside a git repository; run 'git init' first")
            }
        }
        var commonDir = gitDir
        if let text = try? FileSystem.readText(gitDir + "/commondir") {
            let path = text.trimming(" \n\r")
            commonDir = path.hasPrefix("/") ? path : gitDir + "/" + path
        }
        let index = environment.variable("GIT_INDEX_FILE").map { $0.hasPrefix("/") ? $0 : workTree + "/" + $0 } ?? gitDir + "/index"
        return GitLocations(workTree: workTree, gitDir: gitDir, commonDir: Self.normalized(commonDir), indexFile: index)
    }

    /// The work tree a hook runs in: GIT_WORK_TREE when set, else the folder git started it in.
    public static func hookWorkTree(_ environment: Environment) -> String {
        environment.variable("GIT_WORK_TREE").map(environment.absolute) ?? environment.currentFolder
    }

    /// `a/.git/worktrees/x/../..` as `a/.git`, so two ways to name one folder compare equal.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    // MARK: What Zero keeps in the git dir (never committed)

    /// This worktree's active session pointer.
    public var activeSession: String { gitDir + "/zero/active-session" }
    /// This worktree's claimant id, named in the claims it makes on a remote.
    public var claimant: String { gitDir + "/zero/claimant" }
    /// One note per ticket this worktree holds a claim on (remote, claim commit).
    public var heldClaims: String { gitDir + "/zero/claims" }
    /// The scratch bare repository where claim commits for a remote elsewhere are made.
    public var claimsRepository: String { commonDir + "/zero/claims.git" }
    /// The derived commit → session link index, shared by all worktrees.
    public var linkCache: String { commonDir + "/zero/links" }
    /// git's default hooks folder (when core.hooksPath is not set).
    public var defaultHooksFolder: String { commonDir + "/hooks" }
    /// Present while a merge is in progress in this worktree.
    public var mergeHead: String { gitDir + "/MERGE_HEAD" }
    /// Present in a shallow clone.
    public var shallowFile: String { commonDir + "/shallow" }

    /// The commit MERGE_HEAD names, nil when no merge is in progress.
    public func mergingCommit() throws -> String? {
        try FileSystem.readText(mergeHead).map { $0.trimming(" \n\r") }.flatMap { $0.count >= 40 ? String($0.prefix(40)) : nil }
    }

    /// HEAD's commit read straight from the ref files (loose, then packed),
    /// without libgit2. Anything unusual (an unborn branch, a symbolic ref
    /// chain, a malformed file) gives nil: callers then ask libgit2.
    public func headCommit() -> String? {
        guard let head = try? FileSystem.readText(gitDir + "/HEAD") else { return nil }
        let line = head.trimming(" \n\r")
        if Self.isObjectID(line) { return line }
        guard line.hasPrefix("ref: refs/") else { return nil }
        let ref = String(line.dropFirst(5))
        // A worktree's own refs (HEAD-like, bisect) live in its git dir; branches in the common dir.
        let folders = gitDir == commonDir ? [gitDir] : [gitDir, commonDir]
        for folder in folders {
            if let text = try? FileSystem.readText(folder + "/" + ref) {
                let id = text.trimming(" \n\r")
                return Self.isObjectID(id) ? id : nil
            }
        }
        for folder in folders {
            guard let packed = try? FileSystem.readText(folder + "/packed-refs") else { continue }
            for packedLine in packed.split(separator: "\n") where !packedLine.hasPrefix("#") && !packedLine.hasPrefix("^") {
                let fields = packedLine.split(separator: " ", maxSplits: 1)
                guard fields.count == 2, fields[1] == ref else { continue }
                let id = String(fields[0])
                return Self.isObjectID(id) ? id : nil
            }
        }
        return nil
    }

    static func isObjectID(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
