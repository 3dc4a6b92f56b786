import ZeroCore

// The read commands: `zero case show|list`, `zero session show|list`,
// `zero proof list`, `zero spec show`.

extension ZeroTool {
    static let get = ZeroTool(
        name: "get",
        summary: "One record: a case (with problem definition, sessions, proofs), a session, or a specification (status, epics, tickets). Give one.",
        parameters: [
            ToolParameter("case", .string, "Case id or unique prefix."),
            ToolParameter("session", .string, "<case>/<number>, or <case> for its open session."),
            ToolParameter("spec", .string, "Specification id or unique prefix."),
        ],
        readOnly: true
    ) { arguments, workspace in
        switch try one(of: ["case", "session", "spec"], in: arguments, tool: "get") {
        case "case": return try workspace.caseDetail(try arguments.required("case"))
        case "session": return try workspace.sessionDetail(try SessionReference(parsing: try arguments.required("session")))
        default: return try workspace.specView(try arguments.required("spec"))
        }
    }

    enum Listing: String, CaseIterable {
        case cases, sessions, proofs
    }

    static let caseFilters = ["state", "tag", "type", "outcome"]

    static let list = ZeroTool(
        name: "list",
        summary: "List cases, oldest first (filter by state, tag, type, outcome), or one case's sessions or proofs.",
        parameters: [
            ToolParameter("what", .choice(Listing.allCases.map(\.rawValue)), "What to list.", required: true),
            ToolParameter("case", .string, "sessions, proofs: the case (id or prefix)."),
            ToolParameter("state", .strings, "cases: only these states (OPEN, IMPLEMENTING, …, or BROKEN)."),
            ToolParameter("tag", .string, "cases: only with this tag."),
            ToolParameter("type", .choice(CaseType.allCases.map(\.rawValue)), "cases: only of this type."),
            ToolParameter("outcome", .choice(Outcome.allCases.map(\.rawValue)), "cases: only with this outcome."),
        ],
        readOnly: true
    ) { arguments, workspace in
        guard let what = arguments.choice("what", as: Listing.self) else { throw ZeroError(.usage, "what is required") }
        guard what == .cases else {
            try refuse(caseFilters, in: arguments, unlessFor: "a list of \(what.rawValue)")
            guard let caseReference = arguments.string("case") else {
                throw ZeroError(.usage, "listing \(what.rawValue) needs 'case'", hint: "give the case id or a unique prefix")
            }
            if what == .sessions { return try workspace.sessionList(caseReference) }
            return try workspace.proofList(caseReference)
        }
        try refuse(["case"], in: arguments, unlessFor: "a list of cases")
        var filter = CaseFilter()
        try filter.addStates(arguments.strings("state"))
        filter.tag = arguments.string("tag")
        filter.type = arguments.choice("type", as: CaseType.self)
        filter.outcome = arguments.choice("outcome", as: Outcome.self)
        return try workspace.caseList(filter)
    }
}
