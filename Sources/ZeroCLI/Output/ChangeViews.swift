import ZeroCore

// What a command that changes something prints: JSON is the changed record
// (the same value `show` and the HTTP API return), text is one line.

/// A case after a change.
struct CaseChanged: TextView {
    var meta: CaseMeta
    var what: String

    func encode(to encoder: any Encoder) throws { try meta.encode(to: encoder) }

    func render(_ output: Output) {
        output.line("case \(meta.id.short) \(what): \(output.paint(meta.state.rawValue, output.stateStyle(meta.state.rawValue) ?? .bold)) — \(meta.title)")
    }
}

/// A session after a change, with what to do next when only an operator can move it.
struct SessionChanged: TextView {
    var session: Session
    var what: String

    func encode(to encoder: any Encoder) throws { try session.encode(to: encoder) }

    func render(_ output: Output) {
        output.line(
            "session \(session.caseID.short)/\(session.number) \(session.label) \(session.type.rawValue) \(what): "
                + output.paint(session.state.rawValue, output.stateStyle(session.state.rawValue) ?? .bold))
        if session.state == .planReady {
            output.line("plan \(session.computedPlanHash.prefix(12)) awaits an operator: zero session approve \(session.caseID.short)")
        }
    }
}

/// A proof after it was recorded, attached or verified.
struct ProofChanged: TextView {
    var proof: Proof
    var what: String

    func encode(to encoder: any Encoder) throws { try proof.encode(to: encoder) }

    func render(_ output: Output) {
        var line = "proof \(proof.shortID) (\(proof.type.rawValue)) \(what) on case \(proof.caseID.short)"
        if let summary = proof.summary { line += ": \(Terminal.visible(summary))" }
        if let code = proof.exitCode { line += " [exit \(code)" + (proof.durationMs.map { ", \($0) ms" } ?? "") + "]" }
        output.line(line)
    }
}

/// A deleted case: its id and the title it had.
struct CaseDeleted: TextView {
    var id: String
    @Nullable var title: String?
    var deleted = true

    func render(_ output: Output) {
        output.line("case \(id.short) deleted — \(title ?? "it had no meta.yaml")")
    }
}

extension CommandContext {
    func report(_ meta: CaseMeta, _ what: String) throws { try output.show(CaseChanged(meta: meta, what: what)) }
    func report(_ session: Session, _ what: String) throws { try output.show(SessionChanged(session: session, what: what)) }
    func report(_ proof: Proof, _ what: String) throws { try output.show(ProofChanged(proof: proof, what: what)) }
}
