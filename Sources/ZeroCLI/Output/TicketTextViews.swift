import ZeroCore

extension Output {
    func ticketTable(_ tickets: [TicketSummary]) {
        table(
            ["ID", "STATUS", "PRIORITY", "WAVE", "EPIC", "TITLE"],
            tickets.map {
                [$0.id.short, $0.status.rawValue, $0.priority.rawValue, String($0.wave), $0.epic.map(String.init) ?? "-", Terminal.visible($0.title)]
            })
    }
}

extension ReadyView: TextView {
    func render(_ output: Output) {
        if tickets.isEmpty {
            output.line("no ticket is ready; 'zero blocked' says what the others wait for")
            return
        }
        output.ticketTable(tickets)
        if total > tickets.count { output.line("… \(total - tickets.count) more ready") }
    }
}

extension BlockedView: TextView {
    func render(_ output: Output) {
        if tickets.isEmpty {
            output.line("no ticket is pending")
            return
        }
        output.table(
            ["ID", "WAITS FOR", "TITLE"],
            tickets.map { item in
                var reasons: [String] = []
                if let blocked = item.reason.blockedReason { reasons.append("blocked: " + Terminal.visible(blocked)) }
                if !item.reason.waitingFor.isEmpty { reasons.append(item.reason.waitingFor.map(\.short).joined(separator: ", ")) }
                if !item.reason.missing.isEmpty { reasons.append("missing " + item.reason.missing.map(\.short).joined(separator: ", ")) }
                return [item.ticket.id.short, reasons.joined(separator: "; "), Terminal.visible(item.ticket.title)]
            })
    }
}

extension WavesView: TextView {
    func render(_ output: Output) {
        if waves.isEmpty {
            output.line("no tickets")
            return
        }
        for wave in waves {
            let done = wave.tickets.filter { $0.status == .done }.count
            output.line(output.paint("wave \(wave.wave)", .bold) + " (\(wave.tickets.count) ticket\(wave.tickets.count == 1 ? "" : "s"), \(done) done)")
            for ticket in wave.tickets { output.line("  \(ticket.id.short) \(ticket.status.rawValue.padding(7)) \(Terminal.visible(ticket.title))") }
        }
        output.line()
        output.line("critical path: " + (criticalPath.isEmpty ? "nothing left" : criticalPath.map(\.short).joined(separator: " → ")))
    }
}

extension SpecView: TextView {
    func render(_ output: Output) {
        output.line(output.paint(Terminal.visible(spec.title), .bold) + " (\(spec.id.short), \(status.rawValue))")
        var pairs = [("id", spec.id)]
        if let by = spec.approvedBy { pairs.append(("approved by", by + (spec.approvedAt.map { " at \($0)" } ?? ""))) }
        output.fields(pairs)
        for name in Spec.sectionNames {
            if let body = spec.document.section(name), !body.isEmpty {
                output.line()
                output.line(output.paint(name, .bold))
                output.line(Terminal.visible(body))
            }
        }
        if !epics.isEmpty {
            output.line()
            output.table(
                ["EPIC", "STATUS", "DONE", "TITLE"], epics.map { [String($0.number), $0.status.rawValue, "\($0.done)/\($0.tickets)", Terminal.visible($0.title)] })
        }
        output.line()
        if tickets.isEmpty {
            output.line("no tickets; add one with 'zero case new \"<title>\" --type ticket --spec \(spec.id.short)'")
        } else {
            output.ticketTable(tickets)
        }
    }
}

extension WorkContext: TextView {
    func render(_ output: Output) {
        output.line(output.paint("Ticket \(ticket.id.short): \(Terminal.visible(ticket.title))", .bold) + " — session \(session.label) \(session.state.rawValue)")
        if let spec { output.line("specification: \(Terminal.visible(spec.title))" + (spec.text.isEmpty ? "" : " — " + Terminal.visible(spec.text))) }
        if let epic { output.line("epic \(epic.id): \(Terminal.visible(epic.title))" + (epic.text.isEmpty ? "" : " — " + Terminal.visible(epic.text))) }
        if let claim {
            output.line(
                "claimed on '\(claim.remote)' (\(claim.ref))" + (claim.created ? "" : ", held by this clone since \(claim.claim.since)")
                    + (claim.tookOverFrom.map { "; taken over from \(Terminal.visible($0.holder))" } ?? ""))
        }
        if !description.isEmpty {
            output.line()
            output.line(Terminal.visible(description))
        }
        output.line()
        output.line(output.paint("Steps", .bold))
        for step in steps { output.line("  \(step.index). [\(step.done ? "x" : " ")] \(Terminal.visible(step.text))") }
        output.line(output.paint("Acceptance criteria", .bold))
        for (index, criterion) in acceptanceCriteria.enumerated() { output.line("  \(index + 1). \(Terminal.visible(criterion))") }
        output.line(output.paint("Files (the only paths commits may change)", .bold))
        for file in files { output.line("  \(file.action) \(Terminal.visible(file.path))") }
        if !dependencies.isEmpty {
            output.line(output.paint("Delivered by its dependencies", .bold))
            for dependency in dependencies {
                output.line(
                    "  \(dependency.id.short) \(dependency.status.rawValue): \(Terminal.visible(dependency.title))"
                        + (dependency.summary.map { " — " + Terminal.visible($0) } ?? ""))
                for file in dependency.files { output.line("      \(Terminal.visible(file))") }
            }
        }
    }
}

extension CompletionView: TextView {
    func render(_ output: Output) {
        output.line("ticket \(ticket.id.short) \(ticket.status.rawValue): session \(session.label) complete — \(Terminal.visible(ticket.title))")
        if ticket.status != .done {
            output.line("it is done once an operator accepts the diff, verifies the proof and resolves it (gates.ticket_done: resolved)")
        }
        for ticket in unlocked { output.line("unlocked: \(ticket.id.short) \(Terminal.visible(ticket.title))") }
        for change in advanced { output.line("advanced: \(change)") }
        if let claim { output.line(claim.released ? "claim released on '\(claim.remote)'" : "claim: " + Terminal.visible(claim.note ?? "not released")) }
    }
}

extension ReleaseView: TextView {
    func render(_ output: Output) {
        guard released, let claim else {
            output.line("ticket \(ticket.short): " + Terminal.visible(note ?? "nothing released"))
            return
        }
        output.line(
            "released the claim on ticket \(ticket.short) on '\(remote)'" + (forced ? ", held by \(Terminal.visible(claim.holder))" : "")
                + "; another clone can claim it now")
    }
}

extension ResetView: TextView {
    func render(_ output: Output) {
        if reset.isEmpty {
            output.line("ticket \(ticket.id.short) had no open session; nothing to reset")
            return
        }
        for ticket in reset { output.line("reset \(ticket.id.short) (session abandoned): \(Terminal.visible(ticket.title))") }
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

extension SpecReview: TextView {
    func render(_ output: Output) {
        output.line(output.paint(Terminal.visible(title), .bold) + " (\(spec.short), \(status.rawValue))")
        output.table(["AREA", "SCORE", "WEIGHT"], scores.map { [$0.area.replacing("_", with: " "), String($0.score), "\($0.weight)%"] })
        let verdict = passed ? output.paint("ready", .green) : output.paint("not ready", .red)
        let blockers = findings.filter { $0.severity == .blocker }.count
        output.line(
            "planning review: \(total)/100, threshold \(threshold): \(verdict)" + (blockers > 0 ? " (\(blockers) blocker\(blockers == 1 ? "" : "s"))" : ""))
        for finding in findings { output.line("  \(finding.severity == .blocker ? "✗" : "-") [\(finding.area)] \(Terminal.visible(finding.message))") }
        guard let implementation else { return }
        output.line()
        output.line(
            "implementation review of \(implementation.tickets) delivered ticket\(implementation.tickets == 1 ? "" : "s"): "
                + (implementation.passed ? output.paint("complete", .green) : output.paint("\(implementation.findings.count) gap\(implementation.findings.count == 1 ? "" : "s")", .red)))
        for finding in implementation.findings { output.line("  - \(Terminal.visible(finding.message))") }
    }
}
