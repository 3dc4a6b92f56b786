import ZeroGit

/// Which commits `zero check` replays.
public enum CheckRange: Sendable {
    /// `A..B`: reachable from tip, not from base.
    case between(base: String, tip: String)
    /// A branch new to the remote: its commits not on any remote-tracking branch.
    case newBranch(tip: String)

    /// Parses `A..B` (either side may be empty: `..B` is `HEAD..B`, `A..` is `A..HEAD`).
    public init(parsing text: String) throws {
        guard let dots = text.range(of: "..") , !text.contains("...") else {
            throw ZeroError(.usage, "'\(text)' is not a range", hint: "use A..B, e.g. origin/main..HEAD")
        }
        let base = String(text[..<dots.lowerBound]), tip = String(text[dots.upperBound...])
        self = .between(base: base.isEmpty ? "HEAD" : base, tip: tip.isEmpty ? "HEAD" : tip)
    }
}

/// What `zero check` found.
public struct CheckResult: Sendable, Encodable {
    public var range: String
    public var commits: [String]
    public var skippedMerges: [String]
    public var beforeAdoption: Int
    public var findings: [GateFinding]

    enum CodingKeys: String, CodingKey {
        case range, commits, skippedMerges = "skipped_merges", beforeAdoption = "before_adoption", findings
    }
}

extension Workspace {
    /// Replays every rule of DESIGN §4 commit by commit: each commit's tree
    /// against its first parent, rules taken from the base's config.
    public func check(_ range: CheckRange) throws -> CheckResult {
        let repository = try historyRepository()
        do {
            return try check(range, repository: repository)
        } catch let error as GitError {
            throw ZeroError(error)
        }
    }

    private func check(_ range: CheckRange, repository: Repository) throws -> CheckResult {
        let tip: String
        var base: String?
        var label: String
        switch range {
        case .between(let baseSpec, let tipSpec):
            tip = try repository.resolveCommit(tipSpec)
            base = try repository.resolveCommit(baseSpec)
            label = "\(baseSpec)..\(tipSpec)"
        case .newBranch(let tipSpec):
            tip = try repository.resolveCommit(tipSpec)
            label = "\(tipSpec.prefix(12)) (not on any remote branch)"
        }
        var beforeAdoption = 0
        let hasConfig = { (commit: String) throws -> Bool in try repository.contents(of: MemoryPath.configFile, in: commit) != nil }
        // Adopted: zero-memory/ is in the root tree (one small tree to read per commit).
        let adopted = { (commit: String) throws -> Bool in try repository.rootHasEntry(Self.folderName, in: commit) }
        // Newest first, lazily, stopping at the first commit from before adoption.
        let newestFirst = try repository.commitsBack(from: tip, hiding: base.map { [$0] } ?? [],
                                                      hidingGlobs: base == nil ? ["refs/remotes/*"] : []) { commit in
            if try adopted(commit) { return false }
            beforeAdoption += 1
            return true
        }
        let commits = Array(newestFirst.reversed())
        // The rules: the base's config when it has one (a branch cannot relax its own gates).
        let configSource = try base.flatMap { try hasConfig($0) ? $0 : nil } ?? commits.first
        guard let configSource, let configBytes = try repository.contents(of: MemoryPath.configFile, in: configSource) else {
            return CheckResult(range: label, commits: [], skippedMerges: [], beforeAdoption: beforeAdoption, findings: [])
        }
        let config = try WorkspaceConfig.parse(String(decoding: configBytes, as: UTF8.self), file: MemoryPath.configFile)
        let gate = Gate(config: config)
        var findings: [GateFinding] = []
        var merges: [String] = []
        for id in commits {
            let info = try repository.commit(id)
            if info.parents.count > 1 {
                merges.append(id)
                continue
            }
            let parent = info.parents.first
            let before = CommitTree(repository: repository, commit: parent)
            let after = CommitTree(repository: repository, commit: id)
            let changes = try repository.changes(id).map { TreeChange($0.path, $0.kind == .added ? .added : $0.kind == .deleted ? .deleted : .modified) }
            var commitFindings = gate.memoryFindings(changes, before: before, after: after)
            let parentAdopted = try parent.map(adopted) ?? false
            if parentAdopted {
                let link = try sessionLink(trailers: try repository.trailers(info.message))
                commitFindings += gate.codeFindings(gate.codePaths(changes), link: link, approved: before,
                                                    missingLink: "code commit \(id.prefix(12)) \"\(info.summary)\" carries no Zero-Case/Zero-Session trailers",
                                                    commit: id)
            }
            if config.requireSignedApprovals {
                commitFindings += try signatureFindings(id, changes: changes, before: before, after: after,
                                                        signers: CommitTree(repository: repository, commit: base ?? parent), repository: repository)
            }
            for index in commitFindings.indices where commitFindings[index].commit == nil { commitFindings[index].commit = id }
            findings += commitFindings
        }
        return CheckResult(range: label, commits: commits, skippedMerges: merges, beforeAdoption: beforeAdoption, findings: findings)
    }

    /// The session named by `Zero-Case:` and `Zero-Session:` trailers.
    func sessionLink(trailers: [(key: String, value: String)]) throws -> SessionLink? {
        let caseValue = trailers.last(where: { $0.key.lowercased() == "zero-case" })?.value
        let sessionValue = trailers.last(where: { $0.key.lowercased() == "zero-session" })?.value
        guard let caseValue, let sessionValue, CaseID.isValid(caseValue.lowercased()),
              let number = Int(sessionValue.trimming(" S")) else { return nil }
        return SessionLink(caseID: caseValue.lowercased(), number: number)
    }

    /// With `gates.require_signed_approvals`, a commit that records an approval
    /// must carry an SSH signature by the approver's key in zero-memory/allowed_signers.
    func signatureFindings(_ id: String, changes: [TreeChange], before: any TreeSource, after: any TreeSource,
                           signers: any TreeSource, repository: Repository) throws -> [GateFinding] {
        var approvers: [(path: String, by: String)] = []
        for change in changes where change.kind != .deleted {
            guard case .session(_, let number)? = MemoryPath(change.path), let bytes = try after.contents(of: change.path),
                  let session = try? Session.parse(String(decoding: bytes, as: UTF8.self), file: change.path, numberFromFileName: number),
                  let by = session.approvedBy, session.type.writesPlan || session.state == .approved || session.state == .executing else { continue }
            let old = try before.contents(of: change.path).flatMap { try? Session.parse(String(decoding: $0, as: UTF8.self), file: change.path, numberFromFileName: number) }
            // Inherited approvals (implementing sessions) repeat an earlier one; only new approvals need a signature.
            if old?.approvedAt == session.approvedAt, old?.approvedBy == by { continue }
            if session.events.contains(where: { $0.kind == "approved" && $0.detail.hasPrefix("inherited") }) && old == nil { continue }
            approvers.append((change.path, by))
        }
        guard !approvers.isEmpty else { return [] }
        let signersPath = MemoryPath.prefix + "allowed_signers"
        guard let allowed = try signers.contents(of: signersPath) else {
            return approvers.map { GateFinding(.signature, file: $0.path, "approvals must be signed, but \(signersPath) is missing in the base",
                                               hint: "commit \(signersPath) (git's allowed signers format) with each operator's SSH key") }
        }
        guard let signed = try repository.signature(id) else {
            return approvers.map { GateFinding(.signature, file: $0.path, "the commit recording the approval by \($0.by) is not signed",
                                               hint: "the operator commits approvals with 'git commit -S' (gpg.format ssh)") }
        }
        var findings: [GateFinding] = []
        for approver in approvers {
            let email = approver.by.split(separator: "<").last.map { String($0.dropLast(approver.by.hasSuffix(">") ? 1 : 0)) } ?? approver.by
            if let problem = try verifySSHSignature(signed.signature, data: signed.signedData, principal: email, allowedSigners: allowed) {
                findings.append(GateFinding(.signature, file: approver.path, "the approval by \(approver.by): \(problem)",
                                            hint: "the approving operator signs the commit with the key listed for \(email) in \(signersPath)"))
            }
        }
        return findings
    }

    /// Verifies an SSH signature as git does (`ssh-keygen -Y verify`, namespace "git"); nil when good.
    func verifySSHSignature(_ signature: String, data: [UInt8], principal: String, allowedSigners: [UInt8]) throws -> String? {
        guard signature.contains("BEGIN SSH SIGNATURE") else { return "it is not an SSH signature; only SSH signatures are verified" }
        let folder = "/tmp/zero-verify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileSystem.createFolder(folder)
        defer { try? FileSystem.removeTree(folder) }
        try FileSystem.writeAtomically(allowedSigners, to: folder + "/allowed_signers")
        try FileSystem.writeAtomically(signature, to: folder + "/signature")
        let output = try GitCommand.runProgram(["ssh-keygen", "-Y", "verify", "-f", folder + "/allowed_signers", "-I", principal,
                                                "-n", "git", "-s", folder + "/signature"], input: data)
        return output.status == 0 ? nil : "the signature does not verify for \(principal)"
    }
}

#if canImport(Glibc)
import Glibc
#endif
