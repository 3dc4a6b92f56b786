import Foundation
import Testing
import ZeroTestSupport

@testable import ZeroCore

/// Reading SpecForge documents: field names and their aliases, dependencies
/// in both directions, and the errors a bad document gets.
struct SpecForgeTests {
    static let json = """
        {
          "specforgeVersion": "1.0",
          "project": {"id": "proj_a", "name": "A"},
          "specifications": [{
            "id": "spec_a",
            "name": "Search",
            "description": "Full-text search.",
            "content": "More detail.",
            "goals": "find anything in 100 ms",
            "requirements": [{"id": "FR1", "title": "Index", "description": "every case is indexed"}, "plain requirement"],
            "patterns": [{"title": "Errors", "description": "one shape", "rules": ["code", "message"]}],
            "epics": [
              {"id": "e1", "title": "Index", "description": "Build the index", "acceptance_criteria": ["it builds", "it updates"], "order": 2,
               "tickets": [
                 {"id": "t1", "title": "Tokenizer", "priority": "Critical", "estimatedHours": 2.5,
                  "description": "Split words.",
                  "implementation": {"steps": ["write it", {"description": "test it"}],
                                     "filesToCreate": ["src/tokens.swift"], "files_to_modify": [{"path": "src/index.swift"}], "filesToDelete": ["old.swift"]},
                  "codeReferences": [{"path": "docs/words.md", "description": "the rules"}],
                  "acceptanceCriteria": ["splits on spaces"], "blocks": ["t4"]},
                 {"id": "t2", "title": "Store", "priority": "p3", "estimate": "M",
                  "dependencies": [{"ticketId": "t1", "type": "requires"}, {"targetId": "t3", "type": "blocks"}]}
               ]},
              {"id": "e2", "name": "Query",
               "tickets": [
                 {"id": "t3", "title": "Parser", "dependencies": [{"dependsOnId": "t1", "type": "blocks"}, "t1"]},
                 {"id": "t4", "title": "Ranking", "dependsOn": ["t3"]}
               ]}
            ]
          }]
        }
        """

    static let yaml = """
        specforgeVersion: "1.0"
        project: {id: proj_a, name: A}
        specifications:
          - id: spec_a
            name: Search
            description: Full-text search.
            content: More detail.
            goals: find anything in 100 ms
            requirements:
              - {id: FR1, title: Index, description: every case is indexed}
              - plain requirement
            patterns:
              - title: Errors
                description: one shape
                rules: [code, message]
            epics:
              - id: e1
                title: Index
                description: Build the index
                acceptance_criteria: [it builds, it updates]
                order: 2
                tickets:
                  - id: t1
                    title: Tokenizer
                    priority: Critical
                    estimatedHours: 2.5
                    description: Split words.
                    implementation:
                      steps:
                        - write it
                        - description: test it
                      filesToCreate: [src/tokens.swift]
                      files_to_modify:
                        - path: src/index.swift
                      filesToDelete: [old.swift]
                    codeReferences:
                      - {path: docs/words.md, description: the rules}
                    acceptanceCriteria: [splits on spaces]
                    blocks: [t4]
                  - id: t2
                    title: Store
                    priority: p3
                    estimate: M
                    dependencies:
                      - {ticketId: t1, type: requires}
                      - {targetId: t3, type: blocks}
              - id: e2
                name: Query
                tickets:
                  - id: t3
                    title: Parser
                    dependencies:
                      - {dependsOnId: t1, type: blocks}
                      - t1
                  - id: t4
                    title: Ranking
                    dependsOn: [t3]
        """

    @Test("a JSON document: aliases, list shapes, files by action, dependencies both ways")
    func json() throws {
        let document = try SpecForgeDocument.decode(Self.json, file: "a.sf.json")
        let spec = try #require(document.specifications.first)
        #expect(document.specifications.count == 1)
        #expect(spec.id == "spec_a")
        #expect(spec.title == "Search")
        #expect(spec.description == "Full-text search.\n\nMore detail.")
        #expect(spec.goals == "find anything in 100 ms")
        #expect(spec.requirements == "- Index: every case is indexed\n- plain requirement")
        #expect(spec.patterns == "- Errors: one shape\n  - code\n  - message")
        #expect(spec.epics.map(\.title) == ["Index", "Query"])
        #expect(spec.epics[0].objective == "Build the index")
        #expect(spec.epics[0].acceptanceCriteria == ["it builds", "it updates"])
        #expect(spec.epics[0].order == 2)
        #expect(spec.epics[1].order == nil)

        let tickets = Dictionary(uniqueKeysWithValues: document.tickets.map { ($0.id, $0) })
        let t1 = try #require(tickets["t1"])
        #expect(t1.priority == .high)
        #expect(t1.estimateHours == 2.5)
        #expect(t1.description == "Split words.")
        #expect(t1.steps == ["write it", "test it"])
        #expect(t1.acceptanceCriteria == ["splits on spaces"])
        #expect(t1.files.map { "\($0.action) \($0.path)" } == ["create src/tokens.swift", "modify src/index.swift", "delete old.swift", "reference docs/words.md"])
        #expect(t1.path == "specifications[0].epics[0].tickets[0]")
        #expect(tickets["t2"]?.priority == .low)
        #expect(tickets["t2"]?.estimateHours == nil, "a size is not hours")
        // requires and dependsOnId: this ticket waits; blocks: the other one does.
        #expect(t1.dependsOn == [])
        #expect(tickets["t2"]?.dependsOn == ["t1"])
        #expect(tickets["t3"]?.dependsOn == ["t2", "t1"], "t2 blocks t3, then t3's own dependency on t1 (once)")
        #expect(tickets["t4"]?.dependsOn == ["t1", "t3"])
    }

    @Test("the same document as YAML reads the same")
    func yaml() throws {
        let fromYAML = try SpecForgeDocument.decode(Self.yaml, file: "a.sf.yaml")
        let fromJSON = try SpecForgeDocument.decode(Self.json, file: "a.sf.json")
        #expect(fromYAML == fromJSON)
    }

    @Test("a 'blocks' list makes the tickets it names wait")
    func blocksListed() throws {
        let document = try SpecForgeDocument.decode(Self.json, file: "a.sf.json")
        // t4 waits for t1 (t1's blocks list, read first) and for t3 (its own dependsOn).
        #expect(document.tickets.first { $0.id == "t4" }?.dependsOn == ["t1", "t3"])
    }

    @Test("one specification at the top, without a 'specifications' list")
    func bareSpecification() throws {
        let document = try SpecForgeDocument.decode(
            """
            id: s
            title: Bare
            epics:
              - {id: e, title: E, tickets: [{id: t, title: T}]}
            tickets:
              - {id: loose, title: Outside any epic, dependencies: [t]}
            """, file: "bare.sf.yml")
        #expect(document.specifications.map(\.title) == ["Bare"])
        #expect(document.specifications.first?.tickets.map(\.id) == ["loose"])
        #expect(document.tickets.last?.dependsOn == ["t"])
        #expect(SpecForgeDocument.format(ofFile: "plan.SF.YML") == .yaml)
        #expect(SpecForgeDocument.format(ofFile: "plan.sf.json") == .json)
        #expect(SpecForgeDocument.format(ofFile: "plan.txt") == nil)
    }

    func refusal(_ text: String, _ file: String = "bad.sf.yaml") throws -> ZeroError {
        let error = try #require(throws: ZeroError.self) { _ = try SpecForgeDocument.decode(text, file: file) }
        #expect(error.code == .malformed)
        #expect(error.file == file)
        #expect(error.hint?.contains("nothing was written") == true)
        return error
    }

    @Test("an unknown dependency names the ticket, the place and the line")
    func unknownDependency() throws {
        let error = try refusal(Self.yaml.replacingOccurrences(of: "- {ticketId: t1, type: requires}", with: "- {ticketId: t9, type: requires}"))
        #expect(error.message == "specifications[0].epics[0].tickets[1].dependencies[0]: ticket 't2' names 't9', which is no ticket of the file")
        #expect(error.line == 45)
    }

    @Test("a cycle is named, in the direction tickets wait")
    func cycle() throws {
        let error = try refusal(Self.yaml.replacingOccurrences(of: "dependsOn: [t3]", with: "dependsOn: [t3]\n            blocks: [t2]"))
        #expect(error.message == "specifications[0].epics[0].tickets[1]: the dependencies form a cycle: t2 → t4 → t3 → t2", "\(error.message)")
    }

    @Test("duplicate ids, missing titles, bad priorities: every problem is listed")
    func severalProblems() throws {
        let text = Self.yaml.replacingOccurrences(of: "- id: t3", with: "- id: t1").replacingOccurrences(of: "\n            title: Store", with: "")
            .replacingOccurrences(of: "priority: p3", with: "priority: someday")
        let error = try refusal(text)
        #expect(error.message == "specifications[0].epics[0].tickets[1]: 'title' is missing")
        #expect(error.line == 40)
        let hint = try #require(error.hint)
        #expect(hint.hasPrefix("fix the file and import it again; nothing was written. 5 more problems: "), "\(hint)")
        #expect(hint.contains("tickets[1].priority: the priority 'someday' is none of critical, high, medium, low (line 41)"), "\(hint)")
        #expect(hint.contains("ticket id 't1' is used twice: here and at specifications[0].epics[0].tickets[0] (line 49)"), "\(hint)")
        #expect(hint.contains("ticket 't4' names 't3', which is no ticket of the file (line 56)"), "\(hint)")
    }

    @Test("a document that is not JSON, or not the right shape, says where")
    func shapes() throws {
        let broken = try refusal("{\n  \"specifications\": [\n    {\"id\": \"a\" \"title\": \"b\"}\n  ]\n}\n", "broken.sf.json")
        #expect(broken.message.hasPrefix("not valid JSON"))
        #expect(broken.line == 3)
        let list = try refusal("{\"specifications\": {\"id\": 1}}", "list.sf.json")
        #expect(list.message == "specifications: must be a list")
        let empty = try refusal("project: {id: p, name: P}\n")
        #expect(empty.message.contains("holds no specification"))
        let multiline = try refusal("specifications:\n  - id: s\n    title: \"two\\nlines\"\n")
        #expect(multiline.message == "specifications[0].title: 'title' must be one line")
        #expect(multiline.line == 3)
    }

    @Test("a ticket that cannot be written takes back the specification and the tickets made before it", .temporaryRepository)
    func rollback() throws {
        let (repository, workspace) = try makeWorkspace()
        let existing = try workspace.createCase(NewCase(title: "in the way")).id
        let before = try repository.snapshot()
        let document = try SpecForgeDocument.decode(Self.json, file: "a.sf.json")
        var plan = try workspace.planImport(document)
        // The last ticket to be made lands where a case already is: its rename is refused.
        let last = try #require(Workspace.dependenciesFirst(plan.tickets).last?.meta.id)
        let index = try #require(plan.tickets.firstIndex { $0.meta.id == last })
        plan.tickets[index].meta.id = existing
        let error = try #require(throws: ZeroError.self) { try workspace.applyImport(plan) }
        #expect(error.message.contains("something is there already"))
        #expect(try repository.snapshot() == before, "nothing of the import is left")
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.specsFolder).filter { !$0.hasPrefix(".") }.isEmpty)
        #expect(try workspace.listCases().map(\.id) == [existing])
    }
}
