import Foundation
import Testing
import ZeroTestSupport

@Suite("specification review", .serialized)
struct SpecReviewTests {
    func review(_ repo: TemporaryRepository, _ spec: String) throws -> (status: Int32, json: [String: Any]) {
        let run = try repo.zero("spec", "review", spec, "--json")
        return (run.status, try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)"))
    }

    func messages(_ review: [String: Any]) -> [String] {
        (review["findings"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
    }

    func ticket(_ repo: TemporaryRepository, _ title: String, spec: String, epic: Int, sections: [String: String], dependsOn: [String] = []) throws -> String {
        var arguments = ["case", "new", title, "--type", "ticket", "--spec", spec, "--epic", String(epic)]
        for dependency in dependsOn { arguments += ["--depends-on", dependency] }
        let id = try #require(field(try repo.zeroJSON(arguments), "id") as? String)
        let path = "zero-memory/cases/\(id)/problem-definition.md"
        var text = try repo.read(path)
        for (name, body) in sections { text = text.replacingOccurrences(of: "## \(name)\n", with: "## \(name)\n\(body)\n") }
        try repo.write(path, text)
        return id
    }

    @Test("a deliberately bad specification: each flaw named, approval refused, nothing written", .temporaryRepository)
    func badSpec() throws {
        let repo = try currentRepository()
        try repo.zeroOK("init", "--no-hooks")
        let spec = try #require(
            field(
                try repo.zeroJSON(
                    "spec", "new", "billing", "--description", "one billing path", "--goals", "invoices and refunds",
                    "--requirements", "- R1: invoices export as CSV\n- R2: refunds reach the ledger", "--epic", "invoices", "--epic", "ledger"),
                "id") as? String)
        let good = "1. write it"
        let model = try ticket(
            repo, "invoice model", spec: spec, epic: 1,
            sections: ["Description": "R1 model", "Steps": good, "Files": "- create src/invoice.swift", "Acceptance criteria": "- [ ] an invoice exports to CSV rows"])
        let noCriteria = try ticket(
            repo, "csv export", spec: spec, epic: 1, sections: ["Description": "R1 export", "Steps": good, "Files": "- create src/shared.swift"],
            dependsOn: [model])
        let vague = try ticket(
            repo, "csv header", spec: spec, epic: 1,
            sections: ["Description": "R1 header", "Steps": good, "Files": "- modify src/shared.swift", "Acceptance criteria": "- [ ] it works"],
            dependsOn: [model])
        let noFiles = try ticket(repo, "ledger entry", spec: spec, epic: 2, sections: ["Description": "ledger", "Steps": good])
        // Waits for a ticket of a later epic; and a cycle made by hand, as a bad import would leave it.
        let early = try ticket(
            repo, "invoice totals", spec: spec, epic: 1,
            sections: ["Description": "R1 totals", "Steps": good, "Files": "- create src/totals.swift", "Acceptance criteria": "- [ ] totals add up per currency"],
            dependsOn: [noFiles])
        let meta = "zero-memory/cases/\(model)/meta.yaml"
        try repo.write(meta, try repo.read(meta).replacingOccurrences(of: "depends_on: []", with: "depends_on: [\(noCriteria)]"))

        let (status, result) = try review(repo, spec)
        #expect(status == 1, "a failing review exits 1")
        #expect(result["passed"] as? Bool == false)
        let found = messages(result)
        func expectFinding(_ parts: String..., sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(found.contains { message in parts.allSatisfy(message.contains) }, "no finding with \(parts) in \(found)", sourceLocation: sourceLocation)
        }
        expectFinding("requirement 2", "refunds reach the ledger", "covered by no ticket")
        #expect(!found.contains { $0.contains("requirement 1") }, "R1 is named by tickets")
        expectFinding(String(noCriteria.prefix(8)), "no ## Acceptance criteria")
        expectFinding(String(vague.prefix(8)), "'it works' names nothing to check")
        expectFinding(String(noFiles.prefix(8)), "no ## Files")
        expectFinding("cycle", String(model.prefix(8)), String(noCriteria.prefix(8)), "closes it")
        expectFinding(String(early.prefix(8)), "later epic")
        expectFinding("epic 2 (ledger) has no ## Objective")
        expectFinding(String(noCriteria.prefix(8)), String(vague.prefix(8)), "src/shared.swift", "cannot work in parallel")
        let scores = Dictionary(
            uniqueKeysWithValues: (result["scores"] as? [[String: Any]] ?? []).compactMap { score in
                (score["area"] as? String).map { ($0, score["score"] as? Int ?? -1) }
            })
        #expect(scores["dependencies"] == 0, "a cycle scores the dependencies 0")
        #expect(scores["coverage"] == 50)
        #expect(Set(scores.keys) == ["completeness", "dependencies", "coverage", "ticket_quality", "acceptance_criteria"])
        #expect((result["total"] as? Int ?? 100) < 70)

        // With require_planning_review (the default), approval is refused and nothing is written.
        let before = try repo.snapshot()
        let approve = try repo.zero("spec", "approve", spec)
        #expect(approve.status == 1)
        #expect(approve.stderr.contains("does not pass its planning review"), "\(approve.stderr)")
        #expect(try repo.snapshot() == before)
    }

    @Test("a sound specification passes and is approved; delivered tickets are reviewed against their files, criteria and validation", .temporaryRepository)
    func soundSpecAndDelivery() throws {
        let repo = try currentRepository()
        let (spec, layers) = try makeSpec(repo, waves: 1, width: 2)
        let planning = try review(repo, spec)
        #expect(planning.status == 0, "\(messages(planning.json))")
        #expect(planning.json["passed"] as? Bool == true)
        #expect(planning.json["implementation"] is NSNull, "nothing delivered yet")

        try repo.zeroOK("hooks", "install")
        try repo.git("add", "-A")
        try repo.git("commit", "-qm", "the approved spec")
        let (a, b) = (layers[0][0], layers[0][1])
        // a: its file committed, its criterion passed, validation recorded.
        try repo.zeroOK("work", "start", a)
        try repo.git("add", "zero-memory")
        try repo.git("commit", "-qm", "start a")
        try repo.write("src/t0-0.txt", "layer 0\n")
        try repo.git("add", "src/t0-0.txt")
        try repo.git("commit", "-qm", "layer 0 file 0")
        try repo.zeroOK("work", "progress", a, "--done", "1", "--done", "2", "--criterion", "1=pass:committed")
        try repo.zeroOK("work", "complete", a, "--summary", "file 0", "--validation", "tests=pass")
        // b: nothing committed, no criterion recorded, a failing check.
        try repo.zeroOK("work", "start", b)
        try repo.zeroOK("work", "complete", b, "--summary", "file 1", "--validation", "tests=pass,lint=fail")

        let delivered = try review(repo, spec)
        #expect(delivered.status == 1)
        let implementation = try #require(delivered.json["implementation"] as? [String: Any])
        #expect(implementation["tickets"] as? Int == 2)
        #expect(implementation["passed"] as? Bool == false)
        let gaps = (implementation["findings"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        #expect(gaps.allSatisfy { $0.contains(String(b.prefix(8))) }, "ticket a delivered all: \(gaps)")
        #expect(gaps.contains { $0.contains("create src/t0-1.txt") && $0.contains("no commit") }, "\(gaps)")
        #expect(gaps.contains { $0.contains("acceptance criterion 1") && $0.contains("never checked") }, "\(gaps)")
        #expect(gaps.contains { $0.contains("validation lint is fail") }, "\(gaps)")
        #expect(gaps.count == 3, "\(gaps)")
    }
}
