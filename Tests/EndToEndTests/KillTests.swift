import Foundation
import Testing
import ZeroTestSupport

/// Mutating commands SIGKILLed at random instants (DESIGN §9): after each kill
/// every file parses, the next command works and finishes what was left, and
/// `zero doctor --fix` leaves a workspace in which meta and sessions agree and
/// every change a command reported as done is still there.
///
/// `make test` runs a short version; `make soak` sets ZERO_SOAK_TRIALS=1000.
/// ZERO_SOAK_SUMMARY names a file that receives one JSON line of counts.
@Suite(.serialized) struct KillTests {
    static var trials: Int { ProcessInfo.processInfo.environment["ZERO_SOAK_TRIALS"].flatMap(Int.init) ?? 40 }

    /// What one killed command left behind, judged before anything repairs it.
    enum Left: String, CaseIterable {
        case nothing = "nothing (killed before its first write)"
        case finished = "everything (it finished before the kill)"
        case intent = "a complete intent record (the next command finishes it)"
        case temporary = "only temporary files (nothing changed)"
        case refused = "a refusal (the command's own check said no)"
    }

    @Test(
        "SIGKILL at random instants: every file parses, the next command works, doctor --fix makes it whole, nothing reported done is lost",
        .temporaryRepository)
    func randomKills() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init", "--no-hooks")
        let id = try #require(field(try repo.zeroJSON("case", "new", "under fire"), "id") as? String)
        try repo.zeroOK("session", "new", id, "--type", "investigating", "--start")
        // Seeded, so the choices of a run (not the timer's luck) replay: ZERO_SOAK_SEED.
        let seed = ProcessInfo.processInfo.environment["ZERO_SOAK_SEED"].flatMap(UInt64.init) ?? 20261124
        var random = SplitMix(seed: seed)
        var counter = 0
        var left: [Left: Int] = [:]
        var byCommand: [String: Int] = [:]
        var killedAt: [String: Int] = [:]
        var kept: [(what: String, check: String)] = [] // done and reported: must stay
        var created: [String] = []
        let zeroEnvironment = ["ZERO_LEFTOVER_AGE": "0"]

        func commandPool() -> [(name: String, arguments: [String], mark: String)] {
            counter += 1
            let mark = "m\(counter)"
            var pool: [(String, [String], String)] = [
                ("case edit", ["case", "edit", id, "--tag", mark], mark),
                ("session progress", ["session", "progress", id, "--note", "note \(mark)", "--discovery", "found \(mark)"], "found \(mark)"),
                ("proof add", ["proof", "add", id, "--type", "operator-note", "--note", "proof \(mark)", "--summary", "summary \(mark)"], "summary \(mark)"),
                ("proof run", ["proof", "run", id, "--summary", "run \(mark)", "--", "echo", mark], "run \(mark)"),
                ("session new", ["session", "new", id, "--type", "investigating", "--start"], ""),
                ("session abandon", ["session", "abandon", id, "--reason", "again \(mark)"], ""),
                ("case new", ["case", "new", "made \(mark)"], ""),
            ]
            if let last = created.last { pool.append(("case delete", ["case", "delete", last, "--yes"], "")) }
            return pool
        }

        func intentPending() -> Bool {
            let cases = repo.path("zero-memory/cases")
            return ((try? FileManager.default.contentsOfDirectory(atPath: cases)) ?? []).contains {
                FileManager.default.fileExists(atPath: cases + "/" + $0 + "/.intent")
            }
        }

        func doctorFindings() throws -> (status: Int32, findings: [[String: Any]]) {
            let result = try repo.run([Zero.binary, "doctor", "--json"], environment: zeroEnvironment)
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
            return (result.status, (field(json, "findings") as? [[String: Any]]) ?? [])
        }

        for trial in 0..<Self.trials {
            let pool = commandPool()
            let pick = pool[Int.random(in: 0..<pool.count, using: &random)]
            byCommand[pick.name, default: 0] += 1
            let before = try repo.snapshot()
            // Half the kills come from a timer, 0–40 ms (from before the binary
            // starts to after it has written everything); half land exactly
            // after the n-th file-system step of the command (ZERO_KILL_AT_STEP).
            let delay = Double(Int.random(in: 0...40, using: &random)) / 1000
            let step = Int.random(in: 1...12, using: &random)
            let byTimer = trial % 2 == 1
            let run =
                byTimer
                ? try repo.run(["timeout", "-s", "KILL", String(format: "%.3f", delay), Zero.binary] + pick.arguments)
                : try repo.run([Zero.binary] + pick.arguments, environment: ["ZERO_KILL_AT_STEP": String(step)])
            let killed = run.status == 137 || run.status == 124 || run.status == 9 // 9: ended by the signal itself
            if killed { killedAt[byTimer ? "timer" : "step \(step)", default: 0] += 1 }
            // Right after the kill, before anything repairs: every file parses.
            let (_, findings) = try doctorFindings()
            let unreadable = findings.filter { $0["problem"] as? String == "unreadable" }
            #expect(unreadable.isEmpty, "trial \(trial): \(pick.arguments) killed (\(byTimer ? "at \(delay)s" : "step \(step)")) left \(unreadable)")
            let pending = intentPending()
            let outcome: Left
            if !killed {
                outcome = run.status == 0 ? .finished : .refused
                #expect(run.status != 65 && run.status != 70, "trial \(trial): \(pick.arguments) → \(run.status): \(run.stderr)")
                if run.status == 0 {
                    if !pick.mark.isEmpty { kept.append((pick.name, pick.mark)) }
                    if pick.name == "case new", let made = run.stdout.split(separator: " ").dropFirst().first {
                        created.append(try resolve(repo, String(made)))
                    }
                    if pick.name == "case delete" { created.removeLast() }
                }
            } else if pending {
                outcome = .intent
            } else if try repo.snapshot() == before {
                outcome = .nothing
            } else {
                let changed = try changedPaths(before, try repo.snapshot())
                outcome = changed.allSatisfy({ $0.contains(".tmp-") || $0.contains("/.new-") || $0.hasSuffix("/.lock") }) ? .temporary : .finished
            }
            left[outcome, default: 0] += 1
            // Repair: half the time the next command finishes the case's change, half the time doctor --fix.
            if trial % 2 == 0 {
                let next = try repo.run([Zero.binary, "case", "show", id])
                #expect(next.status == 0, "trial \(trial): case show after the kill: \(next.stderr)")
                let edit = try repo.run([Zero.binary, "case", "edit", id, "--priority", trial % 4 == 0 ? "high" : "medium"])
                #expect(edit.status == 0, "trial \(trial): the next command after the kill: \(edit.stderr)")
            }
            let fix = try repo.run([Zero.binary, "doctor", "--fix"], environment: zeroEnvironment)
            #expect(fix.status == 0, "trial \(trial): doctor --fix after \(pick.arguments) (\(byTimer ? "at \(delay)s" : "step \(step)")): \(fix.stdout)\(fix.stderr)")
            let (status, after) = try doctorFindings()
            #expect(status == 0 && after.isEmpty, "trial \(trial): still out of order after --fix: \(after)")
            #expect(!intentPending())
            if pick.name == "case new" || pick.name == "case delete" {
                created = try casesMade(repo, except: id)
            }
        }
        // Every change that was reported done is still in the files.
        let all = try repo.snapshot().values.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
        for item in kept {
            #expect(all.contains(item.check), "\(item.what) reported done, but '\(item.check)' is gone")
        }
        try repo.zeroOK("case", "show", id)
        let summary: [String: Any] = [
            "trials": Self.trials,
            "seed": seed,
            "left": Dictionary(uniqueKeysWithValues: left.map { ($0.key.rawValue, $0.value) }),
            "commands": byCommand,
            "done_and_kept": kept.count,
            "killed_at": killedAt,
        ]
        print("kill trials:", String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self))
        if let path = ProcessInfo.processInfo.environment["ZERO_SOAK_SUMMARY"] {
            try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
        }
        #expect(
            left[.intent, default: 0] > 0 && left[.temporary, default: 0] > 0 || Self.trials < 20,
            "kills must land between the writes of a command, or the harness tests nothing: \(left)")
    }

    private func resolve(_ repo: TemporaryRepository, _ short: String) throws -> String {
        try #require(try FileManager.default.contentsOfDirectory(atPath: repo.path("zero-memory/cases")).first { $0.hasPrefix(short) })
    }

    private func casesMade(_ repo: TemporaryRepository, except id: String) throws -> [String] {
        let list = try #require(try repo.zeroJSON("case", "list") as? [[String: Any]])
        return list.compactMap { $0["id"] as? String }.filter { $0 != id }
    }

    private func changedPaths(_ before: [String: Data], _ after: [String: Data]) throws -> [String] {
        Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
    }
}
