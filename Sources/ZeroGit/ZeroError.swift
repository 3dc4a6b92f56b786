/// The one error type of Zero: what went wrong, how to fix it, and where.
///
/// Every face maps `code` once: the CLI to an exit status (`exitCode`), the
/// HTTP server to a status (`httpStatus`), MCP to a tool error carrying the
/// same hint. A rule that refuses something is written once, in ZeroCore, and
/// reported the same way everywhere. It lives in ZeroGit, the lowest layer,
/// so that git failures become Zero errors where they happen (see
/// `GitFailure`), not at each call site above.
public struct ZeroError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Why an action did not happen, fine enough for HTTP. The raw values are
    /// the `code` of `--json` errors and of the API.
    public enum Code: String, Sendable, CaseIterable, Codable {
        /// The command was used wrongly: bad id, missing or conflicting options.
        case usage
        /// A memory file does not parse, or an ended record was edited.
        case malformed
        /// No such case, session, proof or spec.
        case notFound = "not_found"
        /// The thing to create exists already.
        case alreadyExists = "already_exists"
        /// The state machine does not allow this move from the current state.
        case illegalTransition = "illegal_transition"
        /// The request conflicts with what changed meanwhile (a plan edited
        /// while reviewed, a proof verified twice, a file in the way).
        case conflict
        /// Only an operator may do this.
        case notOperator = "not_operator"
        /// The move needs proof that was verified and passed, or proof failed its check.
        case needsProof = "needs_proof"
        /// A configured limit is reached (monthly sessions, sessions per case).
        case limitReached = "limit_reached"
        /// Code or an action needs an approved plan, and there is none (or it changed).
        case planNotApproved = "plan_not_approved"
        /// A change lies outside the approved scope.
        case outOfScope = "out_of_scope"
        /// Signed mode needs a signature this actor cannot make.
        case signatureRequired = "signature_required"
        /// A gate refused a commit or push, or `zero check` found violations.
        case refused
        /// Another process holds the lock.
        case busy
        /// git or libgit2 cannot be used here: missing, wrong version, not owned, unsupported repository.
        case gitUnavailable = "git_unavailable"
        /// A bug or an environment failure.
        case `internal`

        /// The process exit status (the README's table, DESIGN §6.1): 1 for a
        /// rule that refused, 73 for a state that does not allow the request.
        public var exitCode: Int32 {
            switch self {
            case .refused, .notOperator, .needsProof, .limitReached, .planNotApproved, .outOfScope, .signatureRequired: 1
            case .usage: 64
            case .malformed: 65
            case .notFound: 66
            case .alreadyExists, .illegalTransition, .conflict: 73
            case .busy: 75
            case .gitUnavailable, .internal: 70
            }
        }

        /// The HTTP status the API answers with.
        public var httpStatus: Int {
            switch self {
            case .usage: 400
            case .notOperator, .signatureRequired: 403
            case .notFound: 404
            case .alreadyExists, .conflict, .busy: 409
            case .illegalTransition, .needsProof, .planNotApproved, .outOfScope, .refused, .malformed: 422
            case .limitReached: 429
            case .gitUnavailable, .internal: 500
            }
        }
    }

    public var code: Code
    public var message: String
    public var hint: String?
    /// The file the error is about, relative to the work tree when possible.
    public var file: String?
    public var line: Int?

    public init(_ code: Code, _ message: String, hint: String? = nil, file: String? = nil, line: Int? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.file = file
        self.line = line
    }

    /// `what (file:line)`, the first line the CLI prints.
    public var description: String {
        guard let file else { return message }
        if let line { return "\(message) (\(file):\(line))" }
        return "\(message) (\(file))"
    }

    /// `zero: what (file:line)` and, on a second line, `hint: what to do next`:
    /// how every face reports an error to a person or an agent.
    public var report: String {
        var text = "zero: " + description + "\n"
        if let hint, !hint.isEmpty { text += "hint: " + hint + "\n" }
        return text
    }

    public static func usage(_ message: String, hint: String? = nil) -> ZeroError { ZeroError(.usage, message, hint: hint) }
    public static func notFound(_ message: String, hint: String? = nil) -> ZeroError { ZeroError(.notFound, message, hint: hint) }
    public static func conflict(_ message: String, hint: String? = nil) -> ZeroError { ZeroError(.conflict, message, hint: hint) }
    public static func malformed(_ message: String, file: String, line: Int? = nil, hint: String? = nil) -> ZeroError {
        ZeroError(
            .malformed, message, hint: hint ?? "fix the file by hand, or restore it with 'git checkout -- \(file)'",
            file: file, line: line)
    }
}

extension ZeroError: Encodable {
    /// `{"code", "message", "hint", "file", "line"}`, absent values as null.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encode(hint, forKey: .hint)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
    }

    private enum Keys: String, CodingKey { case code, message, hint, file, line }
}
