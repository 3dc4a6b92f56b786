import Testing

@testable import ZeroCore

/// The planning review's rules, on specifications built in memory.
struct SpecReviewRuleTests {
    static let start = Timestamp(seconds: 1_800_000_000)

    static func spec(requirements: String) -> Spec {
        var spec = Spec(id: "s", title: "billing", createdAt: start)
        spec.document.setSection("Description", "one billing path")
        spec.document.setSection("Goals", "invoices")
        spec.document.setSection("Requirements", requirements)
        return spec
    }

    static func ticket(_ id: String, text: String, criteria: [String] = ["the invoice total equals the sum of its lines"], files: String = "- create src/a.swift")
        -> ReviewedTicket
    {
        var problem = MemoryDocument(title: id)
        problem.setSection("Description", text)
        problem.setSection("Steps", "1. write it")
        problem.setSection("Acceptance criteria", criteria.map { "- [ ] " + $0 }.joined(separator: "\n"))
        problem.setSection("Files", files)
        return ReviewedTicket(id: id, title: id, epic: 1, dependsOn: [], work: TicketWork(problem))
    }

    static let epic = Epic(number: 1, title: "invoices", objective: "bill", acceptance: "- [ ] billed")

    @Test("the weights add up to 100, and a complete specification scores 100 in every area")
    func complete() {
        #expect(SpecReview.weights.map(\.weight).reduce(0, +) == 100)
        let result = PlanningReview.review(
            spec: Self.spec(requirements: "- R1: export invoices as CSV"), epics: [Self.epic], tickets: [Self.ticket("a", text: "covers R1")],
            known: ["a"], waves: ["a": 0], threshold: 70)
        #expect(result.scores.map(\.score) == [100, 100, 100, 100, 100], "\(result.findings)")
        #expect(result.total == 100 && result.passed)
    }

    @Test("coverage: an identifier must be named; without one, half the significant words must appear")
    func coverage() {
        let tickets = [Self.ticket("a", text: "writes invoices to a CSV export file")].map { PlanningReview.words(([$0.title, $0.work.description]).joined(separator: " ")) }
        #expect(PlanningReview.isCovered("R1: invoices export as CSV", by: tickets) == false, "an identifier no ticket names")
        #expect(PlanningReview.isCovered("Invoices export as CSV files", by: tickets))
        #expect(PlanningReview.isCovered("Refunds reach the ledger", by: tickets) == false)
        #expect(PlanningReview.isCovered("REQ-2 refunds", by: [PlanningReview.words("see req-2 for refunds")]))
    }

    @Test("vague criteria are named; a ticket without files or steps is a blocker even above the threshold")
    func blockers() {
        #expect(PlanningReview.isVague("it works"))
        #expect(PlanningReview.isVague("Done."))
        #expect(!PlanningReview.isVague("the export has one row per invoice"))
        let result = PlanningReview.review(
            spec: Self.spec(requirements: "- R1: export"), epics: [Self.epic],
            tickets: [Self.ticket("a", text: "R1"), Self.ticket("b", text: "R1 again", files: "", )] + (0..<8).map { Self.ticket("c\($0)", text: "R1", files: "- create src/c\($0).swift") },
            known: Set(["a", "b"] + (0..<8).map { "c\($0)" }), waves: [:], threshold: 50)
        #expect(result.total >= 50)
        #expect(!result.passed, "the blocker fails it")
        #expect(result.findings.contains { $0.severity == .blocker && $0.ticket == "b" })
    }
}
