import ArgumentParser
import ZeroCore

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
        let view: CheckView
        let checked: CheckRange? = try sinceAdoption ? .sinceAdoption(tip: "HEAD") : range.map { try CheckRange(parsing: $0) }
        if let checked {
            let showProgress = !options.json && Terminal.stderrIsTerminal
            view = .range(
                try context.workspace.check(checked) { done, total in
                    if showProgress, total >= 200, done % 100 == 0 || done == total {
                        Terminal.writeError("\rzero check: \(done)/\(total) commits" + (done == total ? "\n" : ""))
                    }
                })
        } else {
            view = .staged(try Hooks.checkStaged(context.workspace))
        }
        try context.output.show(view)
        if !view.findings.isEmpty { throw ExitCode(1) }
    }

    /// JSON: the check result of a range, or `{"range": "staged", "findings"}`.
    /// Text: one line on stdout when every gate passes, the findings on stderr otherwise.
    enum CheckView: TextView {
        case range(CheckResult)
        case staged([GateFinding])

        var findings: [GateFinding] {
            switch self {
            case .range(let result): result.findings
            case .staged(let findings): findings
            }
        }

        enum CodingKeys: String, CodingKey { case range, findings }

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .range(let result):
                try result.encode(to: encoder)
            case .staged(let findings):
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode("staged", forKey: .range)
                try container.encode(findings, forKey: .findings)
            }
        }

        func render(_ output: Output) {
            var label = "staged changes"
            var summary = ""
            if case .range(let result) = self {
                label = result.range
                if let note = result.note {
                    summary = " — \(note)"
                } else {
                    let merges = result.merges == 0 ? "" : ", \(result.merges) merge\(result.merges == 1 ? "" : "s")"
                    let root = result.trustRoot.map { String($0.prefix(12)) } ?? "?"
                    summary = " (\(result.commits.count) commit\(result.commits.count == 1 ? "" : "s")\(merges); rules from \(root))"
                }
            }
            if findings.isEmpty {
                output.line("zero check: \(label): " + (summary.hasPrefix(" —") ? "nothing to check" + summary : "all gates pass" + summary))
            } else {
                Terminal.writeError(FindingReport.text(findings, title: "check: \(label): \(findings.count) finding\(findings.count == 1 ? "" : "s")"))
            }
        }
    }
}
