/// The eleven states of a case (DESIGN §3.1).
public enum CaseState: String, CaseIterable, Sendable, Codable {
    case open = "OPEN"
    case investigating = "INVESTIGATING"
    case implementing = "IMPLEMENTING"
    case verifying = "VERIFYING"
    case resolved = "RESOLVED"
    case nonIssue = "NON_ISSUE"
    case blocked = "BLOCKED"
    case needsUserInput = "NEEDS_USER_INPUT"
    case wontFix = "WONT_FIX"
    case watchlist = "WATCHLIST"
    case compressed = "COMPRESSED"

    /// OPEN, INVESTIGATING, IMPLEMENTING and VERIFYING: work can still happen.
    public var isOpen: Bool {
        switch self {
        case .open, .investigating, .implementing, .verifying: true
        default: false
        }
    }

    /// Accepts `RESOLVED`, `resolved` and `non-issue` spellings.
    public init?(loose text: String) {
        let normalized = text.uppercased().replacing("-", with: "_")
        self.init(rawValue: normalized)
    }
}

/// What must hold before a case transition may happen.
public enum CaseGate: Equatable, Sendable {
    case none
    /// Only an operator may make it.
    case `operator`
    /// An operator's diff review, or `gates.diff_review: auto`.
    case diffReview
    /// At least one verified proof and an outcome.
    case verifiedProof
    /// Only back to the state the case had before (BLOCKED, NEEDS_USER_INPUT).
    case previousState
}

/// One row of the case transition table.
public struct CaseTransition: Equatable, Sendable {
    public var from: CaseState
    public var to: CaseState
    public var gate: CaseGate
    public var trigger: String
}

extension CaseState {
    /// The table of DESIGN §3.1, expanded to one row per (from, to) pair.
    /// "Back to the previous state" rows are listed for every open state and
    /// checked against `previous_state` by `transition(to:previous:)`.
    public static let transitions: [CaseTransition] = {
        var rows: [CaseTransition] = [
            CaseTransition(from: .open, to: .investigating, gate: .none, trigger: "a planning or investigating session is created"),
            CaseTransition(from: .investigating, to: .implementing, gate: .operator, trigger: "an operator approves a plan"),
            CaseTransition(from: .implementing, to: .verifying, gate: .diffReview, trigger: "an operator accepts a complete implementing session"),
            CaseTransition(from: .verifying, to: .implementing, gate: .none, trigger: "verification rejected, or a new implementing session"),
            CaseTransition(from: .verifying, to: .resolved, gate: .verifiedProof, trigger: "resolve with an outcome"),
            CaseTransition(from: .investigating, to: .nonIssue, gate: .verifiedProof, trigger: "resolve as not a defect"),
            CaseTransition(from: .resolved, to: .watchlist, gate: .none, trigger: "keep watching"),
            CaseTransition(from: .watchlist, to: .open, gate: .none, trigger: "reopen"),
            CaseTransition(from: .resolved, to: .compressed, gate: .none, trigger: "archive with a summary"),
            CaseTransition(from: .nonIssue, to: .compressed, gate: .none, trigger: "archive with a summary"),
            CaseTransition(from: .implementing, to: .needsUserInput, gate: .none, trigger: "an agent asks a question"),
            CaseTransition(from: .verifying, to: .needsUserInput, gate: .none, trigger: "an agent asks a question"),
            CaseTransition(from: .needsUserInput, to: .implementing, gate: .previousState, trigger: "the question is answered"),
            CaseTransition(from: .needsUserInput, to: .verifying, gate: .previousState, trigger: "the question is answered"),
        ]
        for state in CaseState.allCases where state.isOpen {
            rows.append(CaseTransition(from: state, to: .blocked, gate: .none, trigger: "block with a reason"))
            rows.append(CaseTransition(from: .blocked, to: state, gate: .previousState, trigger: "unblock"))
            rows.append(CaseTransition(from: state, to: .wontFix, gate: .operator, trigger: "won't fix, with a reason"))
        }
        return rows
    }()

    /// The row that allows moving from `self` to `target`, or nil when the
    /// table has none. `previous` is the case's `previous_state`.
    public func transition(to target: CaseState, previous: CaseState?) -> CaseTransition? {
        guard let row = Self.transitions.first(where: { $0.from == self && $0.to == target }) else { return nil }
        if row.gate == .previousState, previous != target { return nil }
        return row
    }

    /// Where this state may go, for hints in error messages.
    public func legalTargets(previous: CaseState?) -> [CaseState] {
        CaseState.allCases.filter { transition(to: $0, previous: previous) != nil }
    }
}
