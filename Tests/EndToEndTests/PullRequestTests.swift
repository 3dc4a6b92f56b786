import Foundation
import Testing
import ZeroTestSupport

@Suite(.serialized) struct PullRequestTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/pr-body.md").path

    /// Replaces what differs between runs (random ids, commit hashes) with placeholders.
    static func normalise(_ text: String, caseID: String, proofID: String) -> String {
        var text = text.replacing(caseID, with: "<case-id>").replacing(String(caseID.prefix(8)), with: "<case>")
            .replacing(proofID, with: "<proof>")
        let commit = try! NSRegularExpression(pattern: "`[0-9a-f]{12}` ")
        text = commit.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "`<commit>` ")
        return text
    }

    @Test("zero pr body matches the golden file", .temporaryRepository)
    func body() throws {
        let repo = try currentRepository()
        var clock = 0
        // Every zero command and commit at a fixed time, one minute apart.
        func at() -> [String: String] {
            clock += 1
            let stamp = "2026-04-21T14:\(String(format: "%02d", clock)):00Z"
            return ["ZERO_NOW": stamp, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp]
        }
        func zero(_ arguments: String...) throws -> ProcessResult {
            let result = try repo.run([Zero.binary] + arguments, environment: at())
            #expect(result.status == 0, "zero \(arguments.joined(separator: " ")): \(result.stderr)")
            return result
        }
        func git(_ arguments: String...) throws {
            let result = try repo.run(["git"] + arguments, environment: at())
            #expect(result.status == 0, "git \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        _ = try zero("init")
        try git("add", "-A")
        try git("commit", "-qm", "adopt zero")
        let created = try JSONSerialization.jsonObject(with: Data(try zero("case", "new", "auth timeout on /api/login", "--type", "bug", "--json").stdout.utf8))
        let id = try #require(field(created, "id") as? String)
        _ = try zero("session", "new", id, "--type", "planning")
        _ = try zero(
            "session", "plan", id, "--hypothesis", "JWT expiry uses < instead of <=",
            "--step", "Patch src/app.txt", "--step", "Run the tests", "--scope", "src/**")
        _ = try zero("session", "approve", id)
        _ = try zero("session", "new", id, "--type", "implementing", "--start")
        try git("add", "zero-memory")
        try git("commit", "-qm", "zero: start session 2")
        try repo.write("src/app.txt", "one\ntwo\n")
        try git("commit", "-qam", "fix expiry check")
        let proof = try JSONSerialization.jsonObject(with: Data(try zero("proof", "run", id, "--quiet", "--json", "--", "sh", "-c", "echo 'test result: ok. 47 passed; 0 failed'").stdout.utf8))
        let proofID = try #require(field(proof, "short_id") as? String)
        _ = try zero("session", "complete", id, "--output", "Patched src/app.txt")
        _ = try zero("session", "accept", id)
        _ = try zero("proof", "verify", id, proofID)
        _ = try zero("case", "resolve", id, "--outcome", "ConfirmedCodeBug", "--root-cause", "off-by-one in the expiry check", "--fix", "compare with <=")

        let body = Self.normalise(try zero("pr", "body", String(id.prefix(6))).stdout, caseID: id, proofID: proofID)
        if ProcessInfo.processInfo.environment["ZERO_UPDATE_GOLDEN"] == "1" {
            try body.write(toFile: Self.golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: Self.golden, encoding: .utf8)
        #expect(body == expected)
    }
}
