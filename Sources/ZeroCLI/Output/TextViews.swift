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
        output.table(
            ["ID", "STATE", "TYPE", "PRIORITY", "TAGS", "TITLE"],
            cases.map {
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
        output.table(
            ["TIME", "SESSION", "EVENT", "DETAIL"],
            entries.map {
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
        output.line(
            "session \(caseID.short)/\(session): \(commits.count) commit\(commits.count == 1 ? "" : "s"), \(diff.files) file\(diff.files == 1 ? "" : "s"), +\(diff.additions) -\(diff.deletions)")
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
            output.table(
                ["CASE", "SESSION", "TYPE", "STATE", "TITLE"],
                openSessions.map {
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

extension CaseDetailView: TextView {
    func render(_ output: Output) {
        output.line(output.paint(meta.title, .bold))
        var pairs: [(String, String)] = [
            ("id", meta.id), ("state", output.paint(meta.state.rawValue, output.stateStyle(meta.state.rawValue) ?? .bold)),
            ("type", meta.type.rawValue), ("priority", meta.priority.rawValue),
        ]
        if !meta.tags.isEmpty { pairs.append(("tags", meta.tags.joined(separator: ", "))) }
        if let summary = meta.summary { pairs.append(("summary", summary)) }
        if let outcome = meta.outcome { pairs.append(("outcome", outcome.rawValue)) }
        if let previous = meta.previousState { pairs.append(("previous state", previous.rawValue)) }
        if let reason = meta.blockedReason { pairs.append(("blocked", reason)) }
        if let question = meta.question { pairs.append(("question", question)) }
        if let reason = meta.wontFixReason { pairs.append(("won't fix", reason)) }
        if !meta.dependsOn.isEmpty { pairs.append(("depends on", meta.dependsOn.map(\.short).joined(separator: ", "))) }
        if let plan = meta.approvedPlan { pairs.append(("approved plan", "S\(pad3(plan.session)) \(plan.sha256.prefix(12)) by \(plan.by) at \(plan.at)")) }
        if let review = meta.diffReview { pairs.append(("diff review", "S\(pad3(review.session)) by \(review.by) at \(review.at)")) }
        pairs.append(("created", meta.createdAt.description))
        pairs.append(("updated", meta.updatedAt.description))
        output.fields(pairs.map { ($0.0, Terminal.visible($0.1)) })
        let sections = problem?.sections.filter { !$0.body.isEmpty } ?? []
        if !sections.isEmpty {
            output.line()
            for section in sections {
                output.line(output.paint(Terminal.visible(section.name), .bold))
                output.line(Terminal.visible(section.body))
            }
        }
        output.line()
        if sessions.isEmpty {
            output.line("no sessions yet; start one with 'zero session new \(meta.id.short) --type planning'")
        } else {
            output.table(
                ["SESSION", "TYPE", "STATE", "STARTED", "ENDED", "PLAN"],
                sessions.map {
                    [
                        $0.label, $0.type.rawValue, $0.state.rawValue + ($0.paused ? " (paused)" : ""), $0.startedAt.description,
                        $0.completedAt?.description ?? "-", $0.planSHA256.map { String($0.prefix(12)) } ?? "-",
                    ]
                }, styles: [2: output.stateStyle])
        }
        if !proofs.isEmpty {
            output.line()
            output.table(
                ["PROOF", "TYPE", "SESSION", "SUMMARY", "VERIFIED"],
                proofs.map {
                    [$0.shortID, $0.type.rawValue, $0.session.map { "S" + pad3($0) } ?? "-", Terminal.visible($0.summary ?? "-"), $0.verified ? "yes" : "no"]
                }, styles: [4: output.stateStyle])
        }
    }
}

extension SessionDetailView: TextView {
    func render(_ output: Output) {
        output.line(output.paint("Session \(session.label) — \(session.type.rawValue)", .bold) + " on \(meta.id.short) \(Terminal.visible(meta.title))")
        var pairs: [(String, String)] = [
            ("state", output.paint(session.state.rawValue, output.stateStyle(session.state.rawValue) ?? .bold) + (session.paused ? " (paused)" : "")),
            ("started", session.startedAt.description),
        ]
        if let ended = session.completedAt { pairs.append(("ended", ended.description)) }
        if let reason = session.endReason { pairs.append(("reason", Terminal.visible(reason))) }
        if let hash = session.planSHA256 {
            pairs.append(("plan", "\(hash.prefix(12))" + (session.planMatchesApproval ? "" : output.paint(" (changed since approval)", .red))))
        }
        if let by = session.approvedBy { pairs.append(("approved by", by + (session.approvedAt.map { " at \($0)" } ?? ""))) }
        if let base = session.baseCommit { pairs.append(("base commit", String(base.prefix(12)))) }
        if let diff = session.diff { pairs.append(("diff", "\(diff.files) files, +\(diff.additions) -\(diff.deletions)")) }
        if let tests = session.tests { pairs.append(("tests", "\(tests.passed) passed, \(tests.failed) failed of \(tests.run)")) }
        pairs.append(("proof attached", session.proofAttached ? "yes" : "no"))
        output.fields(pairs)
        for section in session.sections where !section.body.isEmpty {
            output.line()
            output.line(output.paint("## " + section.name, .bold))
            output.line(Terminal.visible(section.body))
        }
    }
}

extension SessionListView: TextView {
    func render(_ output: Output) {
        if sessions.isEmpty {
            output.line("case \(caseID.short) has no sessions; start one with 'zero session new \(caseID.short) --type planning'")
            return
        }
        output.table(
            ["SESSION", "TYPE", "STATE", "STARTED", "ENDED", "TESTS"],
            sessions.map {
                [
                    $0.label, $0.type.rawValue, $0.state.rawValue + ($0.paused ? " (paused)" : ""), $0.startedAt.description,
                    $0.completedAt?.description ?? "-", $0.tests.map { "\($0.passed)/\($0.run)" } ?? "-",
                ]
            }, styles: [2: output.stateStyle])
    }
}

extension ProofListView: TextView {
    func render(_ output: Output) {
        if proofs.isEmpty {
            output.line("case \(caseID.short) has no proof; capture some with 'zero proof run \(caseID.short) -- <test command>'")
            return
        }
        output.table(
            ["PROOF", "TYPE", "SESSION", "CREATED", "EXIT", "SUMMARY", "VERIFIED"],
            proofs.map {
                [
                    $0.shortID, $0.type.rawValue, $0.session.map { "S" + pad3($0) } ?? "-", $0.createdAt.description,
                    $0.exitCode.map(String.init) ?? "-", Terminal.visible($0.summary ?? "-"), $0.verified ? "yes" : "no",
                ]
            }, styles: [6: output.stateStyle])
    }
}

extension HookReport: TextView {
    func render(_ output: Output) {
        if let manager {
            output.line("hooks: \(folder) is managed by \(manager.rawValue); Zero did not touch it.")
        } else {
            output.line("hooks in \(folder):")
        }
        for entry in hooks {
            output.line("  \(entry.hook): \(entry.state)" + (entry.detail.map { " (\($0))" } ?? ""))
        }
        if let instructions { output.line(instructions) }
    }
}
