/// A read-only snapshot of files: HEAD, the index, a commit's tree, or the
/// work tree. The gates read memory files through this, so one rule set
/// serves pre-commit (HEAD vs index) and `zero check` (parent vs commit).
public protocol TreeSource {
    /// The file's bytes, or nil when it is not in this snapshot.
    func contents(of path: String) throws -> [UInt8]?
    /// Every file path below `folder` (recursively), relative to the repository top.
    func files(under folder: String) throws -> [String]
}

/// How a path changed between two snapshots.
public struct TreeChange: Equatable, Sendable {
    public enum Kind: String, Sendable { case added, modified, deleted }
    public var path: String
    public var kind: Kind

    public init(_ path: String, _ kind: Kind) {
        self.path = path
        self.kind = kind
    }
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
        case transition = "legal-transition"
        case appendOnly = "ended-sessions-append-only"
        case proof = "proofs-only-gain-verification"
        case artifact = "proof-artifacts-intact"
        case resolve = "resolve-needs-verified-proof"
        case deletion = "memory-never-deleted"
        case approval = "approved-plan-before-code"
        case scope = "approved-scope"
        case trailers = "commits-link-sessions"
        case signature = "signed-approvals"
    }

    public var rule: Rule
    public var file: String?
    public var line: Int?
    public var message: String
    public var hint: String
    /// The commit, for findings of `zero check --range`.
    public var commit: String?

    public init(_ rule: Rule, file: String?, line: Int? = nil, _ message: String, hint: String, commit: String? = nil) {
        self.rule = rule
        self.file = file
        self.line = line
        self.message = message
        self.hint = hint
        self.commit = commit
    }
}

/// A path inside zero-memory/, by what it is.
enum MemoryPath: Equatable {
    case config
    case meta(caseID: String)
    case problem(caseID: String)
    case classification(caseID: String)
    case session(caseID: String, number: Int)
    case latest(caseID: String)
    case proof(caseID: String, name: String)
    case artifact(caseID: String, name: String)
    case other

    static let prefix = Workspace.folderName + "/"
    /// `zero-memory/config.yaml`, as a path inside a git tree.
    static let configFile = prefix + "config.yaml"

    init?(_ path: String) {
        guard path.hasPrefix(Self.prefix) else { return nil }
        let parts = path.dropFirst(Self.prefix.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts == ["config.yaml"] { self = .config; return }
        guard parts.count >= 3, parts[0] == "cases", CaseID.isValid(parts[1]) else { self = .other; return }
        let id = parts[1]
        switch (parts.count, parts[2]) {
        case (3, "meta.yaml"): self = .meta(caseID: id)
        case (3, "problem-definition.md"): self = .problem(caseID: id)
        case (3, "final-classification.md"): self = .classification(caseID: id)
        case (4, "sessions"):
            if parts[3] == "latest.md" { self = .latest(caseID: id) }
            else if parts[3].hasSuffix(".md"), let number = Int(parts[3].dropLast(3)), number > 0 { self = .session(caseID: id, number: number) }
            else { self = .other }
        case (4, "proofs"):
            self = parts[3].hasSuffix(".md") ? .proof(caseID: id, name: parts[3]) : .artifact(caseID: id, name: parts[3])
        default: self = .other
        }
    }

    static func meta(_ id: String) -> String { prefix + "cases/\(id)/meta.yaml" }
    static func session(_ id: String, _ number: Int) -> String { prefix + "cases/\(id)/sessions/\(Session.fileName(number))" }
    static func proofs(_ id: String) -> String { prefix + "cases/\(id)/proofs" }
}
