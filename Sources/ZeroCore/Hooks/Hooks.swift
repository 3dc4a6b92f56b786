import ZeroGit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What git runs: `zero hook pre-commit | commit-msg <file> | pre-push <remote> <url>`.
/// Hooks read HEAD and the index only: they never walk the work tree, stage
/// files, use the network or prompt.
public enum Hooks {
    public static let names = ["pre-commit", "commit-msg", "pre-push"]

    /// Runs hook `name` in the work tree and with the variables git gave
    /// (`environment`); returns the exit status for git. Output goes to `report`.
    public static func run(
        _ name: String, arguments: [String], environment: Environment, stdin: () -> [UInt8],
        report: (String) -> Void
    ) -> Int32 {
        let top = GitLocations.hookWorkTree(environment)
        do {
            switch name {
            case "pre-commit":
                let findings = try preCommit(top: top, environment: environment)
                if findings.isEmpty { return 0 }
                report(FindingReport.text(findings, title: "commit refused: \(findings.count) gate\(findings.count == 1 ? "" : "s") failed"))
                report("  (ZERO_HOOKS=0 skips the hooks; zero check and CI still replay every rule)\n")
                return 1
            case "commit-msg":
                guard let file = arguments.first else {
                    report("zero: commit-msg needs the message file\n")
                    return 64
                }
                try commitMessage(file, top: top, environment: environment)
                return 0
            case "pre-push":
                let findings = try prePush(remote: arguments.first ?? "origin", stdin(), top: top, environment: environment, notes: report)
                if findings.isEmpty { return 0 }
                report(FindingReport.text(findings, title: "push refused: \(findings.count) finding\(findings.count == 1 ? "" : "s") in the pushed commits"))
                return 1
            default:
                report("zero: unknown hook '\(name)'; zero handles \(names.joined(separator: ", "))\n")
                return 64
            }
        } catch let error as ZeroError {
            report("zero: \(name) hook: \(error)\n" + (error.hint.map { "hint: \($0)\n" } ?? ""))
            return error.code.exitCode
        } catch {
            report("zero: \(name) hook failed: \(error)\n")
            return 70
        }
    }

    /// The active session recorded for this worktree (in its own git dir, never committed).
    static func activeLink(_ locations: GitLocations) throws -> SessionLink? {
        guard let text = try FileSystem.readText(locations.activeSession) else { return nil }
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == "\n" })
        guard parts.count == 2, CaseID.isValid(String(parts[0])), let number = Int(parts[1]) else { return nil }
        return SessionLink(caseID: String(parts[0]), number: number)
    }

    // MARK: pre-commit

    /// The staged index against HEAD, through every rule, with HEAD's rules
    /// (the commit that adopts Zero brings its own). During a merge, the index
    /// is judged against the automatic merge of HEAD and MERGE_HEAD.
    static func preCommit(top: String, environment: Environment) throws -> [GateFinding] {
        let locations = try GitLocations.find(workTree: top, environment: environment)
        let merging = try locations.mergingCommit()
        let autoMerge = try merging.map { try GitCommand.mergeTree(ours: "HEAD", theirs: $0, in: top) }
        // git computes the staged diff on one core while this process reads the index on the other.
        let diff = try GitCommand.StagedDiff(in: top, against: autoMerge?.tree)
        let link = try activeLink(locations)
        // The few files the rules may read: from the work tree when it matches the index. (A staged
        // memory file outside this set is read through git, since the diff is not known yet.)
        var wanted: Set<String> = [MemoryPath.configFile, MemoryPath.signersFile]
        if let link {
            // The session, its case, and the earlier sessions one of which holds the approved plan.
            wanted.insert(MemoryPath.meta(link.caseID))
            for number in 1...max(1, link.number) { wanted.insert(MemoryPath.session(link.caseID, number)) }
        }
        let files = HookFiles(top: top, index: GitIndex.read(locations.indexFile, wanted: wanted), staged: nil)
        // Still while git works: the files most commits need, checked against the index, and the config parsed.
        for path in wanted { _ = files.fromWorkTree(path) }
        let indexedConfig = files.fromWorkTree(MemoryPath.configFile).bytes
        let speculative = try? indexedConfig.map { try WorkspaceConfig.parse(String(decoding: $0, as: UTF8.self), file: MemoryPath.configFile) }
        let staged = try diff.changes()
        if staged.isEmpty { return [] }
        files.staged = autoMerge == nil ? Set(staged.map(\.path)) : nil
        let head = HookTree(files: files, treeish: "HEAD")
        let index = HookTree(files: files, treeish: nil)
        let headConfig = try head.contents(of: MemoryPath.configFile)
        let trustTree: any TreeSource = headConfig != nil ? head : index
        guard let configBytes = try headConfig ?? index.contents(of: MemoryPath.configFile) else { return [] }
        let config =
            try (configBytes == indexedConfig ? speculative : nil)
            ?? WorkspaceConfig.parse(String(decoding: configBytes, as: UTF8.self), file: MemoryPath.configFile)
        let trust = TrustRoot(
            config: config, allowedSigners: config.requireSignedApprovals ? try trustTree.contents(of: MemoryPath.signersFile) : nil,
            tree: headConfig != nil ? head : nil, label: "HEAD")
        let gate = Gate(trust: trust)
        let changes = staged.map(TreeChange.init)
        var before: any TreeSource = head
        if let autoMerge {
            // Conflicted paths are judged against HEAD's version, the rest against the automatic merge.
            before = MergedTree(merged: HookTree(files: files, treeish: autoMerge.tree), head: head, conflicts: Set(autoMerge.conflicts))
        }
        var step = GateStep(
            changes: changes, before: before, after: index, approved: head, link: nil, current: nil, commit: nil,
            author: environment.variable("GIT_AUTHOR_EMAIL"), commitSignature: nil, judgesCode: headConfig != nil)
        // The active session matters only when code changes.
        if headConfig != nil, changes.contains(where: { !$0.path.hasPrefix(MemoryPath.prefix) }), let link {
            step.link = link
            // What the session says now: staged if staged, else the file on disk.
            let path = MemoryPath.session(link.caseID, link.number)
            let bytes = changes.contains { $0.path == path } ? try index.contents(of: path) : try FileSystem.readBytes(top + "/" + path)
            step.current = bytes.flatMap { try? Session.parse(String(decoding: $0, as: UTF8.self), file: path, numberFromFileName: link.number) }
        }
        let findings = gate.judge(step)
        // During a merge the memory must also be a legal successor of each side's.
        guard autoMerge != nil, let merging else { return findings }
        let sides = try ["HEAD", merging].map { side in
            let memory = try GitCommand.stagedChanges(in: top, against: side).filter { $0.path.hasPrefix(MemoryPath.prefix) }
            return GateStep(
                changes: memory.map(TreeChange.init),
                before: HookTree(files: files, treeish: side), after: index, approved: head, link: nil, current: nil,
                commit: nil, author: nil, commitSignature: nil, judgesCode: false, isMerge: true)
        }
        return findings + gate.judge(sides: sides, beyond: findings)
    }

    /// `zero check --staged`: the pre-commit rules on the current index.
    public static func checkStaged(_ workspace: Workspace) throws -> [GateFinding] {
        try preCommit(top: workspace.root, environment: workspace.environment)
    }

    // MARK: commit-msg

    /// Adds `Zero-Case:` and `Zero-Session:` trailers while a session is active,
    /// unless the message has them; other trailers stay. Uses git's own trailer
    /// rules (`git interpret-trailers`), so the message is read as git reads it.
    /// The installed shim does the same in the shell (hooks/commit-msg), so a
    /// commit starts no zero process for it; this serves hook managers that call
    /// `zero hook commit-msg`. Trailers of a session that has since ended are
    /// harmless: pre-commit and the replay judge the session, not the trailer.
    static func commitMessage(_ file: String, top: String, environment: Environment) throws {
        guard let link = try activeLink(try GitLocations.find(workTree: top, environment: environment)) else { return }
        let messagePath = file.hasPrefix("/") ? file : top + "/" + file
        let output = try GitCommand.run(
            [
                "interpret-trailers", "--in-place", "--if-exists", "doNothing",
                "--trailer", "Zero-Case: \(link.caseID)", "--trailer", "Zero-Session: \(link.number)", messagePath,
            ], in: top)
        guard output.status == 0 else {
            throw ZeroError(.internal, "git interpret-trailers failed: \(output.stderr)")
        }
    }

    // MARK: pre-push

    /// Replays every rule over each pushed range. stdin: `<local ref> <local object> <remote ref> <remote object>`
    /// lines. The trust root is what the remote holds now: the tip being replaced
    /// (for a fast-forward, the merge base; for a force push, what would be lost)
    /// or, for a new ref, the tip of the remote's default branch. `notes` says which.
    static func prePush(
        remote: String, _ input: [UInt8], top: String, environment: Environment,
        notes: (String) -> Void
    ) throws -> [GateFinding] {
        let workspace = Workspace(root: top, environment: environment)
        let repository = try workspace.historyRepository()
        var findings: [GateFinding] = []
        let zero = String(repeating: "0", count: 40)
        let named = try GitCommand.run(["remote"], in: top).stdout.split(separator: 10).contains { $0.elementsEqual(remote.utf8) }
        for line in String(decoding: input, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 4, fields[1] != zero else { continue } // a deleted ref pushes no commits
            let (localRef, localObject, remoteRef, remoteObject) = (fields[0], fields[1], fields[2], fields[3])
            // Tags are peeled to their commits; a tag of a tree or a blob pushes no commits.
            guard let local = try? repository.resolveCommit(localObject) else {
                notes("zero: \(localRef) names no commit; nothing to check\n")
                continue
            }
            let base: String
            if remoteObject != zero {
                guard let remoteTip = try? repository.resolveCommit(remoteObject) else {
                    throw ZeroError(
                        .refused, "\(remote) has \(remoteRef) at \(remoteObject.prefix(12)), which this repository does not have",
                        hint: "fetch it first (git fetch \(remote)), so the push is judged against what it replaces")
                }
                notes("zero: checking \(localRef) against \(remote) \(remoteRef) at \(remoteTip.prefix(12))\n")
                base = remoteTip
            } else if named, let defaultTip = try? repository.resolveCommit("refs/remotes/\(remote)/HEAD") {
                notes("zero: \(remoteRef) is new on \(remote); checking it against \(remote)'s default branch at \(defaultTip.prefix(12))\n")
                base = defaultTip
            } else if named, try GitCommand.run(["for-each-ref", "--count=1", "--format=%(refname)", "refs/remotes/\(remote)/"], in: top).stdout.isEmpty {
                notes("zero: \(remote) has nothing yet; checking every commit of \(localRef) since Zero was adopted\n")
                findings += try workspace.check(.sinceAdoption(tip: local)).findings
                continue
            } else if named {
                throw ZeroError(
                    .refused, "\(remoteRef) is new on \(remote), and zero cannot tell which branch is \(remote)'s default to take the rules from",
                    hint: "run 'git remote set-head \(remote) --auto' (or 'git remote set-head \(remote) main'), then push again")
            } else {
                throw ZeroError(
                    .refused, "\(remoteRef) is new on \(remote), a URL rather than a remote: zero cannot tell what it holds to take the rules from",
                    hint: "push through a named remote ('git remote add <name> \(remote)', then 'git fetch <name>')")
            }
            // Nothing the remote lacks: an older commit, or the same one.
            if try local == base || repository.isDescendant(base, of: local) { continue }
            findings += try workspace.check(.between(base: base, tip: local)).findings
        }
        return findings
    }
}

/// The automatic merge of HEAD and MERGE_HEAD, except on conflicted paths, which read as HEAD has them.
struct MergedTree: TreeSource {
    let merged: any TreeSource
    let head: any TreeSource
    let conflicts: Set<String>

    func contents(of path: String) throws -> [UInt8]? {
        try (conflicts.contains(path) ? head : merged).contents(of: path)
    }

    func files(under folder: String) throws -> [String] {
        try merged.files(under: folder)
    }
}

extension String {
    /// The text without the characters of `set` at either end.
    public func trimming(_ set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
