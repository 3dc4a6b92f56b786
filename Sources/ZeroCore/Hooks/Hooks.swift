#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ZeroGit

/// What git runs: `zero hook pre-commit | commit-msg <file> | pre-push <remote> <url>`.
/// Hooks read HEAD and the index only: they never walk the work tree, stage
/// files, use the network or prompt.
public enum Hooks {
    public static let names = ["pre-commit", "commit-msg", "pre-push"]

    /// Runs hook `name`; returns the exit status for git. Output goes to `report`.
    public static func run(_ name: String, arguments: [String], stdin: () -> [UInt8], report: (String) -> Void) -> Int32 {
        do {
            switch name {
            case "pre-commit":
                let findings = try preCommit()
                if findings.isEmpty { return 0 }
                report(FindingReport.text(findings, title: "commit refused: \(findings.count) gate\(findings.count == 1 ? "" : "s") failed"))
                report("  (ZERO_HOOKS=0 skips the hooks; zero check and CI still replay every rule)\n")
                return 1
            case "commit-msg":
                guard let file = arguments.first else {
                    report("zero: commit-msg needs the message file\n")
                    return 64
                }
                try commitMessage(file)
                return 0
            case "pre-push":
                let findings = try prePush(remote: arguments.first ?? "origin", stdin(), notes: report)
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
        } catch let error as GitError {
            report("zero: \(name) hook: \(error.message)\n" + (error.hint.map { "hint: \($0)\n" } ?? ""))
            return 70
        } catch {
            report("zero: \(name) hook failed: \(error)\n")
            return 70
        }
    }

    // MARK: Where we are

    /// The work tree's top: git runs hooks there (GIT_WORK_TREE when set).
    static var top: String {
        environment("GIT_WORK_TREE").map(absolute) ?? FileSystem.currentDirectory()
    }

    /// This worktree's git dir: GIT_DIR, or what `.git` (a folder or a `gitdir:` file) names.
    static func gitDir(top: String) throws -> String {
        if let dir = environment("GIT_DIR") { return absolute(dir) }
        let dotGit = top + "/.git"
        if FileSystem.isFolder(dotGit) { return dotGit }
        if let text = try FileSystem.readText(dotGit), text.hasPrefix("gitdir: ") {
            let path = String(text.dropFirst(8)).trimming(" \n\r")
            return path.hasPrefix("/") ? path : top + "/" + path
        }
        throw ZeroError(.usage, "\(top) is not the top of a git work tree", hint: "zero works inside a git repository; run 'git init' first")
    }

    /// The git dir shared by all worktrees: what `commondir` names, else `gitDir` itself.
    static func commonDir(gitDir: String) -> String {
        guard let text = try? FileSystem.readText(gitDir + "/commondir") else { return gitDir }
        let path = text.trimming(" \n\r")
        return path.hasPrefix("/") ? path : gitDir + "/" + path
    }

    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileSystem.currentDirectory() + "/" + path
    }

    /// Where this worktree records its active session: in its own git dir, never committed.
    static func activePointerPath(gitDir: String) -> String { gitDir + "/zero/active-session" }

    /// The active session recorded for this worktree.
    static func activeLink(gitDir: String) throws -> SessionLink? {
        guard let text = try FileSystem.readText(activePointerPath(gitDir: gitDir)) else { return nil }
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == "\n" })
        guard parts.count == 2, CaseID.isValid(String(parts[0])), let number = Int(parts[1]) else { return nil }
        return SessionLink(caseID: String(parts[0]), number: number)
    }

    // MARK: pre-commit

    /// The staged index against HEAD, through every rule, with HEAD's rules
    /// (the commit that adopts Zero brings its own). During a merge, the index
    /// is judged against the automatic merge of HEAD and MERGE_HEAD.
    static func preCommit(top given: String? = nil) throws -> [GateFinding] {
        let top = given ?? self.top
        let gitDir = try gitDir(top: top)
        let merging = try FileSystem.readText(gitDir + "/MERGE_HEAD").map { $0.trimming(" \n\r") }.flatMap { $0.count >= 40 ? String($0.prefix(40)) : nil }
        let autoMerge = try merging.map { try GitCommand.mergeTree(ours: "HEAD", theirs: $0, in: top) }
        let staged = try GitCommand.stagedChanges(in: top, against: autoMerge?.tree)
        if staged.isEmpty { return [] }
        let link = try activeLink(gitDir: gitDir)
        // The few files the rules may read: from the work tree when it matches the index.
        var wanted: Set<String> = [MemoryPath.configFile, MemoryPath.signersFile]
        for change in staged where change.path.hasPrefix(MemoryPath.prefix) { wanted.insert(change.path) }
        if let link {
            // The session, its case, and the earlier sessions one of which holds the approved plan.
            wanted.insert(MemoryPath.meta(link.caseID))
            for number in 1...max(1, link.number) { wanted.insert(MemoryPath.session(link.caseID, number)) }
        }
        let indexPath = environment("GIT_INDEX_FILE").map { $0.hasPrefix("/") ? $0 : top + "/" + $0 } ?? gitDir + "/index"
        let files = HookFiles(top: top, index: GitIndex.read(indexPath, wanted: wanted),
                              staged: autoMerge == nil ? Set(staged.map(\.path)) : nil)
        let head = HookTree(files: files, treeish: "HEAD")
        let index = HookTree(files: files, treeish: nil)
        let headConfig = try head.contents(of: MemoryPath.configFile)
        let trustTree: any TreeSource = headConfig != nil ? head : index
        guard let configBytes = try headConfig ?? index.contents(of: MemoryPath.configFile) else { return [] }
        let config = try WorkspaceConfig.parse(String(decoding: configBytes, as: UTF8.self), file: MemoryPath.configFile)
        let trust = TrustRoot(config: config, allowedSigners: config.requireSignedApprovals ? try trustTree.contents(of: MemoryPath.signersFile) : nil,
                              tree: headConfig != nil ? head : nil, label: "HEAD")
        let gate = Gate(trust: trust)
        let changes = staged.map { TreeChange(path: $0.path, status: $0.status, oldMode: $0.oldMode, newMode: $0.newMode) }
        var before: any TreeSource = head
        if let autoMerge {
            // Conflicted paths are judged against HEAD's version, the rest against the automatic merge.
            before = MergedTree(merged: HookTree(files: files, treeish: autoMerge.tree), head: head, conflicts: Set(autoMerge.conflicts))
        }
        var step = GateStep(changes: changes, before: before, after: index, approved: head, link: nil, current: nil, commit: nil,
                            author: environment("GIT_AUTHOR_EMAIL"), commitSignature: nil, judgesCode: headConfig != nil)
        // The active session matters only when code changes.
        if headConfig != nil, changes.contains(where: { !$0.path.hasPrefix(MemoryPath.prefix) }), let link {
            step.link = link
            // What the session says now: staged if staged, else the file on disk.
            let path = MemoryPath.session(link.caseID, link.number)
            let bytes = changes.contains { $0.path == path } ? try index.contents(of: path) : try FileSystem.readBytes(top + "/" + path)
            step.current = bytes.flatMap { try? Session.parse(String(decoding: $0, as: UTF8.self), file: path, numberFromFileName: link.number) }
        }
        return gate.judge(step)
    }

    /// `zero check --staged`: the pre-commit rules on the current index.
    public static func checkStaged(top: String) throws -> [GateFinding] {
        do { return try preCommit(top: top) } catch let error as GitError { throw ZeroError(error) }
    }

    // MARK: commit-msg

    /// Adds `Zero-Case:` and `Zero-Session:` trailers while a session is active,
    /// unless the message has them; other trailers stay. Uses git's own trailer
    /// rules (`git interpret-trailers`), so the message is read as git reads it.
    /// The installed shim does the same in the shell (hooks/commit-msg), so a
    /// commit starts no zero process for it; this serves hook managers that call
    /// `zero hook commit-msg`. Trailers of a session that has since ended are
    /// harmless: pre-commit and the replay judge the session, not the trailer.
    static func commitMessage(_ file: String) throws {
        let top = self.top
        guard let link = try activeLink(gitDir: try gitDir(top: top)) else { return }
        let messagePath = file.hasPrefix("/") ? file : top + "/" + file
        let output = try GitCommand.run(["interpret-trailers", "--in-place", "--if-exists", "doNothing",
                                         "--trailer", "Zero-Case: \(link.caseID)", "--trailer", "Zero-Session: \(link.number)", messagePath], in: top)
        guard output.status == 0 else {
            throw ZeroError(.internal, "git interpret-trailers failed: \(output.stderr)")
        }
    }

    // MARK: pre-push

    /// Replays every rule over each pushed range. stdin: `<local ref> <local sha> <remote ref> <remote sha>` lines.
    /// The trust root is the merge base with the remote branch being updated or,
    /// for a new branch, with the remote's default branch; `notes` says which.
    static func prePush(remote: String, _ input: [UInt8], notes: (String) -> Void) throws -> [GateFinding] {
        let top = self.top
        let workspace = Workspace(root: top)
        let repository = try workspace.historyRepository()
        var findings: [GateFinding] = []
        let zero = String(repeating: "0", count: 40)
        for line in String(decoding: input, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 4, fields[1] != zero else { continue }   // a deleted branch pushes no commits
            let (localRef, local, remoteRef, remoteTip) = (fields[0], fields[1], fields[2], fields[3])
            let range: CheckRange
            if remoteTip != zero, (try? repository.resolveCommit(remoteTip)) != nil {
                let base = try repository.mergeBases(local, remoteTip).first ?? remoteTip
                notes("zero: checking \(localRef) against \(remote) \(remoteRef) (trust root \(base.prefix(12)))\n")
                range = .between(base: base, tip: local)
            } else if let defaultTip = try? repository.resolveCommit("refs/remotes/\(remote)/HEAD") {
                let base = try repository.mergeBases(local, defaultTip).first ?? defaultTip
                notes("zero: \(remoteRef) is new on \(remote); checking it against \(remote)'s default branch (trust root \(base.prefix(12)))\n")
                range = .between(base: base, tip: local)
            } else if try GitCommand.run(["for-each-ref", "--count=1", "--format=%(refname)", "refs/remotes/\(remote)/"], in: top).stdout.isEmpty {
                notes("zero: \(remote) has nothing yet; checking every commit of \(localRef) since Zero was adopted\n")
                range = .sinceAdoption(tip: local)
            } else {
                throw ZeroError(.refused, "\(remoteRef) is new on \(remote), and zero cannot tell which branch is \(remote)'s default to take the rules from",
                                hint: "run 'git remote set-head \(remote) --auto' (or 'git remote set-head \(remote) main'), then push again")
            }
            findings += try workspace.check(range).findings
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
    func trimming(_ set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
