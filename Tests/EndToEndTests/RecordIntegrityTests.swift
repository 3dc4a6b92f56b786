import Foundation
import Testing
import ZeroTestSupport

/// A case with a planning session that has a plan: every memory file kind is on disk.
private struct PlannedCase {
    let repo: TemporaryRepository
    let id: String
    var folder: String { "zero-memory/cases/\(id)" }
    var meta: String { folder + "/meta.yaml" }
    var session: String { folder + "/sessions/001.md" }

    init(_ repo: TemporaryRepository) throws {
        self.repo = repo
        try repo.zeroOK("init", "--no-hooks")
        id = try #require(field(try repo.zeroJSON("case", "new", "login times out", "--tag", "auth"), "id") as? String)
        try repo.zeroOK("session", "new", id, "--type", "planning", "--start")
        try repo.zeroOK("session", "plan", id, "--hypothesis", "expiry off by one", "--step", "patch the check", "--scope", "src/**")
    }

    func append(_ path: String, _ bytes: [UInt8]) throws {
        let handle = try #require(FileHandle(forWritingAtPath: repo.path(path)))
        handle.seekToEndOfFile()
        handle.write(Data(bytes))
        try handle.close()
    }
}

/// What Zero cannot keep whole it refuses (exit 65, file and line) and never rewrites (DESIGN §9).
@Suite(.serialized) struct RecordIntegrityTests {
    /// One way a file can be damaged by hand, a tool or a crash.
    struct Damage: CustomStringConvertible, Sendable {
        var description: String
        /// The file (relative to the case folder) the error must name, and the line, if any.
        var file: String
        var line: Int?
        var message: String
        var damage: @Sendable (PlannedCaseHandle) throws -> Void
    }

    /// A sendable way for the table to reach the scene.
    struct PlannedCaseHandle: Sendable {
        let root: String
        let id: String
        var folder: String { root + "/zero-memory/cases/\(id)" }
        func text(_ path: String) throws -> String { try String(contentsOfFile: folder + "/" + path, encoding: .utf8) }
        func write(_ path: String, _ text: String) throws { try text.write(toFile: folder + "/" + path, atomically: true, encoding: .utf8) }
        func write(_ path: String, bytes: [UInt8]) throws { try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + path)) }
        func lines(_ path: String) throws -> [Substring] { try text(path).split(separator: "\n", omittingEmptySubsequences: false) }
    }

    static let damages: [Damage] = [
        Damage(description: "a session file cut off inside its header", file: "sessions/001.md", line: nil, message: "cut off") { scene in
            try scene.write("sessions/001.md", try scene.lines("sessions/001.md").prefix(6).joined(separator: "\n") + "\n")
        },
        Damage(description: "a session file cut off in the middle of a line", file: "sessions/001.md", line: nil, message: "cut off") { scene in
            let text = try scene.text("sessions/001.md")
            try scene.write("sessions/001.md", String(text.dropLast(7)))
        },
        Damage(description: "'## Events' twice", file: "sessions/001.md", line: nil, message: "'## Events' appears twice") { scene in
            try scene.write("sessions/001.md", try scene.text("sessions/001.md") + "## Events\n- 2026-04-21T14:22:00Z note second list\n")
        },
        Damage(description: "'## Plan' twice", file: "sessions/001.md", line: nil, message: "'## Plan' appears twice") { scene in
            try scene.write("sessions/001.md", try scene.text("sessions/001.md").replacing("## Events\n", with: "## Plan\nanother plan\n## Events\n"))
        },
        Damage(description: "a key twice in meta.yaml", file: "meta.yaml", line: 20, message: "'title' appears twice") { scene in
            try scene.write("meta.yaml", try scene.text("meta.yaml") + "title: a second title\n")
        },
        Damage(description: "a key twice inside a {…} map", file: "meta.yaml", line: 20, message: "'a' appears twice") { scene in
            try scene.write("meta.yaml", try scene.text("meta.yaml") + "links: {a: 1, b: 2, a: 3}\n")
        },
        Damage(description: "a key twice inside a block map", file: "meta.yaml", line: 21, message: "'a' appears twice") { scene in
            try scene.write("meta.yaml", try scene.text("meta.yaml") + "links:\n  a: 1\n  a: 2\n")
        },
        Damage(description: "invalid UTF-8", file: "sessions/001.md", line: nil, message: "not valid UTF-8") { scene in
            try scene.write(
                "sessions/001.md",
                bytes: Array(try scene.text("sessions/001.md").replacing("expiry off by one", with: "expiry X").utf8)
                    .map { $0 == UInt8(ascii: "X") ? 0xFF : $0 })
        },
        Damage(description: "a header number that disagrees with the file name", file: "sessions/001.md", line: 6, message: "says number 7") { scene in
            try scene.write("sessions/001.md", try scene.text("sessions/001.md").replacing("\nnumber: 1\n", with: "\nnumber: 7\n"))
        },
        Damage(description: "a title that names another session", file: "sessions/001.md", line: 1, message: "the title says S007") { scene in
            try scene.write("sessions/001.md", try scene.text("sessions/001.md").replacing("# Session S001", with: "# Session S007"))
        },
        Damage(description: "a stray copy named 01.md", file: "sessions/01.md", line: nil, message: "two names for one number") { scene in
            try scene.write("sessions/01.md", try scene.text("sessions/001.md"))
        },
        Damage(description: "a stray 1.md claiming the same number", file: "sessions/1.md", line: nil, message: "two names for one number") { scene in
            try scene.write("sessions/1.md", try scene.text("sessions/001.md").replacing("expiry off by one", with: "another session"))
        },
        Damage(description: "meta.yaml is a folder", file: "meta.yaml", line: nil, message: "not a regular file") { scene in
            try FileManager.default.removeItem(atPath: scene.folder + "/meta.yaml")
            try FileManager.default.createDirectory(atPath: scene.folder + "/meta.yaml", withIntermediateDirectories: false)
        },
        Damage(description: "a YAML anchor and alias", file: "meta.yaml", line: 20, message: "anchors") { scene in
            try scene.write("meta.yaml", try scene.text("meta.yaml") + "owner: &who ada\nreviewer: *who\n")
        },
        Damage(description: "a YAML merge key", file: "meta.yaml", line: 20, message: "merge keys") { scene in
            try scene.write("meta.yaml", try scene.text("meta.yaml") + "<<: {state: RESOLVED}\n")
        },
        Damage(description: "meta.yaml cut off in the middle of a line", file: "meta.yaml", line: nil, message: "cut off") { scene in
            try scene.write("meta.yaml", String(try scene.text("meta.yaml").dropLast(4)))
        },
        Damage(description: "a header of 2 MB", file: "meta.yaml", line: nil, message: "limited to") { scene in
            try scene.write("meta.yaml", try scene.text("meta.yaml") + (0..<100_000).map { "k\($0): \(String(repeating: "v", count: 8))\n" }.joined())
        },
        Damage(description: "a session file that is a symlink", file: "sessions/001.md", line: nil, message: "symlink") { scene in
            let copy = scene.root + "-outside-001.md"
            try FileManager.default.moveItem(atPath: scene.folder + "/sessions/001.md", toPath: copy)
            try FileManager.default.createSymbolicLink(atPath: scene.folder + "/sessions/001.md", withDestinationPath: copy)
        },
    ]

    @Test(
        "a file zero cannot keep whole is refused with exit 65, file and line, and nothing is written", .temporaryRepository,
        arguments: damages)
    func refusedAndUntouched(_ damage: Damage) throws {
        let repo = try currentRepository()
        let scene = try PlannedCase(repo)
        try damage.damage(PlannedCaseHandle(root: repo.root, id: scene.id))
        let before = try repo.snapshot()
        for command in [
            ["session", "progress", scene.id, "--note", "more"], ["case", "edit", scene.id, "--tag", "again"],
            ["session", "show", scene.id],
        ] {
            let result = try repo.run([Zero.binary] + command)
            #expect(result.status == 65, "\(command.joined(separator: " ")) → \(result.status): \(result.stderr)")
            #expect(result.stderr.contains(damage.message), "\(result.stderr)")
            let place = "\(scene.folder)/\(damage.file)" + (damage.line.map { ":\($0)" } ?? "")
            #expect(result.stderr.contains(place), "names \(place): \(result.stderr)")
        }
        #expect(try repo.snapshot() == before, "no file changed")
        // The broken case is reported as broken; the others stay usable.
        let other = try #require(field(try repo.zeroJSON("case", "new", "another case"), "id") as? String)
        let broken = try #require(field(try repo.zeroJSON("status"), "broken") as? [[String: Any]])
        #expect(broken.map { $0["id"] as? String } == [scene.id], "\(broken)")
        #expect((broken.first?["error"] as? [String: Any])?["file"] as? String == "\(scene.folder)/\(damage.file)")
        let list = try #require(try repo.zeroJSON("case", "list") as? [[String: Any]])
        #expect(list.contains { $0["id"] as? String == other && $0["state"] as? String == "OPEN" })
        if damage.file == "meta.yaml" {
            #expect(list.contains { $0["id"] as? String == scene.id && $0["state"] as? String == "BROKEN" }, "\(list)")
        }
    }

    @Test(
        "rewriting what did not change writes nothing; comments, unknown keys and hand-added sections survive a real change",
        .temporaryRepository)
    func losslessRewrites() throws {
        let repo = try currentRepository()
        let scene = try PlannedCase(repo)
        // A no-op edit leaves meta.yaml byte for byte (updated_at too).
        let meta = try repo.read(scene.meta)
        try repo.zeroOK("case", "edit", scene.id, "--priority", "medium", "--tag", "auth")
        #expect(try repo.read(scene.meta) == meta)
        // Comments (whole-line, after a value, at the end) and an unknown key stay where they were.
        var hand = meta.replacing("type: bug\n", with: "# what kind of work this is\ntype: bug        # bug feature refactor\n")
        hand += "owner: team-auth  # who answers questions\n# end of the case header\n"
        try repo.write(scene.meta, hand)
        try repo.zeroOK("case", "edit", scene.id, "--tag", "urgent")
        let edited = try repo.read(scene.meta)
        #expect(edited.contains("# what kind of work this is\ntype: bug        # bug feature refactor\n"), "\(edited)")
        #expect(edited.contains("owner: team-auth  # who answers questions\n# end of the case header\n"), "\(edited)")
        #expect(edited.contains("tags: [auth, urgent]"))
        // A section added by hand before '## Events' stays before it after a rewrite.
        let session = try repo.read(scene.session)
        try repo.write(scene.session, session.replacing("## Events\n", with: "## Notes by hand\nkeep me here\n## Events\n"))
        try repo.zeroOK("session", "approve", scene.id, "--yes")
        let rewritten = try repo.read(scene.session)
        let notes = try #require(rewritten.range(of: "## Notes by hand\nkeep me here\n"))
        let events = try #require(rewritten.range(of: "## Events\n"))
        #expect(notes.lowerBound < events.lowerBound, "\(rewritten)")
        #expect(rewritten.contains(" approved "))
    }

    @Test(
        "nothing is read or written through a symlink: a linked case folder, sessions/ or zero-memory/ is refused and the target untouched",
        .temporaryRepository)
    func symlinksRefused() throws {
        let repo = try currentRepository()
        let scene = try PlannedCase(repo)
        let outside = repo.root + "-outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        func linkAside(_ relative: String) throws -> String {
            let target = outside + "/" + UUID().uuidString
            try FileManager.default.moveItem(atPath: repo.path(relative), toPath: target)
            try FileManager.default.createSymbolicLink(atPath: repo.path(relative), withDestinationPath: target)
            return target
        }
        func restore(_ relative: String, from target: String) throws {
            try FileManager.default.removeItem(atPath: repo.path(relative))
            try FileManager.default.moveItem(atPath: target, toPath: repo.path(relative))
        }
        func snapshot(_ folder: String) -> [String: Data] {
            var files: [String: Data] = [:]
            for case let name as String in FileManager.default.enumerator(atPath: folder) ?? FileManager.default.enumerator(atPath: "/")! {
                files[name] = FileManager.default.contents(atPath: folder + "/" + name) ?? Data()
            }
            return files
        }
        for relative in [scene.folder, scene.folder + "/sessions", "zero-memory/cases", "zero-memory"] {
            let target = try linkAside(relative)
            let before = snapshot(target)
            // A new case goes elsewhere when only one case folder is a link, so it is tried only where it must be refused.
            let commands =
                [["session", "progress", scene.id, "--note", "through a link"]]
                + (relative.hasSuffix("/sessions") ? [] : [["case", "edit", scene.id, "--tag", "linked"]])
                + (relative == scene.folder || relative.hasSuffix("/sessions") ? [] : [["case", "new", "through a link"]])
            for command in commands {
                let result = try repo.run([Zero.binary] + command)
                #expect(result.status != 0, "\(relative): \(command.joined(separator: " ")) succeeded")
                #expect(result.stderr.contains("symlink") || result.stderr.contains("no zero workspace"), "\(relative): \(result.stderr)")
            }
            #expect(snapshot(target) == before, "\(relative): the link's target is untouched")
            try restore(relative, from: target)
        }
        // A case folder pointing at a folder that holds no case: no lock file appears there.
        let empty = outside + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let fake = "zero-memory/cases/22222222-2222-4222-8222-222222222222"
        try FileManager.default.createSymbolicLink(atPath: repo.path(fake), withDestinationPath: empty)
        let result = try repo.zero("case", "edit", "22222222", "--tag", "x")
        #expect(result.status == 65, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty).isEmpty)
        // The link is listed as broken and doctor --fix moves it aside (not what it points at).
        let list = try #require(try repo.zeroJSON("case", "list") as? [[String: Any]])
        #expect(list.contains { $0["id"] as? String == "22222222-2222-4222-8222-222222222222" && $0["state"] as? String == "BROKEN" })
        try repo.zeroOK("doctor", "--fix")
        #expect(!FileManager.default.fileExists(atPath: repo.path(fake)))
        #expect(FileManager.default.fileExists(atPath: empty))
    }

    @Test(
        "one broken case never stops the others: list and status exit 0 and name it; --strict exits 65; delete removes a half-made case",
        .temporaryRepository)
    func brokenCaseIsolated() throws {
        let repo = try currentRepository()
        let scene = try PlannedCase(repo)
        let halfMade = "33333333-3333-4333-8333-333333333333"
        try FileManager.default.createDirectory(atPath: repo.path("zero-memory/cases/\(halfMade)"), withIntermediateDirectories: true)
        let list = try repo.zeroOK("case", "list")
        #expect(list.stdout.contains("33333333  BROKEN"), "\(list.stdout)")
        #expect(list.stdout.contains(scene.id.prefix(8)))
        let status = try repo.zeroOK("status")
        #expect(status.stdout.contains("1 broken case"))
        #expect(status.stdout.contains("1 case: INVESTIGATING 1"), "\(status.stdout)")
        #expect(try repo.zero("case", "list", "--strict").status == 65)
        #expect(try repo.zero("status", "--strict").status == 65)
        try repo.zeroOK("case", "delete", "33333333", "--yes")
        #expect(!FileManager.default.fileExists(atPath: repo.path("zero-memory/cases/\(halfMade)")))
        #expect(try repo.zero("case", "list", "--strict").status == 0)
        // A case refused for bad input leaves no folder behind.
        let before = try FileManager.default.contentsOfDirectory(atPath: repo.path("zero-memory/cases")).sorted()
        let refused = try repo.zero("case", "new", "valid title", "--summary", "two\nlines")
        #expect(refused.status == 64)
        #expect(try FileManager.default.contentsOfDirectory(atPath: repo.path("zero-memory/cases")).sorted() == before)
    }

    @Test(
        "zero doctor finds what a kill, a hand edit or a merge left, and --fix repairs it without deleting a record",
        .temporaryRepository)
    func doctorRepairs() throws {
        let repo = try currentRepository()
        let scene = try PlannedCase(repo)
        try repo.zeroOK("session", "abandon", scene.id, "--reason", "start over")
        try repo.zeroOK("session", "new", scene.id, "--type", "investigating", "--start")
        try repo.zeroOK("session", "abandon", scene.id, "--reason", "again")
        let sessions = repo.path(scene.folder + "/sessions")
        // Another branch's session 2, started later, arrived as a second file claiming number 2.
        let second = try repo.read(scene.folder + "/sessions/002.md")
        let later = second.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            line.hasPrefix("started_at: ") ? "started_at: 2099-01-01T00:00:00Z" : String(line)
        }.joined(separator: "\n")
        try later.write(toFile: sessions + "/2.md", atomically: true, encoding: .utf8)
        // latest.md points at the wrong file; a temporary file and an orphan artifact are left over; .gitignore is old.
        try FileManager.default.removeItem(atPath: sessions + "/latest.md")
        try FileManager.default.createSymbolicLink(atPath: sessions + "/latest.md", withDestinationPath: "001.md")
        try "half".write(toFile: sessions + "/.002.md.tmp-1-abc", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: repo.path(scene.folder + "/proofs"), withIntermediateDirectories: true)
        try "output".write(toFile: repo.path(scene.folder + "/proofs/deadbeef.log"), atomically: true, encoding: .utf8)
        try ".lock\n".write(toFile: repo.path("zero-memory/.gitignore"), atomically: true, encoding: .utf8)

        let report = try repo.zero("doctor", "--json")
        #expect(report.status == 65)
        let findings = try #require(field(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)), "findings") as? [[String: Any]])
        let problems = Set(findings.compactMap { $0["problem"] as? String })
        #expect(problems == ["stray-session", "temporary", "orphan-artifact", "gitignore"], "\(findings)")
        #expect(try repo.zero("session", "show", scene.id + "/2").status == 65, "reads refuse the stray before the fix")

        let fixed = try repo.zero("doctor", "--fix")
        #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
        #expect(try repo.zero("doctor").status == 0)
        // Both sessions 2 are kept: the later start became session 3, and latest.md names it.
        let three = try repo.zeroJSON("session", "show", scene.id + "/3")
        #expect(field(three, "started_at") as? String == "2099-01-01T00:00:00Z")
        #expect(try repo.zeroJSON("session", "show", scene.id + "/2") is [String: Any])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: sessions + "/latest.md") == "003.md")
        #expect(field(try repo.zeroJSON("case", "show", scene.id), "case", "session_count") as? Int == 3)
        // Nothing was deleted: the stray and the orphan artifact are in the quarantine.
        let quarantine = try FileManager.default.contentsOfDirectory(atPath: repo.path("zero-memory/.quarantine"))
        #expect(quarantine.contains { $0.contains("sessions__2.md") && !$0.hasSuffix(".why") })
        #expect(quarantine.contains { $0.contains("proofs__deadbeef.log") && !$0.hasSuffix(".why") })
        #expect(try repo.read("zero-memory/.gitignore").contains(".quarantine/"))
        try repo.zeroOK("session", "new", scene.id, "--type", "investigating")
    }
}
