import Testing

@testable import ZeroCore

/// The state machines against DESIGN §3.1 and §3.2, written out here by hand
/// (not derived from the implementation) and checked for every pair.
@Suite struct CaseTransitionTableTests {
    static let open: [CaseState] = [.open, .investigating, .implementing, .verifying]

    /// (from, to, gate) exactly as the DESIGN table reads.
    static let legal: [(CaseState, CaseState, CaseGate)] = {
        var rows: [(CaseState, CaseState, CaseGate)] = [
            (.open, .investigating, .none),
            (.investigating, .implementing, .operator),
            (.implementing, .verifying, .diffReview),
            (.verifying, .implementing, .none),
            (.verifying, .resolved, .verifiedProof),
            (.investigating, .nonIssue, .verifiedProof),
            (.implementing, .needsUserInput, .none),
            (.verifying, .needsUserInput, .none),
            (.resolved, .watchlist, .none),
            (.watchlist, .open, .none),
            (.resolved, .compressed, .none),
            (.nonIssue, .compressed, .none),
        ]
        for state in open {
            rows.append((state, .blocked, .none))
            rows.append((state, .wontFix, .operator))
        }
        return rows
    }()

    @Test("all 11 states exist")
    func elevenStates() {
        #expect(CaseState.allCases.count == 11)
        #expect(
            Set(CaseState.allCases.map(\.rawValue)) == [
                "OPEN", "INVESTIGATING", "IMPLEMENTING", "VERIFYING", "RESOLVED", "NON_ISSUE", "BLOCKED", "NEEDS_USER_INPUT", "WONT_FIX", "WATCHLIST", "COMPRESSED",
            ])
    }

    @Test("every pair of states: legal exactly when the table says, with its gate", arguments: CaseState.allCases)
    func everyPair(from: CaseState) {
        for to in CaseState.allCases {
            let expected = Self.legal.first(where: { $0.0 == from && $0.1 == to })
            // BLOCKED and NEEDS_USER_INPUT go back only to the state they came from.
            let returnTargets: [CaseState] = from == .blocked ? Self.open : from == .needsUserInput ? [.implementing, .verifying] : []
            if returnTargets.contains(to) {
                #expect(from.transition(to: to, previous: to) != nil, "\(from) → \(to) with previous \(to)")
                for other in CaseState.allCases where other != to {
                    #expect(from.transition(to: to, previous: other) == nil, "\(from) → \(to) with previous \(other)")
                }
                continue
            }
            let row = from.transition(to: to, previous: nil)
            if let expected {
                #expect(row?.gate == expected.2, "\(from) → \(to) should be legal with gate \(expected.2)")
            } else {
                #expect(row == nil, "\(from) → \(to) should be refused")
            }
        }
    }
}

@Suite struct SessionTransitionTableTests {
    /// (from, to, types allowed), from DESIGN §3.2.
    static let legal: [(SessionState, SessionState, Set<SessionType>)] = {
        let all = Set(SessionType.allCases)
        let plans: Set<SessionType> = [.planning, .investigating]
        var rows: [(SessionState, SessionState, Set<SessionType>)] = [
            (.created, .planning, plans),
            (.created, .approved, [.implementing, .verifying]),
            (.planning, .planReady, all),
            (.planReady, .planning, all),
            (.planReady, .approved, all),
            (.approved, .executing, [.investigating, .implementing, .verifying]),
            (.approved, .complete, [.planning]),
            (.executing, .complete, all),
            (.approved, .planReady, all),
            (.executing, .planReady, all),
        ]
        for state in [SessionState.created, .planning, .planReady, .approved, .executing] {
            rows.append((state, .failed, all))
            rows.append((state, .abandoned, all))
        }
        return rows
    }()

    @Test("four types, eight states")
    func counts() {
        #expect(SessionType.allCases.map(\.rawValue) == ["planning", "investigating", "implementing", "verifying"])
        #expect(SessionState.allCases.map(\.rawValue) == ["created", "planning", "plan_ready", "approved", "executing", "complete", "failed", "abandoned"])
    }

    @Test("every (from, to, type): legal exactly when the table says", arguments: SessionState.allCases)
    func everyPair(from: SessionState) {
        for to in SessionState.allCases {
            for type in SessionType.allCases {
                let expected = Self.legal.contains { $0.0 == from && $0.1 == to && $0.2.contains(type) }
                #expect(from.mayMove(to: to, type: type) == expected, "\(type): \(from) → \(to)")
            }
        }
    }

    @Test("ended states go nowhere")
    func endedAreFinal() {
        for state in [SessionState.complete, .failed, .abandoned] {
            #expect(state.isEnded)
            for to in SessionState.allCases { #expect(!state.mayMove(to: to, type: .implementing)) }
        }
    }

    @Test("which type may start in which case state", arguments: SessionType.allCases)
    func typeByCaseState(type: SessionType) {
        for state in CaseState.allCases {
            for approved in [false, true] {
                for complete in [false, true] {
                    let expected: Bool =
                        switch type {
                        case .planning, .investigating: [.open, .investigating, .implementing, .verifying].contains(state)
                        case .implementing: approved && [.implementing, .verifying].contains(state)
                        case .verifying: complete && [.implementing, .verifying].contains(state)
                        }
                    #expect(
                        type.mayStart(in: state, hasApprovedPlan: approved, hasCompleteImplementation: complete) == expected,
                        "\(type) in \(state), approved \(approved), complete implementation \(complete)")
                }
            }
        }
    }
}

@Suite struct SmallPartsTests {
    @Test(
        "test summaries from common runners",
        arguments: [
            ("test result: ok. 47 passed; 0 failed; 0 ignored", 47, 0),
            ("==== 12 passed, 2 failed in 1.23s ====", 12, 2),
            ("Tests:       1 failed, 45 passed, 46 total", 45, 1),
            ("Executed 30 tests, with 3 failures (0 unexpected) in 0.5 seconds", 27, 3),
            ("✔ Test run with 8 tests in 2 suites passed after 0.01 seconds.", 8, 0),
            ("✘ Test run with 8 tests in 2 suites failed after 0.02 seconds with 2 issues.", 6, 2),
            ("--- PASS: TestA\n--- PASS: TestB\n--- FAIL: TestC\nFAIL", 2, 1),
        ])
    func testSummary(output: String, passed: Int, failed: Int) throws {
        let counts = try #require(TestSummary.parse(output))
        #expect(counts.passed == passed)
        #expect(counts.failed == failed)
    }

    @Test func noSummaryInPlainOutput() {
        #expect(TestSummary.parse("compiled 3 files\ndone") == nil)
    }

    @Test func timestamps() throws {
        let time = try #require(Timestamp("2026-04-21T14:22:00Z"))
        #expect(time.description == "2026-04-21T14:22:00Z")
        #expect(time.month == "2026-04")
        #expect(Timestamp("2026-04-21T14:22:00.123Z")?.seconds == time.seconds)
        #expect(Timestamp("2026-13-01T00:00:00Z") == nil)
        #expect(Timestamp("yesterday") == nil)
    }

    @Test func planHashIgnoresTrailingSpaceButNotWords() {
        let base = PlanHash.compute(plan: "- a\n- b", scope: "- x/**")
        #expect(PlanHash.compute(plan: "- a  \n- b\n\n", scope: "- x/**\r") == base)
        #expect(PlanHash.compute(plan: "- a\n- c", scope: "- x/**") != base)
        #expect(PlanHash.compute(plan: "- a\n- b", scope: "- y/**") != base)
        #expect(base.count == 64)
    }

    @Test("lines moved across the Plan/Scope boundary change the hash; plans without a 'scope' line hash as before")
    func planHashBoundary() {
        // A plan whose last lines read "scope" and "- ci/**", against the same lines moved into the scope.
        let approved = PlanHash.compute(plan: "- Patch src/app.txt\n- Run the tests\nscope\n- ci/**", scope: "- src/**")
        let moved = PlanHash.compute(plan: "- Patch src/app.txt\n- Run the tests", scope: "- ci/**\nscope\n- src/**")
        #expect(approved != moved)
        // The framing for plain plans is the one approvals in existing repositories were made with.
        #expect(PlanHash.compute(plan: "- a\n- b", scope: "- x/**") == Digest.sha256("plan\n- a\n- b\nscope\n- x/**\n"))
    }

    @Test(
        "scope and exempt globs mean what they mean in .gitignore",
        arguments: [
            ("docs/**", "docs/guide.md", true), ("docs/**", "docs/a/b.txt", true), ("docs/**", "docs", false),
            ("src/**", "src", false), ("src/*", "src/a.txt", true), ("src/*", "src/a/b.txt", false),
            ("*.md", "README.md", true), ("*.md", "deep/down/notes.md", true), ("*.md", "notes.md.sh", false),
            ("**", "anything/at/all.txt", true), ("src/**/test_*.py", "src/a/b/test_x.py", true),
            ("src/**/test_*.py", "src/test_x.py", true), ("lib/", "lib/x.c", true), ("auth/[a-c]*.rs", "auth/jwt.rs", false),
        ])
    func globs(_ pattern: String, _ path: String, _ expected: Bool) {
        #expect(PathGlob(pattern).matches(path) == expected, "\(pattern) on \(path)")
    }

    @Test func caseIDs() throws {
        #expect(CaseID.isValid(CaseID.generate()))
        #expect(!CaseID.isValid("31255233-0C7F-4164-8feb-0dc1b8af28ef"))
        for bad in ["../x", "31/2", "a..b", "xyz1", "ab"] {
            #expect(throws: ZeroError.self) { try CaseID.validateReference(bad) }
        }
        try CaseID.validateReference("3125")
    }
}
