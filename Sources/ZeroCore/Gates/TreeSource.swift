/// A read-only snapshot of files: HEAD, the index, a commit's tree, or the
/// automatic merge of a merge commit's parents. The gates read files through
/// this, so one rule set serves pre-commit (HEAD vs index) and `zero check`
/// (parent vs commit).
public protocol TreeSource {
    /// The file's bytes (a symlink's target), or nil when it is not in this snapshot.
    func contents(of path: String) throws -> [UInt8]?
    /// Every file path below `folder` (recursively), relative to the repository top.
    func files(under folder: String) throws -> [String]
}

extension TreeSource {
    /// The file at `path` read as `parse` reads it; nil when absent or unreadable
    /// (a broken file is a finding where it changed, not wherever it is read).
    func parsed<T>(_ path: String, _ parse: (String) throws -> T) throws -> T? {
        try contents(of: path).flatMap { bytes in MemoryText.decodeIfValid(bytes).flatMap { try? parse($0) } }
    }

    func session(at path: String, number: Int) throws -> Session? {
        try parsed(path) { try Session.parse($0, file: path, numberFromFileName: number) }
    }

    func session(_ caseID: String, _ number: Int) throws -> Session? {
        try session(at: MemoryPath.session(caseID, number), number: number)
    }

    func meta(_ caseID: String) throws -> CaseMeta? {
        let path = MemoryPath.meta(caseID)
        return try parsed(path) { try CaseMeta.parse($0, file: path) }
    }

    func proof(at path: String) throws -> Proof? {
        try parsed(path) { try Proof.parse($0, file: path) }
    }
}

/// The empty tree: the "before" of a root commit.
struct EmptyTree: TreeSource {
    func contents(of path: String) throws -> [UInt8]? { nil }
    func files(under folder: String) throws -> [String] { [] }
}

/// `primary`, falling back to `fallback` for paths `primary` lacks. A case
/// deleted in a range and added again is judged against the files the trust
/// root had for it, so deleting and re-adding cannot rewrite history.
struct FallbackTree: TreeSource {
    let primary: any TreeSource
    let fallback: (any TreeSource)?

    func contents(of path: String) throws -> [UInt8]? {
        if let bytes = try primary.contents(of: path) { return bytes }
        return try fallback?.contents(of: path)
    }

    func files(under folder: String) throws -> [String] {
        let own = try primary.files(under: folder)
        guard own.isEmpty, let fallback else { return own }
        return try fallback.files(under: folder)
    }
}

/// Only the `zero-memory/` files of `base`; everything else is absent. The
/// "before" of a commit whose parent has no `zero-memory/`: its code is judged
/// as new, its memory against the trust root's.
struct MemoryOnlyTree: TreeSource {
    let base: any TreeSource

    func contents(of path: String) throws -> [UInt8]? {
        path.hasPrefix(MemoryPath.prefix) ? try base.contents(of: path) : nil
    }

    func files(under folder: String) throws -> [String] {
        (folder + "/").hasPrefix(MemoryPath.prefix) ? try base.files(under: folder) : []
    }
}

/// How a path changed between two snapshots, as git sees it: kind and modes.
public struct TreeChange: Equatable, Sendable {
    public enum Kind: String, Sendable { case added, modified, deleted, typeChanged }
    public var path: String
    public var kind: Kind
    /// git file modes (0o100644, 0o100755, 0o120000 link, 0o160000 submodule); 0 when absent.
    public var oldMode: UInt32
    public var newMode: UInt32

    public init(_ path: String, _ kind: Kind, oldMode: UInt32? = nil, newMode: UInt32? = nil) {
        self.path = path
        self.kind = kind
        self.oldMode = oldMode ?? (kind == .added ? 0 : FileModeBits.regular)
        self.newMode = newMode ?? (kind == .deleted ? 0 : FileModeBits.regular)
    }

    /// From git's raw status letter (A, M, D, T).
    init(path: String, status: Character, oldMode: UInt32, newMode: UInt32) {
        let kind: Kind =
            switch status {
            case "A": .added
            case "D": .deleted
            case "T": .typeChanged
            default: .modified
            }
        self.init(path, kind, oldMode: oldMode, newMode: newMode)
    }

    public var isSymlink: Bool { newMode & 0o170000 == FileModeBits.symlink }
    public var isRegularFile: Bool { newMode & 0o170000 == 0o100000 }
}

/// git's file modes, for ZeroCore code that does not import ZeroGit types.
enum FileModeBits {
    static let regular: UInt32 = 0o100644
    static let symlink: UInt32 = 0o120000
    static let gitlink: UInt32 = 0o160000
}

/// The session a code change claims to belong to: the worktree's active
/// session (pre-commit) or the commit's trailers (`zero check`).
public struct SessionLink: Equatable, Sendable {
    public var caseID: String
    public var number: Int

    public init(caseID: String, number: Int) {
        self.caseID = caseID
        self.number = number
    }
}

/// A rule a change broke: which rule, which file, what is wrong and how to fix it.
public struct GateFinding: Equatable, Sendable, Encodable {
    public enum Rule: String, Sendable, Encodable, CaseIterable {
        case parse = "files-parse"
        case memoryOnly = "memory-files-only"
        case adoption = "zero-stays-adopted"
        case transition = "legal-transition"
        case appendOnly = "ended-sessions-append-only"
        case proof = "proofs-only-gain-verification"
        case artifact = "proof-artifacts-intact"
        case resolve = "resolve-needs-verified-proof"
        case deletion = "memory-never-deleted"
        case operatorAct = "operator-acts"
        case settled = "settled-cases-keep-their-record"
        case signature = "signed-operator-acts"
        case approval = "approved-plan-before-code"
        case scope = "approved-scope"
        case symlink = "symlinks-judged-by-target"
        case trailers = "commits-link-sessions"
    }

    public var rule: Rule
    @Nullable public var file: String?
    @Nullable public var line: Int?
    public var message: String
    public var hint: String
    /// The commit, for findings of `zero check --range`.
    @Nullable public var commit: String?

    public init(_ rule: Rule, file: String?, line: Int? = nil, _ message: String, hint: String, commit: String? = nil) {
        self.rule = rule
        self.file = file
        self.line = line
        self.message = message
        self.hint = hint
        self.commit = commit
    }
}
