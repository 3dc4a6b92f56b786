import Testing

@testable import ZeroCore

/// Ticket status and waves, computed from facts given directly.
struct TicketGraphTests {
    static let start = Timestamp(seconds: 1_800_000_000)

    static func ticket(
        _ id: String, state: CaseState = .open, dependsOn: [String] = [], blocked: String? = nil, open: Bool = false, complete: Bool = false
    ) -> TicketFacts {
        var meta = CaseMeta(id: id, title: id, type: .ticket, state: state, createdAt: start)
        meta.dependsOn = dependsOn
        meta.blockedReason = blocked
        return TicketFacts(meta: meta, hasOpenSession: open, implementationComplete: complete)
    }

    @Test("precedence: a block reason first, then unfinished dependencies, then an open session, then done, else ready")
    func precedence() {
        let graph = TicketGraph(
            [
                Self.ticket("done", state: .resolved),
                Self.ticket("todo"),
                // Blocked wins over everything, even an open session and finished dependencies.
                Self.ticket("blocked", state: .blocked, dependsOn: ["done"], blocked: "waiting for keys", open: true),
                // An unfinished dependency wins over an open session.
                Self.ticket("waiting", state: .implementing, dependsOn: ["done", "todo"], open: true),
                // An open session wins over done.
                Self.ticket("reopened-work", state: .resolved, open: true),
                Self.ticket("resolved", state: .resolved, dependsOn: ["done"]),
                Self.ticket("free", dependsOn: ["done"]),
                Self.ticket("dangling", dependsOn: ["nowhere"]),
                Self.ticket("closed", state: .wontFix),
                // Delivered and waiting for the operator's review: not offered again.
                Self.ticket("in-review", state: .implementing, complete: true),
            ], ticketDone: .resolved)
        #expect(graph.status("blocked") == .pending)
        #expect(graph.pendingReason("blocked")?.blockedReason == "waiting for keys")
        #expect(graph.status("waiting") == .pending)
        #expect(graph.pendingReason("waiting")?.waitingFor == ["todo"])
        #expect(graph.status("reopened-work") == .active)
        #expect(graph.status("resolved") == .done)
        #expect(graph.status("free") == .ready)
        #expect(graph.status("todo") == .ready)
        #expect(graph.status("dangling") == .pending)
        #expect(graph.pendingReason("dangling")?.missing == ["nowhere"])
        #expect(graph.status("closed") == .pending)
        #expect(graph.status("in-review") == .active)
    }

    @Test("ticket_done: complete counts a complete implementation as done; resolved does not")
    func ticketDone() {
        let facts = [Self.ticket("a", state: .implementing, complete: true), Self.ticket("b", dependsOn: ["a"])]
        let complete = TicketGraph(facts, ticketDone: .complete)
        #expect(complete.status("a") == .done)
        #expect(complete.status("b") == .ready)
        let resolved = TicketGraph(facts, ticketDone: .resolved)
        #expect(resolved.status("a") == .active)
        #expect(resolved.status("b") == .pending)
    }

    @Test("waves are the topological layers; the critical path is the longest chain not done")
    func waves() throws {
        let graph = TicketGraph(
            [
                Self.ticket("a", state: .resolved), Self.ticket("b"), Self.ticket("c", dependsOn: ["a", "b"]),
                Self.ticket("d", dependsOn: ["c"]), Self.ticket("e", dependsOn: ["b"]),
            ], ticketDone: .resolved)
        let waves = try graph.waveNumbers()
        #expect(waves == ["a": 0, "b": 0, "c": 1, "d": 2, "e": 1])
        #expect(graph.criticalPath(among: ["a", "b", "c", "d", "e"], waves: waves) == ["b", "c", "d"])
    }

    @Test("a cycle is an error that names it; a 5 000-edge chain is walked without recursion")
    func cycles() throws {
        let cyclic = TicketGraph([Self.ticket("x", dependsOn: ["z"]), Self.ticket("y", dependsOn: ["x"]), Self.ticket("z", dependsOn: ["y"])], ticketDone: .resolved)
        #expect(cyclic.cycle() == ["x", "z", "y", "x"])
        #expect(throws: ZeroError.self) { try cyclic.waveNumbers() }
        var chain: [TicketFacts] = [Self.ticket("t0")]
        for index in 1...5_000 { chain.append(Self.ticket("t\(index)", dependsOn: ["t\(index - 1)"])) }
        let long = TicketGraph(chain, ticketDone: .resolved)
        #expect(long.cycle() == nil)
        #expect(try long.waveNumbers()["t5000"] == 5_000)
        #expect(long.criticalPath(among: Set(chain.map(\.meta.id)), waves: try long.waveNumbers()).count == 5_001)
    }

    @Test("a ticket's steps, criteria and files are read from its markdown")
    func ticketWork() throws {
        let text = """
            # invoice model

            ## Description
            The model.

            ## Steps
            1. write the struct
            2) add tests
            - [ ] document it

            ## Acceptance criteria
            - [ ] round-trips through JSON

            ## Files
            - create `src/Invoice.swift`
            - modify: src/Package.swift
            - reference docs/invoices.md
            - tests/InvoiceTests.swift

            """
        let work = TicketWork(try MemoryDocument.parse(text, file: "problem-definition.md", expectsTitle: true))
        #expect(work.steps == ["write the struct", "add tests", "document it"])
        #expect(work.acceptanceCriteria == ["round-trips through JSON"])
        #expect(work.files.map(\.action) == ["create", "modify", "reference", "modify"])
        #expect(work.scope == ["src/Invoice.swift", "src/Package.swift", "tests/InvoiceTests.swift"])
    }

    @Test("spec.md round-trips, and a state it cannot hold is refused with the line")
    func specFile() throws {
        var spec = Spec(id: "5e1f0000-0000-4000-8000-000000000000", title: "billing", createdAt: Self.start)
        spec.document.setSection("Goals", "one invoice path")
        let text = spec.render()
        let parsed = try Spec.parse(text, file: "spec.md")
        #expect(parsed.id == spec.id && parsed.title == spec.title && parsed.stored == .draft)
        #expect(parsed.document.section("Goals") == "one invoice path")
        #expect(try Spec.parse(text, file: "spec.md").render() == text)
        let bad = text.replacingOccurrences(of: "state: draft", with: "state: shipped")
        let error = try #require(throws: ZeroError.self) { try Spec.parse(bad, file: "spec.md") }
        #expect(error.code == .malformed)
        let stateLine = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("state:") }.map { $0 + 1 }
        #expect(error.line == stateLine)
        let unapproved = text.replacingOccurrences(of: "state: draft", with: "state: completed")
        #expect(throws: ZeroError.self) { try Spec.parse(unapproved, file: "spec.md") }
    }
}
