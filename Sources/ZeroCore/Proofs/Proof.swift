/// What a proof item is evidence of.
public enum ProofType: String, CaseIterable, Sendable, Codable {
    case testLog = "test-log"
    case trace, diff, screenshot
    case operatorNote = "operator-note"
    case benchmark, log
}

/// One proof item, `proofs/<short-id>.md` (DESIGN §2.5). After creation it may
/// only gain its verification; a re-run adds a new proof.
public struct Proof: Equatable, Sendable {
    public var id: String
    public var caseID: String
    public var session: Int?
    public var type: ProofType
    public var createdAt: Timestamp
    public var command: String?
    public var exitCode: Int?
    public var durationMs: Int?
    public var head: String?
    public var dirty: Bool?
    public var artifact: String?
    public var artifactSHA256: String?
    public var summary: String?
    public var verified = false
    public var verifiedBy: String?
    public var verifiedAt: Timestamp?
    /// The operator's SSH signature of the verification (signed mode).
    public var verifiedSignature: String?
    /// Why an operator verified a proof whose command failed (`--accept-failing --reason`).
    public var acceptedFailing: String?
    public var extra: [HeaderField] = []
    public var comments = HeaderComments()
    /// `## Excerpt` first, then any other sections.
    public var sections: [MemoryDocument.Section] = [MemoryDocument.Section("Excerpt")]

    /// The first 8 hex digits: the file name and what users type.
    public var shortID: String { String(id.prefix(8)) }
    public var fileName: String { shortID + ".md" }

    public init(id: String, caseID: String, session: Int?, type: ProofType, createdAt: Timestamp) {
        self.id = id
        self.caseID = caseID
        self.session = session
        self.type = type
        self.createdAt = createdAt
    }

    public var excerpt: String {
        get { sections.body("Excerpt") ?? "" }
        set {
            if let index = sections.firstIndex(where: { $0.name == "Excerpt" }) { sections[index].body = newValue } else { sections.insert(MemoryDocument.Section("Excerpt", newValue), at: 0) }
        }
    }

    static let verificationKeys: Set<String> = ["verified", "verified_by", "verified_at", "verified_signature", "accepted_failing"]
    static let knownKeySet = Set(knownKeys)
    static let knownKeys: [String] = [
        "id", "case_id", "session", "type", "created_at", "command", "exit_code", "duration_ms",
        "head", "dirty", "artifact", "artifact_sha256", "summary", "verified", "verified_by", "verified_at",
        "verified_signature", "accepted_failing",
    ]

    public var header: Header {
        var fields: [HeaderField] = [
            HeaderField("id", .text(id)),
            HeaderField("case_id", .text(caseID)),
            HeaderField("session", .int(session)),
            HeaderField("type", .literal(type.rawValue)),
            HeaderField("created_at", .time(createdAt)),
        ]
        if let command { fields.append(HeaderField("command", .text(command))) }
        if let exitCode { fields.append(HeaderField("exit_code", .int(exitCode))) }
        if let durationMs { fields.append(HeaderField("duration_ms", .int(durationMs))) }
        if let head { fields.append(HeaderField("head", .text(head))) }
        if let dirty { fields.append(HeaderField("dirty", .bool(dirty))) }
        if let artifact { fields.append(HeaderField("artifact", .text(artifact))) }
        if let artifactSHA256 { fields.append(HeaderField("artifact_sha256", .text(artifactSHA256))) }
        fields.append(HeaderField("summary", .optionalText(summary)))
        fields.append(HeaderField("verified", .bool(verified)))
        if let verifiedBy { fields.append(HeaderField("verified_by", .text(verifiedBy))) }
        if let verifiedAt { fields.append(HeaderField("verified_at", .time(verifiedAt))) }
        if let acceptedFailing { fields.append(HeaderField("accepted_failing", .text(acceptedFailing))) }
        if let verifiedSignature { fields.append(HeaderField("verified_signature", .text(verifiedSignature))) }
        return Header(fields: fields + extra).attaching(comments)
    }

    public var title: String { "Proof \(shortID) — \(type.rawValue)" }

    public func render() -> String {
        MemoryDocument(title: "Proof \(shortID) — \(type.rawValue)", header: header, sections: sections).render()
    }

    public static func parse(_ text: String, file: String) throws -> Proof {
        try MemoryText.requireWholeLines(text, file: file)
        let document = try MemoryDocument.parse(text, file: file, expectsTitle: true)
        let read = HeaderReader(document.header, file: file)
        let id = try read.required("id")
        guard CaseID.isValid(id) else { throw read.fail("id", "must be a lower-case UUID") }
        guard let type = try read.choice("type", ProofType.self) else {
            throw ZeroError.malformed("'type' is missing", file: file, line: 1)
        }
        guard let created = try read.timestamp("created_at") else {
            throw ZeroError.malformed("'created_at' is missing", file: file, line: 1)
        }
        var proof = Proof(id: id, caseID: try read.required("case_id"), session: try read.int("session"), type: type, createdAt: created)
        proof.command = try read.string("command")
        proof.exitCode = try read.int("exit_code")
        proof.durationMs = try read.int("duration_ms")
        proof.head = try read.string("head")
        proof.dirty = try read.bool("dirty")
        proof.artifact = try read.string("artifact")
        proof.artifactSHA256 = try read.string("artifact_sha256")
        proof.summary = try read.string("summary")
        proof.verified = try read.bool("verified") ?? false
        proof.verifiedBy = try read.string("verified_by")
        proof.verifiedAt = try read.timestamp("verified_at")
        proof.verifiedSignature = try read.string("verified_signature")
        proof.acceptedFailing = try read.string("accepted_failing")
        proof.extra = document.header.unknownFields(known: knownKeySet)
        proof.comments = document.header.comments
        guard document.title == proof.title else {
            throw ZeroError.malformed("the title line must read '# \(proof.title)'; zero would rewrite it", file: file, line: 1)
        }
        proof.sections = document.sections.isEmpty ? [MemoryDocument.Section("Excerpt")] : document.sections
        return proof
    }

    /// Whether `after` differs from `self` only by gaining verification.
    public func onlyGainedVerification(_ after: Proof) -> Bool {
        var before = self
        before.verified = after.verified
        before.verifiedBy = after.verifiedBy
        before.verifiedAt = after.verifiedAt
        before.verifiedSignature = after.verifiedSignature
        before.acceptedFailing = after.acceptedFailing
        // Once verified, a proof never changes again.
        return before == after && (verified ? self == after : true)
    }

    /// Whether the captured command passed: exit code 0 (or none recorded) and
    /// no failures in its summary.
    public var passed: Bool {
        if let exitCode, exitCode != 0 { return false }
        if let summary, let counts = TestSummary.parse(summary), counts.failed > 0 { return false }
        return true
    }

    /// Verified, and either passing or accepted as failing with a recorded reason.
    public var countsForResolution: Bool {
        verified && (passed || !(acceptedFailing ?? "").isEmpty)
    }
}
