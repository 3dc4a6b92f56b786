extension Gate {
    /// Code (anything outside zero-memory/ and the exempt paths, symlinks judged
    /// by their targets) needs a session that was an approved implementing
    /// session in `step.approved`, under the case's one approved plan, inside
    /// its scope.
    func codeFindings(_ step: GateStep) -> [GateFinding] {
        var findings: [GateFinding] = []
        var paths = codePaths(step.changes)
        for change in step.changes where change.kind != .deleted && change.isSymlink && !change.path.hasPrefix(MemoryPath.prefix) {
            let target = String(decoding: ((try? step.after.contents(of: change.path)) ?? nil) ?? [], as: UTF8.self)
            guard let resolved = Self.resolveLink(change.path, target: target) else {
                findings.append(
                    GateFinding(
                        .symlink, file: change.path, "\(change.path) links to '\(target)', outside the repository",
                        hint: "links stay inside the repository, where the gates can judge what they point at"))
                continue
            }
            if resolved.isEmpty {
                findings.append(
                    GateFinding(
                        .symlink, file: change.path, "\(change.path) links to the repository's top folder ('\(target)'), which holds \(Workspace.folderName)/",
                        hint: "link to the files the code needs, inside the approved scope"))
                continue
            }
            if resolved == Workspace.folderName || resolved.hasPrefix(MemoryPath.prefix) {
                findings.append(
                    GateFinding(
                        .symlink, file: change.path, "\(change.path) links into \(Workspace.folderName)/ ('\(target)')",
                        hint: "code never reaches into the memory; remove the link"))
                continue
            }
            if !isExempt(resolved), !paths.contains(resolved) { paths.append(resolved) }
        }
        guard !paths.isEmpty, config.requireSessionForCode else { return findings }
        return findings + approvalFindings(paths, step: step)
    }

    /// `target` of a link at `path`, as a path from the repository top; nil when it leaves the repository.
    static func resolveLink(_ path: String, target: String) -> String? {
        if target.hasPrefix("/") || target.isEmpty { return nil }
        var parts = path.split(separator: "/").dropLast().map(String.init)
        for part in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if parts.isEmpty { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    private func approvalFindings(_ paths: [String], step: GateStep) -> [GateFinding] {
        let first = paths[0]
        let commit = step.commit
        let inParent = commit == nil ? "in HEAD" : "in the parent commit"
        guard let link = step.link else {
            if let commit {
                let what = step.isMerge ? "merge commit \(commit.prefix(12)) changes code beyond the automatic merge of its parents, and" : "code commit \(commit.prefix(12))"
                return [
                    GateFinding(
                        .trailers, file: first, "\(what) carries no Zero-Case/Zero-Session trailers",
                        hint: "make code commits while an approved implementing session is active (the commit-msg hook adds the trailers); rewrite this commit with them")
                ]
            }
            return [
                GateFinding(
                    .approval, file: first, "code changes need an active implementing session in this worktree, and there is none",
                    hint: "an operator approves a plan ('zero session approve <case>'), then 'zero session new <case> --type implementing --start'")
            ]
        }
        let short = link.caseID.prefix(8)
        let label = "session \(short)/\(link.number)"
        let sessionPath = MemoryPath.session(link.caseID, link.number)
        let session: Session
        let meta: CaseMeta
        do {
            guard let bytes = try step.approved.contents(of: sessionPath) else {
                return [
                    GateFinding(
                        .approval, file: first,
                        commit == nil
                            ? "\(label) is not committed yet, so its approval is not in HEAD"
                            : "\(label) named by the trailers was not in the parent commit",
                        hint: commit == nil
                            ? "commit the memory first: git add zero-memory && git commit -m \"zero: start \(label)\""
                            : "commit zero-memory/ with the approved session before the code")
                ]
            }
            session = try Session.parse(String(decoding: bytes, as: UTF8.self), file: sessionPath, numberFromFileName: link.number)
            guard let metaBytes = try step.approved.contents(of: MemoryPath.meta(link.caseID)) else {
                return [GateFinding(.approval, file: first, "case \(short) is not committed \(inParent)", hint: "commit zero-memory/ first")]
            }
            meta = try CaseMeta.parse(String(decoding: metaBytes, as: UTF8.self), file: MemoryPath.meta(link.caseID))
        } catch {
            return [GateFinding(.parse, file: sessionPath, "\(label) cannot be read \(inParent): \(error)", hint: "restore it from git")]
        }
        let again = "an operator must approve the plan again: zero session approve \(short)"
        var problem: (message: String, hint: String)?
        if session.type != .implementing {
            problem = (
                "\(label) is a \(session.type.rawValue) session; only implementing sessions change code",
                "start one: zero session new \(short) --type implementing --start"
            )
        } else if ![.approved, .executing].contains(session.state) || session.paused {
            let state = session.paused ? "paused" : session.state.rawValue
            problem = (
                "\(label) is \(state) \(inParent), not approved or executing",
                session.state == .planReady
                    ? "an operator must approve it: zero session approve \(short)"
                    : session.state.isEnded
                        ? "it has ended; start a new implementing session under an approved plan"
                        : session.paused ? "resume it: zero session resume \(short)" : "start an implementing session under an approved plan"
            )
        } else if meta.state != .implementing {
            problem = (
                "case \(short) is \(meta.state.rawValue) \(inParent); code changes while it is IMPLEMENTING",
                "'zero case show \(short)' shows where it stands"
            )
        } else if let plan = meta.approvedPlan, session.planSHA256 == plan.sha256, session.approvedBy == plan.by, session.approvedAt == plan.at,
            session.planMatchesApproval
        {
            if let source = try? approvalSourceProblem(caseID: link.caseID, plan: plan, in: step.approved) {
                problem = ("the approval of \(label) does not hold \(inParent): \(source)", again)
            }
        } else {
            problem = ("the plan of \(label) \(inParent) does not match the case's approved plan", again)
        }
        if let problem {
            return [GateFinding(.approval, file: first, problem.message, hint: problem.hint)]
        }
        if let current = step.current {
            if ![.approved, .executing].contains(current.state) || current.paused {
                return [
                    GateFinding(
                        .approval, file: first, "\(label) is \(current.paused ? "paused" : current.state.rawValue) now",
                        hint: current.state == .planReady
                            ? "its plan changed; \(again)"
                            : current.paused ? "resume it: zero session resume \(short)" : "start a new implementing session")
                ]
            }
            if !current.planMatchesApproval || current.planSHA256 != session.planSHA256 {
                return [GateFinding(.approval, file: first, "the plan of \(label) was edited after it was approved", hint: again)]
            }
        }
        guard config.enforceScope else { return [] }
        let globs = session.scopeGlobs.map(PathGlob.init)
        if globs.isEmpty {
            return [
                GateFinding(
                    .scope, file: first, "the approved plan of \(label) has no ## Scope, and enforce_scope is on",
                    hint: "re-plan with --scope (use --scope '**' to allow anywhere, explicitly) and have it approved")
            ]
        }
        return paths.filter { !PathGlob.any(globs, $0) }.map { path in
            GateFinding(
                .scope, file: path, "\(path) is outside the approved scope of \(label) (\(session.scopeGlobs.joined(separator: ", ")))",
                hint: "unstage it (git restore --staged \(path)), or have the plan's scope widened and approved again")
        }
    }
}
