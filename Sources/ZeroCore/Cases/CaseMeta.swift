/// An operator's approval of a plan, bound to the plan's hash.
public struct PlanApproval: Equatable, Sendable, Codable {
    public var session: Int
    public var sha256: String
    public var by: String
    public var at: Timestamp

    public init(session: Int, sha256: String, by: String, at: Timestamp) {
        self.session = session
        self.sha256 = sha256
        self.by = by
        self.at = at
    }
}

/// An operator's review of a completed implementing session's diff.
public struct DiffReview: Equatable, Sendable, Encodable {
    public var session: Int
    public var by: String
    public var at: Timestamp
    /// The operator's SSH signature of the review (signed mode).
    @Nullable public var signature: String?

    public init(session: Int, by: String, at: Timestamp, signature: String? = nil) {
        self.session = session
        self.by = by
        self.at = at
        self.signature = signature
    }
}

/// Who closed a case as won't fix, and when (an operator act).
public struct WontFixRecord: Equatable, Sendable, Encodable {
    public var by: String
    public var at: Timestamp
    @Nullable public var signature: String?

    public init(by: String, at: Timestamp, signature: String? = nil) {
        self.by = by
        self.at = at
        self.signature = signature
    }
}

/// `cases/<id>/meta.yaml` (DESIGN §2.2).
public struct CaseMeta: Equatable, Sendable {
    public var id: String
    public var title: String
    public var type: CaseType
    public var state: CaseState
    public var previousState: CaseState?
    public var outcome: Outcome?
    public var summary: String?
    public var tags: [String] = []
    public var priority: Priority = .medium
    public var spec: String?
    public var epic: Int?
    public var dependsOn: [String] = []
    public var blockedReason: String?
    public var wontFixReason: String?
    /// The open question while NEEDS_USER_INPUT.
    public var question: String?
    public var approvedPlan: PlanApproval?
    public var diffReview: DiffReview?
    public var wontFix: WontFixRecord?
    public var sessionCount = 0
    public var schemaVersion = 1
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    /// Keys Zero does not know, kept in file order across rewrites.
    public var extra: [HeaderField] = []
    /// The file's comments, kept across rewrites.
    public var comments = HeaderComments()

    public init(id: String, title: String, type: CaseType, state: CaseState = .open, createdAt: Timestamp) {
        self.id = id
        self.title = title
        self.type = type
        self.state = state
        self.createdAt = createdAt
        self.updatedAt = createdAt
    }

    static let knownKeySet = Set(knownKeys)
    static let knownKeys: [String] = [
        "id", "title", "type", "state", "previous_state", "outcome", "summary", "tags", "priority",
        "spec", "epic", "depends_on", "blocked_reason", "wont_fix_reason", "question", "approved_plan",
        "diff_review", "wont_fix", "session_count", "schema_version", "created_at", "updated_at",
    ]

    public init(header: Header, file: String) throws {
        let read = HeaderReader(header, file: file)
        id = try read.required("id")
        guard CaseID.isValid(id) else { throw read.fail("id", "must be a lower-case UUID, not '\(id)'") }
        title = try read.required("title")
        type = try read.choice("type", CaseType.self) ?? .bug
        guard let state = try read.choice("state", CaseState.self) else {
            throw ZeroError.malformed("'state' is missing", file: file, line: 1)
        }
        self.state = state
        previousState = try read.choice("previous_state", CaseState.self)
        outcome = try read.choice("outcome", Outcome.self)
        summary = try read.string("summary")
        tags = try read.list("tags")
        priority = try read.choice("priority", Priority.self) ?? .medium
        spec = try read.string("spec")
        epic = try read.int("epic")
        dependsOn = try read.list("depends_on")
        blockedReason = try read.string("blocked_reason")
        wontFixReason = try read.string("wont_fix_reason")
        question = try read.string("question")
        if let fields = try read.map("approved_plan") {
            guard let session = fields.value("session").flatMap({ Int($0) }), let sha = fields.value("sha256"),
                let by = fields.value("by"), let at = fields.value("at").flatMap({ Timestamp($0) })
            else {
                throw read.fail("approved_plan", "needs session, sha256, by and at")
            }
            approvedPlan = PlanApproval(session: session, sha256: sha, by: by, at: at)
        }
        if let fields = try read.map("diff_review") {
            guard let session = fields.value("session").flatMap({ Int($0) }), let by = fields.value("by"),
                let at = fields.value("at").flatMap({ Timestamp($0) })
            else {
                throw read.fail("diff_review", "needs session, by and at")
            }
            diffReview = DiffReview(session: session, by: by, at: at, signature: fields.value("signature"))
        }
        if let fields = try read.map("wont_fix") {
            guard let by = fields.value("by"), let at = fields.value("at").flatMap({ Timestamp($0) }) else {
                throw read.fail("wont_fix", "needs by and at")
            }
            wontFix = WontFixRecord(by: by, at: at, signature: fields.value("signature"))
        }
        sessionCount = try read.int("session_count") ?? 0
        schemaVersion = try read.int("schema_version") ?? 1
        guard let created = try read.timestamp("created_at") else {
            throw ZeroError.malformed("'created_at' is missing", file: file, line: 1)
        }
        createdAt = created
        updatedAt = try read.timestamp("updated_at") ?? created
        extra = header.unknownFields(known: Self.knownKeySet)
        comments = header.comments
    }

    /// The header in canonical key order, unknown keys last.
    public var header: Header {
        var fields: [HeaderField] = [
            HeaderField("id", .text(id)),
            HeaderField("title", .text(title)),
            HeaderField("type", .literal(type.rawValue)),
            HeaderField("state", .literal(state.rawValue)),
            HeaderField("previous_state", .optionalLiteral(previousState?.rawValue)),
            HeaderField("outcome", .optionalLiteral(outcome?.rawValue)),
            HeaderField("summary", .optionalText(summary)),
            HeaderField("tags", .list(tags)),
            HeaderField("priority", .literal(priority.rawValue)),
            HeaderField("spec", .optionalText(spec)),
            HeaderField("epic", .int(epic)),
            HeaderField("depends_on", .list(dependsOn)),
            HeaderField("blocked_reason", .optionalText(blockedReason)),
            HeaderField("wont_fix_reason", .optionalText(wontFixReason)),
        ]
        if let question { fields.append(HeaderField("question", .text(question))) }
        if let plan = approvedPlan {
            fields.append(
                HeaderField(
                    "approved_plan",
                    .map([
                        HeaderField("session", .int(plan.session)), HeaderField("sha256", .text(plan.sha256)),
                        HeaderField("by", .text(plan.by)), HeaderField("at", .time(plan.at)),
                    ])))
        } else {
            fields.append(HeaderField("approved_plan", .null))
        }
        if let review = diffReview {
            var inner = [
                HeaderField("session", .int(review.session)), HeaderField("by", .text(review.by)),
                HeaderField("at", .time(review.at)),
            ]
            if let signature = review.signature { inner.append(HeaderField("signature", .text(signature))) }
            fields.append(HeaderField("diff_review", .map(inner)))
        }
        if let record = wontFix {
            var inner = [HeaderField("by", .text(record.by)), HeaderField("at", .time(record.at))]
            if let signature = record.signature { inner.append(HeaderField("signature", .text(signature))) }
            fields.append(HeaderField("wont_fix", .map(inner)))
        }
        fields += [
            HeaderField("session_count", .int(sessionCount)),
            HeaderField("schema_version", .int(schemaVersion)),
            HeaderField("created_at", .time(createdAt)),
            HeaderField("updated_at", .time(updatedAt)),
        ]
        return Header(fields: fields + extra).attaching(comments)
    }

    public static func parse(_ text: String, file: String) throws -> CaseMeta {
        try MemoryText.requireWholeLines(text, file: file)
        let document = try MemoryDocument.parse(text, file: file, expectsTitle: false)
        if let stray = document.sections.first {
            throw ZeroError.malformed("meta.yaml holds only 'key: value' lines", file: file, line: stray.line)
        }

        return try CaseMeta(header: document.header, file: file)
    }

    public func render() -> String { HeaderWriter.render(header) }
}
