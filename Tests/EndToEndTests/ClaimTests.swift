import Foundation
import Testing
import ZeroTestSupport

/// A specification of `tickets` ready tickets, committed in the test
/// repository and pushed to a bare repository beside it; clones of that bare
/// repository act as different people. Clones share nothing but the remote.
struct SharedRemote {
    let repo: TemporaryRepository
    let bare: String
    /// How clones reach the bare repository (its folder, or a git:// URL).
    let url: String
    let tickets: [String]

    init(_ repo: TemporaryRepository, tickets count: Int, url: ((String) -> String)? = nil) throws {
        self.repo = repo
        let (_, layers) = try makeSpec(repo, waves: 1, width: count)
        tickets = layers[0]
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "specification")
        bare = repo.root + "-remote.git"
        try repo.git("init", "-q", "--bare", "-b", "main", bare)
        self.url = url?(URL(fileURLWithPath: bare).lastPathComponent) ?? bare
        try repo.git("remote", "add", "origin", self.url)
        try repo.git("push", "-q", "origin", "main")
    }

    /// A fresh clone acting as `name`; returns its folder.
    func clone(_ name: String) throws -> String {
        let folder = repo.root + "-" + name.lowercased()
        try repo.git("clone", "-q", url, folder)
        try repo.git("config", "user.name", name, in: folder)
        try repo.git("config", "user.email", name.lowercased() + "@example.com", in: folder)
        try repo.git("config", "commit.gpgsign", "false", in: folder)
        return folder
    }

    /// The commit the remote's claim ref for `ticket` names; nil when unclaimed.
    func claim(_ ticket: String) throws -> String? {
        let result = try repo.run(["git", "--git-dir", bare, "rev-parse", "--verify", "-q", "refs/zero/claims/" + ticket])
        return result.status == 0 ? result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    func claimMessage(_ ticket: String) throws -> String {
        try repo.git("--git-dir", bare, "log", "-1", "--format=%B", "refs/zero/claims/" + ticket)
    }

    /// `zero <arguments> --json` in `folder`, decoded; nil when it printed no JSON.
    func json(_ folder: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, json: [String: Any]?, stderr: String) {
        let result = try repo.run([Zero.binary] + arguments + ["--json"], in: folder, environment: environment)
        let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return (result.status, object, result.stderr)
    }

    /// The implementing sessions of `ticket` in the clone at `folder`, as their states.
    func implementing(_ folder: String, _ ticket: String) throws -> [String] {
        let result = try repo.run([Zero.binary, "session", "list", ticket, "--json"], in: folder)
        let sessions = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
        return sessions.filter { $0["type"] as? String == "implementing" }.compactMap { $0["state"] as? String }
    }

    /// Runs `zero <arguments>` in each folder at the same time.
    func together(_ runs: [(folder: String, arguments: [String], environment: [String: String])]) throws -> [ProcessResult] {
        try inParallel(
            repo,
            runs.map { run in
                let variables = run.environment.map { "\($0.key)='\($0.value)' " }.joined()
                return "cd '\(run.folder)' && \(variables)'\(Zero.binary)' " + run.arguments.map { "'\($0)'" }.joined(separator: " ")
            })
    }

    /// Two clones race `work start --claim` for each of `rounds` tickets:
    /// exactly one wins, the other exits 73 naming the winner and starts nothing.
    func race(rounds: Int) throws {
        let ada = try clone("Ada"), bob = try clone("Bob")
        var winners: [String: Int] = [:]
        for ticket in tickets.prefix(rounds) {
            // Both pause between deciding and writing, so both decide before either writes.
            let pause = ["ZERO_CLAIM_PAUSE_MS": "150"]
            let results = try together([(ada, ["work", "start", ticket, "--claim"], pause), (bob, ["work", "start", ticket, "--claim"], pause)])
            #expect(results.map(\.status).sorted() == [0, 73], "\(results.map(\.stderr))")
            guard let winnerIndex = results.firstIndex(where: { $0.status == 0 }), let loser = results.first(where: { $0.status == 73 }) else { continue }
            let (winner, loserFolder) = winnerIndex == 0 ? (ada, bob) : (bob, ada)
            let winnerName = winnerIndex == 0 ? "Ada" : "Bob"
            winners[winnerName, default: 0] += 1
            #expect(loser.stderr.contains("is claimed on 'origin' by \(winnerName) <\(winnerName.lowercased())@example.com> ("), "\(loser.stderr)")
            #expect(loser.stderr.contains(":\(winner)) since "), "\(loser.stderr)")
            #expect(try implementing(loserFolder, ticket).isEmpty, "the loser started nothing")
            #expect(try implementing(winner, ticket) == ["executing"])
            #expect(try claimMessage(ticket).contains("Zero-Claim-Path: \(winner)\n"))
        }
        #expect(winners.values.reduce(0, +) == rounds)
    }
}

@Suite("claims across clones", .serialized)
struct ClaimTests {
    @Test("two clones race 'work start --claim' for 10 tickets: one winner each time, the loser exits 73 naming it", .temporaryRepository)
    func raceForOneTicket() throws {
        let shared = try SharedRemote(try currentRepository(), tickets: 10)
        try shared.race(rounds: 10)
    }

    @Test("'work next --claim' skips tickets claimed in another clone and says so when none is left", .temporaryRepository)
    func nextSkipsClaimed() throws {
        let shared = try SharedRemote(try currentRepository(), tickets: 3)
        let ada = try shared.clone("Ada"), bob = try shared.clone("Bob")
        let first = try shared.json(ada, ["work", "next", "--claim"])
        let taken = try #require(field(first.json, "ticket", "id") as? String, "\(first.stderr)")
        #expect(field(first.json, "claim", "created") as? Bool == true)
        let second = try shared.json(bob, ["work", "next", "--claim"])
        let other = try #require(field(second.json, "ticket", "id") as? String, "\(second.stderr)")
        #expect(other != taken)
        #expect(field(second.json, "claim", "claim", "by") as? String == "Bob <bob@example.com>")
        try shared.repo.zeroOK("work", "start", shared.tickets.first { $0 != taken && $0 != other }!, "--claim")
        // Every ready ticket is claimed elsewhere now: nothing starts in Bob's clone.
        let none = try shared.json(bob, ["work", "next", "--claim"])
        #expect(none.status == 66)
        #expect(none.stderr.contains("(2 ready tickets are claimed by other clones)"), "\(none.stderr)")
        #expect(try shared.implementing(bob, taken).isEmpty)
    }

    @Test("--steal-after takes over a stale claim and is refused for a fresh one; two stealers, one winner", .temporaryRepository)
    func stealing() throws {
        let shared = try SharedRemote(try currentRepository(), tickets: 3)
        let ada = try shared.clone("Ada"), bob = try shared.clone("Bob"), carol = try shared.clone("Carol")
        let (stale, fresh, contested) = (shared.tickets[0], shared.tickets[1], shared.tickets[2])
        let long = ["ZERO_NOW": "2020-01-01T00:00:00Z"]
        #expect(try shared.json(bob, ["work", "start", stale, "--claim"], environment: long).status == 0)
        let old = try #require(try shared.claim(stale))
        // Not without --steal-after, then taken over with it.
        let refused = try shared.json(ada, ["work", "start", stale, "--claim"])
        #expect(refused.status == 73)
        #expect(refused.stderr.contains("by Bob <bob@example.com>") && refused.stderr.contains("since 2020-01-01T00:00:00Z"), "\(refused.stderr)")
        let taken = try shared.json(ada, ["work", "start", stale, "--claim", "--steal-after", "1h"])
        #expect(taken.status == 0, "\(taken.stderr)")
        #expect(field(taken.json, "claim", "took_over_from", "by") as? String == "Bob <bob@example.com>")
        let new = try #require(try shared.claim(stale))
        #expect(try shared.repo.git("--git-dir", shared.bare, "log", "-1", "--format=%P", new).trimmingCharacters(in: .whitespacesAndNewlines) == old)
        // Bob finishing his now-stale session leaves Ada's claim alone.
        let done = try shared.json(bob, ["work", "complete", stale, "--summary", "late"])
        #expect(done.status == 0, "\(done.stderr)")
        #expect(field(done.json, "claim", "released") as? Bool == false)
        #expect((field(done.json, "claim", "note") as? String)?.contains("taken over by Ada") == true)
        #expect(try shared.claim(stale) == new)

        // A fresh claim is not taken over.
        #expect(try shared.json(ada, ["work", "start", fresh, "--claim"]).status == 0)
        let young = try shared.json(bob, ["work", "start", fresh, "--claim", "--steal-after", "1h"])
        #expect(young.status == 73)
        #expect(young.stderr.contains("--steal-after 1h takes over only an older claim"), "\(young.stderr)")
        #expect(try shared.implementing(bob, fresh).isEmpty)

        // Two clones take over one stale claim at once: one wins, from exactly the old claim.
        for round in 0..<3 {
            let claimed = try shared.json(bob, ["work", "start", contested, "--claim"], environment: long)
            #expect(claimed.status == 0, "round \(round): \(claimed.stderr)")
            let old = try #require(try shared.claim(contested))
            let steal = ["work", "start", contested, "--claim", "--steal-after", "30m"]
            let pause = ["ZERO_CLAIM_PAUSE_MS": "150"]
            let results = try shared.together([(ada, steal, pause), (carol, steal, pause)])
            #expect(results.map(\.status).sorted() == [0, 73], "round \(round): \(results.map(\.stderr))")
            let winner = results[0].status == 0 ? ada : carol
            let new = try #require(try shared.claim(contested))
            #expect(try shared.claimMessage(contested).contains("Zero-Claim-Path: \(winner)\n"))
            #expect(try shared.repo.git("--git-dir", shared.bare, "log", "-1", "--format=%P", new).trimmingCharacters(in: .whitespacesAndNewlines) == old)
            try shared.repo.zeroOK("work", "release", contested, "--force")
        }
    }

    @Test("'work release' frees a claim for another clone; another clone's claim is released only with --force", .temporaryRepository)
    func releasing() throws {
        let shared = try SharedRemote(try currentRepository(), tickets: 2)
        let ada = try shared.clone("Ada"), bob = try shared.clone("Bob")
        let (first, second) = (shared.tickets[0], shared.tickets[1])
        #expect(try shared.json(ada, ["work", "start", first, "--claim"]).status == 0)
        let notTheirs = try shared.json(bob, ["work", "release", first])
        #expect(notTheirs.status == 73)
        #expect(notTheirs.stderr.contains("by Ada <ada@example.com>") && notTheirs.stderr.contains("not by this clone"), "\(notTheirs.stderr)")
        #expect(try shared.claim(first) != nil)
        #expect(try shared.json(bob, ["work", "start", first, "--claim"]).status == 73)

        let released = try shared.json(ada, ["work", "release", first])
        #expect(released.status == 0, "\(released.stderr)")
        #expect(field(released.json, "released") as? Bool == true)
        #expect(try shared.claim(first) == nil)
        #expect(try shared.json(ada, ["work", "release", first]).status == 66)
        let now = try shared.json(bob, ["work", "start", first, "--claim"])
        #expect(now.status == 0, "\(now.stderr)")
        #expect(try shared.claimMessage(first).contains("Zero-Claim-By: Bob <bob@example.com>"))

        #expect(try shared.json(ada, ["work", "start", second, "--claim"]).status == 0)
        let forced = try shared.json(bob, ["work", "release", second, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(field(forced.json, "forced") as? Bool == true)
        #expect(try shared.claim(second) == nil)
    }

    @Test("'work complete' releases the claim; claims never reach a branch or zero-memory, and 'zero check' passes", .temporaryRepository)
    func completionAndHistory() throws {
        let shared = try SharedRemote(try currentRepository(), tickets: 2)
        let ada = try shared.clone("Ada"), bob = try shared.clone("Bob")
        let (mine, theirs) = (shared.tickets[0], shared.tickets[1])
        #expect(try shared.json(ada, ["work", "start", mine, "--claim"]).status == 0)
        #expect(try shared.json(bob, ["work", "start", theirs, "--claim"]).status == 0)
        let done = try shared.json(ada, ["work", "complete", mine, "--summary", "delivered"])
        #expect(done.status == 0, "\(done.stderr)")
        #expect(field(done.json, "claim", "released") as? Bool == true)
        #expect(try shared.claim(mine) == nil)
        #expect(try shared.claim(theirs) != nil)

        try shared.repo.git("add", "-A", in: ada)
        try shared.repo.git("commit", "-qm", "record", in: ada)
        for folder in [ada, bob] {
            #expect(try !shared.repo.git("log", "--all", "--format=%s%n%b", in: folder).contains("Zero-Claim"))
            #expect(try !shared.repo.git("for-each-ref", in: folder).contains("refs/zero"))
            #expect(try shared.repo.run(["grep", "-r", "Zero-Claim", "zero-memory"], in: folder).status == 1)
        }
        #expect(try !shared.repo.git("--git-dir", shared.bare, "log", "--branches", "--tags", "--format=%s").contains("zero claim"))
        let check = try shared.repo.run([Zero.binary, "check", "--range", "origin/main..HEAD"], in: ada)
        #expect(check.status == 0, "\(check.stderr)\(check.stdout)")
        try shared.repo.git("push", "-q", "origin", "main", in: ada)
        #expect(try shared.repo.git("--git-dir", shared.bare, "for-each-ref", "--format=%(refname)", "refs/zero").contains("refs/zero/claims/\(theirs)"))
    }

    @Test("a claim whose session then cannot start is taken back", .temporaryRepository)
    func claimTakenBack() throws {
        let shared = try SharedRemote(try currentRepository(), tickets: 1)
        let ada = try shared.clone("Ada"), bob = try shared.clone("Bob")
        let ticket = shared.tickets[0]
        // The specification's approval used this month's one session: a limit of one refuses the next.
        let config = ada + "/zero-memory/config.yaml"
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try text.replacingOccurrences(of: "monthly_session_limit: 0", with: "monthly_session_limit: 1").write(toFile: config, atomically: true, encoding: .utf8)
        let refused = try shared.json(ada, ["work", "start", ticket, "--claim"])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(try shared.claim(ticket) == nil)
        #expect(try shared.json(bob, ["work", "start", ticket, "--claim"]).status == 0)
    }

    @Test("claim errors: no remote, an unknown or unreachable one, a bad duration; nothing starts", .temporaryRepository)
    func errors() throws {
        let repo = try currentRepository()
        let (_, layers) = try makeSpec(repo, waves: 1, width: 1)
        let ticket = layers[0][0]
        let noRemote = try repo.zero("work", "start", ticket, "--claim")
        #expect(noRemote.status == 64)
        #expect(noRemote.stderr.contains("no remote 'origin'"), "\(noRemote.stderr)")
        #expect(try repo.zero("work", "start", ticket, "--claim", "--remote", "upstream").status == 66)
        #expect(try repo.zero("work", "start", ticket, "--claim", "--steal-after", "soon").status == 64)
        #expect(try repo.zero("work", "start", ticket, "--remote", "origin").status == 64)
        try repo.git("remote", "add", "origin", "git://127.0.0.1:1/nowhere.git")
        let unreachable = try repo.zero("work", "start", ticket, "--claim")
        #expect(unreachable.status == 70)
        #expect(unreachable.stderr.contains("cannot connect to remote 'origin' (git://127.0.0.1:1/nowhere.git)"), "\(unreachable.stderr)")
        let sessions = try #require(try repo.zeroJSON("session", "list", ticket) as? [[String: Any]])
        #expect(!sessions.contains { $0["type"] as? String == "implementing" })
        // Without --remote and without origin, 'work next --claim' still starts a ticket in this clone alone.
        try repo.git("remote", "remove", "origin")
        #expect(field(try repo.zeroJSON("work", "next", "--claim"), "claim") is NSNull)
    }

    @Test("over git:// (receive-pack): the race, a take-over race and a release", .temporaryRepository)
    func throughTheGitProtocol() throws {
        let repo = try currentRepository()
        let daemon = try GitDaemon(serving: URL(fileURLWithPath: repo.root).deletingLastPathComponent().path)
        defer { daemon.stop() }
        let shared = try SharedRemote(repo, tickets: 6, url: daemon.url)
        try shared.race(rounds: 5)
        let carol = try shared.clone("Carol"), dave = try shared.clone("Dave")
        let ticket = shared.tickets[5]
        #expect(try shared.json(carol, ["work", "start", ticket, "--claim"], environment: ["ZERO_NOW": "2020-01-01T00:00:00Z"]).status == 0)
        let old = try #require(try shared.claim(ticket))
        let steal = ["work", "start", ticket, "--claim", "--steal-after", "1d"]
        let pause = ["ZERO_CLAIM_PAUSE_MS": "150"]
        let results = try shared.together([(shared.repo.root, steal, pause), (dave, steal, pause)])
        #expect(results.map(\.status).sorted() == [0, 73], "\(results.map(\.stderr))")
        let new = try #require(try shared.claim(ticket))
        #expect(try shared.repo.git("--git-dir", shared.bare, "log", "-1", "--format=%P", new).trimmingCharacters(in: .whitespacesAndNewlines) == old)
        let winner = results[0].status == 0 ? shared.repo.root : dave
        #expect(try shared.json(carol, ["work", "release", ticket]).status == 73)
        #expect(try shared.json(winner, ["work", "release", ticket]).status == 0)
        #expect(try shared.claim(ticket) == nil)
    }
}
