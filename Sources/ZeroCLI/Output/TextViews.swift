import ZeroCore

/// A view value the CLI can print as text; `--json` prints the same value encoded.
protocol TextView: Encodable {
    func render(_ output: Output)
}

extension Output {
    /// The one way a read command prints its result.
    func show(_ view: some TextView) throws {
        if json { try emit(view) } else { view.render(self) }
    }
}

extension CaseListView: TextView {
    func render(_ output: Output) {
        if cases.isEmpty, broken.isEmpty {
            output.line("no cases" + (filtered ? " match" : "; create one with 'zero case new \"<title>\"'"))
            return
        }
        output.table(["ID", "STATE", "TYPE", "PRIORITY", "TAGS", "TITLE"], cases.map {
            [$0.id.short, $0.state.rawValue, $0.type.rawValue, $0.priority.rawValue, $0.tags.joined(separator: ","), $0.title]
        } + broken.map { [$0.id.short, "BROKEN", "", "", "", Terminal.visible($0.error.description)] }, styles: [1: output.stateStyle])
        if !broken.isEmpty {
            output.line()
            output.line("\(broken.count) broken case\(broken.count == 1 ? "" : "s"): 'zero doctor' says why and what --fix repairs")
        }
    }
}

extension CaseLogView: TextView {
    func render(_ output: Output) {
        output.line(output.paint(meta.title, .bold) + " (\(meta.id.short), \(meta.state.rawValue))")
        output.table(["TIME", "SESSION", "EVENT", "DETAIL"], entries.map {
            [$0.at.description, $0.session.map { "S" + pad3($0) } ?? "-", $0.kind, Terminal.visible($0.detail)]
        })
    }
}

extension CaseMemoryView: TextView {
    func render(_ output: Output) {
        for file in files {
            output.line(output.paint("── " + file.path, .dim))
            output.line(Terminal.visible(file.text))
        }
        if !proofs.isEmpty {
            output.line(output.paint("── proofs", .dim))
            for proof in proofs {
                let summary = proof.summary.map { ", " + Terminal.visible($0) } ?? ""
                output.line("- proofs/\(proof.fileName) (\(proof.type.rawValue)\(summary))\(proof.verified ? " verified by \(proof.verifiedBy ?? "?")" : "")")
            }
        }
    }
}

extension SessionDiffView: TextView {
    func render(_ output: Output) {
        if commits.isEmpty {
            output.line("session \(caseID.short)/\(session) has no commits (none carries Zero-Case: \(caseID) and Zero-Session: \(session))")
            return
        }
        output.line("session \(caseID.short)/\(session): \(commits.count) commit\(commits.count == 1 ? "" : "s"), \(diff.files) file\(diff.files == 1 ? "" : "s"), +\(diff.additions) -\(diff.deletions)")
        for commit in commits {
            output.line("  \(output.paint(String(commit.id.prefix(12)), .yellow)) \(Terminal.visible(commit.summary)) (\(commit.author), +\(commit.additions) -\(commit.deletions))")
            for file in commit.files { output.line("      \(Terminal.visible(file))") }
        }
    }
}

extension OperatorTask {
    /// What to type for it.
    var command: String {
        let short = caseID.prefix(8)
        switch action {
        case .approvePlan: return "approve the plan of S\(pad3(session ?? 0)): zero session approve \(short)"
        case .acceptDiff: return "review the diff of S\(pad3(session ?? 0)): zero session accept \(short)"
        case .verifyProof: return "verify proof \(proof ?? "?"): zero proof verify \(short) \(proof ?? "")"
        }
    }
}

extension WorkspaceStatus: TextView {
    func render(_ output: Output) {
        if !broken.isEmpty {
            output.line(output.paint("\(broken.count) broken case\(broken.count == 1 ? "" : "s") (see 'zero doctor')", .bold))
            for broken in broken { output.line("  \(broken.id.short) \(Terminal.visible(broken.error.description))") }
            output.line()
        }
        let shown = CaseState.allCases.compactMap { state in counts[state].map { "\(state.rawValue) \($0)" } }
        output.line("\(totalCases) case\(totalCases == 1 ? "" : "s")" + (shown.isEmpty ? "" : ": " + shown.joined(separator: ", ")))
        if let active {
            output.line("active here: \(active.meta.id.short)/\(active.session.number) \(active.session.label) \(active.session.type.rawValue) \(active.session.state.rawValue) — \(active.meta.title)")
        } else {
            output.line("active here: none")
        }
        if !openSessions.isEmpty {
            output.line()
            output.line(output.paint("open sessions", .bold))
            output.table(["CASE", "SESSION", "TYPE", "STATE", "TITLE"], openSessions.map {
                [$0.meta.id.short, $0.session.label, $0.session.type.rawValue, $0.session.state.rawValue + ($0.session.paused ? " (paused)" : ""), $0.meta.title]
            }, styles: [3: output.stateStyle])
        }
        if !awaitingOperator.isEmpty {
            output.line()
            output.line(output.paint("waiting for an operator", .bold))
            for task in awaitingOperator { output.line("  \(task.caseID.short) \(task.command)") }
        }
    }
}

extension Usage: TextView {
    func render(_ output: Output) {
        let limitText = limit == 0 ? "no limit" : "limit \(limit), \(remaining ?? 0) left"
        output.line("\(month): \(total) session\(total == 1 ? "" : "s") (\(limitText))")
        output.table(["TYPE", "SESSIONS"], SessionType.allCases.map { [$0.rawValue, String(byType[$0] ?? 0)] })
    }
}
