import ArgumentParser
import ZeroCore

func printHooks(_ report: HookReport, _ output: Output) {
    if let manager = report.manager, let instructions = report.instructions {
        output.line("hooks: \(report.folder) is managed by \(manager.rawValue); Zero did not touch it.")
        output.line(instructions)
        return
    }
    output.line("hooks in \(report.folder):")
    for entry in report.hooks {
        output.line("  \(entry.hook): \(entry.state)" + (entry.detail.map { " (\($0))" } ?? ""))
    }
}

struct HooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooks",
        abstract: "Install, remove or inspect Zero's git hooks (pre-commit, commit-msg, pre-push).",
        discussion: """
        The hooks live where git looks for them: core.hooksPath, or the shared hooks folder \
        of the repository (all worktrees). A hook you already had is kept as <name>.chained \
        and runs first; Zero's gate runs only if it passes. When husky, lefthook or pre-commit \
        own the hooks, Zero prints the lines to add to their config instead. ZERO_HOOKS=0 skips \
        the hooks for one command, with a warning; zero check and CI still replay every rule.

        Examples:
          zero hooks install
          zero hooks status --json
          zero hooks uninstall
          ZERO_HOOKS=0 git commit -m "emergency"
        """,
        subcommands: [Install.self, Uninstall.self, Status.self]
    )

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "install", abstract: "Install the hook shims (idempotent).",
                                                        discussion: "Example:\n  zero hooks install")
        @OptionGroup var options: OutputOptions
        func run() throws {
            let context = try CommandContext.make(options)
            let report = try context.workspace.installHooks(zeroBinary: ZeroMain.binaryPath)
            if options.json { try context.output.emit(report) } else { printHooks(report, context.output) }
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Remove Zero's shims and restore chained hooks.",
                                                        discussion: "Example:\n  zero hooks uninstall")
        @OptionGroup var options: OutputOptions
        func run() throws {
            let context = try CommandContext.make(options)
            let report = try context.workspace.uninstallHooks()
            if options.json { try context.output.emit(report) } else { printHooks(report, context.output) }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Show whether each hook runs Zero's gate.",
                                                        discussion: "Examples:\n  zero hooks status\n  zero hooks status --json")
        @OptionGroup var options: OutputOptions
        func run() throws {
            let context = try CommandContext.make(options)
            let report = try context.workspace.hookStatus(zeroBinary: ZeroMain.binaryPath)
            if options.json { try context.output.emit(report) } else { printHooks(report, context.output) }
        }
    }
}

/// `zero hook <name>`: what the shims call. Normally dispatched before the
/// argument parser (see ZeroMain); this entry exists for help and completeness.
struct HookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Run one git hook's gate (called by the installed shims).",
        discussion: """
        Examples:
          zero hook pre-commit
          zero hook commit-msg .git/COMMIT_EDITMSG
          echo "refs/heads/x <sha> refs/heads/x <sha>" | zero hook pre-push origin url
        """,
        shouldDisplay: false
    )
    @Argument(help: "pre-commit, commit-msg or pre-push.") var name: String
    @Argument(parsing: .captureForPassthrough, help: "What git passes to the hook.") var arguments: [String] = []

    func run() throws {
        let code = Hooks.run(name, arguments: arguments, stdin: ZeroMain.readStandardInput, report: Terminal.writeError)
        if code != 0 { throw ExitCode(code) }
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Replay every gate over staged changes or a range of commits.",
        discussion: """
        --staged applies the pre-commit rules to the index, with HEAD's rules. --range A..B \
        judges every commit reachable from B and not from A, with the rules, operators and \
        allowed signers of A (the trust root; a commit cannot relax the rules that judge it). \
        A commit is judged against its parent; a merge against the automatic merge of its \
        parents (conflict resolutions and edits made in the merge); a root commit, or one \
        whose parent has no zero-memory/, against an empty tree. Rules: files parse and only \
        memory files live in zero-memory/, Zero stays adopted, legal transitions with the \
        evidence of every step, ended sessions unchanged, proofs only gain verification, \
        artifacts intact, operator acts by operators (signed in signed mode), resolution \
        with a verified passing proof, code linked to a session approved in the parent, \
        scope, symlinks judged by their targets. This is what pre-push and CI run; a commit \
        made with --no-verify is still caught. Exit 1 with one finding per violation; a \
        reversed range is a usage error (64).

        Examples:
          zero check --staged
          zero check --range origin/main..HEAD
          zero check --range "$BASE..$HEAD" --json
        """
    )
    @Flag(help: "Check the staged changes (the default).") var staged = false
    @Option(help: "A range of commits, A..B.") var range: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        if staged, range != nil { throw ZeroError(.usage, "give --staged or --range, not both") }
        let context = try CommandContext.makeForHistory(json: options.json)
        let findings: [GateFinding]
        let label: String
        var summary = ""
        if let range {
            let showProgress = !options.json && Terminal.stderrIsTerminal
            let result = try context.workspace.check(try CheckRange(parsing: range)) { done, total in
                if showProgress, total >= 200, done % 100 == 0 || done == total {
                    Terminal.writeError("\rzero check: \(done)/\(total) commits" + (done == total ? "\n" : ""))
                }
            }
            findings = result.findings
            label = result.range
            if let note = result.note {
                summary = " — \(note)"
            } else {
                let merges = result.merges == 0 ? "" : ", \(result.merges) merge\(result.merges == 1 ? "" : "s")"
                summary = " (\(result.commits.count) commit\(result.commits.count == 1 ? "" : "s")\(merges); rules from \(result.trustRoot.map { String($0.prefix(12)) } ?? "?"))"
            }
            if options.json { try context.output.emit(result) }
        } else {
            findings = try Hooks.checkStaged(top: context.workspace.root)
            label = "staged changes"
            if options.json { try context.output.emit(StagedView(range: "staged", findings: findings)) }
        }
        if !options.json {
            if findings.isEmpty {
                context.output.line("zero check: \(label): " + (summary.hasPrefix(" —") ? "nothing to check" + summary : "all gates pass" + summary))
            } else {
                Terminal.writeError(FindingReport.text(findings, title: "check: \(label): \(findings.count) finding\(findings.count == 1 ? "" : "s")"))
            }
        }
        if !findings.isEmpty { throw ExitCode(1) }
    }

    struct StagedView: Encodable { var range: String; var findings: [GateFinding] }
}

struct PRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pr",
        abstract: "Markdown for pull requests: the proof of each case, and the report of a range.",
        discussion: """
        Examples:
          zero pr body 3125 > body.md && gh pr create --body-file body.md
          zero pr report origin/main..HEAD
          zero pr workflow > .github/workflows/zero.yml
        """,
        subcommands: [Body.self, Report.self, Workflow.self]
    )

    struct Body: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "body", abstract: "Sessions, plan, commits, proofs and outcome of cases, as markdown.",
            discussion: "Examples:\n  zero pr body 3125\n  zero pr body 3125 9f2c")
        @Argument(help: "Case ids or prefixes.") var cases: [String] = []
        func run() throws {
            let context = try CommandContext.make(json: false)
            Terminal.write(try context.workspace.pullRequestBody(cases))
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report", abstract: "Every case touched in a range, gate status and findings, as markdown.",
            discussion: "Examples:\n  zero pr report origin/main..HEAD\n  zero pr report \"$BASE..$HEAD\" --json")
        @Argument(help: "A range of commits, A..B.") var range: String
        @OptionGroup var options: OutputOptions
        func run() throws {
            let context = try CommandContext.makeForHistory(json: options.json)
            let report = try context.workspace.pullRequestReport(try CheckRange(parsing: range))
            if options.json {
                try context.output.emit(ReportView(markdown: report.markdown, check: report.result))
            } else {
                Terminal.write(report.markdown)
            }
        }
        struct ReportView: Encodable { var markdown: String; var check: CheckResult }
    }

    struct Workflow: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "workflow", abstract: "Print the GitHub Actions workflow that runs zero check on pull requests.",
            discussion: """
            The workflow builds zero on the runner from ZERO_REPOSITORY at ZERO_REF (edit both; pin a full \
            commit sha), runs zero check from the pull request's base to the merge commit GitHub builds \
            for it, and writes the report to the run's summary and, unless the token is read-only (forks, \
            Dependabot), to a comment on the pull request.

            Example:
              mkdir -p .github/workflows && zero pr workflow > .github/workflows/zero.yml
            """)
        func run() throws {
            Terminal.write(Templates.text("github/zero.yml") ?? "")
        }
    }
}

struct SessionDiff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show the commits linked to a session by their trailers, with their diff stats.",
        discussion: """
        Examples:
          zero session diff 3125
          zero session diff 3125/2 --json
        """
    )
    @Argument(help: "The session: <case> or <case>/<number> (default: the case's newest session).") var session: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let reference = try SessionReference(parsing: session)
        let caseID = try context.workspace.resolveCase(reference.caseReference)
        var number = reference.number
        if number == nil {
            let sessions = try context.workspace.loadSessions(caseID)
            number = sessions.last(where: { $0.type == .implementing })?.number ?? sessions.last?.number
        }
        guard let number else { throw ZeroError(.notFound, "case \(caseID.prefix(8)) has no sessions") }
        let diff = try context.workspace.sessionDiff(caseID, session: number)
        if options.json {
            try context.output.emit(DiffView(case_id: caseID, session: number, diff: diff.stat, commits: diff.commits))
            return
        }
        let output = context.output
        if diff.commits.isEmpty {
            output.line("session \(caseID.short)/\(number) has no commits (none carries Zero-Case: \(caseID) and Zero-Session: \(number))")
            return
        }
        output.line("session \(caseID.short)/\(number): \(diff.commits.count) commit\(diff.commits.count == 1 ? "" : "s"), \(diff.stat.files) file\(diff.stat.files == 1 ? "" : "s"), +\(diff.stat.additions) -\(diff.stat.deletions)")
        for commit in diff.commits {
            output.line("  \(output.paint(String(commit.id.prefix(12)), .yellow)) \(commit.summary) (\(commit.author), +\(commit.additions) -\(commit.deletions))")
            for file in commit.files { output.line("      \(file)") }
        }
    }

    struct DiffView: Encodable { var case_id: String; var session: Int; var diff: DiffStat; var commits: [LinkedCommit] }
}
