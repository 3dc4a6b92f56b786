import ArgumentParser
import ZeroCore

struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Run sessions on a case: plan, approve, execute, complete.",
        discussion: """
        Types: planning and investigating write a plan for approval (no code changes); \
        implementing carries out the case's approved plan; verifying collects evidence.
        States: created → planning → plan_ready → approved → executing → complete, with \
        failed and abandoned reachable from any state that has not ended. Ended sessions \
        never change. A session is <case> (its open session) or <case>/<number>.

        Examples:
          zero session new 3125 --type planning
          zero session plan 3125 --step "Patch auth/jwt.rs:142" --scope 'auth/**'
          zero session approve 3125
          zero session new 3125 --type implementing --start
          zero session complete 3125 --output "Patched jwt.rs:142"
        """,
        subcommands: [
            SessionNew.self, SessionPlan.self, SessionApprove.self, SessionReject.self, SessionStart.self,
            SessionProgress.self, SessionOutput.self, SessionComplete.self, SessionFail.self, SessionAbandon.self,
            SessionAccept.self, SessionPause.self, SessionResume.self, SessionShow.self, SessionList.self, SessionDiff.self,
        ]
    )
}

/// Prints a session after a change.
func report(_ session: Session, _ context: CommandContext, _ what: String) throws {
    if context.output.json { try context.output.emit(session); return }
    let output = context.output
    output.line("session \(session.caseID.short)/\(session.number) \(session.label) \(session.type.rawValue) \(what): \(output.paint(session.state.rawValue, output.stateStyle(session.state.rawValue) ?? .bold))")
}

struct SessionNew: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Start the next session on a case.",
        discussion: """
        planning and investigating: the case must be OPEN or INVESTIGATING (or IMPLEMENTING/\
        VERIFYING to re-plan); an OPEN case becomes INVESTIGATING.
        implementing: the case needs an approved plan; the session inherits it and starts approved.
        verifying: the case needs a complete implementing session.
        Only one session per case may be open, and each counts against the monthly limit.

        Examples:
          zero session new 3125 --type planning
          zero session new 3125 --type implementing --start
        """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "planning, investigating, implementing or verifying.") var type: SessionType
    @Flag(help: "Start it at once (an approved session begins executing here).") var start = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let session = try context.workspace.newSession(id, type: type, start: start)
        try report(session, context, "created")
    }
}

struct SessionPlan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Write the hypothesis, plan and scope, and submit the plan for approval.",
        usage: "zero session plan <session> [--step <step> ...] [<options>]",
        discussion: """
        The plan is submitted (plan_ready) unless --draft is given. Editing the plan \
        of an approved or executing session voids its approval: it goes back to \
        plan_ready until an operator approves the new text.

        --plan-file reads a markdown plan: '## Hypothesis' (text), '## Plan' \
        (steps as '1. ...' or '- ...') and '## Scope' (one glob per line). A line \
        it cannot place is refused with its line number.

        Examples:
          zero session plan 3125 --hypothesis "JWT expiry uses < not <=" \\
               --step "Patch auth/jwt.rs:142" --step "Run cargo test auth" \\
               --scope 'auth/**'
          zero session plan 3125/1 --plan-file plan.md
          cat plan.md | zero session plan 3125 --plan-file -
        """
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @Option(help: "The hypothesis.") var hypothesis: String?
    @Option(name: .customLong("step"), help: "A plan step; repeat in order.") var steps: [String] = []
    @Option(name: .customLong("plan-file"), help: "A markdown plan (## Hypothesis, ## Plan, ## Scope), or - for stdin.")
    var planFile: String?
    @Option(name: .customLong("scope"), help: "A path glob the plan may touch; repeat for more.") var scope: [String] = []
    @Flag(help: "Save without submitting for approval.") var draft = false
    @OptionGroup var options: OutputOptions

    func validate() throws {
        if planFile != nil, !steps.isEmpty {
            throw ValidationError("give the steps either with --step or in --plan-file, not both")
        }
    }

    func run() throws {
        let context = try CommandContext.make(options)
        var input = PlanInput()
        if let planFile {
            input = try PlanDocument.parse(try readArgumentBytes(planFile, context), file: planFile == "-" ? "<stdin>" : planFile)
            if hypothesis != nil, input.hypothesis != nil {
                throw ZeroError(.usage, "the hypothesis is given twice: in --hypothesis and in \(planFile)'s '## Hypothesis'",
                                hint: "keep one of them")
            }
            if !scope.isEmpty, input.scope != nil {
                throw ZeroError(.usage, "the scope is given twice: in --scope and in \(planFile)'s '## Scope'", hint: "keep one of them")
            }
        }
        input.hypothesis = hypothesis ?? input.hypothesis
        if !steps.isEmpty { input.steps = steps }
        if !scope.isEmpty { input.scope = scope }
        input.draft = draft
        let session = try context.workspace.writePlan(try SessionReference(parsing: self.session), input)
        try report(session, context, "plan written")
        if !options.json, session.state == .planReady {
            context.output.line("plan \(session.computedPlanHash.prefix(12)) awaits an operator: zero session approve \(session.caseID.short)")
        }
    }
}

/// The bytes of a file argument (relative to the current folder), or of stdin for "-".
func readArgumentBytes(_ path: String, _ context: CommandContext) throws -> [UInt8] {
    if path == "-" { return ZeroMain.readStandardInput() }
    guard let bytes = try FileSystem.readBytes(context.workspace.environment.absolute(path)) else {
        throw ZeroError(.notFound, "no such file: \(path)")
    }
    return bytes
}

struct SessionApprove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a submitted plan (operator). The approval binds to the plan's SHA-256.",
        discussion: """
        Prints what it approves (hypothesis, plan, scope, hash) and, on a terminal, asks \
        before approving; --yes skips the question. If the plan changes between showing \
        and approving, nothing is approved. A planning session completes with its approval \
        and the case moves INVESTIGATING → IMPLEMENTING; code may then change under an \
        implementing session. In signed mode the approval carries your SSH signature.

        Examples:
          zero session approve 3125
          zero session approve 3125/1 --yes
        """
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @Flag(help: "Approve without asking.") var yes = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let reference = try SessionReference(parsing: session)
        let shown = try context.workspace.findSession(reference).session
        let hash = shown.computedPlanHash
        if !options.json {
            let output = context.output
            output.line("session \(shown.caseID.short)/\(shown.number) \(shown.type.rawValue), plan \(hash.prefix(12)):")
            for (name, body) in [("Hypothesis", shown.hypothesis), ("Plan", shown.plan)] {
                output.line("  \(name):")
                let text = body.isEmpty ? "(none)" : body
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) { output.line("    " + Terminal.visible(line)) }
            }
            output.line("  Scope (paths code may change):")
            for glob in shown.scopeGlobs {
                // A glob without "/" matches a file name at any depth, as in .gitignore.
                output.line("    - " + Terminal.visible(glob) + (glob.contains("/") ? "" : "   (a name at any depth)"))
            }
            if shown.scopeGlobs.isEmpty { output.line("    (none)") }
        }
        if !yes, !options.json, !Terminal.confirm("approve this plan?") {
            throw ZeroError(.refused, "not approved", hint: "reject it with reasons: zero session reject \(shown.caseID.short) --reason \"…\"")
        }
        let approved = try context.workspace.approvePlan(SessionReference(caseReference: shown.caseID, number: shown.number), expectedHash: hash)
        try report(approved, context, "approved (plan \(approved.planSHA256?.prefix(12) ?? "?"))")
    }
}

struct SessionReject: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Send a submitted plan back to planning (operator); on a VERIFYING case, reject the verification.",
        discussion: """
        Examples:
          zero session reject 3125 --reason "scope too wide; touch only auth/jwt.rs"
          zero session reject 3125 --reason "tests miss the boundary"
        """
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let result = try context.workspace.rejectPlan(try SessionReference(parsing: session), reason: reason)
        if let session = result.session {
            try report(session, context, "plan rejected")
        } else {
            try report(result.meta, context, "verification rejected")
        }
    }
}

struct SessionStart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start an approved session: it executes and becomes active in this worktree.",
        discussion: "Example:\n  zero session start 3125"
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.startSession(try SessionReference(parsing: session)), context, "started")
    }
}

struct SessionProgress: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Report progress: steps done, files touched, discoveries, a note.",
        usage: "zero session progress <session> [--done <n> ...] [<options>]",
        discussion: """
        Examples:
          zero session progress 3125 --done 1 --file modified:auth/jwt.rs
          zero session progress 3125 --discovery "clock skew is 2s in staging"
        """
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @Option(name: .customLong("done"), help: "A plan step (1-based) now done; repeat for more.") var done: [Int] = []
    @Option(name: .customLong("file"), help: "action:path, action is created, modified, deleted or renamed.") var files: [String] = []
    @Option(name: .customLong("discovery"), help: "Something learned that the plan did not know.") var discoveries: [String] = []
    @Option(help: "A short note for the event log.") var note: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        var input = ProgressInput()
        input.doneSteps = done
        input.files = try files.map { text in
            guard let colon = text.firstIndex(of: ":") else {
                throw ZeroError(.usage, "'\(text)' is not action:path", hint: "for example --file modified:auth/jwt.rs")
            }
            return (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }
        input.discoveries = discoveries
        input.note = note
        try report(try context.workspace.reportProgress(try SessionReference(parsing: session), input), context, "progress recorded")
    }
}

struct SessionOutput: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "output",
        abstract: "Write the session's execution output.",
        discussion: """
        Examples:
          zero session output 3125 "Patched jwt.rs:142; 47/47 tests pass"
          zero session output 3125 --file notes.md
        """
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @Argument(help: "The output text.") var text: String?
    @Option(help: "Read the output from a file, or - for stdin.") var file: String?
    @OptionGroup var options: OutputOptions

    func validate() throws {
        guard (text == nil) != (file == nil) else {
            throw ValidationError("give the output as text or with --file, not both or neither")
        }
    }

    func run() throws {
        let context = try CommandContext.make(options)
        var body = text ?? ""
        if let file {
            let bytes = try readArgumentBytes(file, context)
            guard let decoded = MemoryText.decodeIfValid(bytes) else { throw ZeroError(.usage, "\(file) is not UTF-8 text", file: file) }
            body = decoded
        }
        try report(try context.workspace.writeOutput(try SessionReference(parsing: session), text: body), context, "output written")
    }
}

struct SessionComplete: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete",
        abstract: "Complete an executing session; its file is sealed and never changes again.",
        discussion: """
        Test counts come from the last test-log proof recorded in the session. With \
        gates.diff_review: auto, completing an implementing session also moves the case to VERIFYING.

        Example:
          zero session complete 3125 --output "Patched jwt.rs:142"
        """
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @Option(help: "The execution output, if not written yet.") var output: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.completeSession(try SessionReference(parsing: session), output: output), context, "completed")
    }
}

struct SessionFail: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fail", abstract: "End a session as failed (an error it cannot recover from).",
        discussion: "Example:\n  zero session fail 3125 --reason \"build toolchain missing\""
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @Option(help: "What went wrong.") var reason: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.endSession(try SessionReference(parsing: session), as: .failed, reason: reason), context, "ended")
    }
}

struct SessionAbandon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abandon", abstract: "End a session without proof.",
        discussion: "Example:\n  zero session abandon 3125 --reason \"wrong approach; re-planning\""
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.endSession(try SessionReference(parsing: session), as: .abandoned, reason: reason), context, "ended")
    }
}

struct SessionAccept: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Accept a complete implementing session's diff (operator): case IMPLEMENTING → VERIFYING.",
        discussion: "Example:\n  zero session accept 3125"
    )
    @Argument(help: "The case, or <case>/<number> of the implementing session.") var session: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.acceptSession(try SessionReference(parsing: session)), context, "diff accepted")
    }
}

struct SessionPause: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Pause a session; progress is kept and it stops being active here.",
        discussion: "Example:\n  zero session pause 3125"
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.pauseSession(try SessionReference(parsing: session)), context, "paused")
    }
}

struct SessionResume: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resume a paused session; it becomes active in this worktree again.",
        discussion: "Example:\n  zero session resume 3125"
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try report(try context.workspace.resumeSession(try SessionReference(parsing: session)), context, "resumed")
    }
}

struct SessionShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a session: header, plan, steps, output, events.",
        discussion: """
        Examples:
          zero session show 3125
          zero session show 3125/1 --json
        """
    )
    @Argument(help: "The session: <case> or <case>/<number>.") var session: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let found = try context.workspace.findSession(try SessionReference(parsing: session))
        let session = found.session
        if options.json { try context.output.emit(session); return }
        let output = context.output
        output.line(output.paint("Session \(session.label) — \(session.type.rawValue)", .bold) + " on \(found.meta.id.short) \(found.meta.title)")
        var pairs: [(String, String)] = [
            ("state", output.paint(session.state.rawValue, output.stateStyle(session.state.rawValue) ?? .bold) + (session.paused ? " (paused)" : "")),
            ("started", session.startedAt.description),
        ]
        if let ended = session.completedAt { pairs.append(("ended", ended.description)) }
        if let reason = session.endReason { pairs.append(("reason", reason)) }
        if let hash = session.planSHA256 {
            pairs.append(("plan", "\(hash.prefix(12))" + (session.planMatchesApproval ? "" : output.paint(" (changed since approval)", .red))))
        }
        if let by = session.approvedBy { pairs.append(("approved by", by + (session.approvedAt.map { " at \($0)" } ?? ""))) }
        if let base = session.baseCommit { pairs.append(("base commit", String(base.prefix(12)))) }
        if let diff = session.diff { pairs.append(("diff", "\(diff.files) files, +\(diff.additions) -\(diff.deletions)")) }
        if let tests = session.tests { pairs.append(("tests", "\(tests.passed) passed, \(tests.failed) failed of \(tests.run)")) }
        pairs.append(("proof attached", session.proofAttached ? "yes" : "no"))
        output.fields(pairs)
        for section in session.sections where !section.body.isEmpty {
            output.line()
            output.line(output.paint("## " + section.name, .bold))
            output.line(section.body)
        }
    }
}

struct SessionList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List a case's sessions.",
        discussion: """
        Examples:
          zero session list 3125
          zero session list 3125 --json
        """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let caseID = try context.workspace.resolveCase(id)
        let sessions = try context.workspace.loadSessions(caseID)
        if options.json { try context.output.emit(sessions); return }
        if sessions.isEmpty {
            context.output.line("case \(caseID.short) has no sessions; start one with 'zero session new \(caseID.short) --type planning'")
            return
        }
        context.output.table(["SESSION", "TYPE", "STATE", "STARTED", "ENDED", "TESTS"], sessions.map {
            [$0.label, $0.type.rawValue, $0.state.rawValue + ($0.paused ? " (paused)" : ""), $0.startedAt.description,
             $0.completedAt?.description ?? "-", $0.tests.map { "\($0.passed)/\($0.run)" } ?? "-"]
        }, styles: [2: context.output.stateStyle])
    }
}
