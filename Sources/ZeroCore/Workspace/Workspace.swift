import ZeroGit

/// A work tree with a `zero-memory/` folder: where every case, session and
/// proof lives, and the one place the rules of DESIGN §3 are applied.
///
/// Not `Sendable`: it caches the config, the identity and libgit2 handles
/// without locks. A face makes one per command or request (cheap: nothing is
/// read until asked), and never shares one between threads.
public final class Workspace {
    /// The work tree's top folder (absolute).
    public let root: String
    public let environment: Environment
    private var cachedConfig: WorkspaceConfig?
    private var cachedRepository: Repository?
    private var cachedHistory: Repository?
    private var cachedIdentity: Identity?
    private var cachedLocations: GitLocations?
    /// Folders under zero-memory/ already checked to be real folders (not links) by this instance.
    var verifiedFolders: Set<String> = []

    public static let folderName = "zero-memory"

    public var memory: String { root + "/" + Self.folderName }
    public var casesFolder: String { memory + "/cases" }
    public var configPath: String { memory + "/config.yaml" }

    public init(root: String, environment: Environment = Environment()) {
        self.root = root
        self.environment = environment
    }

    /// Finds the workspace that contains `folder`: the nearest parent holding
    /// `zero-memory/config.yaml`, not crossing into a parent git repository.
    public static func locate(from folder: String, environment: Environment = Environment()) throws -> Workspace {
        var current = FileSystem.realPath(folder) ?? folder
        while true {
            if FileSystem.exists(current + "/" + folderName + "/config.yaml") {
                return Workspace(root: current, environment: environment)
            }
            // A work tree's top has .git (a folder, or a file in linked worktrees); stop there.
            if FileSystem.exists(current + "/.git") || current == "/" { break }
            current = FileSystem.split(current).folder
        }
        throw ZeroError(
            .notFound, "no zero workspace here: \(folder) has no zero-memory/config.yaml",
            hint: "run 'zero init' at the top of your repository")
    }

    // MARK: Paths

    public func caseFolder(_ id: String) -> String { casesFolder + "/" + id }
    public func metaPath(_ id: String) -> String { caseFolder(id) + "/meta.yaml" }
    public func problemPath(_ id: String) -> String { caseFolder(id) + "/problem-definition.md" }
    public func sessionsFolder(_ id: String) -> String { caseFolder(id) + "/sessions" }
    public func sessionPath(_ id: String, _ number: Int) -> String { sessionsFolder(id) + "/" + Session.fileName(number) }
    public func proofsFolder(_ id: String) -> String { caseFolder(id) + "/proofs" }
    public func classificationPath(_ id: String) -> String { caseFolder(id) + "/final-classification.md" }

    /// `path` relative to the work tree, for messages.
    public func relative(_ path: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    // MARK: Config, git, identity

    public func config() throws -> WorkspaceConfig {
        if let cachedConfig { return cachedConfig }
        guard let text = try readMemoryText(configPath) else {
            throw ZeroError(.notFound, "\(relative(configPath)) is missing", hint: "run 'zero init'")
        }
        let config = try WorkspaceConfig.parse(text, file: relative(configPath))
        cachedConfig = config
        return config
    }

    /// The git repository of this work tree, opened (and libgit2 loaded) on first use.
    public func repository() throws -> Repository {
        if let cachedRepository { return cachedRepository }
        let repository = try Repository.discover(from: root)
        cachedRepository = repository
        return repository
    }

    /// A second handle for reading history (linking, checks); see `Repository.discoverForHistory`.
    public func historyRepository() throws -> Repository {
        if let cachedHistory { return cachedHistory }
        let repository = try Repository.discoverForHistory(from: root)
        cachedHistory = repository
        return repository
    }

    /// Where git keeps this work tree's files (git dir, common dir, index), found without libgit2.
    public func gitLocations() throws -> GitLocations {
        if let cachedLocations { return cachedLocations }
        let locations = try GitLocations.find(workTree: root, environment: environment)
        cachedLocations = locations
        return locations
    }

    /// Who runs this command, as the face's environment says (asked once).
    public func identity() throws -> Identity {
        if let cachedIdentity { return cachedIdentity }
        let identity = try environment.identity(root)
        cachedIdentity = identity
        return identity
    }

    /// The actor of this command.
    public func actor() throws -> Actor { try identity().actor }

    /// The same work tree, acting for `identity`: what the server does for
    /// each caller, and what tests do instead of editing git config.
    public func acting(as identity: Identity) -> Workspace {
        var environment = self.environment
        environment.identity = { _ in identity }
        return Workspace(root: root, environment: environment)
    }

    /// The actor, who must be listed in `operators`; `action` says what they tried.
    public func requireOperator(_ action: String) throws -> Actor {
        let actor = try actor()
        guard try config().isOperator(actor.email) else {
            throw ZeroError(
                .notOperator, "only an operator may \(action); \(actor.email) is not in operators",
                hint: "ask an operator (\(try config().operators.joined(separator: ", "))) to run it, or add the email to operators in \(relative(configPath))")
        }
        return actor
    }

    func now() -> Timestamp { environment.now() }

    /// In signed mode (`gates.require_signed_approvals`), signs an operator act
    /// with the actor's SSH key (`user.signingkey`); nil otherwise.
    func signIfRequired(_ act: OperatorAct) throws -> String? {
        let config = try config()
        guard config.requireSignedApprovals else { return nil }
        guard let workspace = config.workspaceID else {
            throw ZeroError(
                .signatureRequired, "signed mode is on, but \(relative(configPath)) has no workspace_id to name this repository in signed acts",
                hint: "an operator adds 'workspace_id: \(CaseID.generate())' to \(relative(configPath)) and commits it")
        }
        guard let key = try identity().signingKey else {
            throw ZeroError(
                .signatureRequired, "signed mode is on (gates.require_signed_approvals), and you have no signing key",
                hint: "set your operator key: git config user.signingkey ~/.ssh/id_ed25519.pub (its private half in ssh-agent, or a FIDO key)")
        }
        return try ActSigner(key: environment.expandingHome(key), temporaryBase: environment.variable("TMPDIR")).sign(act, workspace: workspace)
    }

    // MARK: Ids

    /// All case ids (folder names), unsorted. A case folder that is a symlink
    /// is listed too: reading it then fails with the reason.
    public func caseIDs() throws -> [String] {
        guard try requireRealFolder(casesFolder, create: false) else { return [] }
        return try FileSystem.list(casesFolder).filter { CaseID.isValid($0) }
    }

    /// The full id of the case `reference` names: a full id or a unique prefix.
    public func resolveCase(_ reference: String) throws -> String {
        try CaseID.validateReference(reference)
        let prefix = reference.lowercased()
        if CaseID.isValid(prefix), FileSystem.kind(caseFolder(prefix)) != .missing { return prefix }
        let matches = try caseIDs().filter { $0.hasPrefix(prefix) }.sorted()
        if matches.isEmpty {
            throw ZeroError(.notFound, "no case matches '\(reference)'", hint: "'zero case list' shows the cases")
        }
        if matches.count > 1 {
            let shown = matches.prefix(8).map { id -> String in
                let title = (try? loadMeta(id).title) ?? "?"
                return "\(id.prefix(12)) \(title)"
            }
            throw ZeroError(
                .usage, "'\(reference)' matches \(matches.count) cases: \(shown.joined(separator: "; "))",
                hint: "type more characters of the id")
        }
        return matches[0]
    }

    // MARK: Reading

    public func loadMeta(_ id: String) throws -> CaseMeta {
        let path = metaPath(id)
        guard let text = try readMemoryText(path) else {
            throw ZeroError(
                .notFound, "case \(id.prefix(8)) has no meta.yaml (\(relative(path)))",
                hint: "restore it from git, or delete the folder with 'zero case delete \(id.prefix(8)) --yes'")
        }
        let meta = try CaseMeta.parse(text, file: relative(path))
        guard meta.id == id else {
            throw ZeroError.malformed(
                "id \(meta.id) does not match its folder \(id)", file: relative(path),
                line: 1)
        }
        return meta
    }

    /// Every case, oldest first; the first broken one throws.
    public func listCases() throws -> [CaseMeta] {
        let listing = try scanCases()
        if let broken = listing.broken.first { throw broken.error }
        return listing.cases
    }

    /// Every case that reads, oldest first, and every one that does not, with
    /// why: one broken case never hides the others (DESIGN §9).
    public func scanCases() throws -> CaseListing {
        var listing = CaseListing()
        guard try requireRealFolder(casesFolder, create: false) else { return listing }
        var ids: [String] = []
        for entry in try FileSystem.entries(casesFolder) where CaseID.isValid(entry.name) {
            // The listing already says which entries are real folders: no lstat each.
            if entry.kind == .folder { verifiedFolders.insert(caseFolder(entry.name)) }
            ids.append(entry.name)
        }
        for id in ids {
            do {
                listing.cases.append(try loadMeta(id))
            } catch let error as ZeroError {
                listing.broken.append(BrokenCase(id: id, error: error))
            }
        }
        listing.cases.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        listing.broken.sort { $0.id < $1.id }
        return listing
    }

    /// A case's sessions in number order; an ended session whose file changed is an error.
    public func loadSessions(_ id: String) throws -> [Session] {
        let folder = sessionsFolder(id)
        guard try requireRealFolder(folder, create: false) else { return [] }
        var sessions: [Session] = []
        for name in try FileSystem.list(folder) {
            guard let number = Session.number(inFileName: name) else { continue }
            let path = folder + "/" + name
            guard number > 0, Session.fileName(number) == name else {
                throw ZeroError.malformed(
                    "\(name) looks like a session file, but session \(number) is \(Session.fileName(number)); two names for one number cannot both be kept",
                    file: relative(path), hint: "move the stray file out of \(relative(folder))/ ('zero doctor' lists it)")
            }
            guard let text = try readMemoryText(path) else { continue }
            let session = try Session.parse(text, file: relative(path), numberFromFileName: number)
            if let problem = Session.sealProblem(text, session: session) {
                let line =
                    session.seal == nil
                    ? 1
                    : text.split(separator: "\n", omittingEmptySubsequences: false)
                        .firstIndex(where: { $0.hasPrefix("seal_sha256: ") }).map { $0 + 1 }
                throw ZeroError(
                    .malformed, "session S\(Timestamp.pad(number, 3)) is \(session.state.rawValue) and \(problem); ended sessions are append-only",
                    hint: "restore it with 'git checkout -- \(relative(path))', and start a new session to continue",
                    file: relative(path), line: line)
            }
            sessions.append(session)
        }
        return sessions.sorted { $0.number < $1.number }
    }

    public func loadProofs(_ id: String) throws -> [Proof] {
        let folder = proofsFolder(id)
        guard try requireRealFolder(folder, create: false) else { return [] }
        var proofs: [Proof] = []
        for name in try FileSystem.list(folder) where name.hasSuffix(".md") && !name.hasPrefix(".") {
            let path = folder + "/" + name
            guard let text = try readMemoryText(path) else { continue }
            let proof = try Proof.parse(text, file: relative(path))
            guard proof.fileName == name else {
                throw ZeroError.malformed(
                    "proof \(proof.shortID) lies in \(name); its file must be \(proof.fileName)", file: relative(path),
                    line: proof.header.line(of: "id") ?? 1)
            }
            proofs.append(proof)
        }
        return proofs.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func loadProblem(_ id: String) throws -> MemoryDocument? {
        let path = problemPath(id)
        guard let text = try readMemoryText(path) else { return nil }
        return try MemoryDocument.parse(text, file: relative(path), expectsTitle: true)
    }

    // MARK: Active session (per worktree, in its git dir, never committed)

    /// Found as the hooks find it (`.git` or GIT_DIR), so the CLI and the hooks
    /// always agree on the pointer, and reading it never loads libgit2.
    func activePointerPath() throws -> String {
        try gitLocations().activeSession
    }

    /// The session active in this worktree, or nil.
    public func activeSession() throws -> SessionLink? {
        try Hooks.activeLink(try gitLocations())
    }

    func setActiveSession(_ caseID: String, _ number: Int) throws {
        let path = try activePointerPath()
        try FileSystem.createFolder(FileSystem.split(path).folder)
        try FileSystem.writeAtomically("\(caseID)/\(number)\n", to: path)
    }

    /// Clears the pointer when it names this session.
    func clearActiveSession(_ caseID: String, _ number: Int) throws {
        guard let active = try activeSession(), active.caseID == caseID, active.number == number else { return }
        try FileSystem.removeTree(try activePointerPath())
    }
}

/// The cases of a workspace as far as they read.
public struct CaseListing: Sendable {
    public var cases: [CaseMeta] = []
    public var broken: [BrokenCase] = []
}

/// A case folder that does not read, and why.
public struct BrokenCase: Sendable {
    public var id: String
    public var error: ZeroError
}
