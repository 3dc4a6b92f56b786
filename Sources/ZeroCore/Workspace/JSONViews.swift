// The JSON shapes of cases, sessions and proofs: what `--json`, the HTTP API
// and MCP return. Keys are snake_case, as in the memory files.

extension CaseMeta: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, title, type, state, previousState = "previous_state", outcome, summary, tags, priority, spec, epic
        case dependsOn = "depends_on", blockedReason = "blocked_reason", wontFixReason = "wont_fix_reason", question
        case approvedPlan = "approved_plan", diffReview = "diff_review", sessionCount = "session_count"
        case schemaVersion = "schema_version", createdAt = "created_at", updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(type, forKey: .type)
        try container.encode(state, forKey: .state)
        try container.encode(previousState, forKey: .previousState)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(summary, forKey: .summary)
        try container.encode(tags, forKey: .tags)
        try container.encode(priority, forKey: .priority)
        try container.encode(spec, forKey: .spec)
        try container.encode(epic, forKey: .epic)
        try container.encode(dependsOn, forKey: .dependsOn)
        try container.encode(blockedReason, forKey: .blockedReason)
        try container.encode(wontFixReason, forKey: .wontFixReason)
        try container.encode(question, forKey: .question)
        try container.encode(approvedPlan, forKey: .approvedPlan)
        try container.encode(diffReview, forKey: .diffReview)
        try container.encode(sessionCount, forKey: .sessionCount)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

extension Session: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, caseID = "case_id", caseTitle = "case_title", number, type, state, paused
        case hypothesis, plan, scope, steps, files, output, discoveries
        case planSHA256 = "plan_sha256", planHash = "plan_hash", planMatchesApproval = "plan_matches_approval", approvedBy = "approved_by"
        case approvalSigned = "approval_signed"
        case approvedAt = "approved_at", baseCommit = "base_commit", diff, tests, proofAttached = "proof_attached"
        case startedAt = "started_at", completedAt = "completed_at", endReason = "end_reason", events
    }

    struct Step: Encodable { var index: Int; var done: Bool; var text: String }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("\(caseID)/\(number)", forKey: .id)
        try container.encode(caseID, forKey: .caseID)
        try container.encode(caseTitle, forKey: .caseTitle)
        try container.encode(number, forKey: .number)
        try container.encode(type, forKey: .type)
        try container.encode(state, forKey: .state)
        try container.encode(paused, forKey: .paused)
        try container.encode(hypothesis, forKey: .hypothesis)
        try container.encode(plan, forKey: .plan)
        try container.encode(scopeGlobs, forKey: .scope)
        try container.encode(steps.enumerated().map { Step(index: $0.offset + 1, done: $0.element.done, text: $0.element.text) }, forKey: .steps)
        try container.encode(Session.listItems(section("Files")), forKey: .files)
        try container.encode(section("Execution output"), forKey: .output)
        try container.encode(Session.listItems(section("Discoveries")), forKey: .discoveries)
        try container.encode(planSHA256, forKey: .planSHA256)
        // What an approval of the plan as written now would bind to.
        try container.encode(computedPlanHash, forKey: .planHash)
        try container.encode(approvalSignature != nil, forKey: .approvalSigned)
        try container.encode(planSHA256 == nil ? false : planMatchesApproval, forKey: .planMatchesApproval)
        try container.encode(approvedBy, forKey: .approvedBy)
        try container.encode(approvedAt, forKey: .approvedAt)
        try container.encode(baseCommit, forKey: .baseCommit)
        try container.encode(diff, forKey: .diff)
        try container.encode(tests, forKey: .tests)
        try container.encode(proofAttached, forKey: .proofAttached)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(completedAt, forKey: .completedAt)
        try container.encode(endReason, forKey: .endReason)
        try container.encode(events, forKey: .events)
    }
}

extension Proof: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, shortID = "short_id", caseID = "case_id", session, type, createdAt = "created_at", command
        case exitCode = "exit_code", durationMs = "duration_ms", head, dirty, artifact, artifactSHA256 = "artifact_sha256"
        case summary, verified, verifiedBy = "verified_by", verifiedAt = "verified_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(shortID, forKey: .shortID)
        try container.encode(caseID, forKey: .caseID)
        try container.encode(session, forKey: .session)
        try container.encode(type, forKey: .type)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(command, forKey: .command)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(durationMs, forKey: .durationMs)
        try container.encode(head, forKey: .head)
        try container.encode(dirty, forKey: .dirty)
        try container.encode(artifact, forKey: .artifact)
        try container.encode(artifactSHA256, forKey: .artifactSHA256)
        try container.encode(summary, forKey: .summary)
        try container.encode(verified, forKey: .verified)
        try container.encode(verifiedBy, forKey: .verifiedBy)
        try container.encode(verifiedAt, forKey: .verifiedAt)
    }
}

extension BrokenCase: Encodable {
    enum CodingKeys: String, CodingKey { case id, state, error }

    /// `{"id", "state": "BROKEN", "error": {code, message, hint, file, line}}`:
    /// a consumer that filters on `state` keeps working.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode("BROKEN", forKey: .state)
        try container.encode(error, forKey: .error)
    }
}
