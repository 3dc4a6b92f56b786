import ZeroCore

// The work-session verbs on tickets (DESIGN §3.3): the calls `zero ready`,
// `zero blocked` and `zero work start|next|progress|pause|resume|block|unblock|complete` make.

extension ZeroTool {
    static let ticket = ToolParameter("ticket", .string, "Ticket: case id or unique prefix.", required: true)
    static let specFilter = ToolParameter("spec", .string, "Only tickets of this specification (id or prefix).")

    static let nextActionableTickets = ZeroTool(
        name: "get_next_actionable_tickets",
        summary: "Ready tickets (not blocked, dependencies done, no open session), by priority, wave, then age.",
        parameters: [specFilter, ToolParameter("limit", .integer, "At most this many.")],
        readOnly: true
    ) { arguments, workspace in
        let limit = arguments.integer("limit")
        if let limit, limit < 1 { throw ZeroError(.usage, "limit must be at least 1") }
        return try workspace.ticketListing(spec: arguments.string("spec"), statuses: [.ready]).ready(limit: limit)
    }

    static let blockedTickets = ZeroTool(
        name: "get_blocked_tickets",
        summary: "Pending tickets, each with its block reason or the dependencies it waits for.",
        parameters: [specFilter],
        readOnly: true
    ) { arguments, workspace in
        try workspace.ticketListing(spec: arguments.string("spec"), statuses: [.pending]).blocked()
    }

    static let startWorkSession = ZeroTool(
        name: "start_work_session",
        summary:
            "Start (or resume) a ticket's work session and return its context: steps, acceptance criteria, files it may change, "
            + "what its dependencies delivered. Without ticket, starts the next ready one.",
        parameters: [
            ToolParameter("ticket", .string, "Ticket: case id or unique prefix. Omit to take the next ready ticket."),
            ToolParameter("spec", .string, "Without ticket: take the next ready ticket of this specification."),
        ]
    ) { arguments, workspace in
        if let ticket = arguments.string("ticket") {
            try refuse(["spec"], in: arguments, unlessFor: "a given ticket")
            return try workspace.startWork(ticket)
        }
        return try workspace.startNextWork(spec: arguments.string("spec"))
    }

    enum WorkAction: String, CaseIterable {
        case progress, pause, resume, block, unblock
    }

    static let progressFields = ["done", "files", "criteria", "tests", "discoveries", "note"]

    static let actionWorkSession = ZeroTool(
        name: "action_work_session",
        summary:
            "Act on a ticket's work session: record progress (steps done, files, criteria, tests, discoveries, note), "
            + "pause, resume, block with a reason, or unblock.",
        parameters: [
            ticket,
            ToolParameter("action", .choice(WorkAction.allCases.map(\.rawValue)), "What to do.", required: true),
            ToolParameter("done", .integers, "progress: steps (1-based) now done."),
            ToolParameter("files", .strings, "progress: action:path, action created, modified, deleted or renamed."),
            ToolParameter("criteria", .strings, "progress: N=pass|fail[:evidence] for acceptance criterion N."),
            ToolParameter("tests", .string, "progress: test results, e.g. \"42 passed, 0 failed\"."),
            ToolParameter("discoveries", .strings, "progress: things learned that the plan did not know."),
            ToolParameter("note", .string, "progress: a short note."),
            ToolParameter("reason", .string, "block: what blocks it."),
        ]
    ) { arguments, workspace in
        let ticket = try arguments.required("ticket")
        guard let action = arguments.choice("action", as: WorkAction.self) else { throw ZeroError(.usage, "action is required") }
        if action != .progress { try refuse(progressFields, in: arguments, unlessFor: "action \(action.rawValue)") }
        if action != .block { try refuse(["reason"], in: arguments, unlessFor: "action \(action.rawValue)") }
        let session = SessionReference(caseReference: ticket, number: nil)
        switch action {
        case .progress:
            var input = WorkProgress()
            input.progress.doneSteps = arguments.integers("done")
            input.progress.files = try arguments.strings("files").map(WorkProgress.file)
            input.progress.discoveries = arguments.strings("discoveries")
            input.progress.note = arguments.string("note")
            input.tests = arguments.string("tests")
            input.criteria = try arguments.strings("criteria").map(WorkProgress.criterion)
            return try workspace.recordWork(ticket, input)
        case .pause:
            return try workspace.pauseSession(session)
        case .resume:
            return try workspace.resumeSession(session)
        case .block:
            guard let reason = arguments.string("reason") else {
                throw ZeroError(.usage, "action block needs a reason", hint: "say what blocks it in 'reason'")
            }
            return try workspace.blockCase(ticket, reason: reason)
        case .unblock:
            return try workspace.unblockCase(ticket)
        }
    }

    static let completeWorkSession = ZeroTool(
        name: "complete_work_session",
        summary: "Complete a ticket's work session with a summary of what was delivered; returns the ticket and the tickets it unlocked.",
        parameters: [
            ticket,
            ToolParameter("summary", .string, "What was delivered; its first line becomes the case's summary.", required: true),
            ToolParameter("actual_hours", .number, "Hours it took."),
            ToolParameter("validation", .string, "Checks that ran: name=result pairs, comma-separated (tests=pass,lint=pass)."),
        ]
    ) { arguments, workspace in
        try workspace.completeWork(
            try arguments.required("ticket"), summary: try arguments.required("summary"), actualHours: arguments.number("actual_hours"),
            validation: try WorkProgress.validation(arguments.string("validation") ?? ""))
    }
}
