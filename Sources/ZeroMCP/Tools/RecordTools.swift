import ZeroCore

// What an agent records: the calls `zero case new`, `zero session new`,
// `zero session plan` and `zero proof run|add` make. None approves, reviews,
// verifies or closes anything: those acts are the operator's.

extension ZeroTool {
    static let createCase = ZeroTool(
        name: "create_case",
        summary: "Create a case (state OPEN). A bug takes observed, expected and repro; other types a description.",
        parameters: [
            ToolParameter("title", .string, "One line.", required: true),
            ToolParameter("type", .choice(CaseType.allCases.map(\.rawValue)), "Default bug."),
            ToolParameter("priority", .choice(Priority.allCases.map(\.rawValue)), "Default medium."),
            ToolParameter("tags", .strings, "Tags."),
            ToolParameter("summary", .string, "A one-line summary."),
            ToolParameter("depends_on", .strings, "Cases (ids or prefixes) it depends on."),
            ToolParameter("spec", .string, "The specification a ticket belongs to (id or prefix)."),
            ToolParameter("epic", .integer, "The ticket's epic number in the specification."),
            ToolParameter("observed", .string, "Bug: what happens."),
            ToolParameter("expected", .string, "Bug: what should happen."),
            ToolParameter("repro", .string, "Bug: how to reproduce it."),
            ToolParameter("description", .string, "Other types: what the work is."),
        ]
    ) { arguments, workspace in
        var new = NewCase(title: try arguments.required("title"))
        new.type = arguments.choice("type", as: CaseType.self) ?? new.type
        new.priority = arguments.choice("priority", as: Priority.self) ?? new.priority
        new.tags = arguments.strings("tags")
        new.summary = arguments.string("summary")
        new.dependsOn = arguments.strings("depends_on")
        new.spec = arguments.string("spec")
        new.epic = arguments.integer("epic")
        new.problem = [("Observed", "observed"), ("Expected", "expected"), ("Repro", "repro"), ("Description", "description")]
            .compactMap { section, name in arguments.string(name).map { (section, $0) } }
        return try workspace.createCase(new)
    }

    static let createSession = ZeroTool(
        name: "create_session",
        summary:
            "Open the next session on a case. planning or investigating: to write a plan (no code changes); "
            + "implementing: once an operator has signed off the case's plan; verifying: after a complete implementation.",
        parameters: [
            ToolParameter("case", .string, "Case id or unique prefix.", required: true),
            ToolParameter("type", .choice(SessionType.allCases.map(\.rawValue)), "The session type.", required: true),
            ToolParameter("start", .boolean, "Start it now (an implementing session begins executing in this worktree)."),
        ]
    ) { arguments, workspace in
        guard let type = arguments.choice("type", as: SessionType.self) else { throw ZeroError(.usage, "type is required") }
        return try workspace.newSession(try arguments.required("case"), type: type, start: arguments.flag("start"))
    }

    static let submitPlan = ZeroTool(
        name: "submit_plan",
        summary:
            "Write a session's hypothesis, plan steps and scope, and submit the plan for an operator's review (plan_ready). "
            + "Editing a plan that was signed off sends it back for review.",
        parameters: [
            ToolParameter("session", .string, "<case> (its open session) or <case>/<number>.", required: true),
            ToolParameter("hypothesis", .string, "What you believe is wrong or needed."),
            ToolParameter("steps", .strings, "The plan's steps, in order."),
            ToolParameter("scope", .strings, "Path globs the plan may change, e.g. src/auth/**."),
            ToolParameter("draft", .boolean, "Save without submitting."),
        ]
    ) { arguments, workspace in
        var input = PlanInput()
        input.hypothesis = arguments.string("hypothesis")
        input.steps = arguments.strings("steps")
        if arguments.has("scope") { input.scope = arguments.strings("scope") }
        input.draft = arguments.flag("draft")
        return try workspace.writePlan(try SessionReference(parsing: try arguments.required("session")), input)
    }

    static let attachProof = ZeroTool(
        name: "attach_proof",
        summary:
            "Record proof on a case: run a command (no shell) keeping its output, exit code and test counts, "
            + "or attach a file from the repository, or a note. Give one of command, file, note.",
        parameters: [
            ToolParameter("case", .string, "Case id or unique prefix.", required: true),
            ToolParameter("command", .strings, "Program and arguments, e.g. [\"swift\", \"test\"]; runs in the server's folder."),
            ToolParameter("file", .string, "Path of an artifact inside the repository."),
            ToolParameter("note", .string, "Text to keep as the artifact."),
            ToolParameter("type", .choice(ProofType.allCases.map(\.rawValue)), "Proof type; a command's default is test-log."),
            ToolParameter("summary", .string, "File or note: a one-line summary."),
        ]
    ) { arguments, workspace in
        let caseReference = try arguments.required("case")
        let type = arguments.choice("type", as: ProofType.self)
        switch try one(of: ["command", "file", "note"], in: arguments, tool: "attach_proof") {
        case "command":
            try refuse(["summary"], in: arguments, unlessFor: "a command (its summary is read from its output)")
            let folder = workspace.environment.currentFolder
            return try workspace.runProof(caseReference, command: arguments.strings("command"), type: type ?? .testLog, in: folder)
        default:
            guard let type else {
                throw ZeroError(.usage, "a file or a note needs a type", hint: "type: one of \(ProofType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var input = ProofInput(type: type)
            input.artifactPath = try arguments.string("file").map { try ZeroTool.artifactInRepository($0, workspace) }
            input.note = arguments.string("note")
            input.summary = arguments.string("summary")
            return try workspace.addProof(caseReference, input)
        }
    }

    /// An artifact an agent attaches must lie inside the repository's work
    /// tree (symbolic links resolved): a tool call never copies an outside
    /// file such as ~/.ssh/id_ed25519 into zero-memory/, to be committed.
    static func artifactInRepository(_ path: String, _ workspace: Workspace) throws -> String {
        let absolute = workspace.environment.absolute(path)
        guard let real = FileSystem.realPath(absolute) else {
            throw ZeroError(.notFound, "no such file: \(path)", hint: "give the path of the artifact to attach, relative to \(workspace.root)")
        }
        let root = FileSystem.realPath(workspace.root) ?? workspace.root
        guard real.hasPrefix(root + "/"), !real.hasPrefix(root + "/.git/") else {
            throw ZeroError(.usage, "\(path) is outside the repository", hint: "attach files from inside \(workspace.root), or keep a note instead")
        }
        return real
    }
}
