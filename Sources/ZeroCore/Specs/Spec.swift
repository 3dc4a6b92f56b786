/// `specs/<spec-id>/spec.md`: a specification whose tickets are cases with
/// `spec` set. Only what an operator decides is stored (approval, completion);
/// the status people read is computed from the tickets (`SpecStatus`).
public struct Spec: Sendable, Equatable {
    /// What the file records: `draft` until an operator approves it, then
    /// `approved`, and `completed` once an operator confirms the delivery.
    public enum Stored: String, Sendable, CaseIterable, Encodable {
        case draft, approved, completed
    }

    public var id: String
    public var title: String
    public var stored = Stored.draft
    public var approvedBy: String?
    public var approvedAt: Timestamp?
    /// The hash of the ticket plans the approval bound (each ticket's own
    /// approval is in its planning session, which the replay checks).
    public var planSHA256: String?
    /// The approver's SSH signature of the approval (signed mode).
    public var approvalSignature: String?
    /// Who confirmed the delivery, and when (`zero spec complete`).
    public var completedBy: String?
    public var completedAt: Timestamp?
    /// The confirming operator's SSH signature (signed mode).
    public var completionSignature: String?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    /// Description, Goals, Requirements, Patterns, and any other section kept as written.
    public var document: MemoryDocument

    /// What the approval and the completion sign: the act, the specification
    /// and the hash of every ticket plan the approval bound.
    public var approvalAct: OperatorAct? {
        approvedBy.map { OperatorAct(.approveSpec, caseID: id, session: nil, digest: planSHA256 ?? "-", by: $0, at: approvedAt ?? createdAt) }
    }

    public var completionAct: OperatorAct? {
        completedBy.map { OperatorAct(.completeSpec, caseID: id, session: nil, digest: planSHA256 ?? "-", by: $0, at: completedAt ?? createdAt) }
    }

    public static let sectionNames = ["Description", "Goals", "Requirements", "Patterns"]
    static let knownKeys: Set<String> = [
        "id", "title", "state", "approved_by", "approved_at", "plan_sha256", "approval_signature", "completed_by", "completed_at",
        "completion_signature", "created_at", "updated_at",
    ]

    public init(id: String, title: String, createdAt: Timestamp) {
        self.id = id
        self.title = title
        self.createdAt = createdAt
        updatedAt = createdAt
        document = MemoryDocument(title: "Specification: " + title)
        for name in Self.sectionNames { document.setSection(name, "") }
    }

    public static func parse(_ text: String, file: String) throws -> Spec {
        try MemoryText.requireWholeLines(text, file: file)
        let document = try MemoryDocument.parse(text, file: file, expectsTitle: true)
        let read = HeaderReader(document.header, file: file)
        let created = try read.timestamp("created_at") ?? Timestamp(seconds: 0)
        var spec = Spec(id: try read.required("id"), title: try read.required("title"), createdAt: created)
        // Older files (and the benchmark's) name a computed status here: anything but
        // draft and completed reads as approved when an approval is recorded.
        let state = try read.string("state") ?? "draft"
        spec.approvedBy = try read.string("approved_by")
        spec.approvedAt = try read.timestamp("approved_at")
        spec.planSHA256 = try read.string("plan_sha256")
        spec.approvalSignature = try read.string("approval_signature")
        spec.completedBy = try read.string("completed_by")
        spec.completedAt = try read.timestamp("completed_at")
        spec.completionSignature = try read.string("completion_signature")
        switch state {
        case "completed": spec.stored = .completed
        case "draft", "planning": spec.stored = spec.approvedBy == nil ? .draft : .approved
        case "approved", "ready", "in_progress", "ready_for_review": spec.stored = .approved
        default: throw read.fail("state", "must be draft, approved or completed, not '\(state)'")
        }
        if spec.stored != .draft, spec.approvedBy == nil {
            throw read.fail("state", "is \(state) but approved_by is missing")
        }
        spec.updatedAt = try read.timestamp("updated_at") ?? created
        spec.document = document
        return spec
    }

    public func render() -> String {
        var document = self.document
        let extra = document.header.unknownFields(known: Self.knownKeys)
        document.title = document.title ?? "Specification: " + title
        document.header = Header(
            fields: [
                HeaderField("id", .text(id)),
                HeaderField("title", .text(title)),
                HeaderField("state", .literal(stored.rawValue)),
                HeaderField("approved_by", .optionalText(approvedBy)),
                HeaderField("approved_at", .time(approvedAt)),
                HeaderField("plan_sha256", .optionalText(planSHA256)),
            ] + (approvalSignature.map { [HeaderField("approval_signature", .text($0))] } ?? [])
                + (completedBy.map { [HeaderField("completed_by", .text($0)), HeaderField("completed_at", .time(completedAt))] } ?? [])
                + (completionSignature.map { [HeaderField("completion_signature", .text($0))] } ?? []) + [
                    HeaderField("created_at", .time(createdAt)),
                    HeaderField("updated_at", .time(updatedAt)),
                ] + extra
        ).attaching(document.header.comments)
        return document.render()
    }
}

/// `specs/<spec-id>/epics/NN.md`: one part of a specification.
public struct Epic: Sendable, Equatable {
    public var number: Int
    public var title: String
    public var order: Int
    public var document: MemoryDocument

    static let knownKeys: Set<String> = ["number", "title", "order"]

    public init(number: Int, title: String, objective: String = "", acceptance: String = "") {
        self.number = number
        self.title = title
        order = number
        document = MemoryDocument(title: "Epic \(number): " + title)
        document.setSection("Objective", MemoryDocument.protectFreeText(objective))
        document.setSection("Acceptance criteria", MemoryDocument.protectFreeText(acceptance))
    }

    public var objective: String { document.section("Objective") ?? "" }
    public var acceptanceCriteria: String { document.section("Acceptance criteria") ?? "" }

    public static func parse(_ text: String, file: String, number fileNumber: Int) throws -> Epic {
        try MemoryText.requireWholeLines(text, file: file)
        let document = try MemoryDocument.parse(text, file: file, expectsTitle: true)
        let read = HeaderReader(document.header, file: file)
        guard let number = try read.int("number") else { throw ZeroError.malformed("'number' is missing", file: file, line: 1) }
        guard number == fileNumber else {
            throw read.fail("number", "is \(number) but the file is \(Timestamp.pad(fileNumber, 2)).md")
        }
        var epic = Epic(number: number, title: try read.required("title"))
        epic.order = try read.int("order") ?? number
        epic.document = document
        return epic
    }

    public func render() -> String {
        var document = self.document
        let extra = document.header.unknownFields(known: Self.knownKeys)
        document.header = Header(
            fields: [HeaderField("number", .int(number)), HeaderField("title", .text(title)), HeaderField("order", .int(order))] + extra
        ).attaching(document.header.comments)
        return document.render()
    }

    public static func fileName(_ number: Int) -> String { Timestamp.pad(number, 2) + ".md" }
}

/// What a ticket's `problem-definition.md` asks for, read from its sections.
public struct TicketWork: Sendable, Equatable, Encodable {
    public var description: String
    /// `## Steps`: numbered or bulleted lines, in order.
    public var steps: [String]
    public var acceptanceCriteria: [String]
    /// `## Files`: what the ticket creates, modifies or deletes; the paths are its scope.
    public var files: [FileExpectation]

    public struct FileExpectation: Sendable, Equatable, Encodable {
        /// create, modify, delete or reference.
        public var action: String
        public var path: String
    }

    enum CodingKeys: String, CodingKey { case description, steps, acceptanceCriteria = "acceptance_criteria", files }

    public init(_ problem: MemoryDocument?) {
        description = problem?.section("Description") ?? ""
        steps = Self.items(problem?.section("Steps"))
        acceptanceCriteria = Self.items(problem?.section("Acceptance criteria"))
        files = Self.items(problem?.section("Files")).map { item in
            let words = item.split(separator: " ", maxSplits: 1).map(String.init)
            let verbs = [
                "create": "create", "created": "create", "add": "create", "modify": "modify", "modified": "modify",
                "change": "modify", "delete": "delete", "deleted": "delete", "remove": "delete", "reference": "reference",
                "read": "reference",
            ]
            if words.count == 2, let action = verbs[words[0].lowercased().trimming(":")] {
                return FileExpectation(action: action, path: Self.unquoted(words[1]))
            }
            return FileExpectation(action: "modify", path: Self.unquoted(item))
        }
    }

    /// The paths code may change under the ticket (references are read, not changed).
    public var scope: [String] { files.filter { $0.action != "reference" }.map(\.path) }

    /// The text of the list items (`1. x`, `- x`, `- [ ] x`, …), read as a plan's steps are.
    static func items(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.split(separator: "\n").compactMap { PlanDocument.listItem(String($0).trimming(" \t")) }
    }

    static func unquoted(_ path: String) -> String {
        String(Substring(path.trimming(" \t")).trimmingBackticks())
    }
}
