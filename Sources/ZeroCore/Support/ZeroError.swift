/// The one error type of Zero: what went wrong, how to fix it, and where.
///
/// The CLI maps `code` to an exit status and the server to an HTTP status, so
/// a rule that refuses something is written once and reported the same way
/// on every surface.
public struct ZeroError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable, CaseIterable {
        /// A gate refused the action, or `check` found violations.
        case refused
        /// The command was used wrongly: bad id, missing option.
        case usage
        /// A memory file does not parse, or an ended record was edited.
        case malformed
        /// No such case, session, proof or spec.
        case notFound
        /// Already exists, or the state conflicts with the request.
        case conflict
        /// Another process holds the lock.
        case busy
        /// A bug or an environment failure.
        case `internal`

        /// The process exit status of DESIGN §6.1.
        public var exitCode: Int32 {
            switch self {
            case .refused: 1
            case .usage: 64
            case .malformed: 65
            case .notFound: 66
            case .conflict: 73
            case .busy: 75
            case .internal: 70
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

    static func refused(_ message: String, hint: String? = nil) -> ZeroError { ZeroError(.refused, message, hint: hint) }
    static func usage(_ message: String, hint: String? = nil) -> ZeroError { ZeroError(.usage, message, hint: hint) }
    static func notFound(_ message: String, hint: String? = nil) -> ZeroError { ZeroError(.notFound, message, hint: hint) }
    static func conflict(_ message: String, hint: String? = nil) -> ZeroError { ZeroError(.conflict, message, hint: hint) }
    static func malformed(_ message: String, file: String, line: Int? = nil, hint: String? = nil) -> ZeroError {
        ZeroError(.malformed, message, hint: hint ?? "fix the file by hand, or restore it with 'git checkout -- \(file)'",
                  file: file, line: line)
    }
}
