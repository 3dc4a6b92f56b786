import ZeroGit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An act DESIGN reserves to operators that leaves a mark in a file, as the
/// canonical statement its SSH signature covers (signed mode). The statement
/// names the act, the case, the session, a digest of what was approved or
/// verified, who and when; changing any of them breaks the signature.
public struct OperatorAct: Equatable, Sendable {
    public enum Kind: String, Sendable {
        case approvePlan = "approve-plan"
        case acceptDiff = "accept-diff"
        case verifyProof = "verify-proof"
        /// Resolve or close as a non-issue: the final classification.
        case resolve
        case wontFix = "wont-fix"
        /// A specification's approval and its completion (the "case" is the specification).
        case approveSpec = "approve-spec"
        case completeSpec = "complete-spec"
    }

    public var kind: Kind
    public var caseID: String
    public var session: Int?
    /// What the act is about: a plan hash, a session seal, a proof's digest, …
    public var digest: String
    /// `Name <email>` as written into the file.
    public var by: String
    public var at: Timestamp
    /// What else the act is bound to: the approved session's type (an investigation's
    /// approval must not turn into a plan's).
    public var detail: String?

    public init(_ kind: Kind, caseID: String, session: Int?, digest: String, by: String, at: Timestamp, detail: String? = nil) {
        self.kind = kind
        self.caseID = caseID
        self.session = session
        self.digest = digest
        self.by = by
        self.at = at
        self.detail = detail
    }

    /// The exact bytes that are signed, one `key: value` line each in a fixed
    /// order. `workspace` (the config's `workspace_id`) ties the act to this
    /// repository: a case copied from another one brings acts that fail here.
    public func statement(workspace: String) -> String {
        """
        zero operator act 1
        workspace: \(workspace)
        act: \(kind.rawValue)
        case: \(caseID)
        session: \(session.map(String.init) ?? "-")
        detail: \(detail ?? "-")
        digest: \(digest)
        by: \(by)
        at: \(at)

        """
    }

    /// The email in `Name <email>` (or the whole text when it has no brackets).
    public static func email(of by: String) -> String {
        guard let open = by.lastIndex(of: "<"), let close = by.lastIndex(of: ">"), open < close else {
            return by.trimming(" ")
        }
        return String(by[by.index(after: open)..<close]).trimming(" ")
    }

    public var email: String { Self.email(of: by) }
}

extension Proof {
    /// What a verification's signature covers: the proof, its artifact and exit
    /// code, and the reason a failing proof was accepted.
    public var verificationDigest: String {
        Digest.sha256("proof \(id)\nartifact_sha256 \(artifactSHA256 ?? "-")\nexit_code \(exitCode.map(String.init) ?? "-")\naccepted_failing \(acceptedFailing ?? "-")\n")
    }
}

/// SSH signatures as memory files keep them: the armored signature's base64 on one line.
enum SSHSignature {
    static let begin = "-----BEGIN SSH SIGNATURE-----"
    static let end = "-----END SSH SIGNATURE-----"
    /// The namespace Zero's signatures are made in (git's own commits use "git").
    static let namespace = "zero"

    static func line(fromArmored text: String) -> String? {
        let lines = text.split(separator: "\n").map { String($0).trimming(" \r") }
        guard let first = lines.firstIndex(of: begin), let last = lines.firstIndex(of: end), first < last else { return nil }
        let body = lines[(first + 1)..<last].joined()
        return body.isEmpty ? nil : body
    }

    static func armored(_ line: String) -> String {
        var text = begin + "\n"
        var rest = Substring(line)
        while !rest.isEmpty {
            text += rest.prefix(70) + "\n"
            rest = rest.dropFirst(70)
        }
        return text + end + "\n"
    }

    /// ssh-keygen from the system's own folders, never from PATH: a repository
    /// can put things on PATH (node_modules/.bin, direnv), and a fake that
    /// exits 0 must not turn forgeries into verified acts.
    static let program: String? = ["/usr/bin/ssh-keygen", "/bin/ssh-keygen", "/usr/local/bin/ssh-keygen", "/opt/homebrew/bin/ssh-keygen"]
        .first { access($0, X_OK) == 0 }

    static func requireProgram() throws -> String {
        guard let program else {
            throw ZeroError(
                .internal, "ssh-keygen is not installed in /usr/bin, /bin or /usr/local/bin; signed acts cannot be made or checked",
                hint: "install OpenSSH's client (Debian: apt-get install openssh-client)")
        }
        return program
    }

    /// Runs `body` with a private temporary folder, removed afterwards.
    static func withTemporaryFolder<T>(in given: String? = nil, _ body: (String) throws -> T) throws -> T {
        let base = given ?? "/tmp"
        var template = Array((base + "/zero-ssh-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw FileSystem.ioError("cannot create a temporary folder in", base) }
        let folder = String(cString: made)
        defer { try? FileSystem.removeTree(folder) }
        return try body(folder)
    }

    /// Checks `signature` (armored) over `data` for `principal` against git's
    /// allowed-signers format; nil when good, else what is wrong.
    static func verify(_ signature: String, data: [UInt8], principal: String, allowedSigners: [UInt8], namespace: String) throws -> String? {
        try withTemporaryFolder { folder in
            try FileSystem.writeAtomically(allowedSigners, to: folder + "/allowed_signers")
            try FileSystem.writeAtomically(signature, to: folder + "/signature")
            let output = try GitCommand.runProgram(
                [
                    try requireProgram(), "-Y", "verify", "-f", folder + "/allowed_signers", "-I", principal,
                    "-n", namespace, "-s", folder + "/signature",
                ], input: data)
            // Both the status and ssh-keygen's own words for a good signature of this principal.
            let said = String(decoding: output.stdout, as: UTF8.self)
            if output.status == 0, said.hasPrefix("Good \"\(namespace)\" signature for \(principal) ") { return nil }
            let reason = output.stderr.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).last.map { String($0).trimming(" ") } ?? ""
            return "the signature does not verify for \(principal) in the namespace \"\(namespace)\"" + (reason.isEmpty ? "" : " (\(reason))")
        }
    }
}

/// Signs operator acts with the operator's SSH key, the way git signs commits:
/// `user.signingkey` is a key file, a public key whose private half is in
/// ssh-agent, or `key::<public key>`. A FIDO key (`sk-ssh-ed25519`) asks for
/// a touch on every act.
public struct ActSigner: Sendable {
    /// `user.signingkey` as configured (`~/` already expanded).
    public var key: String
    /// Where ssh-keygen's inputs are written for a moment (TMPDIR); /tmp when nil.
    public var temporaryBase: String?

    public init(key: String, temporaryBase: String? = nil) {
        self.key = key
        self.temporaryBase = temporaryBase
    }

    /// The line of base64 to write into the file.
    public func sign(_ act: OperatorAct, workspace: String) throws -> String {
        try SSHSignature.withTemporaryFolder(in: temporaryBase) { folder in
            var keyFile = key
            if key.hasPrefix("key::") {
                keyFile = folder + "/key.pub"
                try FileSystem.writeAtomically(String(key.dropFirst(5)) + "\n", to: keyFile)
            } else if key.hasPrefix("ssh-") || key.hasPrefix("sk-ssh-") || key.hasPrefix("ecdsa-") || key.hasPrefix("sk-ecdsa-") {
                // git accepts a bare public key too.
                keyFile = folder + "/key.pub"
                try FileSystem.writeAtomically(key + "\n", to: keyFile)
            }
            let output = try GitCommand.runProgram(
                [try SSHSignature.requireProgram(), "-Y", "sign", "-n", SSHSignature.namespace, "-f", keyFile],
                input: Array(act.statement(workspace: workspace).utf8))
            guard output.status == 0, let line = SSHSignature.line(fromArmored: String(decoding: output.stdout, as: UTF8.self)) else {
                let reason = output.stderr.split(separator: "\n").last.map(String.init) ?? "ssh-keygen failed"
                throw ZeroError(
                    .signatureRequired, "cannot sign the \(act.kind.rawValue) act with \(key): \(reason)",
                    hint: "signed mode needs your SSH key: set 'git config user.signingkey <key file, or key::<public key> with ssh-agent>'")
            }
            return line
        }
    }
}
