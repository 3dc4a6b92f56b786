import ArgumentParser
import ZeroCore

/// `zero`: the root of the command tree.
struct ZeroCommand: ParsableCommand {
    static let version = ZeroVersion.current

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
            SpecCommand.self,
            ReadyCommand.self,
            BlockedCommand.self,
            WavesCommand.self,
            WorkCommand.self,
            StatusCommand.self,
            PrimeCommand.self,
            MCPCommand.self,
            ServeCommand.self,
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
