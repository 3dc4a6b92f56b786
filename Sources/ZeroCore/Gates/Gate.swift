/// Where the rules come from: the config, operators and allowed signers of
/// one commit that the changes being judged cannot touch (the base of
/// `zero check A..B`, the merge base for pre-push, HEAD for pre-commit).
/// sequoia-git calls it the trust root: a branch cannot relax its own gates.
public struct TrustRoot {
    public var config: WorkspaceConfig
    /// `zero-memory/allowed_signers` of the trust root, for signed mode.
    public var allowedSigners: [UInt8]?
    /// The trust root's files: a case that reappears is judged against them.
    var tree: (any TreeSource)?
    /// How messages name it: `origin/main (4a1f2c3d9e0b)`.
    public var label: String
}

/// One set of changes to judge: a commit against its parent (or against the
/// automatic merge of its parents), or the index against HEAD.
struct GateStep {
    var changes: [TreeChange]
    var before: any TreeSource
    var after: any TreeSource
    /// Where a code change's approval must already be recorded: the (first) parent, or HEAD.
    var approved: any TreeSource
    var link: SessionLink?
    /// pre-commit only: the active session as the work tree has it now.
    var current: Session?
    /// The commit judged; nil for pre-commit.
    var commit: String?
    /// The email of whoever makes the commit: for acts no file records (config changes, deletions).
    var author: String?
    /// The commit's own SSH signature (replay only): what signs those acts in signed mode.
    var commitSignature: (() throws -> (signature: String, signedData: [UInt8])?)?
    /// False for the commit that adopts Zero: no session can exist yet, so its code is not judged.
    var judgesCode = true
    /// A merge commit: its changes are those beyond the automatic merge of its parents.
    var isMerge = false
}

/// The rules of DESIGN §4, written once. Pre-commit applies them to HEAD and
/// the index; `zero check` to each commit of a range, all with the rules of
/// one trust root.
public struct Gate {
    let trust: TrustRoot
    private let exempt: [PathGlob]

    var config: WorkspaceConfig { trust.config }

    init(trust: TrustRoot) {
        self.trust = trust
        exempt = trust.config.exemptPaths.map(PathGlob.init)
    }

    /// What a step is judged against, with the trust root's files for what the
    /// step's own "before" lacks (a case deleted in the range and added again).
    func earlier(_ step: GateStep) -> FallbackTree {
        FallbackTree(primary: step.before, fallback: trust.tree)
    }

    /// A merge's memory judged against each of its sides, as if it were a
    /// commit on top of that side: the findings not already in `known`.
    func judge(sides: [GateStep], beyond known: [GateFinding]) -> [GateFinding] {
        var seen = Set(known.map(\.message))
        return sides.flatMap(judge).filter { seen.insert($0.message).inserted }
    }

    func judge(_ step: GateStep) -> [GateFinding] {
        var findings = memoryFindings(step)
        if step.judgesCode { findings += codeFindings(step) }
        if let commit = step.commit {
            for index in findings.indices where findings[index].commit == nil { findings[index].commit = commit }
        }
        return findings
    }

    /// Paths outside zero-memory/ and outside `gates.exempt_paths`.
    func codePaths(_ changes: [TreeChange]) -> [String] {
        changes.map(\.path).filter { !$0.hasPrefix(MemoryPath.prefix) && !isExempt($0) }
    }

    func isExempt(_ path: String) -> Bool { PathGlob.any(exempt, path) }

    // MARK: Memory files

    /// Every rule about zero-memory/ files changed by the step.
    func memoryFindings(_ step: GateStep) -> [GateFinding] {
        let memory = step.changes.filter { $0.path.hasPrefix(MemoryPath.prefix) }
        if memory.isEmpty { return [] }
        // Removing the config (or all of zero-memory/) is one finding, not one per file.
        if let removed = memory.first(where: { $0.kind == .deleted && $0.path == MemoryPath.configFile }) {
            return [
                GateFinding(
                    .adoption, file: removed.path, "\(removed.path) was removed; once adopted, Zero stays adopted and its memory stays in the tree",
                    hint: "restore it with 'git checkout <parent> -- \(Workspace.folderName)'; only an operator changes the config, never by removing it")
            ]
        }
        let before = earlier(step)
        let deletedCases = Set(
            memory.compactMap { change -> String? in
                guard change.kind == .deleted, case .meta(let id)? = MemoryPath(change.path) else { return nil }
                return id
            })
        var findings: [GateFinding] = []
        for change in memory {
            guard let kind = MemoryPath(change.path) else { continue }
            do {
                if change.kind == .deleted {
                    findings += try deletionFindings(change.path, kind, deletedCases: deletedCases, step: step)
                    continue
                }
                if case .other = kind {
                    findings.append(
                        GateFinding(
                            .memoryOnly, file: change.path, "\(change.path) is not a memory file; zero-memory/ holds only the files Zero writes",
                            hint: "move it out of \(Workspace.folderName)/ (code under zero-memory/ is never judged as code)"))
                    continue
                }
                if let problem = try modeProblem(change, kind, step.after) {
                    findings.append(problem)
                    continue
                }
                let new = try step.after.contents(of: change.path) ?? []
                let old = try before.contents(of: change.path)
                // A file put back exactly as it was (a case deleted and re-added) changed nothing.
                if let old, old == new { continue }
                findings += try fileFindings(change.path, kind, old: old, new: new, step: step)
            } catch let error as ZeroError {
                findings.append(
                    GateFinding(
                        .parse, file: change.path, line: error.line, error.message,
                        hint: "fix the file so it parses, or restore it with 'git checkout HEAD -- \(change.path)'"))
            } catch {
                findings.append(GateFinding(.parse, file: change.path, "cannot read: \(error)", hint: "check the repository"))
            }
        }
        return findings
    }

    /// Memory files are regular files; `latest.md` is a relative link to a session file beside it.
    private func modeProblem(_ change: TreeChange, _ kind: MemoryPath, _ after: any TreeSource) throws -> GateFinding? {
        if case .latest = kind {
            guard change.isSymlink else {
                return GateFinding(
                    .memoryOnly, file: change.path, "latest.md must be a symbolic link to a session file beside it",
                    hint: "let zero write it: any 'zero session new' points it at the newest session")
            }
            let target = String(decoding: try after.contents(of: change.path) ?? [], as: UTF8.self)
            let folder = String(change.path.dropLast("latest.md".count))
            guard case .session? = MemoryPath(folder + target), !target.contains("/"), try after.contents(of: folder + target) != nil else {
                return GateFinding(
                    .memoryOnly, file: change.path, "latest.md points at '\(target)', which is not a session file beside it",
                    hint: "point it at the newest session: ln -sfn 00N.md \(change.path)")
            }
            return nil
        }
        guard change.newMode == FileModeBits.regular else {
            let what = change.isSymlink ? "a symbolic link" : change.newMode == FileModeBits.gitlink ? "a submodule" : "an executable file"
            return GateFinding(
                .memoryOnly, file: change.path, "\(change.path) is \(what); memory files are plain files (mode 100644)",
                hint: "replace it with the plain file Zero wrote (git checkout HEAD -- \(change.path))")
        }
        return nil
    }

    private func deletionFindings(_ path: String, _ kind: MemoryPath, deletedCases: Set<String>, step: GateStep) throws -> [GateFinding] {
        switch kind {
        case .allowedSigners:
            return try commitActFindings(step, what: "removing \(path)", file: path)
        case .meta(let id):
            return try caseDeletionFindings(id, step: step)
        case .session, .proof, .artifact, .classification, .problem:
            // `zero case delete --yes` removes a whole case folder, meta.yaml included.
            if let id = kind.caseID, deletedCases.contains(id) { return [] }
            return [
                GateFinding(
                    .deletion, file: path, "\(path) was deleted; memory files are never deleted",
                    hint: "restore it with 'git checkout HEAD -- \(path)'; only an operator's 'zero case delete --yes' removes a whole case")
            ]
        default:
            return []
        }
    }

    /// Deleting a case is an operator act, allowed only while it has no ended
    /// session and no proof (those stay in history: compress or won't-fix it).
    private func caseDeletionFindings(_ id: String, step: GateStep) throws -> [GateFinding] {
        let folder = MemoryPath.caseFolder(id)
        let path = MemoryPath.meta(id)
        var findings: [GateFinding] = []
        let left = try step.after.files(under: folder)
        if !left.isEmpty {
            findings.append(
                GateFinding(
                    .deletion, file: path, "meta.yaml of case \(id.prefix(8)) was deleted but \(left.count) of its files remain",
                    hint: "restore it with 'git checkout HEAD -- \(path)'; a case is deleted whole, with 'zero case delete --yes'"))
        }
        var kept: [String] = []
        for file in try step.before.files(under: folder) {
            switch MemoryPath(file) {
            case .proof?: kept.append("a proof")
            case .session(_, let number)?:
                if try step.before.session(at: file, number: number)?.state.isEnded == true {
                    kept.append("ended session S\(Timestamp.pad(number, 3))")
                }
            default: break
            }
        }
        if !kept.isEmpty {
            findings.append(
                GateFinding(
                    .deletion, file: path, "case \(id.prefix(8)) was deleted, but it had \(kept.joined(separator: ", ")); those stay in history",
                    hint: "restore it (git checkout HEAD -- \(folder)); close it with 'zero case wont-fix' or 'zero case compress' instead"))
        }
        return findings + (try commitActFindings(step, what: "deleting case \(id.prefix(8))", file: path))
    }

    /// The rules of one memory file that was added or changed.
    private func fileFindings(_ path: String, _ kind: MemoryPath, old: [UInt8]?, new: [UInt8], step: GateStep) throws -> [GateFinding] {
        let text = try MemoryText.decode(new, file: path)
        let oldText = old.flatMap(MemoryText.decodeIfValid)
        switch kind {
        case .config:
            _ = try WorkspaceConfig.parse(text, file: path)
            return old == nil ? [] : try commitActFindings(step, what: "changing \(path)", file: path)
        case .allowedSigners:
            return step.judgesCode ? try commitActFindings(step, what: "changing \(path)", file: path) : []
        case .gitignore, .global, .latest, .other:
            return []
        case .problem(let id):
            _ = try MemoryDocument.parse(text, file: path, expectsTitle: true)
            guard old != nil, try staysSettled(id, step: step) else { return [] }
            return [
                GateFinding(
                    .settled, file: path, "the problem definition of settled case \(id.prefix(8)) changed; its outcome was settled for the problem as it stood",
                    hint: "restore it with 'git checkout HEAD -- \(path)'; open a new case for a new problem")
            ]
        case .codeContext:
            _ = try MemoryDocument.parse(text, file: path, expectsTitle: true)
            return []
        case .epic(_, let number):
            _ = try Epic.parse(text, file: path, number: number)
            return []
        case .spec(let id):
            let spec = try Spec.parse(text, file: path)
            let old = oldText.flatMap { try? Spec.parse($0, file: path) }
            var findings: [GateFinding] = []
            if spec.id != id {
                findings.append(
                    GateFinding(.parse, file: path, "spec.md says id \(spec.id) but lies in the folder of \(id)", hint: "restore it with 'git checkout HEAD -- \(path)'"))
            }
            // Approving and completing a specification are an operator's acts: each
            // names an operator and, in signed mode, carries that operator's signature.
            let approval = spec.approvalAct
            if let approval, approval != old?.approvalAct || spec.approvalSignature != old?.approvalSignature || (spec.stored != old?.stored && spec.stored != .draft) {
                findings += actFindings(approval, signature: spec.approvalSignature, file: path, what: "the approval of specification \(id.prefix(8))")
            }
            if spec.stored == .completed, spec.stored != old?.stored || spec.completionAct != old?.completionAct || spec.completionSignature != old?.completionSignature {
                if let completion = spec.completionAct {
                    findings += actFindings(completion, signature: spec.completionSignature, file: path, what: "the completion of specification \(id.prefix(8))")
                } else {
                    findings.append(
                        GateFinding(
                            .operatorAct, file: path, "specification \(id.prefix(8)) is completed but names no completed_by",
                            hint: "an operator completes it with 'zero spec complete \(id.prefix(8))'"))
                }
            }
            return findings
        case .classification(let id):
            return try classificationFindings(path, caseID: id, text: text, step: step)
        case .meta(let id):
            return try caseFindings(path, caseID: id, text: text, oldText: oldText, step: step)
        case .session(let id, let number):
            return try sessionFindings(path, caseID: id, number: number, text: text, oldText: oldText, step: step)
        case .proof(let id, let name):
            return try proofFindings(path, caseID: id, name: name, text: text, oldText: oldText, step: step)
        case .artifact(let id, let name):
            if old != nil {
                return [
                    GateFinding(
                        .artifact, file: path, "the artifact \(name) of case \(id.prefix(8)) was changed after capture",
                        hint: "restore it with 'git checkout HEAD -- \(path)'; capture a new proof instead")
                ]
            }
            let proofPath = MemoryPath.proofs(id) + "/" + name.prefix(8) + ".md"
            guard let proof = try step.after.proof(at: proofPath), proof.artifact == name else {
                return [
                    GateFinding(
                        .memoryOnly, file: path, "\(name) is not the artifact of any proof of case \(id.prefix(8))",
                        hint: "attach files with 'zero proof add \(id.prefix(8)) --file ...', which writes the proof beside its artifact")
                ]
            }
            return []
        }
    }

    // MARK: Sessions

    private func sessionFindings(_ path: String, caseID id: String, number: Int, text: String, oldText: String?, step: GateStep) throws -> [GateFinding] {
        let session = try Session.parse(text, file: path, numberFromFileName: number)
        let label = "session S\(Timestamp.pad(number, 3))"
        var findings: [GateFinding] = []
        if session.number != number {
            findings.append(
                GateFinding(
                    .parse, file: path, "the file is session \(number) but says number \(session.number)",
                    hint: "restore it with 'git checkout HEAD -- \(path)'"))
        }
        if session.caseID != id {
            findings.append(
                GateFinding(
                    .parse, file: path, "\(label) says case \(session.caseID.prefix(8)) but lies in the folder of case \(id.prefix(8))",
                    hint: "restore it with 'git checkout HEAD -- \(path)'"))
        }
        let old = oldText.flatMap { try? Session.parse($0, file: path, numberFromFileName: number) }
        if let old, old.state.isEnded {
            findings.append(
                GateFinding(
                    .appendOnly, file: path, "\(label) had ended (\(old.state.rawValue)) and was rewritten",
                    hint: "restore it with 'git checkout HEAD -- \(path)'; start a new session to continue"))
            return findings
        }
        if let problem = Session.sealProblem(text, session: session) {
            findings.append(
                GateFinding(
                    .appendOnly, file: path, "\(label) is \(session.state.rawValue) and \(problem)",
                    hint: "restore the sealed file; start a new session to continue"))
        }
        let from = old?.state ?? .created
        if let old, old.type != session.type {
            findings.append(
                GateFinding(
                    .transition, file: path, "\(label) changed its type from \(old.type.rawValue) to \(session.type.rawValue)",
                    hint: "change sessions only with 'zero session ...' commands"))
        } else if !Self.sessionReachable(from: from, to: session.state, type: session.type) {
            findings.append(
                GateFinding(
                    .transition, file: path, "\(label) went from \(from.rawValue) to \(session.state.rawValue), which its state machine does not allow",
                    hint: "change sessions only with 'zero session ...' commands"))
        }
        findings += try approvalFindings(path, session: session, old: old, caseID: id, step: step)
        return findings
    }

    /// A session's approval: its own (an operator's act, signed in signed mode)
    /// or inherited from the case's one approved plan.
    private func approvalFindings(_ path: String, session: Session, old: Session?, caseID id: String, step: GateStep) throws -> [GateFinding] {
        let label = "session S\(Timestamp.pad(session.number, 3))"
        let hint = "an operator approves plans with 'zero session approve \(id.prefix(8))'"
        let holdsApproval: Bool =
            switch session.state {
            case .approved, .executing: true
            case .complete: session.type == .planning
            default: false
            }
        guard let sha = session.planSHA256, let by = session.approvedBy, let at = session.approvedAt else {
            if holdsApproval {
                return [GateFinding(.approval, file: path, "\(label) is \(session.state.rawValue) but records no approval (plan_sha256, approved_by, approved_at)", hint: hint)]
            }
            return []
        }
        var findings: [GateFinding] = []
        if holdsApproval, !session.planMatchesApproval {
            findings.append(
                GateFinding(
                    .approval, file: path, "the plan of \(label) no longer hashes to its approval \(sha.prefix(12))",
                    hint: "an edited plan needs a new approval: 'zero session approve \(id.prefix(8))'"))
        }
        // Unchanged since the parent: judged when it was made.
        if let old, old.planSHA256 == sha, old.approvedBy == by, old.approvedAt == at, old.approvalSignature == session.approvalSignature {
            return findings
        }
        let meta = try step.after.meta(id)
        if session.type.writesPlan || meta?.approvedPlan?.session == session.number {
            // Its own approval: an operator act.
            if session.computedPlanHash != sha {
                findings.append(GateFinding(.approval, file: path, "\(label) claims approval of plan \(sha.prefix(12)), but its plan hashes to \(session.computedPlanHash.prefix(12))", hint: hint))
            }
            let act = OperatorAct(.approvePlan, caseID: id, session: session.number, digest: sha, by: by, at: at, detail: session.type.rawValue)
            findings += actFindings(act, signature: session.approvalSignature, file: path, what: "the approval of \(label)")
        } else if let plan = meta?.approvedPlan, plan.sha256 == sha, plan.by == by, plan.at == at {
            // Inherited: the case's approved plan, itself checked against its source session.
            if let problem = try approvalSourceProblem(caseID: id, plan: plan, in: step.after) {
                findings.append(GateFinding(.approval, file: path, "\(label) inherits an approval that does not hold: \(problem)", hint: hint))
            }
        } else {
            findings.append(GateFinding(.approval, file: path, "\(label) claims an approval (plan \(sha.prefix(12)) by \(by)) that is not the case's approved plan", hint: hint))
        }
        return findings
    }

    /// Whether `meta.approved_plan` is exactly the approval recorded in the
    /// session it names, and that session's plan still hashes to it. That
    /// session is the one source of truth of the approval. nil when it holds.
    func approvalSourceProblem(caseID id: String, plan: PlanApproval, in tree: any TreeSource) throws -> String? {
        let path = MemoryPath.session(id, plan.session)
        guard let bytes = try tree.contents(of: path) else {
            return "approved_plan names session \(plan.session) of case \(id.prefix(8)), which does not exist"
        }
        guard let source = try? Session.parse(String(decoding: bytes, as: UTF8.self), file: path, numberFromFileName: plan.session) else {
            return "session \(plan.session), which approved_plan names, does not parse"
        }
        if source.type == .investigating { return "approved_plan names an investigating session, whose approval covers no code" }
        guard source.planSHA256 == plan.sha256, source.approvedBy == plan.by, source.approvedAt == plan.at else {
            return "approved_plan (plan \(plan.sha256.prefix(12)) by \(plan.by)) is not the approval recorded in session S\(Timestamp.pad(plan.session, 3))"
        }
        if source.computedPlanHash != plan.sha256 {
            return "the plan of session S\(Timestamp.pad(plan.session, 3)) no longer hashes to the approval \(plan.sha256.prefix(12))"
        }
        return nil
    }

    static func sessionReachable(from: SessionState, to: SessionState, type: SessionType) -> Bool {
        if from == to { return true }
        var seen: Set<SessionState> = [from]
        var queue = [from]
        while let state = queue.popLast() {
            for next in SessionState.allCases where state.mayMove(to: next, type: type) {
                if next == to { return true }
                if seen.insert(next).inserted { queue.append(next) }
            }
        }
        return false
    }

    // MARK: Proofs

    private func proofFindings(_ path: String, caseID id: String, name: String, text: String, oldText: String?, step: GateStep) throws -> [GateFinding] {
        let proof = try Proof.parse(text, file: path)
        var findings: [GateFinding] = []
        if proof.caseID != id || proof.fileName != name {
            findings.append(
                GateFinding(
                    .parse, file: path, "proof \(proof.shortID) of case \(proof.caseID.prefix(8)) does not belong at \(path)",
                    hint: "restore it with 'git checkout HEAD -- \(path)'"))
        }
        let old = oldText.flatMap { try? Proof.parse($0, file: path) }
        if let old {
            if !old.onlyGainedVerification(proof) {
                findings.append(
                    GateFinding(
                        .proof, file: path, "proof \(proof.shortID) changed beyond gaining its verification",
                        hint: "restore it with 'git checkout HEAD -- \(path)'; a re-run adds a new proof"))
                return findings
            }
        } else if let finding = try artifactFinding(proof, caseID: id, in: step.after) {
            findings.append(finding)
        }
        if proof.verified, old?.verified != true {
            findings += verificationFindings(path, proof: proof, caseID: id)
        }
        return findings
    }

    private func verificationFindings(_ path: String, proof: Proof, caseID id: String) -> [GateFinding] {
        guard let by = proof.verifiedBy, let at = proof.verifiedAt else {
            return [
                GateFinding(
                    .operatorAct, file: path, "proof \(proof.shortID) is marked verified without verified_by and verified_at",
                    hint: "an operator verifies proof with 'zero proof verify \(id.prefix(8)) \(proof.shortID)'")
            ]
        }
        var findings: [GateFinding] = []
        if !proof.passed, (proof.acceptedFailing ?? "").isEmpty {
            let why = proof.exitCode.map { "its command exited \($0)" } ?? "its summary reports failures (\(proof.summary ?? ""))"
            findings.append(
                GateFinding(
                    .resolve, file: path, "proof \(proof.shortID) was verified although \(why)",
                    hint: "a failing proof is verified only with 'zero proof verify \(id.prefix(8)) \(proof.shortID) --accept-failing --reason \"…\"'"))
        }
        let act = OperatorAct(.verifyProof, caseID: id, session: proof.session, digest: proof.verificationDigest, by: by, at: at)
        return findings + actFindings(act, signature: proof.verifiedSignature, file: path, what: "the verification of proof \(proof.shortID)")
    }

    /// Whether a new proof's artifact is present and matches `artifact_sha256`.
    func artifactFinding(_ proof: Proof, caseID: String, in tree: any TreeSource) throws -> GateFinding? {
        guard let artifact = proof.artifact, let expected = proof.artifactSHA256 else { return nil }
        let path = MemoryPath.proofs(caseID) + "/" + artifact
        guard !artifact.contains("/"), let bytes = try tree.contents(of: path) else {
            return GateFinding(
                .artifact, file: path, "proof \(proof.shortID) names an artifact that is not there",
                hint: "add \(path) in the same commit as its proof")
        }
        if Digest.sha256(bytes) != expected {
            return GateFinding(
                .artifact, file: path, "the artifact of proof \(proof.shortID) does not match its artifact_sha256",
                hint: "restore the artifact as captured, or capture a new proof")
        }
        return nil
    }

    // MARK: Resolution

    private func classificationFindings(_ path: String, caseID id: String, text: String, step: GateStep) throws -> [GateFinding] {
        let classification = try FinalClassification.parse(text, file: path)
        guard let by = classification.resolvedBy else {
            return [
                GateFinding(
                    .operatorAct, file: path, "the final classification of case \(id.prefix(8)) names no resolved_by",
                    hint: "an operator resolves with 'zero case resolve \(id.prefix(8)) --outcome …'")
            ]
        }
        let act = OperatorAct(.resolve, caseID: id, session: nil, digest: classification.signedDigest, by: by, at: classification.resolvedAt)
        return actFindings(act, signature: classification.signature, file: path, what: "the resolution of case \(id.prefix(8))")
    }

    // MARK: Operator acts

    /// An act recorded in a file: by an operator of the trust root, and in
    /// signed mode carrying that operator's SSH signature over the act.
    func actFindings(_ act: OperatorAct, signature: String?, file: String, what: String) -> [GateFinding] {
        guard config.isOperator(act.email) else {
            return [
                GateFinding(
                    .operatorAct, file: file, "\(what) names \(act.by), who is not an operator of the trust root \(trust.label)",
                    hint: "only operators listed in \(MemoryPath.configFile) at \(trust.label) may do this; ask one to run the command")
            ]
        }
        guard config.requireSignedApprovals else { return [] }
        guard let signature, !signature.isEmpty else {
            return [
                GateFinding(
                    .signature, file: file, "\(what) by \(act.by) carries no signature, and signed mode is on",
                    hint: "the operator runs the command with git's user.signingkey set (an SSH key, a FIDO key for a touch per act)")
            ]
        }
        guard let signers = trust.allowedSigners else {
            return [
                GateFinding(
                    .signature, file: file, "signed mode is on but \(MemoryPath.signersFile) is missing at the trust root \(trust.label)",
                    hint: "commit \(MemoryPath.signersFile) (git's allowed signers format) with each operator's SSH key")
            ]
        }
        guard let workspace = config.workspaceID else {
            return [
                GateFinding(
                    .signature, file: file, "signed mode is on but \(MemoryPath.configFile) at the trust root \(trust.label) has no workspace_id",
                    hint: "an operator adds 'workspace_id: <a new UUID>' to \(MemoryPath.configFile), so that acts signed here hold nowhere else")
            ]
        }
        do {
            if let problem = try SSHSignature.verify(
                SSHSignature.armored(signature), data: Array(act.statement(workspace: workspace).utf8), principal: act.email,
                allowedSigners: signers, namespace: SSHSignature.namespace)
            {
                return [
                    GateFinding(
                        .signature, file: file, "\(what) by \(act.by): \(problem)",
                        hint: "only the operator's own key in \(MemoryPath.signersFile) at \(trust.label) signs this act; an edited act voids its signature")
                ]
            }
        } catch {
            return [GateFinding(.signature, file: file, "\(what): cannot verify its signature: \(error)", hint: "install ssh-keygen (openssh-client)")]
        }
        return []
    }

    /// An act no file records (a config change, a case deletion): the commit's
    /// author must be an operator, and in signed mode the commit is signed by
    /// that operator's key (git's `commit -S`).
    func commitActFindings(_ step: GateStep, what: String, file: String) throws -> [GateFinding] {
        guard let author = step.author else { return [] }
        guard config.isOperator(author) else {
            return [
                GateFinding(
                    .operatorAct, file: file, "\(what) is an operator act, but \(author) is not an operator of the trust root \(trust.label)",
                    hint: "an operator makes this change in a commit of their own")
            ]
        }
        guard config.requireSignedApprovals, let provider = step.commitSignature else { return [] }
        guard let signed = try provider() else {
            return [
                GateFinding(
                    .signature, file: file, "\(what) is an operator act and signed mode is on, but the commit is not signed",
                    hint: "the operator commits it with 'git commit -S' (gpg.format ssh)")
            ]
        }
        guard let signers = trust.allowedSigners else {
            return [
                GateFinding(
                    .signature, file: file, "signed mode is on but \(MemoryPath.signersFile) is missing at the trust root \(trust.label)",
                    hint: "commit \(MemoryPath.signersFile) with each operator's SSH key")
            ]
        }
        guard signed.signature.contains(SSHSignature.begin) else {
            return [GateFinding(.signature, file: file, "\(what): the commit's signature is not an SSH signature", hint: "sign with gpg.format ssh")]
        }
        if let problem = try SSHSignature.verify(signed.signature, data: signed.signedData, principal: author, allowedSigners: signers, namespace: "git") {
            return [
                GateFinding(
                    .signature, file: file, "\(what): \(problem)",
                    hint: "the operator signs the commit with the key listed for \(author) in \(MemoryPath.signersFile)")
            ]
        }
        return []
    }
}
