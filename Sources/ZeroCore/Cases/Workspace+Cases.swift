/// What a new case starts with.
public struct NewCase: Sendable {
    public var title: String
    public var type: CaseType = .bug
    public var priority: Priority = .medium
    public var tags: [String] = []
    public var summary: String?
    public var dependsOn: [String] = []
    /// The specification (id or prefix) and epic number, for a ticket.
    public var spec: String?
    public var epic: Int?
    /// Problem-definition sections by name (Observed, Expected, Repro, Description, ...).
    public var problem: [(name: String, body: String)] = []

    public init(title: String) { self.title = title }
}

/// Changes `zero case edit` may make.
public struct CaseEdit: Sendable {
    public var title: String?
    public var type: CaseType?
    public var priority: Priority?
    public var summary: String?
    public var addTags: [String] = []
    public var removeTags: [String] = []
    public var addDependencies: [String] = []
    public var removeDependencies: [String] = []

    public init() {}

    public var isEmpty: Bool {
        title == nil && type == nil && priority == nil && summary == nil && addTags.isEmpty && removeTags.isEmpty
            && addDependencies.isEmpty && removeDependencies.isEmpty
    }
}

extension Workspace {
    // MARK: Create, edit, delete

    public func createCase(_ new: NewCase) throws -> CaseMeta {
        _ = try config()
        let title = try Self.validatedLine(new.title, what: "title")
        let tags = try new.tags.map { try Self.validatedTag($0) }
        let dependencies = try new.dependsOn.map { try resolveCase($0) }
        let summary = try new.summary.map { try Self.validatedLine($0, what: "summary") }
        let spec = try new.spec.map { try resolveSpec($0) }
        if let epic = new.epic {
            guard let spec else { throw ZeroError(.usage, "--epic needs --spec", hint: "name the specification the epic belongs to") }
            guard FileSystem.kind(epicPath(spec, epic)) == .file else {
                throw ZeroError(
                    .notFound, "specification \(spec.prefix(8)) has no epic \(epic)",
                    hint: "'zero spec show \(spec.prefix(8))' lists its epics", file: relative(epicPath(spec, epic)))
            }
        }
        var id = CaseID.generate()
        while FileSystem.kind(caseFolder(id)) != .missing { id = CaseID.generate() }
        var meta = CaseMeta(id: id, title: title, type: new.type, createdAt: now())
        meta.priority = new.priority
        meta.tags = Self.unique(tags)
        meta.summary = summary
        meta.dependsOn = Self.unique(dependencies)
        meta.spec = spec
        meta.epic = new.epic
        try writeNewCase(meta, problem: Self.problemDefinition(title: title, type: new.type, given: new.problem))
        return meta
    }

    /// Writes a new case folder. It is filled under a temporary name and
    /// renamed into place: a case appears whole or not at all, whenever the process dies.
    func writeNewCase(_ meta: CaseMeta, problem: MemoryDocument) throws {
        try requireRealFolder(casesFolder, create: true)
        let building = casesFolder + "/.new-" + meta.id
        try FileSystem.createFolder(building)
        verifiedFolders.insert(building)
        do {
            try writeMemoryFile(meta.render(), to: building + "/meta.yaml")
            try writeMemoryFile(problem.render(), to: building + "/problem-definition.md")
            try invalidatingTicketIndex { try FileSystem.renameFolder(building, to: caseFolder(meta.id)) }
        } catch {
            try? FileSystem.removeTree(building)
            throw error
        }
    }

    public static func problemDefinition(title: String, type: CaseType, given: [(name: String, body: String)]) -> MemoryDocument {
        let names: [String] =
            switch type {
            case .bug: ["Observed", "Expected", "Repro"]
            case .ticket: ["Description", "Steps", "Acceptance criteria", "Files"]
            default: ["Description"]
            }
        var document = MemoryDocument(title: title)
        for name in names { document.setSection(name, "") }
        for (name, body) in given { document.setSection(name, MemoryDocument.protectFreeText(body)) }
        return document
    }

    public func editCase(_ reference: String, _ edit: CaseEdit) throws -> CaseMeta {
        guard !edit.isEmpty else {
            throw ZeroError(.usage, "nothing to change", hint: "give --title, --summary, --priority, --tag, --untag, --depends-on or --type")
        }
        let id = try resolveCase(reference)
        let title = try edit.title.map { try Self.validatedLine($0, what: "title") }
        let summary = try edit.summary.map { try Self.validatedLine($0, what: "summary") }
        let addTags = try edit.addTags.map { try Self.validatedTag($0) }
        let addDependencies = try edit.addDependencies.map { try resolveCase($0) }
        let removeDependencies = try edit.removeDependencies.map { try resolveCase($0) }
        if addDependencies.contains(id) {
            throw ZeroError(.usage, "a case cannot depend on itself")
        }
        try refuseCycle(adding: addDependencies, to: id)
        return try mutateCase(id) { change in
            if Gate.settled.contains(change.meta.state), title != nil || edit.type != nil || summary != nil {
                throw ZeroError(
                    .refused, "case \(id.prefix(8)) is \(change.meta.state.rawValue): its title, type and summary stay as it was settled",
                    hint: "tags, priority and dependencies can still change; reopen it ('zero case watch', then 'zero case reopen') to change the rest")
            }
            if let title {
                change.meta.title = title
                if var problem = try loadProblem(id) {
                    problem.title = title
                    change.write(problem.render(), to: problemPath(id))
                }
            }
            if let type = edit.type { change.meta.type = type }
            if let priority = edit.priority { change.meta.priority = priority }
            if let summary { change.meta.summary = summary.isEmpty ? nil : summary }
            change.meta.tags = Self.unique(change.meta.tags + addTags).filter { !edit.removeTags.contains($0) }
            change.meta.dependsOn = Self.unique(change.meta.dependsOn + addDependencies).filter { !removeDependencies.contains($0) }
            return change.meta
        }
    }

    /// Deletes a case folder: the only command that removes anything from
    /// zero-memory/. An operator act, and only for a case with no ended session
    /// and no proof: those stay in history (compress the case or close it as won't fix).
    /// A half-created case (no `meta.yaml`) can be deleted too: nil meta then.
    /// Cases that others depend on are refused unless `cascade`, which first
    /// removes the dependency from each of them.
    public func deleteCase(_ reference: String, confirmed: Bool, cascade: Bool = false) throws -> (id: String, meta: CaseMeta?) {
        let id = try resolveCase(reference)
        guard confirmed else {
            throw ZeroError(
                .usage, "deleting case \(id.prefix(8)) removes its folder and every session and proof in it",
                hint: "add --yes to confirm; git history keeps the files")
        }
        _ = try requireOperator("delete a case")
        let dependents = try scanCases().cases.filter { $0.dependsOn.contains(id) }
        if !dependents.isEmpty {
            guard cascade else {
                throw ZeroError(
                    .conflict,
                    "case \(id.prefix(8)) is a dependency of \(dependents.map { String($0.id.prefix(8)) }.joined(separator: ", "))",
                    hint: "add --cascade to remove it from their depends_on too")
            }
            for dependent in dependents {
                try mutateCase(dependent.id) { change in change.meta.dependsOn.removeAll { $0 == id } }
            }
        }
        return try withCaseLock(id) {
            try finishInterruptedChange(id)
            // Without meta.yaml the folder is a half-made case; its sessions and proofs still decide.
            let meta: CaseMeta? = FileSystem.kind(metaPath(id)) == .missing ? nil : try loadMeta(id)
            let ended = try loadSessions(id).filter(\.state.isEnded)
            let proofs = try loadProofs(id)
            if !ended.isEmpty || !proofs.isEmpty {
                let what =
                    (ended.isEmpty ? [] : ["\(ended.count) ended session\(ended.count == 1 ? "" : "s")"])
                    + (proofs.isEmpty ? [] : ["\(proofs.count) proof\(proofs.count == 1 ? "" : "s")"])
                throw ZeroError(
                    .refused, "case \(id.prefix(8)) has \(what.joined(separator: " and ")); its record stays",
                    hint: "close it instead: 'zero case wont-fix \(id.prefix(8)) --reason …', or compress it once resolved")
            }
            if let active = try? activeSession(), active.caseID == id { try clearActiveSession(id, active.number) }
            // Out of the cases first, in one rename; then emptied. A kill between
            // leaves a hidden folder that 'zero doctor --fix' removes.
            let doomed = casesFolder + "/.deleted-" + id
            try invalidatingTicketIndex { try FileSystem.renameFolder(caseFolder(id), to: doomed) }
            try FileSystem.removeTree(doomed)
            return (id, meta)
        }
    }

    // MARK: State changes

    /// Moves the case through one row of the transition table, checking its gate.
    /// Specific commands (resolve, block, ...) call this after their own checks.
    func move(_ change: inout CaseChange, to target: CaseState, operatorAction: String? = nil) throws {
        let from = change.meta.state
        guard let row = from.transition(to: target, previous: change.meta.previousState) else {
            let legal = from.legalTargets(previous: change.meta.previousState).map(\.rawValue)
            throw ZeroError(
                .illegalTransition, "case \(change.meta.id.prefix(8)) cannot go from \(from.rawValue) to \(target.rawValue)",
                hint: legal.isEmpty ? "\(from.rawValue) is final" : "from \(from.rawValue) it may go to \(legal.joined(separator: ", "))")
        }
        switch row.gate {
        case .operator:
            _ = try requireOperator(operatorAction ?? "move a case to \(target.rawValue)")
        case .diffReview:
            if try config().diffReview == .operator { _ = try requireOperator(operatorAction ?? "accept a diff") }
        case .verifiedProof:
            let counting = try loadProofs(change.meta.id).filter(\.countsForResolution)
            guard !counting.isEmpty else {
                throw ZeroError(
                    .needsProof, "case \(change.meta.id.prefix(8)) has no verified, passing proof",
                    hint: "attach one with 'zero proof run \(change.meta.id.prefix(8)) -- <test command>' and have an operator run 'zero proof verify'")
            }
        case .none, .previousState:
            break
        }
        if target == .blocked || target == .needsUserInput {
            change.meta.previousState = from
        } else if row.gate == .previousState {
            change.meta.previousState = nil
        }
        change.meta.state = target
    }

    private func requireNoOpenSession(_ change: CaseChange, _ action: String) throws {
        if let open = change.openSession {
            throw ZeroError(
                .illegalTransition, "case \(change.meta.id.prefix(8)) still has session S\(Timestamp.pad(open.number, 3)) \(open.state.rawValue); \(action) needs it ended",
                hint: "complete, fail or abandon it first ('zero session abandon \(change.meta.id.prefix(8)) --reason ...')")
        }
    }

    public func blockCase(_ reference: String, reason: String) throws -> CaseMeta {
        let reason = try Self.validatedLine(reason, what: "reason")
        return try mutateCase(try resolveCase(reference)) { change in
            try move(&change, to: .blocked)
            change.meta.blockedReason = reason
            try noteOnOpenSession(&change, SessionEvent(at: now(), kind: "case_blocked", detail: reason))
            return change.meta
        }
    }

    public func unblockCase(_ reference: String) throws -> CaseMeta {
        try mutateCase(try resolveCase(reference)) { change in
            guard change.meta.state == .blocked, let previous = change.meta.previousState else {
                throw ZeroError(.illegalTransition, "case \(change.meta.id.prefix(8)) is \(change.meta.state.rawValue), not BLOCKED")
            }
            try move(&change, to: previous)
            change.meta.blockedReason = nil
            try noteOnOpenSession(&change, SessionEvent(at: now(), kind: "case_unblocked"))
            return change.meta
        }
    }

    public func askQuestion(_ reference: String, question: String) throws -> CaseMeta {
        let question = try Self.validatedLine(question, what: "question")
        return try mutateCase(try resolveCase(reference)) { change in
            try move(&change, to: .needsUserInput)
            change.meta.question = question
            try noteOnOpenSession(&change, SessionEvent(at: now(), kind: "question", detail: question))
            return change.meta
        }
    }

    public func answerQuestion(_ reference: String, answer: String) throws -> CaseMeta {
        let answer = try Self.validatedLine(answer, what: "answer")
        return try mutateCase(try resolveCase(reference)) { change in
            guard change.meta.state == .needsUserInput, let previous = change.meta.previousState else {
                throw ZeroError(.illegalTransition, "case \(change.meta.id.prefix(8)) is \(change.meta.state.rawValue); there is no question to answer")
            }
            try move(&change, to: previous)
            change.meta.question = nil
            try noteOnOpenSession(&change, SessionEvent(at: now(), kind: "answered", detail: answer))
            return change.meta
        }
    }

    /// VERIFYING → RESOLVED (operator, ≥ 1 verified proof); writes final-classification.md.
    public func resolve(_ reference: String, outcome: Outcome, rootCause: String?, fix: String?) throws -> CaseMeta {
        try close(reference, to: .resolved, outcome: outcome, rootCause: rootCause, fix: fix, action: "resolve a case")
    }

    /// INVESTIGATING → NON_ISSUE (operator, ≥ 1 verified proof, a not-a-defect outcome).
    public func markNonIssue(_ reference: String, outcome: Outcome, reason: String?) throws -> CaseMeta {
        guard outcome.isNonIssue else {
            throw ZeroError(
                .usage, "\(outcome.rawValue) says the case is a defect; NON_ISSUE needs IntendedBehavior, Duplicate, Unreproducible, NeedsProductDecision or NeedsUserInput",
                hint: "use 'zero case resolve' for confirmed defects")
        }
        return try close(reference, to: .nonIssue, outcome: outcome, rootCause: reason, fix: nil, action: "close a case as a non-issue")
    }

    private func close(_ reference: String, to target: CaseState, outcome: Outcome, rootCause: String?, fix: String?, action: String) throws -> CaseMeta {
        let id = try resolveCase(reference)
        let actor = try requireOperator(action)
        return try mutateCase(id) { change in
            try requireNoOpenSession(change, action)
            try move(&change, to: target, operatorAction: action)
            change.meta.outcome = outcome
            var classification = FinalClassification(outcome: outcome, resolvedAt: now(), resolvedBy: actor.description)
            classification.rootCause = MemoryDocument.protectFreeText(rootCause ?? "")
            classification.fix = MemoryDocument.protectFreeText(fix ?? "")
            classification.proofs = try loadProofs(id).filter(\.countsForResolution).map { "proofs/\($0.fileName)" + ($0.summary.map { " (\($0))" } ?? "") }
            classification.signature = try signIfRequired(
                OperatorAct(
                    .resolve, caseID: id, session: nil, digest: classification.signedDigest,
                    by: actor.description, at: classification.resolvedAt))
            change.write(classification.render(), to: classificationPath(id))
            return change.meta
        }
    }

    public func wontFix(_ reference: String, reason: String) throws -> CaseMeta {
        let reason = try Self.validatedLine(reason, what: "reason")
        let id = try resolveCase(reference)
        let actor = try requireOperator("close a case as won't fix")
        return try mutateCase(id) { change in
            try requireNoOpenSession(change, "won't fix")
            try move(&change, to: .wontFix, operatorAction: "close a case as won't fix")
            change.meta.wontFixReason = reason
            let now = self.now()
            change.meta.wontFix = WontFixRecord(
                by: actor.description, at: now,
                signature: try signIfRequired(
                    OperatorAct(
                        .wontFix, caseID: id, session: nil, digest: Digest.sha256(reason),
                        by: actor.description, at: now)))
            return change.meta
        }
    }

    public func watchCase(_ reference: String) throws -> CaseMeta {
        try mutateCase(try resolveCase(reference)) { change in
            try move(&change, to: .watchlist)
            return change.meta
        }
    }

    public func reopenCase(_ reference: String) throws -> CaseMeta {
        try mutateCase(try resolveCase(reference)) { change in
            if change.meta.state == .resolved {
                throw ZeroError(
                    .illegalTransition, "case \(change.meta.id.prefix(8)) is RESOLVED; only a WATCHLIST case reopens",
                    hint: "run 'zero case watch \(change.meta.id.prefix(8))' first")
            }
            try move(&change, to: .open)
            change.meta.outcome = nil
            change.meta.approvedPlan = nil
            change.meta.diffReview = nil
            return change.meta
        }
    }

    public func compressCase(_ reference: String, summary: String) throws -> CaseMeta {
        let summary = try Self.validatedLine(summary, what: "summary")
        return try mutateCase(try resolveCase(reference)) { change in
            try move(&change, to: .compressed)
            change.meta.summary = summary
            return change.meta
        }
    }

    /// `zero case state`: any move in the table, with its gate. Moves that need
    /// more than a state (an outcome, a reason) go through their own command.
    public func forceState(_ reference: String, to target: CaseState, reason: String?) throws -> CaseMeta {
        let id = try resolveCase(reference)
        switch target {
        case .resolved, .nonIssue:
            let meta = try loadMeta(id)
            guard meta.state.transition(to: target, previous: meta.previousState) != nil else { break }
            throw ZeroError(.usage, "\(target.rawValue) needs an outcome", hint: "use 'zero case \(target == .resolved ? "resolve" : "non-issue") \(id.prefix(8)) --outcome ...'")
        case .blocked:
            return try blockCase(id, reason: reason ?? "")
        case .needsUserInput:
            return try askQuestion(id, question: reason ?? "")
        case .wontFix:
            return try wontFix(id, reason: reason ?? "")
        case .compressed:
            return try compressCase(id, summary: reason ?? "")
        default:
            break
        }
        return try mutateCase(id) { change in
            let from = change.meta.state
            try move(&change, to: target)
            if from == .blocked { change.meta.blockedReason = nil }
            if from == .needsUserInput { change.meta.question = nil }
            if from == .verifying, target == .implementing { change.meta.diffReview = nil }
            return change.meta
        }
    }

    /// Appends an event to the open session, if there is one.
    func noteOnOpenSession(_ change: inout CaseChange, _ event: SessionEvent) throws {
        guard let open = change.openSession else { return }
        change.update(open.number) { $0.record(event) }
    }

    // MARK: Input checks

    /// One line of text: not empty, no line breaks.
    static func validatedLine(_ text: String, what: String) throws -> String {
        let trimmed = String(HeaderParser.trimmed(Substring(text)))
        guard !trimmed.isEmpty else { throw ZeroError(.usage, "the \(what) must not be empty") }
        guard !trimmed.contains(where: { $0 == "\n" || $0 == "\r" }) else {
            throw ZeroError(.usage, "the \(what) must be one line")
        }
        return trimmed
    }

    static func validatedTag(_ tag: String) throws -> String {
        let tag = tag.lowercased()
        guard !tag.isEmpty, tag.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw ZeroError(.usage, "'\(tag)' is not a valid tag: use letters, digits, '-', '_' or '.'")
        }
        return tag
    }

    static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}
