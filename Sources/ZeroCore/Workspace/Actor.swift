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

/// Who acts, as a face established it: the CLI from the repository's git
/// config, the server from the token's owner, a test from a fixed value.
public struct Identity: Equatable, Sendable {
    public var actor: Actor
    /// The SSH key operator acts are signed with in signed mode (git's
    /// `user.signingkey` forms: a key file, `key::<public key>`, a bare public key).
    public var signingKey: String?

    public init(_ actor: Actor, signingKey: String? = nil) {
        self.actor = actor
        self.signingKey = signingKey
    }

    /// `user.name`, `user.email` and `user.signingkey` of the repository at
    /// `root` (its local, global and system config, as git reads them).
    public static func gitConfig(root: String) throws -> Identity {
        let repository = try Repository.discover(from: root)
        guard let email = try repository.configString("user.email"), !email.isEmpty else {
            throw ZeroError(
                .usage, "git user.email is not set, so zero cannot tell who you are",
                hint: "run 'git config user.email you@example.com'")
        }
        let name = try repository.configString("user.name") ?? ""
        let key = try repository.configString("user.signingkey").flatMap { $0.isEmpty ? nil : $0 }
        return Identity(Actor(name: name, email: email), signingKey: key)
    }
}

/// What the core needs from the world, passed in instead of read from
/// globals: the clock, who acts, the variables and folder a command runs in.
/// The CLI builds it from its process (`live`); the server builds one per
/// request for the caller; tests fix every part. Nothing in ZeroCore reads
/// the process's environment, current folder or git identity by itself.
public struct Environment: Sendable {
    /// The current time.
    public var now: @Sendable () -> Timestamp
    /// Who acts, asked only by commands that record or check an actor (it may
    /// load libgit2). Given the work tree's top.
    public var identity: @Sendable (_ root: String) throws -> Identity
    /// Environment variables, as the face was given them (GIT_DIR, HOME, TMPDIR, ...).
    public var variables: [String: String]
    /// The folder relative paths are taken from.
    public var currentFolder: String
    /// How old a leftover of a stopped command must be before `zero doctor --fix`
    /// takes it for abandoned (younger ones may belong to a command still running).
    public var leftoverAge = 60
    /// How long to wait for a busy case lock before giving up (exit 75).
    public var lockTimeoutMilliseconds = 10_000
    /// A pause between reading a ticket's claim and writing a new one, as a
    /// slow network makes it: race tests set it so that two processes both
    /// read before either writes, and the compare-and-swap alone decides.
    public var claimPauseMilliseconds = 0

    /// Defaults for library use: the real clock, the git config's identity, no
    /// variables, the root folder.
    public init(
        now: @escaping @Sendable () -> Timestamp = { Timestamp.now() },
        identity: @escaping @Sendable (_ root: String) throws -> Identity = { try Identity.gitConfig(root: $0) },
        variables: [String: String] = [:], currentFolder: String = "/"
    ) {
        self.now = now
        self.identity = identity
        self.variables = variables
        self.currentFolder = currentFolder
    }

    /// For a process: its variables and folder; the real clock or `ZERO_NOW`;
    /// `ZERO_LEFTOVER_AGE`, `ZERO_LOCK_TIMEOUT_MS` and `ZERO_CLAIM_PAUSE_MS`;
    /// the identity of git config.
    public static func live(variables: [String: String], currentFolder: String) throws -> Environment {
        var environment = Environment(variables: variables, currentFolder: currentFolder)
        if let fixed = variables["ZERO_NOW"] {
            guard let time = Timestamp(fixed) else {
                throw ZeroError(.usage, "ZERO_NOW must be a UTC time like 2026-04-21T14:22:00Z, not '\(fixed)'")
            }
            environment.now = { time }
        }
        if let age = variables["ZERO_LEFTOVER_AGE"] {
            guard let seconds = Int(age), seconds >= 0 else { throw ZeroError(.usage, "ZERO_LEFTOVER_AGE must be a number of seconds, not '\(age)'") }
            environment.leftoverAge = seconds
        }
        if let raw = variables["ZERO_LOCK_TIMEOUT_MS"] {
            guard let milliseconds = Int(raw), milliseconds >= 0 else {
                throw ZeroError(.usage, "ZERO_LOCK_TIMEOUT_MS must be a number of milliseconds, not '\(raw)'")
            }
            environment.lockTimeoutMilliseconds = milliseconds
        }
        if let raw = variables["ZERO_CLAIM_PAUSE_MS"] {
            guard let milliseconds = Int(raw), (0...60_000).contains(milliseconds) else {
                throw ZeroError(.usage, "ZERO_CLAIM_PAUSE_MS must be a number of milliseconds up to 60000, not '\(raw)'")
            }
            environment.claimPauseMilliseconds = milliseconds
        }
        return environment
    }

    /// A variable, nil when unset or empty (as git treats GIT_DIR="").
    public func variable(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// `path` made absolute against the current folder.
    public func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : currentFolder + "/" + path
    }

    /// `~/x` with HOME from the variables.
    func expandingHome(_ path: String) -> String {
        guard path.hasPrefix("~/"), let home = variable("HOME") else { return path }
        return home + path.dropFirst()
    }
}
