/// The rules of DESIGN §4, written once. Pre-commit applies them to HEAD and
/// the index; `zero check` to each commit and its parent.
public struct Gate: Sendable {
    public let config: WorkspaceConfig
    private let exempt: [PathGlob]

    public init(config: WorkspaceConfig) {
        self.config = config
        exempt = config.exemptPaths.map(PathGlob.init)
    }

    /// Paths outside zero-memory/ and outside `gates.exempt_paths`.
    public func codePaths(_ changes: [TreeChange]) -> [String] {
        changes.map(\.path).filter { !$0.hasPrefix(MemoryPath.prefix) && !PathGlob.any(exempt, $0) }
    }

    // MARK: Memory files

    /// Every rule about zero-memory/ files changed between `before` and `after`.
    public func memoryFindings(_ changes: [TreeChange], before: any TreeSource, after: any TreeSource) -> [GateFinding] {
        var findings: [GateFinding] = []
        let deletedCases = Set(changes.compactMap { change -> String? in
            guard change.kind == .deleted, case .meta(let id)? = MemoryPath(change.path) else { return nil }
            return id
        })
        for change in changes {
            guard let kind = MemoryPath(change.path) else { continue }
            do {
                if change.kind == .deleted {
                    if let finding = deletionFinding(change.path, kind, deletedCases: deletedCases) { findings.append(finding) }
                    continue
                }
                findings += try findingsFor(change.path, kind, before: before, after: after)
            } catch let error as ZeroError {
                findings.append(GateFinding(.parse, file: change.path, line: error.line, error.message,
                                            hint: "fix the file so it parses, or restore it with 'git checkout HEAD -- \(change.path)'"))
            } catch {
                findings.append(GateFinding(.parse, file: change.path, "cannot read: \(error)", hint: "check the repository"))
            }
        }
        return findings
    }

    private func deletionFinding(_ path: String, _ kind: MemoryPath, deletedCases: Set<String>) -> GateFinding? {
        let caseID: String? = switch kind {
        case .meta(let id), .problem(let id), .classification(let id), .session(let id, _), .latest(let id),
             .proof(let id, _), .artifact(let id, _): id
        case .config, .other: nil
        }
        // `zero case delete --yes` removes a whole case folder, meta.yaml included.
        if let caseID, deletedCases.contains(caseID) { return nil }
        switch kind {
        case .session, .proof, .artifact, .meta, .classification, .config:
            return GateFinding(.deletion, file: path, "\(path) was deleted; memory files are never deleted",
                               hint: "restore it with 'git checkout HEAD -- \(path)'; only 'zero case delete --yes' removes a whole case")
        default:
            return nil
        }
    }

    private func findingsFor(_ path: String, _ kind: MemoryPath, before: any TreeSource, after: any TreeSource) throws -> [GateFinding] {
        guard let bytes = try after.contents(of: path) else { return [] }
        let text = String(decoding: bytes, as: UTF8.self)
        switch kind {
        case .config:
            _ = try WorkspaceConfig.parse(text, file: path)
            return []
        case .problem:
            _ = try MemoryDocument.parse(text, file: path, expectsTitle: true)
            return []
        case .classification:
            _ = try FinalClassification.parse(text, file: path)
            return []
        case .meta(let id):
            let meta = try CaseMeta.parse(text, file: path)
            let old = try before.contents(of: path).flatMap { try? CaseMeta.parse(String(decoding: $0, as: UTF8.self), file: path) }
            return try metaFindings(path, id: id, old: old, new: meta, after: after)
        case .session(_, let number):
            let session = try Session.parse(text, file: path, numberFromFileName: number)
            var findings: [GateFinding] = []
            if session.number != number {
                findings.append(GateFinding(.parse, file: path, "the file is session \(number) but says number \(session.number)",
                                            hint: "restore it with 'git checkout HEAD -- \(path)'"))
            }
            let oldBytes = try before.contents(of: path)
            let old = oldBytes.flatMap { try? Session.parse(String(decoding: $0, as: UTF8.self), file: path, numberFromFileName: number) }
            if old?.state.isEnded != true, let problem = Session.sealProblem(text, session: session) {
                findings.append(GateFinding(.appendOnly, file: path, "session S\(Timestamp.pad(number, 3)) is \(session.state.rawValue) and \(problem)",
                                            hint: "restore the sealed file; start a new session to continue"))
            }
            if let old {
                if old.state.isEnded, oldBytes != bytes {
                    findings.append(GateFinding(.appendOnly, file: path, "session S\(Timestamp.pad(number, 3)) had ended (\(old.state.rawValue)) and was rewritten",
                                                hint: "restore it with 'git checkout HEAD -- \(path)'; start a new session to continue"))
                } else if !Self.sessionReachable(from: old.state, to: session.state, type: session.type) {
                    findings.append(GateFinding(.transition, file: path, "session S\(Timestamp.pad(number, 3)) went from \(old.state.rawValue) to \(session.state.rawValue), which its state machine does not allow",
                                                hint: "change sessions only with 'zero session ...' commands"))
                }
            }
            return findings
        case .proof(let id, let name):
            let proof = try Proof.parse(text, file: path)
            var findings: [GateFinding] = []
            if let oldBytes = try before.contents(of: path), let old = try? Proof.parse(String(decoding: oldBytes, as: UTF8.self), file: path) {
                if !old.onlyGainedVerification(proof) {
                    findings.append(GateFinding(.proof, file: path, "proof \(name.dropLast(3)) changed beyond gaining its verification",
                                                hint: "restore it with 'git checkout HEAD -- \(path)'; a re-run adds a new proof"))
                }
            } else if let finding = try artifactFinding(proof, caseID: id, in: after) {
                findings.append(finding)
            }
            return findings
        case .artifact(let id, let name):
            if try before.contents(of: path) != nil {
                return [GateFinding(.artifact, file: path, "the artifact \(name) of case \(id.prefix(8)) was changed after capture",
                                    hint: "restore it with 'git checkout HEAD -- \(path)'; capture a new proof instead")]
            }
            return []
        case .latest, .other:
            return []
        }
    }

    /// Whether a new proof's artifact is present and matches `artifact_sha256`.
    func artifactFinding(_ proof: Proof, caseID: String, in tree: any TreeSource) throws -> GateFinding? {
        guard let artifact = proof.artifact, let expected = proof.artifactSHA256 else { return nil }
        let path = MemoryPath.proofs(caseID) + "/" + artifact
        guard !artifact.contains("/"), let bytes = try tree.contents(of: path) else {
            return GateFinding(.artifact, file: path, "proof \(proof.shortID) names an artifact that is not there",
                               hint: "add \(path) in the same commit as its proof")
        }
        if Digest.sha256(bytes) != expected {
            return GateFinding(.artifact, file: path, "the artifact of proof \(proof.shortID) does not match its artifact_sha256",
                               hint: "restore the artifact as captured, or capture a new proof")
        }
        return nil
    }

    private func metaFindings(_ path: String, id: String, old: CaseMeta?, new meta: CaseMeta, after: any TreeSource) throws -> [GateFinding] {
        var findings: [GateFinding] = []
        let from = old?.state ?? .open
        if from != meta.state {
            if !Self.caseReachable(from: from, to: meta.state, previous: old?.previousState) {
                findings.append(GateFinding(.transition, file: path, "case \(id.prefix(8)) went from \(from.rawValue) to \(meta.state.rawValue), which the transition table does not allow",
                                            hint: "move cases only with 'zero case ...' and 'zero session ...' commands"))
            }
            // The evidence each step leaves behind must be there.
            let passedApproval = [.open, .investigating].contains(from) && [.implementing, .verifying, .resolved].contains(meta.state)
            if passedApproval, meta.approvedPlan == nil {
                findings.append(GateFinding(.approval, file: path, "case \(id.prefix(8)) is \(meta.state.rawValue) but no plan was approved",
                                            hint: "an operator approves a plan with 'zero session approve \(id.prefix(8))'"))
            }
            if [.open, .investigating, .implementing].contains(from), [.verifying, .resolved].contains(meta.state), meta.diffReview == nil {
                findings.append(GateFinding(.approval, file: path, "case \(id.prefix(8)) is \(meta.state.rawValue) but no diff was accepted",
                                            hint: "an operator accepts the diff with 'zero session accept \(id.prefix(8))'"))
            }
            if meta.state == .blocked, meta.blockedReason == nil {
                findings.append(GateFinding(.transition, file: path, "case \(id.prefix(8)) is BLOCKED without blocked_reason", hint: "use 'zero case block \(id.prefix(8)) --reason ...'"))
            }
            if meta.state == .wontFix, meta.wontFixReason == nil {
                findings.append(GateFinding(.transition, file: path, "case \(id.prefix(8)) is WONT_FIX without wont_fix_reason", hint: "use 'zero case wont-fix \(id.prefix(8)) --reason ...'"))
            }
            if meta.state == .resolved || meta.state == .nonIssue {
                if meta.outcome == nil {
                    findings.append(GateFinding(.resolve, file: path, "case \(id.prefix(8)) is \(meta.state.rawValue) without an outcome",
                                                hint: "resolve with 'zero case resolve \(id.prefix(8)) --outcome ...'"))
                }
                if try !hasVerifiedProof(id, in: after) {
                    findings.append(GateFinding(.resolve, file: path, "case \(id.prefix(8)) is \(meta.state.rawValue) without a verified proof",
                                                hint: "an operator verifies a proof with 'zero proof verify \(id.prefix(8)) <proof>' before resolving"))
                }
            }
        }
        return findings
    }

    func hasVerifiedProof(_ id: String, in tree: any TreeSource) throws -> Bool {
        for path in try tree.files(under: MemoryPath.proofs(id)) where path.hasSuffix(".md") {
            guard let bytes = try tree.contents(of: path),
                  let proof = try? Proof.parse(String(decoding: bytes, as: UTF8.self), file: path) else { continue }
            if proof.verified { return true }
        }
        return false
    }

    /// Whether `to` can be reached from `from` through the table, in any number of steps
    /// (a commit may carry several commands' worth of changes).
    static func caseReachable(from: CaseState, to: CaseState, previous: CaseState?) -> Bool {
        var seen: Set<CaseState> = [from]
        var queue = [from]
        while let state = queue.popLast() {
            for row in CaseState.transitions where row.from == state {
                // Returns go only to the remembered state on the first step.
                if row.gate == .previousState, state == from, let previous, row.to != previous { continue }
                if row.to == to { return true }
                if seen.insert(row.to).inserted { queue.append(row.to) }
            }
        }
        return false
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

    // MARK: Code

    /// Code paths need a session whose approved plan is recorded in `approved`
    /// (HEAD, or the commit's parent) and, when given, still holds in `current`
    /// (what the worktree has now). `where_` names the source in messages.
    public func codeFindings(_ codePaths: [String], link: SessionLink?, approved: any TreeSource, current: Session? = nil,
                             missingLink: String, commit: String? = nil) -> [GateFinding] {
        guard !codePaths.isEmpty, config.requireSessionForCode else { return [] }
        let first = codePaths[0]
        guard let link else {
            return [GateFinding(commit == nil ? .approval : .trailers, file: first, missingLink,
                                hint: commit == nil ? "an operator approves a plan ('zero session approve <case>'), then 'zero session new <case> --type implementing --start'"
                                    : "make code commits while an approved implementing session is active (the commit-msg hook adds the trailers); rewrite this commit with them",
                                commit: commit)]
        }
        let short = link.caseID.prefix(8)
        let sessionPath = MemoryPath.session(link.caseID, link.number)
        let label = "session \(short)/\(link.number)"
        let session: Session
        let meta: CaseMeta
        do {
            guard let bytes = try approved.contents(of: sessionPath) else {
                return [GateFinding(.approval, file: first,
                                    commit == nil ? "\(label) is not committed yet, so its approval is not in HEAD"
                                        : "\(label) named by the trailers was not in the parent commit",
                                    hint: commit == nil ? "commit the memory first: git add zero-memory && git commit -m \"zero: start \(label)\""
                                        : "commit zero-memory/ with the approved session before the code", commit: commit)]
            }
            session = try Session.parse(String(decoding: bytes, as: UTF8.self), file: sessionPath, numberFromFileName: link.number)
            guard let metaBytes = try approved.contents(of: MemoryPath.meta(link.caseID)) else {
                return [GateFinding(.approval, file: first, "case \(short) is not committed", hint: "commit zero-memory/ first", commit: commit)]
            }
            meta = try CaseMeta.parse(String(decoding: metaBytes, as: UTF8.self), file: MemoryPath.meta(link.caseID))
        } catch {
            return [GateFinding(.parse, file: sessionPath, "\(label) cannot be read: \(error)", hint: "restore it from git", commit: commit)]
        }
        var findings: [GateFinding] = []
        let where_ = commit == nil ? "in HEAD" : "in the parent commit"
        if session.type != .implementing {
            findings.append(GateFinding(.approval, file: first, "\(label) is a \(session.type.rawValue) session; only implementing sessions change code",
                                        hint: "start one: zero session new \(short) --type implementing --start", commit: commit))
        } else if ![.approved, .executing].contains(session.state) {
            findings.append(GateFinding(.approval, file: first, "\(label) is \(session.state.rawValue) \(where_), not approved or executing",
                                        hint: session.state == .planReady ? "an operator must approve it: zero session approve \(short)" : "start an implementing session under an approved plan",
                                        commit: commit))
        } else if !session.planMatchesApproval || meta.approvedPlan?.sha256 != session.planSHA256 {
            findings.append(GateFinding(.approval, file: first, "the plan of \(label) \(where_) does not match the approval it claims",
                                        hint: "an operator must approve the plan again: zero session approve \(short)", commit: commit))
        }
        if let current, findings.isEmpty {
            if ![.approved, .executing].contains(current.state) || current.paused {
                findings.append(GateFinding(.approval, file: first, "\(label) is \(current.paused ? "paused" : current.state.rawValue) now",
                                            hint: current.state == .planReady ? "its plan changed; an operator must approve it again: zero session approve \(short)"
                                                : current.paused ? "resume it: zero session resume \(short)" : "start a new implementing session", commit: commit))
            } else if !current.planMatchesApproval || current.planSHA256 != session.planSHA256 {
                findings.append(GateFinding(.approval, file: first, "the plan of \(label) was edited after it was approved",
                                            hint: "an operator must approve the new plan: zero session approve \(short)", commit: commit))
            }
        }
        if config.enforceScope, findings.isEmpty {
            let globs = session.scopeGlobs.map(PathGlob.init)
            if !globs.isEmpty {
                for path in codePaths where !PathGlob.any(globs, path) {
                    findings.append(GateFinding(.scope, file: path, "\(path) is outside the approved scope of \(label) (\(session.scopeGlobs.joined(separator: ", ")))",
                                                hint: "unstage it (git restore --staged \(path)), or have the plan's scope widened and approved again",
                                                commit: commit))
                }
            }
        }
        return findings
    }
}
