import ArgumentParser
import ZeroCore

/// `zero`: the root of the command tree.
struct ZeroCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "zero",
        abstract: "Keep AI-assisted engineering work honest: plans approved before code, cases resolved only with verified proof.",
        discussion: """
        Work items are cases; work on a case happens in sessions. An operator approves a \
        session's plan before code changes, reviews the diff, and verifies the proof that \
        resolves the case. Everything lives in zero-memory/, committed with the code.

        A typical run:
          zero init
          zero case new "auth timeout on /api/login" --type bug --tag auth
          zero session new 3125 --type planning
          zero session plan 3125 --hypothesis "..." --step "..." --scope 'auth/**'
          zero session approve 3125
          zero session new 3125 --type implementing --start
          zero proof run 3125 -- cargo test auth
          zero session complete 3125 --output "..."
          zero session accept 3125
          zero proof verify 3125 7c1e
          zero case resolve 3125 --outcome ConfirmedCodeBug
          zero check --range origin/main..HEAD
          zero pr body 3125

        Ids: any unique prefix (4+ characters) of a case id; a session is <case> \
        (its open session) or <case>/<number>. Every read command takes --json; \
        with --json a failure prints {"error": {"code", "message", "hint", "file", \
        "line"}} on stdout.

        Exit codes: 0 ok, 1 refused by a rule, 64 usage, 65 malformed file, \
        66 not found, 73 wrong state, conflict or already exists, 75 lock busy, \
        70 internal error.
        """,
        version: version,
        subcommands: [
            InitCommand.self,
            CaseCommand.self,
            SessionCommand.self,
            ProofCommand.self,
            StatusCommand.self,
            DoctorCommand.self,
            MergeDriverCommand.self,
            UsageCommand.self,
            HooksCommand.self,
            CheckCommand.self,
            PRCommand.self,
            HookCommand.self,
        ]
    )
}

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create zero-memory/ at the top of this git repository.",
        discussion: """
        Writes zero-memory/config.yaml with you (git user.email) as the operator, the \
        global/ memory files from the templates, and a .gitignore for lock files, and \
        installs the git hooks (see 'zero help hooks'). Running it again keeps every \
        existing file.

        Examples:
          zero init
          zero init --no-hooks
          zero init --json
        """
    )

    @Flag(name: .customLong("no-hooks"), help: "Do not install the git hooks.") var noHooks = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        let environment = try ZeroMain.processEnvironment()
        let (workspace, report) = try Workspace.initialise(from: environment.currentFolder, environment: environment)
        let output = Output(json: options.json, environment: environment.variables)
        let hooks = noHooks ? nil : try workspace.installHooks(zeroBinary: ZeroMain.binaryPath)
        if noHooks { try workspace.registerMergeDriver(zeroBinary: ZeroMain.binaryPath) }
        if options.json {
            try output.emit(InitView(root: report.root, created: report.created, kept: report.kept,
                                     operator: report.operatorEmail, already_initialised: report.alreadyInitialised, hooks: hooks))
            return
        }
        if report.alreadyInitialised {
            output.line("zero-memory/ already exists in \(report.root); nothing was overwritten")
        } else {
            output.line("initialised zero-memory/ in \(report.root)")
        }
        for path in report.created { output.line("  created \(path)") }
        if let email = report.operatorEmail { output.line("operator: \(email) (edit operators in zero-memory/config.yaml)") }
        if let hooks { printHooks(hooks, output) }
        output.line("next: zero case new \"<title>\" --type bug")
    }

    struct InitView: Encodable {
        var root: String
        var created: [String]
        var kept: [String]
        var `operator`: String?
        var already_initialised: Bool
        var hooks: HookReport?
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
