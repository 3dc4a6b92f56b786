import ArgumentParser
import ZeroCore

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
        let hooks = noHooks ? nil : try workspace.installHooks(zeroBinary: ZeroMain.binaryPath)
        if noHooks { try workspace.registerMergeDriver(zeroBinary: ZeroMain.binaryPath) }
        try Output(json: options.json, environment: environment.variables).show(InitView(report: report, hooks: hooks))
    }

    /// What `zero init` did: files created and kept, the operator, the hooks.
    struct InitView: TextView {
        var report: InitReport
        var hooks: HookReport?

        enum CodingKeys: String, CodingKey { case root, created, kept, `operator`, alreadyInitialised = "already_initialised", hooks }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(report.root, forKey: .root)
            try container.encode(report.created, forKey: .created)
            try container.encode(report.kept, forKey: .kept)
            try container.encode(report.operatorEmail, forKey: .operator)
            try container.encode(report.alreadyInitialised, forKey: .alreadyInitialised)
            try container.encode(hooks, forKey: .hooks)
        }

        func render(_ output: Output) {
            if report.alreadyInitialised {
                output.line("zero-memory/ already exists in \(report.root); nothing was overwritten")
            } else {
                output.line("initialised zero-memory/ in \(report.root)")
            }
            for path in report.created { output.line("  created \(path)") }
            if let email = report.operatorEmail { output.line("operator: \(email) (edit operators in zero-memory/config.yaml)") }
            hooks?.render(output)
            output.line("next: zero case new \"<title>\" --type bug")
        }
    }
}
