import ArgumentParser
import ZeroCore

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show where the workspace stands and what waits for an operator.",
        discussion: """
        Counts cases by state, lists open sessions, the session active in this worktree, \
        and the plans, diffs and proofs that only an operator can move on.

        Examples:
          zero status
          zero status --json | jq '.awaiting_operator'
        """
    )

    @Flag(help: "Exit 65 when a case is broken (it is reported either way).") var strict = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let status = try context.workspace.status()
        let output = context.output
        if options.json {
            try output.emit(StatusView(status))
        } else {
            printText(status, output)
        }
        if strict { try CaseList.failIfBroken(status.broken.count) }
    }

    private func printText(_ status: WorkspaceStatus, _ output: Output) {
        if !status.broken.isEmpty {
            output.line(output.paint("\(status.broken.count) broken case\(status.broken.count == 1 ? "" : "s") (see 'zero doctor')", .bold))
            for broken in status.broken { output.line("  \(broken.id.short) \(Terminal.visible(broken.error.description))") }
            output.line()
        }
        let counts = CaseState.allCases.compactMap { state in status.counts[state].map { "\(state.rawValue) \($0)" } }
        output.line("\(status.totalCases) case\(status.totalCases == 1 ? "" : "s")" + (counts.isEmpty ? "" : ": " + counts.joined(separator: ", ")))
        if let active = status.active {
            output.line("active here: \(active.meta.id.short)/\(active.session.number) \(active.session.label) \(active.session.type.rawValue) \(active.session.state.rawValue) — \(active.meta.title)")
        } else {
            output.line("active here: none")
        }
        if !status.openSessions.isEmpty {
            output.line()
            output.line(output.paint("open sessions", .bold))
            output.table(["CASE", "SESSION", "TYPE", "STATE", "TITLE"], status.openSessions.map {
                [$0.meta.id.short, $0.session.label, $0.session.type.rawValue, $0.session.state.rawValue + ($0.session.paused ? " (paused)" : ""), $0.meta.title]
            }, styles: [3: output.stateStyle])
        }
        if !status.awaitingOperator.isEmpty {
            output.line()
            output.line(output.paint("waiting for an operator", .bold))
            for item in status.awaitingOperator { output.line("  \(item.meta.id.short) \(item.what)") }
        }
    }

    struct StatusView: Encodable {
        struct OpenSession: Encodable { var case_id: String; var title: String; var session: Session }
        struct Waiting: Encodable { var case_id: String; var title: String; var action: String }
        var total_cases: Int
        var counts: [String: Int]
        var active: OpenSession?
        var open_sessions: [OpenSession]
        var awaiting_operator: [Waiting]
        var broken: [BrokenCase]

        init(_ status: WorkspaceStatus) {
            broken = status.broken
            total_cases = status.totalCases
            counts = Dictionary(uniqueKeysWithValues: status.counts.map { ($0.key.rawValue, $0.value) })
            active = status.active.map { OpenSession(case_id: $0.meta.id, title: $0.meta.title, session: $0.session) }
            open_sessions = status.openSessions.map { OpenSession(case_id: $0.meta.id, title: $0.meta.title, session: $0.session) }
            awaiting_operator = status.awaitingOperator.map { Waiting(case_id: $0.meta.id, title: $0.meta.title, action: $0.what) }
        }
    }
}

struct UsageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Show sessions used this month against plan.monthly_session_limit.",
        discussion: """
        Every session counts once, whatever its type (planning, investigating, \
        implementing, verifying). Months are calendar months in UTC.

        Examples:
          zero usage
          zero usage --json
        """
    )

    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let usage = try context.workspace.usage()
        if options.json {
            try context.output.emit(UsageView(month: usage.month, total: usage.total, limit: usage.limit,
                                              remaining: usage.limit == 0 ? nil : max(0, usage.limit - usage.total),
                                              by_type: Dictionary(uniqueKeysWithValues: SessionType.allCases.map { ($0.rawValue, usage.byType[$0] ?? 0) })))
            return
        }
        let limit = usage.limit == 0 ? "no limit" : "limit \(usage.limit), \(max(0, usage.limit - usage.total)) left"
        context.output.line("\(usage.month): \(usage.total) session\(usage.total == 1 ? "" : "s") (\(limit))")
        context.output.table(["TYPE", "SESSIONS"], SessionType.allCases.map { [$0.rawValue, String(usage.byType[$0] ?? 0)] })
    }

    struct UsageView: Encodable {
        var month: String
        var total: Int
        var limit: Int
        var remaining: Int?
        var by_type: [String: Int]
    }
}
