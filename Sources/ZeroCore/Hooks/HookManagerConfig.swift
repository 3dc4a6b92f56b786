import Yams

/// Whether another hook manager's configuration runs Zero's gate for a hook,
/// read from the file that manager reads: `.pre-commit-config.yaml`,
/// `lefthook.yml` (and its spellings), or `.husky/<hook>`. Only what the
/// manager would run counts: a commented-out line or a stage the hook is not
/// listed for does not.
enum HookManagerConfig {
    /// `hook`'s command line as the manager would run it, e.g. "zero hook pre-commit".
    static func runsZero(_ manager: HookManager, hook: String, root: String) -> Bool {
        switch manager {
        case .husky:
            guard let text = try? FileSystem.readText(root + "/.husky/" + hook) else { return false }
            return text.split(separator: "\n").contains { (line: Substring) -> Bool in
                let trimmed = String(line).trimming(" \t")
                return !trimmed.hasPrefix("#") && callsZero(trimmed, hook: hook)
            }
        case .lefthook:
            for name in ["lefthook.yml", "lefthook.yaml", ".lefthook.yml", ".lefthook.yaml"] {
                guard let text = try? FileSystem.readText(root + "/" + name),
                    let document = try? Yams.load(yaml: text) as? [String: Any]
                else { continue }
                // hook → commands|jobs → (name →) run
                guard let section = document[hook] as? [String: Any] else { return false }
                let runs = runValues(section["commands"]) + runValues(section["jobs"])
                return runs.contains { callsZero($0, hook: hook) }
            }
            return false
        case .preCommit:
            guard let text = try? FileSystem.readText(root + "/.pre-commit-config.yaml"),
                let document = try? Yams.load(yaml: text) as? [String: Any],
                let repos = document["repos"] as? [[String: Any]]
            else { return false }
            let defaults = document["default_stages"] as? [String]
            let stages = stageNames(hook)
            for repo in repos {
                for entry in repo["hooks"] as? [[String: Any]] ?? [] {
                    guard let command = entry["entry"] as? String, callsZero(command, hook: hook) else { continue }
                    // Without stages a hook runs at every stage pre-commit was installed for.
                    guard let listed = entry["stages"] as? [String] ?? defaults else { return true }
                    if listed.contains(where: stages.contains) { return true }
                }
            }
            return false
        }
    }

    /// "zero hook <hook>" as a command, possibly through a path to the binary.
    static func callsZero(_ command: String, hook: String) -> Bool {
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let index = words.firstIndex(where: { $0 == "zero" || $0.hasSuffix("/zero") }) else { return false }
        let rest = words[(index + 1)...]
        return rest.first == "hook" && rest.dropFirst().first.map { String($0) == hook } == true
    }

    /// Every `run:` under lefthook's `commands:` (a map) or `jobs:` (a list).
    static func runValues(_ value: Any?) -> [String] {
        if let map = value as? [String: Any] {
            return map.values.compactMap { ($0 as? [String: Any])?["run"] as? String }
        }
        if let list = value as? [[String: Any]] {
            return list.compactMap { $0["run"] as? String }
        }
        return []
    }

    /// pre-commit's names for a hook's stage (old and new spellings).
    static func stageNames(_ hook: String) -> Set<String> {
        switch hook {
        case "pre-commit": ["pre-commit", "commit"]
        case "pre-push": ["pre-push", "push"]
        default: [hook]
        }
    }
}
