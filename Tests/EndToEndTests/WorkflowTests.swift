import Foundation
import Testing
import Yams
import ZeroTestSupport

/// `zero pr workflow` as GitHub would run it: a workflow the schema accepts and
/// zizmor finds nothing in, whose steps fetch a pinned Zero, judge the pull
/// request's range and report it, run here one by one with bash.
@Suite(.serialized) struct WorkflowTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// A linter from scripts/install-deps.sh's venv, or else from the PATH.
    static func tool(_ name: String) -> String? {
        let venv = packageRoot + "/.build/tools/venv/bin/" + name
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The printed workflow, its text and its parsed steps.
    struct Workflow {
        let text: String
        let root: Node
        var job: Node { root["jobs"]?["check"] ?? Node("") }
        var steps: [Node] { job["steps"]?.sequence.map(Array.init) ?? [] }

        init(_ repo: TemporaryRepository) throws {
            text = try repo.zeroOK("pr", "workflow").stdout
            root = try #require(try Yams.compose(yaml: text))
        }

        func step(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Node {
            try #require(steps.first { $0["name"]?.string == name }, "no step named \(name)", sourceLocation: sourceLocation)
        }
    }

    /// Runs a step's script the way a GitHub runner does (`bash --noprofile --norc -eo pipefail`).
    static func run(_ step: Node, in repo: TemporaryRepository, environment: [String: String]) throws -> ProcessResult {
        let script = try #require(step["run"]?.string)
        let file = try scratch(repo, "step-\(UUID().uuidString.prefix(8)).sh")
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        return try repo.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", file], environment: environment)
    }

    /// A fresh path next to the repository (removed with it).
    static func scratch(_ repo: TemporaryRepository, _ name: String) throws -> String {
        let base = URL(fileURLWithPath: repo.root).deletingLastPathComponent().appendingPathComponent("runner")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        return base.appendingPathComponent(name).path
    }

    /// A runner's temporary folder and the files its steps write to.
    static func runner(_ repo: TemporaryRepository) throws -> [String: String] {
        let temp = try scratch(repo, "temp-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
        return [
            "RUNNER_TEMP": temp, "GITHUB_OUTPUT": temp + "/output", "GITHUB_PATH": temp + "/path",
            "GITHUB_STEP_SUMMARY": temp + "/summary",
        ]
    }

    @Test("zizmor finds nothing in the workflow and GitHub's workflow schema accepts it", .temporaryRepository)
    func linters() throws {
        let repo = try currentRepository()
        let workflow = try Workflow(repo)
        try repo.write(".github/workflows/zero.yml", workflow.text)
        // Missing linters fail the test: `make test` installs them (scripts/install-deps.sh --test).
        let zizmor = try #require(Self.tool("zizmor"), "zizmor is missing; run scripts/install-deps.sh --test")
        let schema = try #require(Self.tool("check-jsonschema"), "check-jsonschema is missing; run scripts/install-deps.sh --test")
        // pedantic also reports what the default persona keeps quiet, such as
        // a pull request's sha expanded straight into a script.
        let audit = try repo.run([zizmor, "--offline", "--persona", "pedantic", "--no-progress", ".github/workflows/zero.yml"])
        #expect(audit.status == 0, "zizmor: \(audit.stdout)\(audit.stderr)")
        #expect(audit.stdout.contains("No findings"), "\(audit.stdout)")
        let valid = try repo.run([schema, "--builtin-schema", "vendor.github-workflows", ".github/workflows/zero.yml"])
        #expect(valid.status == 0, "check-jsonschema: \(valid.stdout)\(valid.stderr)")
    }

    @Test("every action is pinned to a commit, and no script expands ${{ }} or uses an unset variable", .temporaryRepository)
    func pinnedAndQuoted() throws {
        let workflow = try Workflow(try currentRepository())
        let uses = workflow.text.split(separator: "\n").filter { $0.contains("uses:") }
        #expect(uses.count >= 2)
        for line in uses {
            #expect(line.contains(#/uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/#), "not pinned by sha with its version: \(line)")
        }
        #expect(workflow.root["jobs"]?["check"]?["steps"]?[0]?["with"]?["persist-credentials"]?.bool == false)

        // What the runner provides, and what the workflow, the job and the step define.
        let provided: Set<String> = ["RUNNER_TEMP", "GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_STEP_SUMMARY"]
        func names(_ env: Node?) -> Set<String> { Set(env?.mapping?.keys.compactMap(\.string) ?? []) }
        let outer = names(workflow.root["env"]).union(names(workflow.job["env"])).union(provided)
        for step in workflow.steps {
            guard let script = step["run"]?.string else { continue }
            let name = step["name"]?.string ?? "?"
            #expect(!script.contains("${{"), "step '\(name)' expands an expression into its script")
            let commands = script.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
            #expect(!commands.contains { $0.contains("--branch") }, "step '\(name)': git clone --branch cannot fetch a commit sha")
            let assigned = Set(script.matches(of: #/(?m)^\s*(\w+)=/#).map { String($0.1) })
            let defined = outer.union(names(step["env"])).union(assigned)
            for match in script.matches(of: #/\$\{?([A-Za-z_]\w*)/#) where !defined.contains(String(match.1)) {
                Issue.record("step '\(name)' uses $\(match.1), which nothing sets")
            }
        }
    }

    @Test("zero is built against the runner's libgit2 once per Zero commit, then restored from the cache", .temporaryRepository)
    func cachedBuild() throws {
        let workflow = try Workflow(try currentRepository())
        // The runner's own libgit2-dev (1.7 on ubuntu-24.04), whatever version that is.
        #expect(try workflow.step("Install libgit2")["run"]?.string?.contains("apt-get install -y -q libgit2-dev ") == true)
        #expect(!workflow.text.contains(#/libgit2[- ]?1\.5|\.so\.1\.5/#), "the workflow names libgit2 1.5, which ubuntu-24.04 does not have")
        let restore = try workflow.step("Restore zero from the cache")
        let key = try #require(restore["with"]?["key"]?.string)
        for part in ["runner.os", "runner.arch", "steps.libgit2.outputs.version", "steps.source.outputs.commit"] {
            #expect(key.contains(part), "the cache key lacks \(part): \(key)")
        }
        let save = try workflow.step("Save zero to the cache")
        #expect(save["with"]?["key"]?.string == "${{ steps.cache.outputs.cache-primary-key }}")
        #expect(save["with"]?["path"] == restore["with"]?["path"])
        for name in ["Build zero", "Save zero to the cache"] {
            #expect(try workflow.step(name)["if"]?.string == "steps.cache.outputs.cache-hit != 'true'", "\(name) runs on a cache hit")
        }
    }

    @Test("the source step fetches a full commit sha, a tag or a branch of ZERO_REPOSITORY", .temporaryRepository)
    func fetchesAPinnedZero() throws {
        let repo = try currentRepository()
        let workflow = try Workflow(repo)
        let step = try workflow.step("Fetch Zero's source")
        let first = try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try repo.write("src/app.txt", "two\n")
        try repo.git("commit", "-qam", "second")
        try repo.git("tag", "v1.0.0")
        let tip = try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        // The sha is not the tip of any branch: only a fetch by sha finds it.
        for (ref, expected) in [(first, first), ("v1.0.0", tip), ("main", tip)] {
            var environment = try Self.runner(repo)
            environment["ZERO_REPOSITORY"] = repo.root
            environment["ZERO_REF"] = ref
            let result = try Self.run(step, in: repo, environment: environment)
            #expect(result.status == 0, "ZERO_REF=\(ref): \(result.stderr)")
            let temp = try #require(environment["RUNNER_TEMP"])
            let checkedOut = try repo.git("-C", temp + "/zero", "rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(checkedOut == expected, "ZERO_REF=\(ref)")
            // The cache key is made of this output: the commit, not the name.
            #expect(try String(contentsOfFile: temp + "/output", encoding: .utf8) == "commit=\(expected)\n")
        }
    }

    @Test("the check step judges BASE..MERGE, and the report goes to the step summary", .temporaryRepository)
    func checksThePullRequestRange() throws {
        let repo = try currentRepository()
        let workflow = try Workflow(repo)
        try repo.zeroOK("init", "--no-hooks")
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "adopt zero")
        let base = try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try repo.write("docs/notes.md", "notes\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "docs")
        let clean = try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try repo.write("src/app.txt", "changed without a session\n")
        try repo.git("commit", "-qam", "code without a session")
        let bad = try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)

        let bin = URL(fileURLWithPath: Zero.binary).deletingLastPathComponent().path
        var environment = try Self.runner(repo)
        environment["PATH"] = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        environment["BASE"] = base
        // HEAD is the bad commit: the step must judge MERGE, not what is checked out.
        environment["MERGE"] = clean
        let passes = try Self.run(try workflow.step("Replay the gates over the pull request"), in: repo, environment: environment)
        #expect(passes.status == 0, "\(passes.stderr)")
        environment["MERGE"] = bad
        let fails = try Self.run(try workflow.step("Replay the gates over the pull request"), in: repo, environment: environment)
        #expect(fails.status == 1)
        #expect(fails.stderr.contains(String(bad.prefix(12))), "\(fails.stderr)")

        let report = try Self.run(try workflow.step("Write the proof report"), in: repo, environment: environment)
        #expect(report.status == 0, "\(report.stderr)")
        let summary = try String(contentsOfFile: try #require(environment["GITHUB_STEP_SUMMARY"]), encoding: .utf8)
        #expect(summary.contains("Zero report for \(base)..\(bad)"), "\(summary)")
        #expect(summary.contains("1 finding"), "\(summary)")
    }

    @Test("the comment step updates Zero's earlier comment, and never runs or fails the job for a fork", .temporaryRepository)
    func commentsWithoutFailing() throws {
        let repo = try currentRepository()
        let workflow = try Workflow(repo)
        let step = try workflow.step("Post the proof report on the pull request")
        let condition = try #require(step["if"]?.string)
        #expect(condition.contains("github.event.pull_request.head.repo.full_name == github.repository"))
        #expect(step["continue-on-error"]?.bool == true)
        let script = try #require(step["run"]?.string)
        // The comment is found by the first line of the report zero writes.
        let marker = try #require(try repo.zeroOK("pr", "report", "HEAD..HEAD").stdout.split(separator: "\n").first)
        #expect(script.contains(String(marker)), "the step looks for a marker the report does not start with")

        // A gh that logs its arguments and lists the comments' ids it is given.
        let fake = try Self.scratch(repo, "bin")
        try FileManager.default.createDirectory(atPath: fake, withIntermediateDirectories: true)
        try "#!/bin/sh\necho \"$*\" >> \"$GH_LOG\"\ncase \"$*\" in *--paginate*) printf '%s' \"$GH_IDS\";; esac\n"
            .write(toFile: fake + "/gh", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake + "/gh")
        for (ids, expected) in [("17\n42\n", "api --method PATCH repos/ada/app/issues/comments/42"), ("", "api --method POST repos/ada/app/issues/7/comments")] {
            var environment = try Self.runner(repo)
            let temp = try #require(environment["RUNNER_TEMP"])
            try "\(marker)\nreport\n".write(toFile: temp + "/zero-report.md", atomically: true, encoding: .utf8)
            environment["PATH"] = fake + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            environment["GH_LOG"] = temp + "/gh.log"
            environment["GH_IDS"] = ids
            environment["REPOSITORY"] = "ada/app"
            environment["NUMBER"] = "7"
            let result = try Self.run(step, in: repo, environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            let calls = try String(contentsOfFile: temp + "/gh.log", encoding: .utf8).split(separator: "\n")
            #expect(calls.count == 2, "\(calls)")
            #expect(calls.last == "\(expected) -F body=@\(temp)/zero-report.md", "\(calls)")
        }
    }
}
