import ZeroGit

extension Workspace {
    /// Markdown for a pull request: for each case, its sessions, the approved
    /// plan, linked commits with diff stats, proofs with their verification,
    /// and the outcome. Ready to paste or post.
    public func pullRequestBody(_ references: [String]) throws -> String {
        guard !references.isEmpty else {
            throw ZeroError(.usage, "name at least one case", hint: "zero pr body 3125")
        }
        var parts: [String] = []
        for reference in references {
            let id = try resolveCase(reference)
            let meta = try loadMeta(id)
            let sessions = try loadSessions(id)
            let proofs = try loadProofs(id)
            let commits = ((try? linkedCommits(id)) ?? []).filter { !$0.files.isEmpty }
            parts.append(
                Self.caseSection(
                    meta: meta, sessions: sessions, proofs: proofs, commits: commits,
                    classification: try FileSystem.readText(classificationPath(id)).flatMap { try? FinalClassification.parse($0, file: "") }))
        }
        let header = "<!-- zero pr body -->\n" + (references.count > 1 ? "# Zero: \(references.count) cases\n\n" : "")
        return header + parts.joined(separator: "\n---\n\n")
    }

    static func caseSection(
        meta: CaseMeta, sessions: [Session], proofs: [Proof], commits: [LinkedCommit],
        classification: FinalClassification?
    ) -> String {
        var out = "## \(escape(meta.title)) (`\(meta.id.prefix(8))`)\n\n"
        var facts = ["**State:** \(meta.state.rawValue)", "**Type:** \(meta.type.rawValue)"]
        if let outcome = meta.outcome { facts.append("**Outcome:** \(outcome.rawValue)") }
        let verified = proofs.filter(\.verified).count
        facts.append("**Proof:** \(verified) of \(proofs.count) verified")
        out += facts.joined(separator: " · ") + "\n\n"

        if let approval = meta.approvedPlan, let source = sessions.first(where: { $0.number == approval.session }) {
            out += "### Approved plan (S\(Timestamp.pad(approval.session, 3)), `\(approval.sha256.prefix(12))`, by \(escape(approval.by)) at \(approval.at))\n\n"
            if !source.hypothesis.isEmpty { out += "Hypothesis: \(escape(source.hypothesis.replacing("\n", with: " ")))\n\n" }
            if !source.plan.isEmpty { out += source.plan + "\n\n" }
            if !source.scopeGlobs.isEmpty { out += "Scope: " + source.scopeGlobs.map { "`\($0)`" }.joined(separator: ", ") + "\n\n" }
        } else {
            out += "_No approved plan._\n\n"
        }

        if !sessions.isEmpty {
            out += "### Sessions\n\n| session | type | state | approved by | diff | tests |\n|---|---|---|---|---|---|\n"
            for session in sessions {
                let diff = session.diff.map { "\($0.files) file\($0.files == 1 ? "" : "s"), +\($0.additions) −\($0.deletions)" } ?? "—"
                let tests = session.tests.map { "\($0.passed)/\($0.run) passed" } ?? "—"
                out += "| S\(Timestamp.pad(session.number, 3)) | \(session.type.rawValue) | \(session.state.rawValue) | \(session.approvedBy.map(escape) ?? "—") | \(diff) | \(tests) |\n"
            }
            out += "\n"
        }

        if !commits.isEmpty {
            out += "### Commits\n\n"
            for commit in commits {
                out +=
                    "- `\(commit.id.prefix(12))` \(escape(commit.summary)) (S\(Timestamp.pad(commit.session, 3)), \(commit.files.count) file\(commit.files.count == 1 ? "" : "s"), +\(commit.additions) −\(commit.deletions))\n"
            }
            out += "\n"
        }

        out += "### Proof\n\n"
        if proofs.isEmpty {
            out += "_No proof attached._\n\n"
        } else {
            out += "| proof | type | summary | command | exit | verified |\n|---|---|---|---|---|---|\n"
            for proof in proofs {
                let verification = proof.verified ? "✅ \(escape(proof.verifiedBy ?? "")) at \(proof.verifiedAt?.description ?? "?")" : "❌ not yet"
                let command = proof.command.map { "`\($0.replacing("`", with: "'"))`" } ?? "—"
                out += "| `\(proof.shortID)` | \(proof.type.rawValue) | \(escape(proof.summary ?? "—")) | \(command) | \(proof.exitCode.map(String.init) ?? "—") | \(verification) |\n"
            }
            out += "\n"
        }

        if let classification {
            out += "### Outcome: \(classification.outcome.rawValue)\n\n"
            if !classification.rootCause.isEmpty { out += "Root cause: \(escape(classification.rootCause))\n\n" }
            if !classification.fix.isEmpty { out += "Fix: \(escape(classification.fix))\n\n" }
        }
        return out
    }

    /// Markdown for the checks of a range: every case touched, its state and
    /// proof at the range's tip, and every finding of `zero check`.
    public func pullRequestReport(_ range: CheckRange) throws -> (markdown: String, result: CheckResult) {
        let result = try check(range)
        let repository = try historyRepository()
        var touched: [String] = []
        var tipCommit: String?
        for commit in result.commits {
            tipCommit = commit
            let info = try repository.commit(commit)
            if let link = try sessionLink(trailers: try repository.trailers(info.message)), !touched.contains(link.caseID) {
                touched.append(link.caseID)
            }
            for change in try repository.changes(commit) {
                if case .meta(let id)? = MemoryPath(change.path), !touched.contains(id) { touched.append(id) }
            }
        }
        var out = "<!-- zero pr report -->\n## Zero report for \(result.range)\n\n"
        if let note = result.note, result.findings.isEmpty {
            out += "⚠️ **Nothing was checked**: \(note).\n\n"
        } else if result.findings.isEmpty {
            out += "✅ **All gates pass** over \(result.commits.count) commit\(result.commits.count == 1 ? "" : "s").\n\n"
        } else {
            out += "❌ **\(result.findings.count) finding\(result.findings.count == 1 ? "" : "s")** over \(result.commits.count) commit\(result.commits.count == 1 ? "" : "s").\n\n"
        }
        if let trustRoot = result.trustRoot, !result.commits.isEmpty {
            let merges = result.merges == 0 ? "" : ", \(result.merges) of them merges judged against the automatic merge of their parents"
            out += "_Rules, operators and signers from `\(trustRoot.prefix(12))`\(merges)._\n\n"
        }
        if !touched.isEmpty, let tipCommit {
            let tree = GitTree(repository: repository, tree: try repository.treeID(ofCommit: tipCommit))
            out += "| case | title | state | outcome | proof |\n|---|---|---|---|---|\n"
            for id in touched {
                guard let bytes = try tree.contents(of: MemoryPath.meta(id)),
                    let meta = try? CaseMeta.parse(String(decoding: bytes, as: UTF8.self), file: MemoryPath.meta(id))
                else {
                    out += "| `\(id.prefix(8))` | _not in the tip_ | — | — | — |\n"
                    continue
                }
                var verified = 0, total = 0
                for path in try tree.files(under: MemoryPath.proofs(id)) where path.hasSuffix(".md") {
                    total += 1
                    if let proofBytes = try tree.contents(of: path),
                        let proof = try? Proof.parse(String(decoding: proofBytes, as: UTF8.self), file: path), proof.verified
                    {
                        verified += 1
                    }
                }
                out += "| `\(id.prefix(8))` | \(Self.escape(meta.title)) | \(meta.state.rawValue) | \(meta.outcome?.rawValue ?? "—") | \(verified)/\(total) verified |\n"
            }
            out += "\n"
        }
        if !result.findings.isEmpty {
            out += "### Findings\n\n| commit | rule | file | what | fix |\n|---|---|---|---|---|\n"
            for finding in result.findings {
                out +=
                    "| `\(finding.commit.map { String($0.prefix(12)) } ?? "staged")` | \(finding.rule.rawValue) | \(finding.file.map { "`\($0)`" } ?? "—") | \(Self.escape(finding.message)) | \(Self.escape(finding.hint)) |\n"
            }
            out += "\n"
        }
        return (out, result)
    }

    /// Text safe inside a markdown table cell.
    static func escape(_ text: String) -> String {
        text.replacing("|", with: "\\|").replacing("\n", with: " ")
    }
}
