import Foundation
import Testing
import ZeroTestSupport

@Suite("prime", .serialized)
struct PrimeTests {
    @Test("zero prime briefs an agent in under 1 500 tokens: the ready tickets, then its active ticket's steps and the scope the hook enforces", .temporaryRepository)
    func briefing() throws {
        let repo = try currentRepository()
        let (_, layers) = try makeSpec(repo, waves: 2, width: 3)
        // Many ready tickets with long titles: the briefing still lists five and stays short.
        for index in 0..<40 {
            try repo.zeroOK("case", "new", "an extra ticket with a long title to fill the list, number \(index) of forty", "--type", "ticket")
        }
        let idle = try #require(try repo.zeroJSON("prime") as? [String: Any])
        #expect(idle["active"] is NSNull)
        #expect((idle["ready"] as? [Any])?.count == 5)
        #expect(idle["ready_total"] as? Int == 43)
        #expect((idle["next"] as? String)?.hasPrefix("zero work start ") == true)

        try repo.zeroOK("hooks", "install")
        let ticket = layers[0][0]
        try repo.zeroOK("work", "start", ticket)
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "zero: work started")
        let working = try #require(try repo.zeroJSON("prime") as? [String: Any])
        #expect(field(working, "active", "case_id") as? String == ticket)
        #expect(field(working, "active", "steps") as? [String] == ["write it", "test it"])
        #expect(field(working, "active", "approved") as? Bool == true)
        let scope = try #require(field(working, "active", "scope") as? [String])
        #expect(scope == ["src/t0-0.txt"])
        #expect((working["next"] as? String)?.hasPrefix("zero work progress \(ticket.prefix(8))") == true)

        // The scope it names is the one the hook enforces.
        try repo.write("src/elsewhere.txt", "x\n")
        try repo.git("add", "src/elsewhere.txt")
        #expect(try repo.run(["git", "commit", "-qm", "outside"]).status != 0)
        try repo.git("reset", "-q")
        try repo.write(scope[0], "inside\n")
        try repo.git("add", scope[0])
        #expect(try repo.run(["git", "commit", "-qm", "inside"]).status == 0)

        // Under 1 500 tokens at a conservative 4 characters each, as text and as JSON.
        let text = try repo.zeroOK("prime").stdout
        let json = try repo.zeroOK("prime", "--json").stdout
        #expect(text.contains("scope: src/t0-0.txt"))
        #expect(text.count < 6_000 && json.count < 6_000, "\(text.count) and \(json.count) characters")
    }
}
