import ZeroGit

/// Which commits `zero check` replays.
public enum CheckRange: Sendable {
    /// `A..B`: every commit reachable from B and not from A, judged with A's rules.
    case between(base: String, tip: String)
    /// No trust root given: every commit since Zero was adopted on B's
    /// first-parent line, judged with the rules of the adoption commit.
    case sinceAdoption(tip: String)

    /// Parses `A..B` (either side may be empty: `..B` is `HEAD..B`, `A..` is `A..HEAD`).
    public init(parsing text: String) throws {
        guard let dots = text.range(of: ".."), !text.contains("...") else {
            throw ZeroError(.usage, "'\(text)' is not a range", hint: "use A..B, e.g. origin/main..HEAD")
        }
        let base = String(text[..<dots.lowerBound]), tip = String(text[dots.upperBound...])
        self = .between(base: base.isEmpty ? "HEAD" : base, tip: tip.isEmpty ? "HEAD" : tip)
    }
}

/// What `zero check` found.
public struct CheckResult: Sendable, Encodable {
    public var range: String
    /// The commit whose rules, operators and signers judged the range.
    @Nullable public var trustRoot: String?
    /// Every commit judged, parents first.
    public var commits: [String]
    /// How many of them are merges (judged against the automatic merge of their parents).
    public var merges: Int
    /// The commit that adopted Zero, when the range holds it (its code is not judged).
    @Nullable public var adoption: String?
    /// Why nothing was judged, when nothing was.
    @Nullable public var note: String?
    public var findings: [GateFinding]

    enum CodingKeys: String, CodingKey {
        case range, trustRoot = "trust_root", commits, merges, adoption, note, findings
    }
}

extension Workspace {
    /// Replays every rule of DESIGN §4 over a range, commit by commit, with the
    /// rules of its trust root (DESIGN §4.1). `progress` hears (done, total).
    public func check(_ range: CheckRange, progress: ((Int, Int) -> Void)? = nil) throws -> CheckResult {
        let repository = try historyRepository()
        do {
            return try Replay(repository: repository).run(range, progress: progress)
        } catch let error as ZeroError where [.notFound, .gitUnavailable, .internal].contains(error.code) {
            if let locations = try? gitLocations(), FileSystem.exists(locations.shallowFile) {
                throw ZeroError(
                    .internal, "this is a shallow clone, and the range reaches commits it does not have (\(error.message))",
                    hint: "fetch the whole history (git fetch --unshallow; in GitHub Actions, actions/checkout with fetch-depth: 0)")
            }
            throw error
        }
    }

    /// The session named by `Zero-Case:` and `Zero-Session:` trailers.
    func sessionLink(trailers: [(key: String, value: String)]) throws -> SessionLink? {
        Replay.sessionLink(trailers: trailers)
    }
}

/// Code that reaches a session after it ended, through a branch forked
/// before the end: every commit is fine against its own parent, so this is
/// judged over the whole range. A code commit must be part of the history of
/// each commit in the range that ends its session, and its session must not
/// have ended at the trust root.
struct LateCode {
    struct Key: Hashable {
        var caseID: String
        var number: Int
    }

    private var code: [(commit: String, key: Key, file: String)] = []
    private var endings: [Key: [String]] = [:]

    mutating func note(_ step: GateStep, gate: Gate, judgedAlready: Bool) throws {
        guard let commit = step.commit else { return }
        for change in step.changes where change.kind != .deleted {
            guard case .session(let id, let number)? = MemoryPath(change.path) else { continue }
            let after = try step.after.session(at: change.path, number: number)
            let before = try step.before.session(at: change.path, number: number)
            if after?.state.isEnded == true, before?.state.isEnded != true { endings[Key(caseID: id, number: number), default: []].append(commit) }
        }
        if step.judgesCode, !judgedAlready, let link = step.link, let first = gate.codePaths(step.changes).first {
            code.append((commit, Key(caseID: link.caseID, number: link.number), first))
        }
    }

    func findings(trust: any TreeSource, ancestors: (String) throws -> Set<String>) throws -> [GateFinding] {
        var findings: [GateFinding] = []
        var history: [String: Set<String>] = [:]
        var endedAtTrust: [Key: Bool] = [:]
        for (commit, key, file) in code {
            let label = "session \(key.caseID.prefix(8))/\(key.number)"
            let hint = "code after a session ends needs a new implementing session under an approved plan; rebase the work onto it"
            if endedAtTrust[key] == nil {
                endedAtTrust[key] = try trust.session(key.caseID, key.number)?.state.isEnded ?? false
            }
            if endedAtTrust[key] == true {
                findings.append(
                    GateFinding(
                        .approval, file: file, "code commit \(commit.prefix(12)) is linked to \(label), which had already ended at the trust root",
                        hint: hint, commit: commit))
                continue
            }
            for ending in endings[key] ?? [] {
                if history[ending] == nil { history[ending] = try ancestors(ending) }
                if history[ending]?.contains(commit) == false {
                    findings.append(
                        GateFinding(
                            .approval, file: file,
                            "code commit \(commit.prefix(12)) is linked to \(label), which ended in \(ending.prefix(12)) without it: it came in on a branch forked before the end",
                            hint: hint, commit: commit))
                    break
                }
            }
        }
        return findings
    }
}

/// One run of `zero check`: finds the trust root, walks the range, judges each commit.
struct Replay {
    let repository: Repository
    let blobs = BlobCache()

    init(repository: Repository) { self.repository = repository }

    /// A commit's (or any) tree, reading blobs through the replay's cache.
    func tree(_ id: String?) -> GitTree { GitTree(repository: repository, tree: id, cache: blobs) }

    static func sessionLink(trailers: [(key: String, value: String)]) -> SessionLink? {
        let caseValue = trailers.last(where: { $0.key.lowercased() == "zero-case" })?.value
        let sessionValue = trailers.last(where: { $0.key.lowercased() == "zero-session" })?.value
        // "2", "S002" or " 2 ": digits only, so "-23" or "+2" name no session.
        let digits = sessionValue.map { $0.trimming(" S") } ?? ""
        guard let caseValue, CaseID.isValid(caseValue.lowercased()), !digits.isEmpty, digits.count <= 9,
            digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = Int(digits), number > 0
        else { return nil }
        return SessionLink(caseID: caseValue.lowercased(), number: number)
    }

    func hasConfig(_ commit: String) throws -> Bool {
        try repository.contents(of: MemoryPath.configFile, in: commit) != nil
    }

    func run(_ range: CheckRange, progress: ((Int, Int) -> Void)?) throws -> CheckResult {
        let tip: String
        var base: String?
        let label: String
        switch range {
        case .between(let baseSpec, let tipSpec):
            tip = try repository.resolveCommit(tipSpec)
            base = try repository.resolveCommit(baseSpec)
            label = "\(baseSpec)..\(tipSpec)"
            if base == tip {
                return CheckResult(
                    range: label, trustRoot: base, commits: [], merges: 0, adoption: nil,
                    note: "\(baseSpec) and \(tipSpec) are the same commit: the range holds no commits", findings: [])
            }
            if try repository.isDescendant(base!, of: tip) {
                throw ZeroError(
                    .usage, "the range \(label) is reversed: \(tipSpec) is an ancestor of \(baseSpec), so it holds no commits",
                    hint: "give the older commit first: \(tipSpec)..\(baseSpec)")
            }
        case .sinceAdoption(let tipSpec):
            tip = try repository.resolveCommit(tipSpec)
            label = "\(tipSpec.prefix(12)) since adoption"
        }
        // The trust root: the base when it has adopted Zero; otherwise the range's own adoption commit.
        var hiding = base.map { [$0] } ?? []
        var adoption: String?
        let trustCommit: String
        if let base, try hasConfig(base) {
            trustCommit = base
        } else {
            guard let found = try adoptionCommit(tip: tip, base: base) else {
                return CheckResult(
                    range: label, trustRoot: nil, commits: [], merges: 0, adoption: nil,
                    note: "Zero is not adopted in \(label) (no \(MemoryPath.configFile)): nothing to check", findings: [])
            }
            adoption = found
            trustCommit = found
            hiding += try repository.commit(found).parents
        }
        let trustTree = try repository.treeID(ofCommit: trustCommit)
        let trust = try Self.trustRoot(
            repository: repository, tree: trustTree,
            label: trustCommit == base ? "\(label.components(separatedBy: "..").first ?? "") (\(trustCommit.prefix(12)))" : "adoption commit \(trustCommit.prefix(12))")
        let gate = Gate(trust: trust)
        let commits = try repository.commitsBetween(tip: tip, hiding: hiding)
        var findings: [GateFinding] = []
        var merges = 0
        var late = LateCode()
        for (index, id) in commits.enumerated() {
            progress?(index, commits.count)
            let info = try repository.commit(id)
            if info.parents.count > 1 { merges += 1 }
            let step = try step(info, adoption: adoption, trustTree: trustTree)
            let judged = gate.judge(step)
            // A merge's memory must also be a legal successor of each parent's: a conflict
            // resolved to one side cannot roll back what the other side recorded.
            findings += judged + gate.judge(sides: try memoryAgainstParents(info), beyond: judged)
            try late.note(step, gate: gate, judgedAlready: judged.contains { $0.rule == .approval || $0.rule == .trailers })
        }
        findings += try late.findings(trust: tree(trustTree)) { ending in
            Set(try repository.commitsBetween(tip: ending, hiding: hiding))
        }
        progress?(commits.count, commits.count)
        return CheckResult(
            range: label, trustRoot: trustCommit, commits: commits, merges: merges, adoption: adoption,
            note: commits.isEmpty ? "the range holds no commits" : nil, findings: findings)
    }

    static func trustRoot(repository: Repository, tree: String, label: String) throws -> TrustRoot {
        let source = GitTree(repository: repository, tree: tree)
        guard let bytes = try source.contents(of: MemoryPath.configFile) else {
            throw ZeroError(.internal, "the trust root \(label) has no \(MemoryPath.configFile)")
        }
        let config = try WorkspaceConfig.parse(String(decoding: bytes, as: UTF8.self), file: "\(MemoryPath.configFile) at \(label)")
        return TrustRoot(config: config, allowedSigners: try source.contents(of: MemoryPath.signersFile), tree: source, label: label)
    }

    /// The oldest commit on `tip`'s first-parent line (inside the range when a
    /// base is given) that has the config while its first parent does not.
    /// The whole line is read: removing zero-memory/ and putting it back later
    /// does not move the adoption point, so it cannot hide the commits between.
    func adoptionCommit(tip: String, base: String?) throws -> String? {
        let inRange: Set<String>? = try base.map { Set(try repository.commitsBetween(tip: tip, hiding: [$0])) }
        var found: String?
        var current: String? = tip
        var currentHasConfig = try hasConfig(tip)
        while let commit = current {
            let parent = try repository.commit(commit).parents.first.flatMap { parent in
                inRange.map { $0.contains(parent) } ?? true ? parent : nil
            }
            let parentHasConfig = try parent.map(hasConfig) ?? false
            if currentHasConfig, !parentHasConfig { found = commit }
            current = parent
            currentHasConfig = parentHasConfig
        }
        return found
    }

    /// For a merge: its memory files against each parent, as if it were a commit on top of that parent.
    func memoryAgainstParents(_ info: CommitInfo) throws -> [GateStep] {
        guard info.parents.count > 1 else { return [] }
        let folder = Workspace.folderName
        let after = tree(info.tree)
        let own = try repository.entry(at: folder, inTree: info.tree)?.id
        return try info.parents.map { parent in
            let parentTree = try repository.treeID(ofCommit: parent)
            let theirs = try repository.entry(at: folder, inTree: parentTree)?.id
            let changes = theirs == nil || own == nil ? [] : try repository.diffTrees(old: theirs, new: own, prefix: folder).map(TreeChange.init)
            // Acts no file records (config changes, deletions) were judged in the commits that made them.
            return GateStep(
                changes: changes, before: tree(parentTree), after: after, approved: tree(parentTree), link: nil, current: nil,
                commit: info.id, author: nil, commitSignature: nil, judgesCode: false, isMerge: true)
        }
    }

    /// What commit `info` changed and against what it is judged.
    func step(_ info: CommitInfo, adoption: String?, trustTree: String) throws -> GateStep {
        let after = tree(info.tree)
        let link = Self.sessionLink(trailers: try repository.trailers(info.message))
        var step = GateStep(
            changes: [], before: after, after: after, approved: EmptyTree(), link: link, current: nil, commit: info.id,
            author: info.authorEmail, commitSignature: { [repository] in try repository.signature(info.id) })
        if info.parents.count > 1 {
            // A merge: what it changed beyond the automatic merge of its parents
            // (conflict resolutions, "evil merge" edits). Its parents' commits are judged one by one.
            let merge = try repository.mergeChanges(info.id)
            step.changes = merge.changes.map(TreeChange.init)
            step.isMerge = true
            step.before = merge.autoTree.map { tree($0) } ?? after
            step.approved = tree(try repository.treeID(ofCommit: info.parents[0]))
            return step
        }
        let parentTree = try info.parents.first.map { try repository.treeID(ofCommit: $0) }
        let parentAdopted = try parentTree.map { try repository.contents(of: MemoryPath.configFile, inTree: $0) != nil } ?? false
        if info.id == adoption || parentAdopted {
            step.changes = try repository.diffTrees(old: parentTree, new: info.tree).map(TreeChange.init)
            step.before = tree(parentTree)
            step.approved = step.before
            step.judgesCode = info.id != adoption
            return step
        }
        // A root commit, or one whose parent has no zero-memory/ (an orphan branch,
        // a branch from before adoption, zero-memory/ removed and put back): its code
        // is all new, its memory is judged against the trust root's.
        let folder = Workspace.folderName
        let trustMemory = try repository.entry(at: folder, inTree: trustTree)?.id
        let ownMemory = try repository.entry(at: folder, inTree: info.tree)?.id
        let code = try repository.diffTrees(old: nil, new: info.tree).filter { !$0.path.hasPrefix(MemoryPath.prefix) && $0.path != folder }
        // A root without zero-memory/ has no memory to judge (its code still is).
        let memory = ownMemory == nil ? [] : try repository.diffTrees(old: trustMemory, new: ownMemory, prefix: folder)
        step.changes = (code + memory).map(TreeChange.init)
        step.before = MemoryOnlyTree(base: tree(trustTree))
        step.approved = tree(parentTree)
        return step
    }
}
