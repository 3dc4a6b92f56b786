import ArgumentParser
import ZeroCore

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Create, inspect and move cases (work items).",
        discussion: """
        States: OPEN, INVESTIGATING, IMPLEMENTING, VERIFYING, RESOLVED, NON_ISSUE, BLOCKED, \
        NEEDS_USER_INPUT, WONT_FIX, WATCHLIST, COMPRESSED. Most moves happen through \
        sessions; the commands here cover the rest.

        Examples:
          zero case new "auth timeout on /api/login" --tag auth --observed "504"
          zero case list --state IMPLEMENTING
          zero case show 3125
          zero case block 3125 --reason "waiting for the staging database"
        """,
        subcommands: [
            CaseNew.self, CaseList.self, CaseShow.self, CaseEdit.self, CaseState_.self, CaseBlock.self,
            CaseUnblock.self, CaseAsk.self, CaseAnswer.self, CaseResolve.self, CaseReopen.self, CaseWatch.self,
            CaseWontFix.self, CaseNonIssue.self, CaseCompress.self, CaseDelete.self, CaseLog.self, CaseMemory.self,
        ]
    )
}

/// Prints a case after a change: JSON, or one line with its new state.
func report(_ meta: CaseMeta, _ context: CommandContext, _ what: String) throws {
    if context.output.json { try context.output.emit(meta); return }
    context.output.line("case \(meta.id.short) \(what): \(context.output.paint(meta.state.rawValue, context.output.stateStyle(meta.state.rawValue) ?? .bold)) — \(meta.title)")
}

struct CaseNew: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a case.",
        usage: "zero case new <title> [--type <type>] [--tag <tag> ...] [<options>]",
        discussion: """
        The case starts OPEN with a problem-definition.md: Observed/Expected/Repro for a \
        bug, Description for other types (tickets also get Steps, Acceptance criteria, Files).

        Examples:
          zero case new "auth timeout on /api/login" --type bug --priority high
          zero case new "Add rate limiting" --type feature --description "10/min"
          zero case new "Migrate users table" --depends-on 3125 --json
        """
    )

    @Argument(help: "The case title (one line).") var title: String
    @Option(help: "bug, feature, refactor, investigation, epic, greenfield or ticket.") var type: CaseType = .bug
    @Option(help: "low, medium or high.") var priority: Priority = .medium
    @Option(name: .customLong("tag"), help: "A tag; repeat for more.") var tags: [String] = []
    @Option(help: "A one-line summary.") var summary: String?
    @Option(name: .customLong("depends-on"), help: "A case this one depends on; repeat for more.") var dependsOn: [String] = []
    @Option(help: "What was observed (bug).") var observed: String?
    @Option(help: "What was expected (bug).") var expected: String?
    @Option(help: "How to reproduce it (bug).") var repro: String?
    @Option(help: "What the work is (other types).") var description: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        var new = NewCase(title: title)
        new.type = type
        new.priority = priority
        new.tags = tags
        new.summary = summary
        new.dependsOn = dependsOn
        new.problem = [("Observed", observed), ("Expected", expected), ("Repro", repro), ("Description", description)]
            .compactMap { name, body in body.map { (name, $0) } }
        let meta = try context.workspace.createCase(new)
        try report(meta, context, "created")
    }
}

struct CaseShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a case: its state, problem definition, sessions and proofs.",
        discussion: """
        Examples:
          zero case show 3125
          zero case show 3125 --json
        """
    )

    @Argument(help: "The case id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let workspace = context.workspace
        let caseID = try workspace.resolveCase(id)
        let meta = try workspace.loadMeta(caseID)
        let sessions = try workspace.loadSessions(caseID)
        let proofs = try workspace.loadProofs(caseID)
        let problem = try workspace.loadProblem(caseID)
        if options.json {
            try context.output.emit(CaseView(case: meta, problem_definition: problem?.render(), sessions: sessions, proofs: proofs))
            return
        }
        let output = context.output
        output.line(output.paint(meta.title, .bold))
        var pairs: [(String, String)] = [
            ("id", meta.id), ("state", output.paint(meta.state.rawValue, output.stateStyle(meta.state.rawValue) ?? .bold)),
            ("type", meta.type.rawValue), ("priority", meta.priority.rawValue),
        ]
        if !meta.tags.isEmpty { pairs.append(("tags", meta.tags.joined(separator: ", "))) }
        if let summary = meta.summary { pairs.append(("summary", summary)) }
        if let outcome = meta.outcome { pairs.append(("outcome", outcome.rawValue)) }
        if let previous = meta.previousState { pairs.append(("previous state", previous.rawValue)) }
        if let reason = meta.blockedReason { pairs.append(("blocked", reason)) }
        if let question = meta.question { pairs.append(("question", question)) }
        if let reason = meta.wontFixReason { pairs.append(("won't fix", reason)) }
        if !meta.dependsOn.isEmpty { pairs.append(("depends on", meta.dependsOn.map(\.short).joined(separator: ", "))) }
        if let plan = meta.approvedPlan { pairs.append(("approved plan", "S\(pad3(plan.session)) \(plan.sha256.prefix(12)) by \(plan.by) at \(plan.at)")) }
        if let review = meta.diffReview { pairs.append(("diff review", "S\(pad3(review.session)) by \(review.by) at \(review.at)")) }
        pairs.append(("created", meta.createdAt.description))
        pairs.append(("updated", meta.updatedAt.description))
        output.fields(pairs)
        if let problem {
            let sections = problem.sections.filter { !$0.body.isEmpty }
            if !sections.isEmpty {
                output.line()
                for section in sections {
                    output.line(output.paint(section.name, .bold))
                    output.line(section.body)
                }
            }
        }
        output.line()
        if sessions.isEmpty {
            output.line("no sessions yet; start one with 'zero session new \(meta.id.short) --type planning'")
        } else {
            output.table(["SESSION", "TYPE", "STATE", "STARTED", "ENDED", "PLAN"], sessions.map {
                [$0.label, $0.type.rawValue, $0.state.rawValue + ($0.paused ? " (paused)" : ""), $0.startedAt.description,
                 $0.completedAt?.description ?? "-", $0.planSHA256.map { String($0.prefix(12)) } ?? "-"]
            }, styles: [2: output.stateStyle])
        }
        if !proofs.isEmpty {
            output.line()
            output.table(["PROOF", "TYPE", "SESSION", "SUMMARY", "VERIFIED"], proofs.map {
                [$0.shortID, $0.type.rawValue, $0.session.map { "S" + pad3($0) } ?? "-", $0.summary ?? "-", $0.verified ? "yes" : "no"]
            }, styles: [4: output.stateStyle])
        }
    }

    struct CaseView: Encodable {
        var `case`: CaseMeta
        var problem_definition: String?
        var sessions: [Session]
        var proofs: [Proof]
    }
}

struct CaseEdit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change a case's title, type, priority, summary, tags or dependencies.",
        usage: "zero case edit <id> [--title <title>] [--tag <tag> ...] [<options>]",
        discussion: """
        Examples:
          zero case edit 3125 --priority high --tag urgent
          zero case edit 3125 --title "auth timeout on /api/login under load"
          zero case edit 3125 --depends-on 9f2c --untag wip
        """
    )

    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "A new title.") var title: String?
    @Option(help: "A new type.") var type: CaseType?
    @Option(help: "low, medium or high.") var priority: Priority?
    @Option(help: "A new summary (empty to clear).") var summary: String?
    @Option(name: .customLong("tag"), help: "Add a tag; repeat for more.") var tags: [String] = []
    @Option(name: .customLong("untag"), help: "Remove a tag; repeat for more.") var untags: [String] = []
    @Option(name: .customLong("depends-on"), help: "Add a dependency; repeat for more.") var dependsOn: [String] = []
    @Option(name: .customLong("no-depends-on"), help: "Remove a dependency; repeat for more.") var noDependsOn: [String] = []
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        var edit = ZeroCore.CaseEdit()
        edit.title = title
        edit.type = type
        edit.priority = priority
        edit.summary = summary
        edit.addTags = tags
        edit.removeTags = untags.map { $0.lowercased() }
        edit.addDependencies = dependsOn
        edit.removeDependencies = noDependsOn
        try report(try context.workspace.editCase(id, edit), context, "updated")
    }
}

struct CaseState_: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Move a case to another state, if the transition table allows it.",
        discussion: """
        Only moves in the table of DESIGN §3.1 are allowed, each with its gate (operator, \
        verified proof). BLOCKED, NEEDS_USER_INPUT, WONT_FIX and COMPRESSED need --reason; \
        RESOLVED and NON_ISSUE need an outcome, so use 'zero case resolve' or 'non-issue'.

        Examples:
          zero case state 3125 IMPLEMENTING
          zero case state 3125 BLOCKED --reason "waiting on infra"
        """
    )

    @Argument(help: "The case id or a unique prefix.") var id: String
    @Argument(help: "The target state.") var state: String
    @Option(help: "Why (for BLOCKED, NEEDS_USER_INPUT, WONT_FIX, COMPRESSED).") var reason: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        guard let target = CaseState(loose: state) else {
            throw ZeroError(.usage, "'\(state)' is not a case state", hint: "use one of \(CaseState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try report(try context.workspace.forceState(id, to: target, reason: reason), context, "moved")
    }
}

struct CaseBlock: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block",
        abstract: "Block an open case for an outside reason.",
        discussion: """
        Example:
          zero case block 3125 --reason "needs a migration of the users table"
        """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "What blocks it.") var reason: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.blockCase(id, reason: reason), context, "blocked")
    }
}

struct CaseUnblock: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unblock", abstract: "Return a blocked case to the state it had.",
        discussion: "Example:\n  zero case unblock 3125"
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.unblockCase(id), context, "unblocked")
    }
}

struct CaseAsk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask", abstract: "Ask the user a question; the case waits in NEEDS_USER_INPUT.",
        discussion: "Example:\n  zero case ask 3125 \"Should expired tokens get a grace period?\""
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Argument(help: "The question.") var question: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.askQuestion(id, question: question), context, "waiting for an answer")
    }
}

struct CaseAnswer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer", abstract: "Answer the open question; the case returns to its previous state.",
        discussion: "Example:\n  zero case answer 3125 \"No grace period.\""
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Argument(help: "The answer.") var answer: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.answerQuestion(id, answer: answer), context, "answered")
    }
}

struct CaseResolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve a VERIFYING case with an outcome (operator; needs verified proof).",
        usage: "zero case resolve <id> --outcome <outcome> [<options>]",
        discussion: """
        Writes final-classification.md with the outcome, root cause, fix and the verified proofs.
        Outcomes: \(Outcome.list).

        Example:
          zero case resolve 3125 --outcome ConfirmedCodeBug --root-cause "off by one"
        """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "How the case ended.") var outcome: Outcome
    @Option(name: .customLong("root-cause"), help: "What caused it.") var rootCause: String?
    @Option(help: "What fixed it.") var fix: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.resolve(id, outcome: outcome, rootCause: rootCause, fix: fix), context, "resolved")
    }
}

struct CaseNonIssue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "non-issue",
        abstract: "Close an INVESTIGATING case as not a defect (operator; needs verified proof).",
        discussion: """
        Outcomes: IntendedBehavior, Duplicate, Unreproducible, NeedsProductDecision, NeedsUserInput.

        Example:
          zero case non-issue 3125 --outcome Unreproducible --reason "200 runs, no 504"
        """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "Why it is not a defect.") var outcome: Outcome
    @Option(help: "What the investigation found.") var reason: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.markNonIssue(id, outcome: outcome, reason: reason), context, "closed")
    }
}

struct CaseReopen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen", abstract: "Reopen a case on the watchlist (WATCHLIST → OPEN).",
        discussion: "Example:\n  zero case reopen 3125"
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.reopenCase(id), context, "reopened")
    }
}

struct CaseWatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Keep watching a resolved case (RESOLVED → WATCHLIST).",
        discussion: "Example:\n  zero case watch 3125"
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.watchCase(id), context, "on the watchlist")
    }
}

struct CaseWontFix: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wont-fix", abstract: "Close an open case without fixing it (operator).",
        discussion: "Example:\n  zero case wont-fix 3125 --reason \"endpoint is being removed in 2.0\""
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "Why it will not be fixed.") var reason: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.wontFix(id, reason: reason), context, "closed")
    }
}

struct CaseCompress: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compress", abstract: "Archive a RESOLVED or NON_ISSUE case with a summary.",
        discussion: "Example:\n  zero case compress 3125 --summary \"JWT expiry off-by-one; fixed in 4a1f\""
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "The summary to keep.") var summary: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.compressCase(id, summary: summary), context, "archived")
    }
}

struct CaseDelete: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a case folder (operator; needs --yes; git history keeps it).",
        discussion: """
        Only for a case with no ended session and no proof: those stay in the record (close \
        the case as won't fix, or compress it once resolved). The replay checks the same, and \
        a deleted case that comes back is judged against the files it had.

        Example:
          zero case delete 3125 --yes
        """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Flag(help: "Confirm the deletion.") var yes = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let deleted = try context.workspace.deleteCase(id, confirmed: yes)
        if options.json { try context.output.emit(Deleted(id: deleted.id, deleted: true, title: deleted.meta?.title)); return }
        context.output.line("case \(deleted.id.short) deleted — \(deleted.meta?.title ?? "it had no meta.yaml")")
    }

    struct Deleted: Encodable {
        var id: String
        var deleted: Bool
        var title: String?
    }
}

extension CaseType: ExpressibleByArgument {}
extension Priority: ExpressibleByArgument {}
extension Outcome: ExpressibleByArgument {}
extension SessionType: ExpressibleByArgument {}
extension ProofType: ExpressibleByArgument {}
