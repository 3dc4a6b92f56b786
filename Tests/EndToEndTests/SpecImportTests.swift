import Foundation
import Testing
import ZeroTestSupport

/// `zero spec import`: SpecForge files (JSON and YAML) become a specification,
/// its epics and one ticket per SpecForge ticket, with the dependencies of the
/// file; importing again is idempotent; a bad file writes nothing.
@Suite("spec import", .serialized)
struct SpecImportTests {
    /// These files are about the shapes the importer reads, not good plans (no
    /// requirements): approval is tried with the planning gate off.
    static func withoutPlanningReview(_ repo: TemporaryRepository) throws {
        let config = try repo.read("zero-memory/config.yaml")
        try repo.write("zero-memory/config.yaml", config.replacingOccurrences(of: "require_planning_review: true", with: "require_planning_review: false"))
    }

    /// Two epics; dependencies across them in every form the importer reads:
    /// `requires` by ticketId/targetId, `blocks` by targetId (the other ticket
    /// waits), SpecForge's own `dependsOnId`.
    static let json = """
        {
          "$schema": "https://schema.specforge.tech/schema/v1.0/specforge-schema.json",
          "specforgeVersion": "1.0",
          "project": {"id": "proj_shop", "name": "Shop"},
          "specifications": [
            {
              "id": "spec_shop",
              "title": "Shop backend",
              "description": "Orders and the API in front of them.",
              "goals": ["orders survive restarts", "every call is authenticated"],
              "epics": [
                {
                  "id": "epic_storage",
                  "title": "Storage",
                  "objective": "Orders on disk",
                  "acceptanceCriteria": ["orders persist"],
                  "tickets": [
                    {
                      "id": "t_schema",
                      "title": "Order schema",
                      "priority": "critical",
                      "description": "Tables for orders.",
                      "implementation": {"steps": ["write the schema", "migrate"], "filesToCreate": ["db/schema.sql"]},
                      "acceptanceCriteria": ["the migration runs twice"],
                      "estimatedHours": 3
                    },
                    {
                      "id": "t_repo",
                      "title": "Order repository",
                      "dependencies": [{"ticketId": "t_schema", "type": "requires"}],
                      "implementation": {
                        "steps": ["write the repository"],
                        "filesToCreate": ["src/repo.ts"],
                        "filesToModify": ["src/index.ts"]
                      },
                      "acceptanceCriteria": ["round-trips an order"]
                    },
                    {
                      "id": "t_docs",
                      "title": "API docs",
                      "dependencies": [{"targetId": "t_routes", "type": "requires"}],
                      "implementation": {"steps": ["document the routes"], "filesToModify": ["docs/api.md"]}
                    }
                  ]
                },
                {
                  "id": "epic_api",
                  "title": "API",
                  "description": "Routes and tokens",
                  "tickets": [
                    {
                      "id": "t_auth",
                      "title": "Token check",
                      "priority": "low",
                      "dependencies": [{"targetId": "t_routes", "type": "blocks"}],
                      "implementation": {"steps": ["check the header"], "filesToCreate": ["src/auth.ts"]}
                    },
                    {
                      "id": "t_routes",
                      "title": "Order routes",
                      "dependencies": [{"dependsOnId": "t_repo", "type": "blocks"}],
                      "implementation": {
                        "steps": ["add the routes", "test them"],
                        "filesToCreate": ["src/routes.ts"],
                        "filesToModify": ["src/index.ts"]
                      }
                    }
                  ]
                }
              ]
            }
          ]
        }

        """

    /// The same specification as YAML, written the way people write YAML.
    static let yaml = """
        specforgeVersion: "1.0"
        project: {id: proj_shop, name: Shop}
        specifications:
          - id: spec_shop
            title: Shop backend
            description: Orders and the API in front of them.
            goals:
              - orders survive restarts
              - every call is authenticated
            epics:
              - id: epic_storage
                title: Storage
                objective: Orders on disk
                acceptanceCriteria: [orders persist]
                tickets:
                  - id: t_schema
                    title: Order schema
                    priority: critical
                    description: Tables for orders.
                    implementation:
                      steps:
                        - write the schema
                        - migrate
                      filesToCreate: [db/schema.sql]
                    acceptanceCriteria:
                      - the migration runs twice
                    estimatedHours: 3
                  - id: t_repo
                    title: Order repository
                    dependencies:
                      - ticketId: t_schema
                        type: requires
                    implementation:
                      steps: [write the repository]
                      filesToCreate: [src/repo.ts]
                      filesToModify: [src/index.ts]
                    acceptanceCriteria: [round-trips an order]
                  - id: t_docs
                    title: API docs
                    dependencies: [{targetId: t_routes, type: requires}]
                    implementation:
                      steps: [document the routes]
                      filesToModify: [docs/api.md]
              - id: epic_api
                title: API
                description: Routes and tokens
                tickets:
                  - id: t_auth
                    title: Token check
                    priority: low
                    dependencies:
                      - {targetId: t_routes, type: blocks}
                    implementation:
                      steps: [check the header]
                      filesToCreate: [src/auth.ts]
                  - id: t_routes
                    title: Order routes
                    dependencies:
                      - dependsOnId: t_repo
                        type: blocks
                    implementation:
                      steps:
                        - add the routes
                        - test them
                      filesToCreate: [src/routes.ts]
                      filesToModify: [src/index.ts]

        """

    static let expectedWaves: [Set<String>] = [["t_schema", "t_auth"], ["t_repo"], ["t_routes"], ["t_docs"]]

    /// A workspace with everything committed, so `git status` shows what a command wrote.
    static func workspace(_ repo: TemporaryRepository) throws {
        try repo.zeroOK("init", "--no-hooks")
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "zero init")
    }

    static func importJSON(_ repo: TemporaryRepository, _ file: String) throws -> [String: Any] {
        try #require(try repo.zeroJSON("spec", "import", file) as? [String: Any])
    }

    /// The waves of `spec` as sets of SpecForge ids.
    static func waves(_ repo: TemporaryRepository, spec: String, ids: [String: String]) throws -> [Set<String>] {
        let source = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
        let waves = try #require(field(try repo.zeroJSON("waves", "--spec", spec), "waves") as? [[String: Any]])
        return waves.map { wave in Set((wave["tickets"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? String).flatMap { source[$0] } }) }
    }

    static func memoryStatus(_ repo: TemporaryRepository) throws -> String {
        try repo.git("status", "--porcelain", "--untracked-files=all", "zero-memory")
    }

    static let repositoryProblem = """
        # Order repository
        ## Description
        ## Steps
        1. write the repository
        ## Acceptance criteria
        - [ ] round-trips an order
        ## Files
        - create src/repo.ts
        - modify src/index.ts

        """

    @Test("a SpecForge JSON file becomes a specification whose tickets unlock in waves across epics; zero check passes", .temporaryRepository)
    func importJSONFile() throws {
        let repo = try currentRepository()
        try Self.workspace(repo)
        try repo.write("plan.sf.json", Self.json)
        let result = try Self.importJSON(repo, "plan.sf.json")
        #expect(result["created"] as? Int == 8, "one specification, two epics, five tickets")
        #expect(result["updated"] as? Int == 0)
        let ids = try #require(result["ticket_ids"] as? [String: String])
        #expect(Set(ids.keys) == ["t_schema", "t_repo", "t_docs", "t_auth", "t_routes"])
        let spec = try #require((result["specs"] as? [[String: Any]])?.first?["id"] as? String)

        #expect(try Self.waves(repo, spec: spec, ids: ids) == Self.expectedWaves)
        let ready = try #require(field(try repo.zeroJSON("ready"), "tickets") as? [[String: Any]])
        #expect(Set(ready.compactMap { $0["id"] as? String }) == [ids["t_schema"], ids["t_auth"]])
        #expect(ready.first?["id"] as? String == ids["t_schema"], "critical comes first")

        // The ticket as 'zero case new --type ticket --spec --epic' lays it out.
        #expect(try repo.read("zero-memory/cases/\(ids["t_repo"]!)/problem-definition.md") == Self.repositoryProblem)
        let schemaMeta = try repo.read("zero-memory/cases/\(ids["t_schema"]!)/meta.yaml")
        for line in ["type: ticket", "priority: high", "spec: \(spec)", "epic: 1", "source: specforge:t_schema", "estimate_hours: 3"] {
            #expect(schemaMeta.contains(line + "\n"), "\(line) in \(schemaMeta)")
        }
        #expect(try repo.read("zero-memory/cases/\(ids["t_auth"]!)/meta.yaml").contains("epic: 2\n"))
        let shown = try #require(try repo.zeroJSON("spec", "show", spec) as? [String: Any])
        #expect((shown["epics"] as? [[String: Any]])?.compactMap { $0["title"] as? String } == ["Storage", "API"])
        #expect(shown["goals"] as? String == "- orders survive restarts\n- every call is authenticated")
        #expect(try repo.read("zero-memory/specs/\(spec)/spec.md").contains("source: specforge:spec_shop\n"))

        // The plan file itself is not code Zero judges here: only the records are committed.
        try repo.git("add", "zero-memory")
        try repo.git("commit", "-qm", "import the shop")
        let check = try repo.zero("check", "--range", "HEAD~1..HEAD")
        #expect(check.status == 0, "\(check.stderr)")

        // The file has no requirements: the planning review refuses it as imported. Without that gate, it is approved.
        let reviewed = try repo.zero("spec", "approve", spec)
        #expect(reviewed.status == 1 && reviewed.stderr.contains("planning review"), "\(reviewed.stderr)")
        try Self.withoutPlanningReview(repo)
        // Approved, a ticket's context lists its files as the file gave them.
        try repo.zeroOK("spec", "approve", spec)
        let context = try #require(try repo.zeroJSON("work", "start", ids["t_schema"]!) as? [String: Any])
        let files = (context["files"] as? [[String: Any]])?.map { "\($0["action"] ?? "") \($0["path"] ?? "")" }
        #expect(files == ["create db/schema.sql"])
        #expect((context["steps"] as? [[String: Any]])?.compactMap { $0["text"] as? String } == ["write the schema", "migrate"])
        #expect(context["acceptance_criteria"] as? [String] == ["the migration runs twice"])
    }

    @Test("the same specification as .sf.yaml gives the same result; importing the JSON after it changes nothing", .temporaryRepository)
    func importYAMLFile() throws {
        let repo = try currentRepository()
        try Self.workspace(repo)
        try repo.write("plan.sf.yaml", Self.yaml)
        let result = try Self.importJSON(repo, "plan.sf.yaml")
        #expect(result["created"] as? Int == 8)
        let ids = try #require(result["ticket_ids"] as? [String: String])
        let spec = try #require((result["specs"] as? [[String: Any]])?.first?["id"] as? String)
        #expect(try Self.waves(repo, spec: spec, ids: ids) == Self.expectedWaves)
        #expect(try repo.read("zero-memory/cases/\(ids["t_repo"]!)/problem-definition.md") == Self.repositoryProblem)

        // The JSON is the same specification: matched by its ids, nothing differs.
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "import the yaml")
        try repo.write("plan.sf.json", Self.json)
        let again = try Self.importJSON(repo, "plan.sf.json")
        #expect(again["created"] as? Int == 0)
        #expect(again["updated"] as? Int == 0, "\(again)")
        #expect(again["unchanged"] as? Int == 8)
        #expect(again["ticket_ids"] as? [String: String] == ids)
        #expect(try Self.memoryStatus(repo) == "")
    }

    @Test("importing again creates nothing; a changed file updates and adds, keeps what it dropped, and may not change a started ticket", .temporaryRepository)
    func reimport() throws {
        let repo = try currentRepository()
        try Self.workspace(repo)
        try repo.write("plan.sf.yaml", Self.yaml)
        let first = try Self.importJSON(repo, "plan.sf.yaml")
        let ids = try #require(first["ticket_ids"] as? [String: String])
        let spec = try #require((first["specs"] as? [[String: Any]])?.first?["id"] as? String)
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "import")

        let same = try Self.importJSON(repo, "plan.sf.yaml")
        #expect(same["created"] as? Int == 0)
        #expect(same["updated"] as? Int == 0)
        #expect(same["unchanged"] as? Int == 8)
        #expect(same["ticket_ids"] as? [String: String] == ids)
        #expect(try Self.memoryStatus(repo) == "", "not one byte rewritten")
        let text = try repo.zero("spec", "import", "plan.sf.yaml")
        #expect(text.stdout.contains("0 created, 0 updated, 8 unchanged"), "\(text.stdout)")

        // A changed file: a title, a new dependency, a ticket dropped, a ticket and an epic added.
        func lines(_ indented: [(Int, String)]) -> String { indented.map { String(repeating: " ", count: $0.0) + $0.1 + "\n" }.joined() }
        let docs = lines([
            (10, "- id: t_docs"), (12, "title: API docs"), (12, "dependencies: [{targetId: t_routes, type: requires}]"), (12, "implementation:"),
            (14, "steps: [document the routes]"), (14, "filesToModify: [docs/api.md]"),
        ])
        let changed =
            Self.yaml
            .replacingOccurrences(of: "title: Order routes\n", with: "title: Order routes, paged\n")
            .replacingOccurrences(of: "- {targetId: t_routes, type: blocks}\n", with: "- {targetId: t_routes, type: blocks}\n" + lines([(14, "- dependsOnId: t_schema")]))
            .replacingOccurrences(of: docs, with: "")
            + lines([
                (10, "- id: t_cli"), (12, "title: Order CLI"), (12, "dependencies: [{ticketId: t_routes, type: requires}]"),
                (12, "implementation: {steps: [call the routes], filesToCreate: [src/cli.ts]}"),
                (6, "- id: epic_ops"), (8, "title: Operations"), (8, "tickets:"), (10, "- id: t_deploy"), (12, "title: Deploy"),
                (12, "dependencies: [{targetId: t_cli, type: requires}]"), (12, "implementation: {steps: [ship it], filesToCreate: [deploy.sh]}"),
            ])
        #expect(!changed.contains("t_docs") && changed.contains("paged") && changed.contains("dependsOnId: t_schema"), "the edits of the fixture applied")
        try repo.write("plan.sf.yaml", changed)

        let dry = try #require(try repo.zeroJSON("spec", "import", "plan.sf.yaml", "--dry-run") as? [String: Any])
        #expect(dry["created"] as? Int == 3)
        #expect(try Self.memoryStatus(repo) == "", "a dry run writes nothing")

        let update = try Self.importJSON(repo, "plan.sf.yaml")
        #expect(update["created"] as? Int == 3, "epic_ops, t_cli, t_deploy: \(update)")
        #expect(update["updated"] as? Int == 2, "t_routes, t_auth")
        #expect(update["unchanged"] as? Int == 5)
        let newIDs = try #require(update["ticket_ids"] as? [String: String])
        for source in ["t_schema", "t_repo", "t_auth", "t_routes"] { #expect(newIDs[source] == ids[source], "\(source) kept its case") }
        let kept = try #require(update["not_in_file"] as? [[String: Any]])
        #expect(kept.compactMap { $0["id"] as? String } == [ids["t_docs"]!])
        #expect(FileManager.default.fileExists(atPath: repo.path("zero-memory/cases/\(ids["t_docs"]!)/meta.yaml")), "nothing is deleted")
        #expect(try repo.read("zero-memory/specs/\(spec)/epics/03.md").contains("title: Operations\n"))
        let routes = try #require(try repo.zeroJSON("case", "show", ids["t_routes"]!) as? [String: Any])
        #expect(field(routes, "case", "title") as? String == "Order routes, paged")
        let auth = try repo.read("zero-memory/cases/\(ids["t_auth"]!)/meta.yaml")
        #expect(auth.contains("depends_on: [\(ids["t_schema"]!)]\n"), "\(auth)")
        let deploy = try repo.read("zero-memory/cases/\(newIDs["t_deploy"]!)/meta.yaml")
        #expect(deploy.contains("epic: 3\n") && deploy.contains("depends_on: [\(newIDs["t_cli"]!)]\n"))
        let waves = try Self.waves(repo, spec: spec, ids: newIDs.merging(["t_docs": ids["t_docs"]!]) { first, _ in first })
        #expect(waves == [["t_schema"], ["t_repo", "t_auth"], ["t_routes"], ["t_cli", "t_docs"], ["t_deploy"]])
        #expect(try Self.importJSON(repo, "plan.sf.yaml")["unchanged"] as? Int == 10, "and again: nothing left to do")

        // Approved, the tickets have started: a file that changes one is refused whole.
        try Self.withoutPlanningReview(repo)
        try repo.zeroOK("spec", "approve", spec)
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "update and approve")
        let approved = try Self.importJSON(repo, "plan.sf.yaml")
        #expect(approved["unchanged"] as? Int == 10, "the unchanged file is still fine once approved: \(approved)")
        #expect(try Self.memoryStatus(repo) == "")
        try repo.write(
            "plan.sf.yaml", changed.replacingOccurrences(of: "title: Order schema\n", with: "title: Order tables\n").replacingOccurrences(of: "title: Operations\n", with: "title: Ops\n"))
        let refused = try repo.zero("spec", "import", "plan.sf.yaml")
        #expect(refused.status == 73)
        #expect(refused.stderr.contains("started") && refused.stderr.contains("t_schema (\(ids["t_schema"]!.prefix(8)), IMPLEMENTING)"), "\(refused.stderr)")
        #expect(try Self.memoryStatus(repo) == "", "not even the epic's new title was written")
    }

    @Test("a bad file is refused with exit 65 naming the place, and nothing is written", .temporaryRepository)
    func malformedFiles() throws {
        let repo = try currentRepository()
        try Self.workspace(repo)
        let cases: [(name: String, text: String, expected: [String])] = [
            (
                "unknown.sf.json",
                Self.json.replacingOccurrences(of: "{\"dependsOnId\": \"t_repo\", \"type\": \"blocks\"}", with: "{\"dependsOnId\": \"t_nowhere\", \"type\": \"blocks\"}"),
                ["specifications[0].epics[1].tickets[1].dependencies[0]", "'t_nowhere', which is no ticket of the file", "unknown.sf.json:61"]
            ),
            (
                "cycle.sf.json",
                Self.json.replacingOccurrences(
                    of: "\"title\": \"Order schema\",", with: "\"title\": \"Order schema\", \"dependencies\": [{\"targetId\": \"t_docs\", \"type\": \"requires\"}],"),
                ["specifications[0].epics[0].tickets[2]: the dependencies form a cycle: t_docs → t_routes → t_repo → t_schema → t_docs"]
            ),
            (
                "duplicate.sf.json",
                Self.json.replacingOccurrences(of: "\"id\": \"t_auth\"", with: "\"id\": \"t_repo\""),
                ["ticket id 't_repo' is used twice", "specifications[0].epics[0].tickets[1]"]
            ),
            (
                "untitled.sf.yaml",
                Self.yaml.replacingOccurrences(of: "    title: Order routes\n", with: "\n"),
                ["specifications[0].epics[1].tickets[1]: 'title' is missing", "untitled.sf.yaml:56"]
            ),
            ("broken.sf.json", String(Self.json.dropLast(40)), ["not valid JSON"]),
            ("broken.sf.yaml", Self.yaml.replacingOccurrences(of: "[orders persist]", with: "[orders persist"), ["not valid YAML", "broken.sf.yaml:"]),
            (
                "shape.sf.json",
                Self.json.replacingOccurrences(
                    of: "\"dependencies\": [{\"targetId\": \"t_routes\", \"type\": \"blocks\"}]", with: "\"dependencies\": {\"targetId\": \"t_routes\"}"),
                ["specifications[0].epics[1].tickets[0].dependencies: must be a list"]
            ),
        ]
        for (name, text, expected) in cases {
            try repo.write(name, text)
            let result = try repo.zero("spec", "import", name)
            #expect(result.status == 65, "\(name): \(result.status) \(result.stderr)")
            for words in expected { #expect(result.stderr.contains(words), "\(name): '\(words)' in \(result.stderr)") }
            #expect(result.stderr.contains("nothing was written"), "\(name): \(result.stderr)")
            #expect(try Self.memoryStatus(repo) == "", "\(name) wrote nothing")
        }
        // Several problems are all named: the first as the error, the others in the hint.
        let many = Self.json.replacingOccurrences(of: "\"id\": \"t_auth\"", with: "\"id\": \"t_repo\"")
            .replacingOccurrences(of: "\"title\": \"API\",", with: "")
        try repo.write("many.sf.json", many)
        let result = try repo.zero("spec", "import", "many.sf.json", "--json")
        #expect(result.status == 65)
        let error = try #require(field(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)), "error") as? [String: Any])
        #expect(error["code"] as? String == "malformed")
        #expect(error["file"] as? String == "many.sf.json")
        #expect((error["message"] as? String)?.contains("'title' is missing") == true, "\(error)")
        #expect((error["hint"] as? String)?.contains("1 more problem: specifications[0].epics[1].tickets[0]: ticket id 't_repo' is used twice") == true, "\(error)")

        // A bad version of a file imported before leaves the import as it was.
        try repo.write("plan.sf.json", Self.json)
        try repo.zeroOK("spec", "import", "plan.sf.json")
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "import")
        try repo.write(
            "plan.sf.json",
            Self.json.replacingOccurrences(of: "\"t_repo\", \"type\": \"blocks\"", with: "\"t_gone\", \"type\": \"blocks\"")
                .replacingOccurrences(of: "\"title\": \"Order schema\"", with: "\"title\": \"Renamed\""))
        #expect(try repo.zero("spec", "import", "plan.sf.json").status == 65)
        #expect(try Self.memoryStatus(repo) == "")
    }

    @Test("two imports of one file at once make one specification", .temporaryRepository)
    func concurrentImports() throws {
        let repo = try currentRepository()
        try Self.workspace(repo)
        try repo.write("plan.sf.json", Self.json)
        let script = "\"\(Zero.binary)\" spec import plan.sf.json --json"
        let results = try inParallel(repo, [script, script])
        for result in results { #expect(result.status == 0, "\(result.stderr)") }
        let created = results.compactMap { try? JSONSerialization.jsonObject(with: Data($0.stdout.utf8)) as? [String: Any] }.compactMap { $0["created"] as? Int }
        #expect(created.sorted() == [0, 8])
        #expect((try repo.zeroJSON("spec", "list") as? [Any])?.count == 1)
        #expect((try repo.zeroJSON("case", "list") as? [Any])?.count == 5)
    }

    @Test("killed at every step of an import, the workspace reads and names no missing case; importing again finishes it", .temporaryRepository)
    func killedImports() throws {
        let repo = try currentRepository()
        try Self.workspace(repo)
        try repo.write("plan.sf.json", Self.json)
        try repo.git("add", "plan.sf.json")
        try repo.git("commit", "-qm", "the plan")
        var step = 1
        while true {
            let killed = try repo.run([Zero.binary, "spec", "import", "plan.sf.json"], environment: ["ZERO_KILL_AT_STEP": String(step)])
            if killed.status == 0 { break }
            #expect(killed.status == 9, "step \(step): \(killed.stderr)")
            // What the kill left reads, and every dependency it names is there.
            let cases = try #require(try repo.zeroJSON("case", "list") as? [[String: Any]])
            #expect(!cases.contains { $0["state"] as? String == "BROKEN" }, "step \(step): \(cases)")
            let present = Set(cases.compactMap { $0["id"] as? String })
            for item in cases {
                for dependency in item["depends_on"] as? [String] ?? [] { #expect(present.contains(dependency), "step \(step): \(dependency) is missing") }
            }
            try repo.zeroOK("spec", "list")
            // A folder left half-made is invisible to git, and doctor --fix removes it.
            #expect(!(try Self.memoryStatus(repo)).contains("/.new-"), "step \(step)")
            let doctor = try repo.run([Zero.binary, "doctor", "--fix"], environment: ["ZERO_LEFTOVER_AGE": "0"])
            #expect(doctor.status == 0, "step \(step): \(doctor.stdout)\(doctor.stderr)")
            for folder in ["cases", "specs"] {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: repo.path("zero-memory/" + folder))) ?? []
                #expect(!names.contains { $0.hasPrefix(".new-") || $0.hasPrefix(".deleted-") }, "step \(step): \(folder) \(names)")
            }
            let finished = try Self.importJSON(repo, "plan.sf.json")
            let specs = try #require(try repo.zeroJSON("spec", "list") as? [[String: Any]])
            #expect(specs.count == 1, "step \(step): one specification")
            #expect((try repo.zeroJSON("case", "list") as? [Any])?.count == 5, "step \(step): five tickets, none twice")
            #expect(Set((finished["ticket_ids"] as? [String: String] ?? [:]).values).isSuperset(of: present), "step \(step): the survivors kept")
            let spec = try #require(specs.first?["id"] as? String)
            #expect(try Self.waves(repo, spec: spec, ids: finished["ticket_ids"] as? [String: String] ?? [:]) == Self.expectedWaves)
            // Back to before the import, leftovers of the kill included.
            try repo.git("clean", "-fdxq", "zero-memory")
            try repo.git("checkout", "-q", "--", "zero-memory")
            step += 1
            if step > 200 { Issue.record("the import never finished"); break }
        }
        #expect(step > 10, "the kills landed inside the import")
    }
}
