/// Who runs a command: the git identity of the repository (`user.name`, `user.email`).
public struct Actor: Equatable, Sendable, CustomStringConvertible {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    /// `Ada <ada@example.com>`, the form written into memory files.
    public var description: String { name.isEmpty ? "<\(email)>" : "\(name) <\(email)>" }
}

/// What the core needs from the world, passed in instead of read from globals,
/// so tests can fix the clock and the CLI, server and MCP share one core.
public struct Environment: Sendable {
    /// The current time.
    public var now: @Sendable () -> Timestamp
    /// How old a leftover of a stopped command must be before `zero doctor --fix`
    /// takes it for abandoned (younger ones may belong to a command still running).
    public var leftoverAge = 60
    /// `ZERO_NOW`-style fixed time for reproducible runs; nil for the real clock.
    public init(now: @escaping @Sendable () -> Timestamp = { Timestamp.now() }) {
        self.now = now
    }

    /// The real clock, or the time in `ZERO_NOW` (used by tests and golden files).
    public static func live(variables: [String: String]) throws -> Environment {
        var environment = Environment()
        if let fixed = variables["ZERO_NOW"] {
            guard let time = Timestamp(fixed) else {
                throw ZeroError(.usage, "ZERO_NOW must be a UTC time like 2026-04-21T14:22:00Z, not '\(fixed)'")
            }
            environment = Environment(now: { time })
        }
        if let age = variables["ZERO_LEFTOVER_AGE"] {
            guard let seconds = Int(age), seconds >= 0 else { throw ZeroError(.usage, "ZERO_LEFTOVER_AGE must be a number of seconds, not '\(age)'") }
            environment.leftoverAge = seconds
        }
        return environment
    }
}
