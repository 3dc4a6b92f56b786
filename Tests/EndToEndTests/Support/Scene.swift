import Foundation
import Testing
import ZeroTestSupport

/// A git command that Zero's hooks refused (a pre-commit, commit-msg or pre-push gate).
struct Refused: Error, CustomStringConvertible {
    var command: String
    var stderr: String
    var description: String { "\(command) refused: \(stderr)" }
}

/// A repository where an agent tries something, with Zero's hooks on or off.
/// Hooks off means every git command runs with ZERO_HOOKS=0, as an agent
/// that skips them would: then only the replay (`zero check`) stands.
final class Scene: @unchecked Sendable {
    let repo: TemporaryRepository
    /// Whether the hooks run during the attack; setup always runs with them.
    var hooks = true
    /// The gated case: IMPLEMENTING, S001 planning approved by Ada, S002 implementing, executing here.
    var id = ""
    /// The trust root: HEAD when the setup ended.
    var base = ""
    /// The commit the attack says is the offending one.
    var offending: String?
    var short: String { String(id.prefix(8)) }
    /// Ada's SSH key when the setup turned signed mode on.
    var operatorKey: String?

    init(_ repo: TemporaryRepository) { self.repo = repo }

    /// More variables for every command (SSH_AUTH_SOCK for an agent).
    var extraEnvironment: [String: String] = [:]

    var environment: [String: String] { extraEnvironment.merging(hooks ? [:] : ["ZERO_HOOKS": "0"]) { $1 } }

    // MARK: Running things

    /// Runs git; a failure whose stderr comes from a Zero gate throws `Refused`, any other failure throws.
    @discardableResult
    func git(_ arguments: String..., input: String? = nil) throws -> String {
        try git(arguments, input: input)
    }

    @discardableResult
    func git(_ arguments: [String], input: String? = nil) throws -> String {
        let result = try repo.run(["git"] + arguments, environment: environment, stdin: input)
        if result.status != 0 {
            if result.stderr.contains("zero: ") { throw Refused(command: "git " + arguments.joined(separator: " "), stderr: result.stderr) }
            throw ProcessFailure(command: "git " + arguments.joined(separator: " "), status: result.status, output: result.stderr + result.stdout)
        }
        return result.stdout
    }

    /// Runs zero; a non-zero exit throws `Refused` (the CLI refused it).
    @discardableResult
    func zero(_ arguments: String...) throws -> String {
        let result = try repo.run([Zero.binary] + arguments, environment: environment)
        guard result.status == 0 else { throw Refused(command: "zero " + arguments.joined(separator: " "), stderr: result.stderr) }
        return result.stdout
    }

    /// A setup step: it must succeed (setup is honest).
    @discardableResult
    func zeroSetup(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try repo.run([Zero.binary] + arguments, environment: extraEnvironment)
        #expect(result.status == 0, "zero \(arguments.joined(separator: " ")) → \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Runs zero and returns the result without judging it.
    func zeroResult(_ arguments: String...) throws -> ProcessResult {
        try repo.run([Zero.binary] + arguments, environment: environment)
    }

    /// `git commit`. With hooks off, an agent that knows the rules types the
    /// trailers the commit-msg hook would have added, so the replay judges the
    /// commit on its merits, not only on missing trailers.
    func commit(_ arguments: String...) throws {
        try git(["commit", "-q"] + arguments + handTypedTrailers(arguments))
    }

    /// Stages everything and commits it.
    func commitAll(_ message: String, _ extra: String...) throws {
        try git("add", "-A")
        try git(["commit", "-q", "-m", message] + extra + handTypedTrailers([message] + extra))
    }

    private func handTypedTrailers(_ arguments: [String]) -> [String] {
        let skipping = !hooks || arguments.contains("--no-verify")
        guard skipping, !arguments.contains(where: { $0.contains("Zero-Case:") }),
            let pointer = try? String(contentsOfFile: repo.path(".git/zero/active-session"), encoding: .utf8)
        else { return [] }
        let parts = pointer.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "/")
        guard parts.count == 2 else { return [] }
        return ["--trailer", "Zero-Case: \(parts[0])", "--trailer", "Zero-Session: \(parts[1])"]
    }

    func head() throws -> String { try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Marks HEAD as the commit the replay must name.
    func markOffending() throws { offending = try head() }

    // MARK: Files

    func write(_ path: String, _ text: String) throws { try repo.write(path, text) }
    func read(_ path: String) throws -> String { try repo.read(path) }

    /// Rewrites a file by hand, as an agent with a shell would.
    func edit(_ path: String, _ change: (String) -> String) throws {
        try write(path, change(try read(path)))
    }

    var caseFolder: String { "zero-memory/cases/\(id)" }
    var metaPath: String { caseFolder + "/meta.yaml" }
    func sessionPath(_ number: Int) -> String { caseFolder + "/sessions/" + String(format: "%03d.md", number) }

    /// The proofs of the case: (markdown path, artifact path).
    func proofs() throws -> [(md: String, artifact: String)] {
        let folder = repo.path(caseFolder + "/proofs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".md") }.sorted().map { name in
            let stem = String(name.dropLast(3))
            let artifact = names.first { $0.hasPrefix(stem + ".") && $0 != name } ?? stem + ".log"
            return (caseFolder + "/proofs/" + name, caseFolder + "/proofs/" + artifact)
        }
    }

    // MARK: Forgeries an agent writes by hand

    /// Marks a proof verified by `by`, without the command.
    func forgeVerification(_ proofFile: String, by: String) throws {
        try edit(proofFile) { $0.replacingOccurrences(of: "verified: false", with: "verified: true\nverified_by: \(by)\nverified_at: 2026-11-24T10:00:00Z") }
    }

    /// Moves the case to VERIFYING with a diff review of session 2 by `by`.
    func forgeDiffReview(by: String) throws {
        try edit(metaPath) {
            $0.replacingOccurrences(of: "state: IMPLEMENTING", with: "state: VERIFYING")
                .replacingOccurrences(of: "session_count:", with: "diff_review: {session: 2, by: \(by), at: 2026-11-24T10:00:00Z}\nsession_count:")
        }
    }

    /// Marks plan_ready session `number` approved by `by`, with the hash of its plan as written.
    func forgeApproval(_ number: Int, by: String) throws {
        let sha = try planHash(number)
        try edit(sessionPath(number)) {
            $0.replacingOccurrences(of: "state: plan_ready", with: "state: approved\nplan_sha256: \(sha)\napproved_by: \(by)\napproved_at: 2026-11-24T10:00:00Z")
        }
    }

    /// Completes session 2 and submits a planning session 3 (scope lib/**), as the agent.
    func planAgain() throws {
        try zero("session", "complete", id)
        try zero("session", "new", id, "--type", "planning")
        try zero("session", "plan", id, "--step", "rewrite lib", "--scope", "lib/**")
    }

    // MARK: Who acts

    func actAsOperator() throws {
        try repo.actAs(name: "Ada", email: "ada@example.com")
        if let operatorKey { try repo.git("config", "user.signingkey", operatorKey) }
    }

    func actAsAgent() throws {
        try repo.actAs(name: "Agent", email: "agent@example.com")
        _ = try? repo.git("config", "--unset", "user.signingkey")
    }

    /// Makes session `number` of the case the active one here, as `zero session start` records it.
    func activate(_ number: Int) throws {
        try FileManager.default.createDirectory(atPath: repo.path(".git/zero"), withIntermediateDirectories: true)
        try "\(id)/\(number)\n".write(toFile: repo.path(".git/zero/active-session"), atomically: true, encoding: .utf8)
    }

    /// The commit that started session 2 (where it was still executing).
    func sessionStartCommit() throws -> String {
        try git("log", "--format=%H", "--grep=session 2 started", "-1").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A bare repository beside this one as `origin`, with main pushed (and its default branch known when `setHead`).
    @discardableResult
    func addRemote(pushMain: Bool = true, setHead: Bool = true) throws -> String {
        let remote = repo.root + "-remote.git"
        try repo.git("init", "-q", "--bare", remote)
        try repo.git("remote", "add", "origin", remote)
        if pushMain {
            let pushed = try repo.run(["git", "push", "-q", "origin", "main"], environment: environment)
            #expect(pushed.status == 0, "\(pushed.stderr)")
            try repo.git("fetch", "-q", "origin")
            if setHead { try repo.git("remote", "set-head", "origin", "main") }
        }
        return remote
    }

    /// The agent works without an active session (as a rogue agent would).
    func clearActiveSession() {
        try? FileManager.default.removeItem(atPath: repo.path(".git/zero/active-session"))
    }

    // MARK: Honest starting points

    /// Adopted; a case whose plan (scope `src/**`) Ada approved; an implementing
    /// session executing here; all committed. Ends acting as the agent.
    /// With `viaAgent`, the operator's private key is added to the ssh-agent at
    /// `SSH_AUTH_SOCK` and removed from disk; `user.signingkey` names the public half.
    func gated(signed: Bool = false, viaAgent: Bool = false, reusingKey: String? = nil) throws {
        try zeroSetup("init")
        if signed {
            let key = reusingKey ?? repo.home + "/ada-key"
            if reusingKey == nil {
                #expect(try repo.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ada", "-f", key]).status == 0)
            }
            let publicKey = try String(contentsOfFile: key + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            try write("zero-memory/allowed_signers", "ada@example.com \(publicKey)\n")
            try edit("zero-memory/config.yaml") { $0.replacingOccurrences(of: "require_signed_approvals: false", with: "require_signed_approvals: true") }
            operatorKey = key
            if viaAgent {
                let added = try repo.run(["ssh-add", "-q", key], environment: extraEnvironment)
                #expect(added.status == 0, "ssh-add: \(added.stderr)")
                try FileManager.default.removeItem(atPath: key)
                operatorKey = key + ".pub"
            }
            try actAsOperator()
        }
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "adopt zero")
        id = try #require(field(try JSONSerialization.jsonObject(with: Data(try zeroSetup("case", "new", "fix the app", "--json").utf8)), "id") as? String)
        try actAsAgent()
        try zeroSetup("session", "new", id, "--type", "planning")
        try zeroSetup("session", "plan", id, "--hypothesis", "h", "--step", "change src/app.txt", "--scope", "src/**")
        try actAsOperator()
        try zeroSetup("session", "approve", id, "--yes")
        try actAsAgent()
        try zeroSetup("session", "new", id, "--type", "implementing", "--start")
        try repo.git("add", "zero-memory")
        try repo.git("commit", "-qm", "zero: plan approved, session 2 started")
        base = try head()
    }

    /// Gated, then an approved code commit, a passing proof and the session complete.
    func completed(signed: Bool = false) throws {
        try gated(signed: signed)
        try write("src/app.txt", "fixed\n")
        try repo.git("commit", "-qam", "fix the app")
        try zeroSetup("proof", "run", id, "--", "sh", "-c", "echo '3 passed, 0 failed'")
        try zeroSetup("session", "complete", id, "--output", "fixed")
        try repo.git("add", "zero-memory")
        try repo.git("commit", "-qm", "zero: session complete")
        base = try head()
    }

    /// Completed, and Ada accepted the diff (VERIFYING).
    func verifying(signed: Bool = false) throws {
        try completed(signed: signed)
        try actAsOperator()
        try zeroSetup("session", "accept", id)
        try actAsAgent()
        try repo.git("add", "zero-memory")
        try repo.git("commit", "-qm", "zero: diff accepted")
        base = try head()
    }

    /// Verifying, and Ada verified the proof and resolved the case.
    func resolved(signed: Bool = false) throws {
        try verifying(signed: signed)
        try actAsOperator()
        let proof = try #require(try proofs().first)
        let proofID = String(proof.md.split(separator: "/").last!.prefix(8))
        try zeroSetup("proof", "verify", id, proofID)
        try zeroSetup("case", "resolve", id, "--outcome", "ConfirmedCodeBug", "--root-cause", "r", "--fix", "f")
        try actAsAgent()
        try repo.git("add", "zero-memory")
        try repo.git("commit", "-qm", "zero: resolved")
        base = try head()
    }

    /// The hash an approval of session `number`'s plan, as written now, binds to.
    func planHash(_ number: Int) throws -> String {
        let json = try JSONSerialization.jsonObject(with: Data(try zero("session", "show", "\(id)/\(number)", "--json").utf8))
        return try #require(field(json, "plan_hash") as? String)
    }

    /// The findings of `zero check --range base..HEAD` (or `range`), with its exit status.
    func check(_ range: String? = nil) throws -> (status: Int32, findings: [[String: Any]], stderr: String) {
        let result = try repo.run([Zero.binary, "check", "--range", range ?? "\(base)..HEAD", "--json"])
        let json = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return (result.status, (field(json, "findings") as? [[String: Any]]) ?? [], result.stderr)
    }
}
