import Foundation
import Testing
import ZeroTestSupport

/// Real `git merge` of branches that touched one case, through the merge
/// driver `zero init` registers (zero-memory/.gitattributes, merge.zero.driver).
@Suite(.serialized) struct MergeTests {
    /// A repository with one committed case, on main.
    struct Scene {
        let repo: TemporaryRepository
        let id: String
        var meta: String { "zero-memory/cases/\(id)/meta.yaml" }
        var sessions: String { "zero-memory/cases/\(id)/sessions" }

        init(_ repo: TemporaryRepository) throws {
            self.repo = repo
            try repo.zeroOK("init", "--no-hooks")
            id = try #require(field(try repo.zeroJSON("case", "new", "merged on two branches"), "id") as? String)
            try repo.git("add", "-A")
            try repo.git("commit", "-qm", "base")
        }

        /// Runs `body` on a new branch from `from`, commits everything, and returns to `back`.
        func onBranch(_ name: String, from: String = "main", _ body: () throws -> Void) throws {
            try repo.git("checkout", "-q", "-b", name, from)
            try body()
            try repo.git("add", "-A")
            try repo.git("commit", "-qm", name)
        }

        func zero(_ arguments: String..., at time: String) throws {
            let result = try repo.run([Zero.binary] + arguments, environment: ["ZERO_NOW": time])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }

        func merge(_ branch: String, into target: String) throws -> ProcessResult {
            try repo.git("checkout", "-q", target)
            return try repo.run(["git", "merge", "--no-edit", branch])
        }
    }

    @Test("meta.yaml merges key by key: tags as a set, the later updated_at, each side's own changes", .temporaryRepository)
    func metaFieldByField() throws {
        let scene = try Scene(try currentRepository())
        try scene.onBranch("left") { try scene.zero("case", "edit", scene.id, "--tag", "alpha", "--priority", "high", at: "2026-11-24T10:00:00Z") }
        try scene.onBranch("right") { try scene.zero("case", "edit", scene.id, "--tag", "beta", "--summary", "from the right", at: "2026-11-24T11:00:00Z") }
        let merged = try scene.merge("right", into: "left")
        #expect(merged.status == 0, "\(merged.stdout)\(merged.stderr)")
        let meta = try scene.repo.read(scene.meta)
        #expect(meta.contains("tags: [alpha, beta]\n"), "\(meta)")
        #expect(meta.contains("priority: high\n"))
        #expect(meta.contains("summary: from the right\n"))
        #expect(meta.contains("updated_at: 2026-11-24T11:00:00Z\n"))
        try scene.repo.zeroOK("doctor")
    }

    @Test("comments the other branch added to meta.yaml survive the merge", .temporaryRepository)
    func theirCommentsKept() throws {
        let scene = try Scene(try currentRepository())
        try scene.onBranch("left") { try scene.zero("case", "edit", scene.id, "--tag", "alpha", at: "2026-11-24T10:00:00Z") }
        try scene.onBranch("right") {
            let meta = try scene.repo.read(scene.meta)
            try scene.repo.write(scene.meta, meta.replacing("priority: medium\n", with: "# why it waits\npriority: medium  # until the release\n") + "# reviewed by Ada\n")
        }
        let merged = try scene.merge("right", into: "left")
        #expect(merged.status == 0, "\(merged.stderr)")
        let meta = try scene.repo.read(scene.meta)
        #expect(meta.contains("# why it waits\npriority: medium  # until the release\n"), "\(meta)")
        #expect(meta.hasSuffix("# reviewed by Ada\n"))
        #expect(meta.contains("tags: [alpha]"))
    }

    @Test("one key set differently on both sides is the only conflict, marked where the key is", .temporaryRepository)
    func metaConflict() throws {
        let scene = try Scene(try currentRepository())
        try scene.onBranch("left") { try scene.zero("case", "edit", scene.id, "--priority", "high", "--tag", "alpha", at: "2026-11-24T10:00:00Z") }
        try scene.onBranch("right") { try scene.zero("case", "edit", scene.id, "--priority", "low", at: "2026-11-24T11:00:00Z") }
        let merged = try scene.merge("right", into: "left")
        #expect(merged.status != 0)
        #expect(merged.stderr.contains("conflict in priority"), "\(merged.stderr)")
        let meta = try scene.repo.read(scene.meta)
        #expect(meta.contains("<<<<<<< ours\npriority: high\n=======\npriority: low\n>>>>>>> theirs\n"), "\(meta)")
        #expect(meta.contains("tags: [alpha]\n"), "the other keys merged")
        #expect(meta.components(separatedBy: "<<<<<<<").count == 2, "one conflict only")
    }

    @Test("a session reported on two branches merges its events as a union in time order", .temporaryRepository)
    func sessionEventsUnion() throws {
        let scene = try Scene(try currentRepository())
        try scene.zero("session", "new", scene.id, "--type", "investigating", "--start", at: "2026-11-24T09:00:00Z")
        try scene.repo.git("add", "-A")
        try scene.repo.git("commit", "-qm", "session")
        try scene.onBranch("left") {
            try scene.zero("session", "progress", scene.id, "--discovery", "left first", at: "2026-11-24T10:00:00Z")
            try scene.zero("session", "progress", scene.id, "--discovery", "left third", at: "2026-11-24T12:00:00Z")
        }
        try scene.onBranch("right") { try scene.zero("session", "progress", scene.id, "--discovery", "right second", at: "2026-11-24T11:00:00Z") }
        let merged = try scene.merge("right", into: "left")
        #expect(merged.status == 0, "\(merged.stdout)\(merged.stderr)")
        let session = try scene.repo.zeroJSON("session", "show", scene.id)
        #expect(field(session, "discoveries") as? [String] == ["left first", "left third", "right second"])
        let times = try #require(field(session, "events") as? [[String: Any]]).compactMap { $0["at"] as? String }
        #expect(times == times.sorted(), "events in time order: \(times)")
        #expect(times.contains("2026-11-24T11:00:00Z") && times.contains("2026-11-24T12:00:00Z"))
        try scene.repo.zeroOK("doctor")
    }

    @Test(
        "both branches add a session under one number: the merge stops, doctor --fix keeps both by start time and stages them",
        .temporaryRepository)
    func twoSessionsOneNumber() throws {
        let scene = try Scene(try currentRepository())
        try scene.onBranch("left") {
            try scene.zero("session", "new", scene.id, "--type", "investigating", at: "2026-11-24T11:00:00Z")
        }
        try scene.onBranch("right") {
            try scene.zero("session", "new", scene.id, "--type", "investigating", at: "2026-11-24T10:00:00Z")
            try scene.zero("session", "abandon", scene.id, "--reason", "done on the right", at: "2026-11-24T10:30:00Z")
        }
        let merged = try scene.merge("right", into: "left")
        #expect(merged.status != 0)
        #expect(merged.stderr.contains("zero doctor --fix"), "\(merged.stderr)")
        let fixed = try scene.repo.zero("doctor", "--fix")
        #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
        #expect(!(try scene.repo.git("diff", "--name-only", "--diff-filter=U")).contains("sessions"), "nothing left unmerged")
        try scene.repo.git("commit", "-qm", "merge right")
        // The earlier start (the right's, abandoned) is 001; the left's open session became 002.
        let first = try scene.repo.zeroJSON("session", "show", scene.id + "/1")
        let second = try scene.repo.zeroJSON("session", "show", scene.id + "/2")
        #expect(field(first, "started_at") as? String == "2026-11-24T10:00:00Z")
        #expect(field(first, "state") as? String == "abandoned")
        #expect(field(second, "started_at") as? String == "2026-11-24T11:00:00Z")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: scene.repo.path(scene.sessions + "/latest.md")) == "002.md")
        #expect(field(try scene.repo.zeroJSON("case", "show", scene.id), "case", "session_count") as? Int == 2)
        try scene.repo.zeroOK("doctor")
        #expect((try scene.repo.git("status", "--porcelain")).isEmpty, "everything was committed")
    }
}
