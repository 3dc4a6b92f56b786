import Testing

@testable import ZeroCore

/// The session memory file published on the product page (seeds/003): Zero
/// must read it and write it back without losing a key, a section or a line.
@Suite struct SeedSessionTests {
    static let example = """
        # Session S002 — implementing
        case_id: 31255233-0c7f-4164-8feb-0dc1b8af28ef
        case_title: auth timeout on /api/login
        session_type: implementing
        state: complete
        started_at: 2026-04-21T14:22:00Z
        completed_at: 2026-04-21T14:38:00Z
        ## Hypothesis
        JWT expiry check uses `<` instead of `<=` — off-by-one causing
        timeouts at exact expiry boundary.
        ## Plan
        - Patch `auth/jwt.rs:142`: change `<` to `<=`
        - Run `cargo test auth`
        ## Execution output
        Patched jwt.rs:142.
        cargo test auth: 47/47 passed (2.3s)
        ## Proof candidates
        - cargo-test-auth-47.txt (47 passed)
        - diff-jwt-142.patch

        """

    @Test func parsesEveryField() throws {
        let session = try Session.parse(Self.example, file: "sessions/002.md")
        #expect(session.number == 2)
        #expect(session.type == .implementing)
        #expect(session.state == .complete)
        #expect(session.caseID == "31255233-0c7f-4164-8feb-0dc1b8af28ef")
        #expect(session.caseTitle == "auth timeout on /api/login")
        #expect(session.startedAt == Timestamp("2026-04-21T14:22:00Z"))
        #expect(session.completedAt == Timestamp("2026-04-21T14:38:00Z"))
        #expect(session.hypothesis == "JWT expiry check uses `<` instead of `<=` — off-by-one causing\ntimeouts at exact expiry boundary.")
        #expect(session.section("Proof candidates") == "- cargo-test-auth-47.txt (47 passed)\n- diff-jwt-142.patch")
    }

    @Test func rewriteLosesNothing() throws {
        let session = try Session.parse(Self.example, file: "sessions/002.md")
        let rewritten = session.render()
        // Every line of the original is still there, in the same order.
        let original = Self.example.split(separator: "\n")
        var remaining = rewritten.split(separator: "\n")[...]
        for line in original {
            guard let found = remaining.firstIndex(of: line) else {
                Issue.record("line lost on rewrite: \(line)")
                continue
            }
            remaining = remaining[(found + 1)...]
        }
        // And it reads back to the same session; a second rewrite is identical.
        let reread = try Session.parse(rewritten, file: "sessions/002.md")
        #expect(reread == session)
        #expect(reread.render() == rewritten)
    }
}
