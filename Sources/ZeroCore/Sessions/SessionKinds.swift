/// The four session types (DESIGN §3.2).
public enum SessionType: String, CaseIterable, Sendable, Codable {
    /// Forms a hypothesis and a plan; no code changes. Ends when its plan is approved.
    case planning
    /// Looks into the problem; no code changes.
    case investigating
    /// Carries out the case's approved plan: code changes, test runs.
    case implementing
    /// Collects evidence for the proof that resolves the case.
    case verifying

    /// Whether the type writes its own plan for approval (the others inherit the case's).
    public var writesPlan: Bool { self == .planning || self == .investigating }

    /// Whether a case in `state` may start a session of this type (DESIGN §3.2).
    /// `hasApprovedPlan`: the case's approved plan still matches its hash;
    /// `hasCompleteImplementation`: an implementing session of the case is complete.
    public func mayStart(in state: CaseState, hasApprovedPlan: Bool, hasCompleteImplementation: Bool) -> Bool {
        switch self {
        case .planning, .investigating:
            return [.open, .investigating, .implementing, .verifying].contains(state)
        case .implementing:
            return [.implementing, .verifying].contains(state) && hasApprovedPlan
        case .verifying:
            return [.implementing, .verifying].contains(state) && hasCompleteImplementation
        }
    }
}

/// The eight session states.
public enum SessionState: String, CaseIterable, Sendable, Codable {
    case created, planning
    case planReady = "plan_ready"
    case approved, executing, complete, failed, abandoned

    /// complete, failed, abandoned: the file never changes again.
    public var isEnded: Bool { self == .complete || self == .failed || self == .abandoned }

    /// Whether a session of `type` may move from `self` to `target`: the one
    /// table the commands move by (`Session.move(to:)`) and the replay judges
    /// commits by, so no command can make a commit that `zero check` flags.
    public func mayMove(to target: SessionState, type: SessionType) -> Bool {
        if isEnded { return false }
        switch (self, target) {
        case (_, .failed), (_, .abandoned): return true
        case (.created, .planning): return type.writesPlan
        case (.created, .approved): return !type.writesPlan // inherits the case's approved plan
        case (.planning, .planReady): return true
        case (.planReady, .planning): return true // rejected, or being edited
        case (.planReady, .approved): return true
        case (.approved, .executing): return type != .planning
        case (.approved, .complete): return type == .planning // a planning session ends with its approval
        case (.executing, .complete): return true
        case (.approved, .planReady), (.executing, .planReady): return true // its plan was edited
        default: return false
        }
    }
}

/// Files changed and lines added and removed, from the session's linked commits.
public struct DiffStat: Equatable, Sendable, Codable {
    public var files: Int
    public var additions: Int
    public var deletions: Int

    public init(files: Int, additions: Int, deletions: Int) {
        self.files = files
        self.additions = additions
        self.deletions = deletions
    }
}

/// Test counts, parsed from a test run's output.
public struct TestCounts: Equatable, Sendable, Codable {
    public var run: Int
    public var passed: Int
    public var failed: Int

    public init(run: Int, passed: Int, failed: Int) {
        self.run = run
        self.passed = passed
        self.failed = failed
    }
}

extension Session {
    /// The one way a command changes a session's state: allowed only along
    /// `SessionState.mayMove`, else `illegalTransition` with what to do instead.
    mutating func move(to target: SessionState) throws {
        guard state.mayMove(to: target, type: type) else {
            let label = "S" + Timestamp.pad(number, 3)
            var hint = "'zero session show \(caseID.prefix(8))/\(number)' shows where it stands"
            if state == .created, target == .planning, !type.writesPlan {
                hint = "\(type.rawValue) sessions carry out the case's approved plan; write a new plan in a planning session: 'zero session new \(caseID.prefix(8)) --type planning'"
            } else if state.isEnded {
                hint = "\(label) ended; start a new session to continue"
            }
            throw ZeroError(
                .illegalTransition, "\(type.rawValue) session \(label) cannot go from \(state.rawValue) to \(target.rawValue)",
                hint: hint)
        }
        state = target
    }
}
