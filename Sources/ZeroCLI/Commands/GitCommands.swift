import ArgumentParser
import ZeroCore

func printHooks(_ report: HookReport, _ output: Output) {
    if let manager = report.manager {
        output.line("hooks: \(report.folder) is managed by \(manager.rawValue); Zero did not touch it.")
    } else {
        output.line("hooks in \(report.folder):")
    }
    for entry in report.hooks {
        output.line("  \(entry.hook): \(entry.state)" + (entry.detail.map { " (\($0))" } ?? ""))
    }
    if let instructions = report.instructions {
        output.line(instructions)
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
        let code = Hooks.run(name, arguments: arguments, environment: try ZeroMain.processEnvironment(), stdin: ZeroMain.readStandardInput,
                             report: Terminal.writeError)
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
        reversed range is a usage error (64). --since-adoption judges every commit \
        of HEAD's first-parent line since zero-memory/ appeared, with the rules of \
        the adopting commit.

        Examples:
          zero check --staged
          zero check --range origin/main..HEAD
          zero check --since-adoption
          zero check --range "$BASE..$HEAD" --json
        """
    )
    @Flag(help: "Check the staged changes (the default).") var staged = false
    @Option(help: "A range of commits, A..B.") var range: String?
    @Flag(name: .customLong("since-adoption"), help: "Every commit since Zero was adopted, up to HEAD.") var sinceAdoption = false
    @OptionGroup var options: OutputOptions

    func validate() throws {
        if [staged, range != nil, sinceAdoption].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --staged, --range and --since-adoption")
        }
    }

    func run() throws {
        let context = try CommandContext.makeForHistory(json: options.json)
        let findings: [GateFinding]
        let label: String
        var summary = ""
        let checked: CheckRange? = try sinceAdoption ? .sinceAdoption(tip: "HEAD") : range.map { try CheckRange(parsing: $0) }
        if let checked {
            let showProgress = !options.json && Terminal.stderrIsTerminal
            let result = try context.workspace.check(checked) { done, total in
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
            findings = try Hooks.checkStaged(context.workspace)
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
            discussion: "Examples:\n  zero pr body 3125\n  zero pr body 3125 9f2c\n  zero pr body 3125 --json")
        @Argument(help: "Case ids or prefixes.") var cases: [String] = []
        @OptionGroup var options: OutputOptions
        func run() throws {
            let context = try CommandContext.make(options)
            let markdown = try context.workspace.pullRequestBody(cases)
            if options.json {
                try context.output.emit(BodyView(markdown: markdown, cases: try cases.map { try context.workspace.resolveCase($0) }))
            } else {
                Terminal.write(markdown)
            }
        }
        struct BodyView: Encodable { var markdown: String; var cases: [String] }
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

