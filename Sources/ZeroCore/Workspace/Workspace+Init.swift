import ZeroGit

/// What `zero init` did.
public struct InitReport: Sendable {
    public var root: String
    public var created: [String] = []
    public var kept: [String] = []
    public var operatorEmail: String?
    public var alreadyInitialised = false
}

extension Workspace {
    /// Creates `zero-memory/` at the top of the repository containing `folder`:
    /// config with the git user as operator, `global/` from the templates, and a
    /// `.gitignore` for lock and temporary files. Never overwrites a file.
    public static func initialise(from folder: String, environment: Environment = Environment()) throws -> (Workspace, InitReport) {
        let repository = try Repository.discover(from: folder)
        guard let root = repository.workdir else {
            throw ZeroError(.usage, "\(repository.gitDir) is a bare repository; zero needs a work tree", hint: "run zero init in a clone with a work tree")
        }
        let workspace = Workspace(root: root, environment: environment)
        var report = InitReport(root: root)
        report.alreadyInitialised = FileSystem.exists(workspace.configPath)
        if FileSystem.isSymlink(workspace.memory) {
            throw ZeroError(
                .malformed, "\(folderName) is a symbolic link; zero refuses to write through it",
                hint: "replace it with a real folder")
        }
        try workspace.requireRealFolder(workspace.memory, create: true)
        for template in Templates.files where template.path == "config.yaml" || template.path == "gitignore" || template.path == "gitattributes" || template.path.hasPrefix("global/") {
            let target: String
            var text = template.text
            switch template.path {
            case "config.yaml":
                target = workspace.configPath
                if !report.alreadyInitialised {
                    let actor = try workspace.actor()
                    report.operatorEmail = actor.email
                    text = text.replacing("{{operator}}", with: HeaderWriter.scalar(actor.email, inFlow: true))
                        .replacing("{{workspace_id}}", with: CaseID.generate())
                }
            case "gitignore", "gitattributes":
                target = workspace.memory + "/." + template.path
            default:
                target = workspace.memory + "/" + template.path
            }
            if FileSystem.exists(target) {
                report.kept.append(workspace.relative(target))
                continue
            }
            try workspace.writeMemoryFile(text, to: target)
            report.created.append(workspace.relative(target))
        }
        try workspace.requireRealFolder(workspace.casesFolder, create: true)
        try workspace.requireRealFolder(workspace.memory + "/specs", create: true)
        _ = try workspace.config()
        return (workspace, report)
    }
}
