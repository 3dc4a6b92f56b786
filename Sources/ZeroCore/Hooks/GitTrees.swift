import ZeroGit

/// HEAD or the index, read through one `git cat-file --batch`.
struct BatchTree: TreeSource {
    let batch: CatFileBatch
    /// `HEAD` for the last commit, nil for the index.
    let treeish: String?
    let top: String

    func contents(of path: String) throws -> [UInt8]? {
        try batch.read((treeish ?? "") + ":" + path)
    }

    func files(under folder: String) throws -> [String] {
        try GitCommand.files(under: folder, treeish: treeish, in: top)
    }
}

/// A tree read with libgit2: a commit's, or the automatic merge of a merge's parents.
struct GitTree: TreeSource {
    let repository: Repository
    /// nil: the empty tree.
    let tree: String?

    func contents(of path: String) throws -> [UInt8]? {
        guard let tree else { return nil }
        do { return try repository.contents(of: path, inTree: tree) } catch let error as GitError { throw ZeroError(error) }
    }

    func files(under folder: String) throws -> [String] {
        guard let tree else { return [] }
        do { return try repository.files(under: folder, inTree: tree) } catch let error as GitError { throw ZeroError(error) }
    }
}

extension TreeChange {
    init(_ change: TreeEntryChange) {
        self.init(path: change.path, status: Character(change.status.rawValue), oldMode: change.oldMode, newMode: change.newMode)
    }
}

/// How findings are printed by hooks and `zero check`.
public enum FindingReport {
    public static func text(_ findings: [GateFinding], title: String) -> String {
        var out = "zero: \(title)\n"
        for finding in findings {
            var location = finding.file ?? ""
            if let line = finding.line, !location.isEmpty { location += ":\(line)" }
            let commit = finding.commit.map { String($0.prefix(12)) + " " } ?? ""
            out += "  \(commit)\(finding.rule.rawValue): \(location.isEmpty ? "" : location + ": ")\(finding.message)\n"
            out += "    fix: \(finding.hint)\n"
        }
        return out
    }
}
