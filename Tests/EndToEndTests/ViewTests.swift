import Foundation
import Testing
import ZeroTestSupport

/// The read commands print views ZeroCore computes: what waits for an operator
/// is data (an action and its ids, not a command line), absent values are
/// null rather than missing keys, and an agent's memory includes global/.
@Suite struct ViewTests {
    @Test("status, usage, memory and diff as JSON: stable keys, data not command strings", .temporaryRepository)
    func views() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init", "--no-hooks")
        try repo.write("zero-memory/global/architecture.md", "# Architecture\n\nOne service.\n")
        let id = try #require(field(try repo.zeroJSON("case", "new", "t"), "id") as? String)
        try repo.zeroOK("session", "new", id, "--type", "planning")
        try repo.zeroOK("session", "plan", id, "--step", "do it", "--scope", "src/**")

        let status = try #require(try repo.zeroJSON("status") as? [String: Any])
        let waiting = try #require(status["awaiting_operator"] as? [[String: Any]])
        #expect(waiting.count == 1)
        #expect(waiting.first?["action"] as? String == "approve_plan")
        #expect(waiting.first?["case_id"] as? String == id)
        #expect(waiting.first?["session"] as? Int == 1)
        #expect(waiting.first?["proof"] is NSNull, "absent values are null, not missing keys")
        #expect(status["active"] is NSNull)
        #expect(try repo.zeroOK("status").stdout.contains("zero session approve \(id.prefix(8))"), "the text names the command")

        let usage = try #require(try repo.zeroJSON("usage") as? [String: Any])
        #expect(usage["remaining"] is NSNull, "no limit: remaining is null")
        #expect((usage["by_type"] as? [String: Int])?["planning"] == 1)

        let memory = try #require(try repo.zeroJSON("case", "memory", id) as? [String: Any])
        let paths = (memory["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(paths.first == "zero-memory/global/architecture.md", "global memory comes first: \(paths)")
        #expect(paths.contains("zero-memory/cases/\(id)/problem-definition.md"))
        #expect(paths.last == "zero-memory/cases/\(id)/sessions/001.md")

        let diff = try #require(try repo.zeroJSON("session", "diff", id) as? [String: Any])
        #expect(diff["session"] as? Int == 1)
        #expect((diff["commits"] as? [Any])?.isEmpty == true)

        let log = try #require(try repo.zeroJSON("case", "log", id) as? [[String: Any]])
        #expect(log.first?["kind"] as? String == "case_created")
        #expect(log.first?["session"] is NSNull)

        let listed = try #require(try repo.zeroJSON("case", "list", "--state", "investigating") as? [[String: Any]])
        #expect(listed.map { $0["id"] as? String } == [id])
        let body = try #require(try repo.zeroJSON("pr", "body", id) as? [String: Any])
        #expect((body["markdown"] as? String)?.contains("t") == true)
        #expect(body["cases"] as? [String] == [id])
    }
}
